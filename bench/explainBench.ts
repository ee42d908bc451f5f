/**
 * The ExplainabilityReport benchmark (the `explain` part of scripts/bench.mjs):
 *   1. bench/explain/reference.py (Debian's python3: scikit-learn, onnx, numpy) makes the data, trains the forest,
 *      writes model.onnx + CSVs into --dir and times scikit-learn's permutation_importance and a numpy KernelSHAP;
 *   2. bench/explainMeasure.ts runs once per --node binary on the same files (web and node backends), the first
 *      one also collecting the accuracy data;
 *   3. everything goes to --out as one JSON that bench/explainReport.ts renders.
 * The Python and JS runs are sequential, never concurrent, so they do not compete for the 2 cores.
 *
 * Usage: node build/bench/explainBench.js --out <json> [--dir .cache/bench/explain] [--python /usr/bin/python3]
 *          [--runs 5] [--kernel-runs 1] [--py-pi-runs 3] [--py-kernel-runs 1] [--hb-rows 3] [--hb-budget 32768]
 *          [--node "Node 20=/path/to/node"]...
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { nodeBin, nonNegativeInt } from './cliArgs';
import type { MeasureResult } from './explainMeasure';
import { parsePythonReference, type PythonReference } from './explainReference';

export interface ExplainBenchResult {
  date: string;
  machine: { cpuModel: string; cores: number; loadBefore: number; loadAfter: number };
  config: { runs: number; kernelRuns: number; pyPiRuns: number; pyKernelRuns: number; hbRows: number; hbBudget: number };
  python: PythonReference;
  /** One per Node binary; the first carries `accuracy`. */
  nodes: MeasureResult[];
  durationSec: number;
}

const root = resolve(__dirname, '..', '..');

/** One thread for numpy's BLAS and OpenMP, as our runtimes use one: CPU times then compare like for like. */
const SINGLE_THREAD = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

function run(cmd: string, args: string[], capture: boolean, env: Record<string, string> = {}): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.on('error', (e) => rej(new Error(`${cmd} could not be started: ${e.message}`)));
    child.on('close', (code, signal) => (code === 0 ? res(out) : rej(new Error(`${cmd} ${args[0]} failed (exit ${code ?? signal})`))));
  });
}

function parseArgs(argv: string[]) {
  const o = {
    out: '', dir: join(root, '.cache', 'bench', 'explain'), python: '/usr/bin/python3', runs: 5, kernelRuns: 1, pyPiRuns: 3, pyKernelRuns: 1,
    hbRows: 3, hbBudget: 32768, nodes: [] as { label: string; bin: string }[],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i] ?? '';
    if (a === '--out') o.out = v();
    else if (a === '--dir') o.dir = resolve(v());
    else if (a === '--python') o.python = v();
    else if (a === '--runs') o.runs = nonNegativeInt(v(), a);
    else if (a === '--kernel-runs') o.kernelRuns = nonNegativeInt(v(), a);
    else if (a === '--py-pi-runs') o.pyPiRuns = Math.max(1, nonNegativeInt(v(), a));
    else if (a === '--py-kernel-runs') o.pyKernelRuns = Math.max(1, nonNegativeInt(v(), a));
    else if (a === '--hb-rows') o.hbRows = nonNegativeInt(v(), a);
    else if (a === '--hb-budget') o.hbBudget = nonNegativeInt(v(), a);
    else if (a === '--node') o.nodes.push(nodeBin(v()));
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.out) throw new Error('--out <file> is required');
  if (!o.nodes.length) o.nodes.push({ label: `Node ${process.versions.node.split('.')[0]}`, bin: process.execPath });
  return o;
}

async function main(): Promise<void> {
  const started = Date.now();
  const o = parseArgs(process.argv.slice(2));
  const loadBefore = os.loadavg()[0];
  mkdirSync(o.dir, { recursive: true });
  if (!existsSync(o.python)) throw new Error(`${o.python} not found: the Python reference needs Debian's python3 with python3-sklearn and python3-onnx (apt-get install python3-sklearn python3-onnx), or pass --python`);
  process.stderr.write(`  Python reference (${o.python} bench/explain/reference.py)\n`);
  const pyText = await run(o.python, ['bench/explain/reference.py', '--out-dir', o.dir, '--pi-runs', String(o.pyPiRuns), '--kernel-runs', String(o.pyKernelRuns)], true, SINGLE_THREAD);
  writeFileSync(join(o.dir, 'python.json'), pyText);
  const python = parsePythonReference(pyText);

  const nodes: MeasureResult[] = [];
  for (const [i, n] of o.nodes.entries()) {
    const out = join(o.dir, `measure-${i}.json`);
    const args = [join(root, 'build', 'bench', 'explainMeasure.js'), '--dir', o.dir, '--out', out, '--label', n.label,
      '--runs', String(o.runs), '--kernel-runs', String(o.kernelRuns), '--hb-rows', String(o.hbRows), '--hb-budget', String(o.hbBudget)];
    if (i === 0) args.push('--accuracy');
    await run(n.bin, args, false);
    nodes.push(JSON.parse(readFileSync(out, 'utf8')) as MeasureResult);
  }
  const result: ExplainBenchResult = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine: { cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown', cores: os.availableParallelism(), loadBefore, loadAfter: os.loadavg()[0] },
    config: { runs: o.runs, kernelRuns: o.kernelRuns, pyPiRuns: o.pyPiRuns, pyKernelRuns: o.pyKernelRuns, hbRows: o.hbRows, hbBudget: o.hbBudget },
    python,
    nodes,
    durationSec: (Date.now() - started) / 1000,
  };
  writeFileSync(o.out, JSON.stringify(result) + '\n');
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`explain bench failed: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
