/**
 * One Node's share of the ExplainabilityReport benchmark (spawned by bench/explainBench.ts once per Node binary):
 * on the files bench/explain/reference.py wrote, per backend (web, node) it times model load, permutation
 * importance (the product's path: the baseline runtime call plus permutationImportanceFor, which computes it from
 * the trees once they reproduce the runtime; and, for comparison, one runtime call per shuffle), the TreeSHAP path and KernelSHAP at the numpy reference's budget, each sample in wall and CPU time
 * (process.cpuUsage: all threads of this process). The first sample of every list is the cold one (first model
 * load of that runtime in the process, first call of the code path); the rest are warm.
 * With --accuracy it also writes what the accuracy figures need: TreeSHAP values, our KernelSHAP values, a
 * high-budget KernelSHAP on a few rows, and an exact Shapley enumeration on a reduced game (see exactCheck).
 *
 * Usage: node build/bench/explainMeasure.js --dir <folder> --out <json> [--label "Node 20"] [--runs 5]
 *          [--kernel-runs 1] [--backends web,node] [--accuracy] [--hb-rows 3] [--hb-budget 32768]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTable } from '../shared/explain/data/table';
import { toFeatureData } from '../shared/explain/data/features';
import { uniformWeights } from '../shared/explain/methods/background';
import { defaultBudget, kernelShap, type WeightedBackground } from '../shared/explain/methods/kernelShap';
import { permutationImportanceFor } from '../shared/explain/methods/explain';
import { permutationImportance } from '../shared/explain/methods/permutation';
import { evaluateEnsemble, treeShap } from '../shared/explain/methods/treeShap';
import { createPredictor, type CreatedPredictor } from '../shared/explain/onnx/backend';
import { readModelInfo } from '../shared/explain/onnx/modelInfo';
import type { BackendName, FeatureData, Matrix, ModelInfo, Predictor, TreeEnsemble } from '../shared/explain/types';
import { nonNegativeInt } from './cliArgs';

export const SEED = 42;
export const REPEATS = 5;

export interface Sample { wallMs: number; cpuMs: number }

export interface BackendMeasure {
  backend: BackendName;
  runtime: string;
  /** readModelInfo + createPredictor (+ close), first = first load of this runtime in the process. */
  load: Sample[];
  /**
   * Permutation importance as the product computes it: the baseline runtime call on the evaluation rows plus
   * permutationImportanceFor (which path it took: `permutationMethod`). Like for like with scikit-learn's
   * permutation_importance, which also predicts the baseline.
   */
  permutation: Sample[];
  permutationMethod?: 'tree' | 'model-calls';
  /** The model-call path (one runtime call per shuffle, plus the baseline), for comparison. */
  permutationModelCalls?: Sample[];
  /** treeShap() on the explained rows × background: the exact path itself (no runtime involved). */
  treeShap: Sample[];
  /** What the gate does before trusting the tree read from the graph: one runtime call on the explained rows and the JS evaluation to compare. */
  treeCheck: Sample[];
  kernel: Sample[];
  kernelBudget: number;
  /** This runtime's probability of class 1 on the evaluation rows (for the comparison with scikit-learn's). */
  proba: number[];
  importance: { mean: number[]; std: number[]; baseline: number };
}

export interface AccuracyData {
  backend: BackendName;
  tree: { values: number[][]; baseValue: number; outputs: number[] };
  /** The runtime's outputs on the explained rows (TreeSHAP's efficiency is checked against these too). */
  runtimeOutputs: number[];
  kernel: { values: number[][]; baseValue: number; budget: number };
  highBudget: { rows: number[]; budget: number; values: number[][]; wallMs: number; cpuMs: number };
  exact: { rows: number; features: number; coalitions: number; maxAbsDiff: number; meanAbsPhi: number };
}

export interface MeasureResult {
  label: string;
  version: string;
  backends: BackendMeasure[];
  accuracy?: AccuracyData;
}

