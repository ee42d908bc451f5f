/**
 * Goal 2: the bundled SecurityGate prints its first line ≤ 300 ms after process start on Node 24.
 * Spawns the task with no inputs (it prints its banner, then fails on the missing input) and times spawn to
 * first stdout byte; the reference is `node -e "console.log(1)"` on the same binary, alternated run by run
 * so that load from other processes hits both alike.
 *
 * CLI: node build/bench/startup.js --out <file.json> --node <label>=<bin> [--node …] [--runs 15]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { summarize, type Summary } from './stats';

export interface StartupNode {
  label: string;
  bin: string;
}

export interface StartupResult {
  node: string;
  version: string;
  task: Summary;
  bareNode: Summary;
  /** Median of the task minus median of bare node: what the bundle itself costs before its first line. */
  overheadMs: number;
  /** The task's first line, to show what was timed. */
  firstLine: string;
}

interface Timed {
  firstOutputMs?: number;
  stdout: string;
  code: number | null;
}

/** Spawn to first stdout byte; the child runs to its end so that runs do not overlap. */
export function timeFirstOutput(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let firstOutputMs: number | undefined;
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      firstOutputMs ??= Number(process.hrtime.bigint() - t0) / 1e6;
      stdout += d.toString();
    });
    child.stderr.resume();
    child.on('error', fail);
    child.on('close', (code) => done({ firstOutputMs, stdout, code }));
  });
}

export async function runStartupBench(opts: { entry: string; nodes: StartupNode[]; runs: number; log?: (l: string) => void }): Promise<StartupResult[]> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const scratch = mkdtempSync(join(tmpdir(), 'mlops-startup-'));
  // Only what the agent always sets; no inputs, so the task stops right after its first line.
  const env = { PATH: process.env.PATH ?? '', AGENT_TEMPDIRECTORY: scratch };
  const out: StartupResult[] = [];
  try {
    for (const node of opts.nodes) {
      const version = (await timeFirstOutput(node.bin, ['--version'], scratch, env)).stdout.trim();
      // Warm-up: file caches for the binary and the bundle.
      await timeFirstOutput(node.bin, [opts.entry], scratch, env);
      await timeFirstOutput(node.bin, ['-e', 'console.log(1)'], scratch, env);
      const task: number[] = [];
      const bare: number[] = [];
      let firstLine = '';
      for (let i = 0; i < opts.runs; i++) {
        const t = await timeFirstOutput(node.bin, [opts.entry], scratch, env);
        if (t.firstOutputMs === undefined) throw new Error(`${node.label}: the task printed nothing (exit ${t.code})`);
        task.push(t.firstOutputMs);
        firstLine ||= t.stdout.split('\n')[0];
        const b = await timeFirstOutput(node.bin, ['-e', 'console.log(1)'], scratch, env);
        if (b.firstOutputMs === undefined) throw new Error(`${node.label}: node -e printed nothing`);
        bare.push(b.firstOutputMs);
      }
      const r: StartupResult = { node: node.label, version, task: summarize(task), bareNode: summarize(bare), overheadMs: 0, firstLine };
      r.overheadMs = Math.round((r.task.medianMs - r.bareNode.medianMs) * 10) / 10;
      log(`  startup ${node.label}: task median ${r.task.medianMs} ms, bare node ${r.bareNode.medianMs} ms (${opts.runs} runs each)`);
      out.push(r);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return out;
}

if (require.main === module) {
  (async () => {
    const argv = process.argv.slice(2);
    let outFile = '';
    let runs = 15;
    const nodes: StartupNode[] = [];
    for (let i = 0; i < argv.length; i++) {
      const [flag, v] = [argv[i], argv[++i]];
      if (flag === '--out') outFile = v;
      else if (flag === '--runs') runs = Number(v);
      else if (flag === '--node') nodes.push({ label: v.slice(0, v.indexOf('=')), bin: v.slice(v.indexOf('=') + 1) });
      else throw new Error(`unknown argument ${flag}`);
    }
    if (!outFile) throw new Error('--out is required');
    if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a positive integer');
    if (!nodes.length) nodes.push({ label: `Node ${process.version}`, bin: process.execPath });
    const entry = resolve(__dirname, '..', '..', 'dist/tasks/SecurityGate/index.js');
    writeFileSync(outFile, JSON.stringify(await runStartupBench({ entry, nodes, runs }), null, 2));
  })().catch((e: unknown) => {
    process.stderr.write(`startup bench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
