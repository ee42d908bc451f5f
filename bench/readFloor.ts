/**
 * The floor under any content scanner written in Node on this machine: list a tree (synchronous readdir, as ours
 * does) and read every regular file on `workers` threads (open, read into a reused buffer, close), matching nothing.
 * Its throughput bounds what a Node scanner can reach here; against a reference tool measured in the same run it
 * bounds the ratio too.
 *
 * CLI: node build/bench/readFloor.js <tree> [workers]   →  one JSON line {files, bytes, wallMs}
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

interface Job { root: string; files: string[] }

function list(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out;
}

function readAll({ root, files }: Job): number {
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  for (const f of files) {
    const fd = openSync(path.join(root, f), 'r');
    try {
      for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) bytes += n;
    } finally {
      closeSync(fd);
    }
  }
  return bytes;
}

async function main(): Promise<void> {
  const root = path.resolve(process.argv[2] ?? '.');
  const workers = Math.max(1, Number(process.argv[3] ?? Math.min(4, availableParallelism())));
  const t0 = performance.now();
  const files = list(root);
  const shares = Array.from({ length: workers }, (_, w) => files.filter((_, i) => i % workers === w));
  const bytes = await Promise.all(shares.map((share) => new Promise<number>((resolve, reject) => {
    const w = new Worker(__filename, { workerData: { root, files: share } satisfies Job });
    w.once('message', resolve);
    w.once('error', reject);
  })));
  process.stdout.write(`${JSON.stringify({ files: files.length, bytes: bytes.reduce((a, b) => a + b, 0), workers, wallMs: Math.round(performance.now() - t0) })}\n`);
}

if (isMainThread) void main();
else parentPort!.postMessage(readAll(workerData as Job));