async function timed<T>(f: () => Promise<T> | T): Promise<{ sample: Sample; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { sample: { wallMs, cpuMs: (c.user + c.system) / 1000 }, value };
}

function pickRows(x: Matrix, idx: readonly number[]): Matrix {
  const data = new Float64Array(idx.length * x.cols);
  idx.forEach((r, i) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
  return { rows: idx.length, cols: x.cols, data };
}

interface Inputs { bytes: Uint8Array; info: ModelInfo; data: FeatureData; bg: WeightedBackground; xe: Matrix; explainRows: number[] }

async function readInputs(dir: string): Promise<Inputs> {
  const bytes = readFileSync(join(dir, 'model.onnx'));
  const info = readModelInfo(bytes);
  if (!info.treeEnsemble) throw new Error(`${join(dir, 'model.onnx')} has no tree ensemble the explainers can read`);
  const data = toFeatureData(await loadTable(join(dir, 'data.csv')), info, { target: 'target' });
  const bgData = toFeatureData(await loadTable(join(dir, 'background.csv')), info, { featureNames: data.featureNames });
  const { explainRows } = JSON.parse(readFileSync(join(dir, 'explain.json'), 'utf8')) as { explainRows: number[] };
  return { bytes, info, data, bg: { x: bgData.x, weights: uniformWeights(bgData.x.rows) }, xe: pickRows(data.x, explainRows), explainRows };
}

async function load(inp: Inputs, backend: BackendName): Promise<CreatedPredictor> {
  const info = readModelInfo(inp.bytes);
  return createPredictor(inp.bytes, info, { backend, featureNames: inp.data.featureNames });
}

async function measureBackend(inp: Inputs, backend: BackendName, runs: number, kernelRuns: number): Promise<{ m: BackendMeasure; predictor: CreatedPredictor; kernelValues: number[][]; kernelBase: number }> {
  const e = inp.info.treeEnsemble as TreeEnsemble;
  const log = (s: string) => process.stderr.write(`  [${process.version} ${backend}] ${s}\n`);
  const loads: Sample[] = [];
  let predictor: CreatedPredictor | undefined;
  for (let i = 0; i <= runs; i++) {
    if (predictor) await predictor.close();
    const r = await timed(() => load(inp, backend));
    predictor = r.value;
    loads.push(r.sample);
  }
  const p = predictor!;
  log(`load cold ${loads[0].wallMs.toFixed(0)} ms; ${p.runtime}`);
  const permutation: Sample[] = [];
  let importance: { mean: number[]; std: number[]; baseline: number } | undefined;
  let permutationMethod: BackendMeasure['permutationMethod'];
  // As explainModel: class 1 positive and explained, the predictions call made first and reused.
  const piOpts = { repeats: REPEATS, seed: SEED, metric: 'auc' as const, positiveClass: p.explainedClass?.index ?? 1, classIndex: p.explainedClass?.index ?? 1 };
  for (let i = 0; i <= runs; i++) {
    const notes: string[] = [];
    const r = await timed(async () => permutationImportanceFor(p, inp.info, inp.data, await p.predict(inp.data.x), piOpts, notes));
    permutation.push(r.sample);
    permutationMethod = r.value.method;
    importance = { mean: r.value.mean, std: r.value.std, baseline: r.value.baseline };
    if (i === 0) for (const n of notes) log(n);
  }
  log(`permutation importance (${permutationMethod} path) ${permutation.map((s) => s.wallMs.toFixed(0)).join(', ')} ms`);
  const permutationModelCalls: Sample[] = [];
  for (let i = 0; i <= runs; i++) permutationModelCalls.push((await timed(() => permutationImportance(p, inp.data, piOpts))).sample);
  log(`permutation importance (model calls) ${permutationModelCalls.map((s) => s.wallMs.toFixed(0)).join(', ')} ms`);
  const tree: Sample[] = [], check: Sample[] = [];
  for (let i = 0; i <= runs; i++) {
    check.push((await timed(async () => { await p.predict(inp.xe); return evaluateEnsemble(e, inp.xe); })).sample);
    tree.push((await timed(() => treeShap(e, inp.xe, inp.bg))).sample);
  }
  log(`TreeSHAP ${tree.map((s) => s.wallMs.toFixed(1)).join(', ')} ms`);
  const budget = defaultBudget(inp.xe.cols);
  const kernel: Sample[] = [];
  let kv: Awaited<ReturnType<typeof kernelShap>> | undefined;
  for (let i = 0; i < kernelRuns; i++) {
    const r = await timed(() => kernelShap(p, inp.xe, inp.bg, { seed: SEED, budget, rowStreams: inp.explainRows }));
    kernel.push(r.sample);
    kv = r.value;
  }
  log(`KernelSHAP (${budget} coalitions) ${kernel.map((s) => s.wallMs.toFixed(0)).join(', ')} ms`);
  const proba = Array.from(await p.predict(inp.data.x));
  return {
    m: { backend, runtime: p.runtime, load: loads, permutation, permutationMethod, permutationModelCalls, treeShap: tree, treeCheck: check, kernel, kernelBudget: budget, proba, importance: importance! },
    predictor: p,
    kernelValues: kv?.values ?? [],
    kernelBase: kv?.baseValue ?? NaN,
  };
}

/**
 * TreeSHAP against exact Shapley values by enumeration, which 30 features rule out on the real game. A reduced
 * game keeps every path of the forest: for an explained row x, each background row z becomes x with only
 * `features` columns taken from z (the features with the largest TreeSHAP values). Then x and the background
 * differ in at most that many features, KernelSHAP enumerates every coalition (exact Shapley formula), and both
 * must agree to float precision. The game is played on the JS evaluation of the same trees (float64 sums), not
 * on the runtime, whose float32 outputs would put a 1e-7 floor under the difference.
 */
async function exactCheck(e: TreeEnsemble, inp: Inputs, treeValues: number[][], rows: number, features: number): Promise<AccuracyData['exact']> {
  const m = inp.xe.cols;
  const p = jsPredictor(e, inp.data.featureNames);
  const score = Array.from({ length: m }, (_, j) => treeValues.reduce((s, row) => s + Math.abs(row[j]), 0));
  const chosen = score.map((s, j) => ({ s, j })).sort((a, b) => b.s - a.s).slice(0, features).map((o) => o.j);
  let maxAbsDiff = 0, phiSum = 0, phiN = 0, coalitions = 0;
  for (let r = 0; r < Math.min(rows, inp.xe.rows); r++) {
    const x: Matrix = { rows: 1, cols: m, data: inp.xe.data.slice(r * m, (r + 1) * m) };
    const nb = inp.bg.x.rows;
    const data = new Float64Array(nb * m);
    for (let b = 0; b < nb; b++) {
      data.set(x.data, b * m);
      for (const j of chosen) data[b * m + j] = inp.bg.x.data[b * m + j];
    }
    const bg: WeightedBackground = { x: { rows: nb, cols: m, data }, weights: inp.bg.weights };
    const exact = await kernelShap(p, x, bg, { seed: SEED, exactMaxFeatures: features });
    if (exact.method !== 'kernel-exact') throw new Error('exact check: KernelSHAP did not enumerate every coalition');
    coalitions = 2 ** features - 2;
    const t = treeShap(e, x, bg);
    t.values[0].forEach((v, j) => {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - exact.values[0][j]));
      phiSum += Math.abs(v); phiN++;
    });
  }
  return { rows: Math.min(rows, inp.xe.rows), features, coalitions, maxAbsDiff, meanAbsPhi: phiSum / phiN };
}

