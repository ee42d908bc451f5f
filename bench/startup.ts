/**
 * Goal 2: the bundled SecurityGate prints its first line ≤ 300 ms after process start on Node 24.
 * Spawns the task with no inputs (it prints its banner, then fails on the missing input) and times spawn to
 * first stdout byte; the reference is `node -e "console.log(1)"` on the same binary, alternated run by run
 * so that load from other processes hits both alike.
 *
 * CLI: node build/bench/startup.js --out <file.json> --node <label>=<bin> [--node …] [--runs 15]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { median, summarize, type Summary } from './stats';

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
  /** Loading the lazily required SDK file (sdk.js), which every real run pays before its first request. */
  sdkLoad?: SdkLoad;
}

export interface SdkLoad {
  /** require('./sdk.js') plus every lazy module's initialisation. */
  total: Summary;
  /** require('./sdk.js') alone: reading and compiling the file. */
  require: Summary;
  /** Median initialisation time per lazy module, keyed by package. */
  perModule: Record<string, number>;
}

// Run with -e in a child: times require('./sdk.js') and each lazy module's first load.
const SDK_PROBE = `const h=()=>process.hrtime.bigint(),ms=(a,b)=>Number(b-a)/1e6;const t0=h();
const sdk=require(require('path').join(process.env.SDK_DIR,'sdk.js'));const t1=h();const per={};
for(const k of JSON.parse(process.env.SDK_KEYS)){const a=h();sdk.load(k);per[k]=ms(a,h());}
console.log(JSON.stringify({requireMs:ms(t0,t1),totalMs:ms(t0,h()),per}));`;

/** The package a lazy-module key belongs to: node_modules/@azure/identity/dist/... -> @azure/identity. */
export function packageOfKey(key: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(key);
  return m ? m[1] : key;
}

async function measureSdkLoad(bin: string, taskDir: string, keys: string[], runs: number, cwd: string, env: NodeJS.ProcessEnv): Promise<SdkLoad> {
  const totals: number[] = [];
  const requires: number[] = [];
  const per = new Map<string, number[]>();
  const probeEnv = { ...env, SDK_DIR: taskDir, SDK_KEYS: JSON.stringify(keys) };
  await timeFirstOutput(bin, ['-e', SDK_PROBE], cwd, probeEnv); // warm-up
  for (let i = 0; i < runs; i++) {
    const r = await timeFirstOutput(bin, ['-e', SDK_PROBE], cwd, probeEnv);
    if (r.code !== 0) throw new Error(`loading sdk.js failed (exit ${r.code})`);
    const j = JSON.parse(r.stdout) as { requireMs: number; totalMs: number; per: Record<string, number> };
    totals.push(j.totalMs);
    requires.push(j.requireMs);
    for (const [k, v] of Object.entries(j.per)) per.set(packageOfKey(k), [...(per.get(packageOfKey(k)) ?? []), v]);
  }
  return {
    total: summarize(totals),
    require: summarize(requires),
    perModule: Object.fromEntries([...per].map(([k, v]) => [k, Math.round(median(v) * 10) / 10])),
  };
}

/** Lazy modules of the task's bundle, from dist/bundle-meta.json; empty when the bundle is not split. */
export function lazyModules(entry: string): string[] {
  const meta = join(dirname(entry), '..', '..', 'bundle-meta.json');
  if (!existsSync(meta) || !existsSync(join(dirname(entry), 'sdk.js'))) return [];
  const task = (JSON.parse(readFileSync(meta, 'utf8')) as { tasks?: Record<string, { lazyModules?: string[] }> }).tasks?.SecurityGate;
  return task?.lazyModules ?? [];
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

export async function runStartupBench(opts: { entry: string; nodes: StartupNode[]; runs: number; sdkRuns?: number; log?: (l: string) => void }): Promise<StartupResult[]> {
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
      const keys = lazyModules(opts.entry);
      if (keys.length) {
        r.sdkLoad = await measureSdkLoad(node.bin, dirname(opts.entry), keys, opts.sdkRuns ?? 7, scratch, env);
        log(`  sdk.js load ${node.label}: median ${r.sdkLoad.total.medianMs} ms (compile ${r.sdkLoad.require.medianMs} ms)`);
      }
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