/** The forest evaluated in JS (float64 sums of the leaves), as a Predictor of the class-1 probability. */
function jsPredictor(e: TreeEnsemble, featureNames: string[]): Predictor {
  return {
    featureNames,
    outputSpace: 'probability',
    async predict(x: Matrix): Promise<Float64Array> {
      const out = evaluateEnsemble(e, x).output;
      return Float64Array.from({ length: x.rows }, (_, r) => out.data[r * out.cols + (out.cols === 1 ? 0 : 1)]);
    },
    async close(): Promise<void> {},
  };
}

async function accuracy(inp: Inputs, p: CreatedPredictor, backend: BackendName, kernelValues: number[][], kernelBase: number, hbRows: number, hbBudget: number): Promise<AccuracyData> {
  const e = inp.info.treeEnsemble as TreeEnsemble;
  const t = treeShap(e, inp.xe, inp.bg);
  const runtimeOutputs = Array.from(await p.predict(inp.xe));
  const rows = Array.from({ length: Math.min(hbRows, inp.xe.rows) }, (_, i) => i);
  process.stderr.write(`  [${process.version} ${backend}] high-budget KernelSHAP: ${rows.length} rows × ${hbBudget} coalitions\n`);
  const hb = await timed(() => kernelShap(p, pickRows(inp.xe, rows), inp.bg, { seed: SEED + 1, budget: hbBudget, rowStreams: rows.map((r) => inp.explainRows[r]) }));
  const exact = await exactCheck(e, inp, t.values, 5, 10);
  return {
    backend,
    tree: { values: t.values, baseValue: t.baseValue, outputs: t.outputs },
    runtimeOutputs,
    kernel: { values: kernelValues, baseValue: kernelBase, budget: defaultBudget(inp.xe.cols) },
    highBudget: { rows, budget: hbBudget, values: hb.value.values, wallMs: hb.sample.wallMs, cpuMs: hb.sample.cpuMs },
    exact,
  };
}

function parseArgs(argv: string[]) {
  const o = { dir: '', out: '', label: `Node ${process.versions.node.split('.')[0]}`, runs: 5, kernelRuns: 1, backends: ['web', 'node'] as BackendName[], accuracy: false, hbRows: 3, hbBudget: 32768 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i] ?? '';
    if (a === '--dir') o.dir = v();
    else if (a === '--out') o.out = v();
    else if (a === '--label') o.label = v();
    else if (a === '--runs') o.runs = nonNegativeInt(v(), a);
    else if (a === '--kernel-runs') o.kernelRuns = nonNegativeInt(v(), a);
    else if (a === '--hb-rows') o.hbRows = nonNegativeInt(v(), a);
    else if (a === '--hb-budget') o.hbBudget = nonNegativeInt(v(), a);
    else if (a === '--accuracy') o.accuracy = true;
    else if (a === '--backends') {
      o.backends = v().split(',').filter(Boolean) as BackendName[];
      if (!o.backends.length || o.backends.some((b) => b !== 'web' && b !== 'node')) throw new Error('--backends takes web, node or web,node');
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!o.dir || !o.out) throw new Error('--dir and --out are required');
  return o;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const inp = await readInputs(o.dir);
  const result: MeasureResult = { label: o.label, version: process.version, backends: [] };
  let last: Awaited<ReturnType<typeof measureBackend>> | undefined;
  for (const b of o.backends) {
    if (last) await last.predictor.close();
    last = await measureBackend(inp, b, o.runs, Math.max(o.kernelRuns, o.accuracy ? 1 : 0));
    result.backends.push(last.m);
  }
  // Accuracy on the last backend measured (node when both are): the faster runtime for the high-budget run.
  if (o.accuracy && last) result.accuracy = await accuracy(inp, last.predictor, last.m.backend, last.kernelValues, last.kernelBase, o.hbRows, o.hbBudget);
  await last?.predictor.close();
  writeFileSync(o.out, JSON.stringify(result) + '\n');
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`explain measure failed: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
