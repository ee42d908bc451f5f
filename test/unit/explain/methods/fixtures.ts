/** Test models: JS functions behind the Predictor interface, random matrices and random tree ensembles. */
import type { Matrix, OutputSpace, Predictor, Tree, TreeEnsemble } from '../../../../shared/explain/types';
import { createRng, type Rng } from '../../../../shared/explain/methods/random';
import { evaluateEnsemble, ensembleRaw } from '../../../../shared/explain/methods/treeShap';

export interface CountingPredictor extends Predictor {
  calls: number;
  rowsSeen: number;
}

export function fnPredictor(featureNames: string[], f: (row: Float64Array) => number, outputSpace: OutputSpace = 'value'): CountingPredictor {
  const p: CountingPredictor = {
    featureNames,
    outputSpace,
    calls: 0,
    rowsSeen: 0,
    async predict(x: Matrix) {
      p.calls++;
      p.rowsSeen += x.rows;
      const out = new Float64Array(x.rows);
      for (let r = 0; r < x.rows; r++) out[r] = f(x.data.subarray(r * x.cols, (r + 1) * x.cols));
      return out;
    },
    async close() {},
  };
  return p;
}

/** A predictor over a whole matrix at once (for ensembles). */
export function matrixPredictor(featureNames: string[], f: (x: Matrix) => Float64Array, outputSpace: OutputSpace): CountingPredictor {
  const p: CountingPredictor = {
    featureNames, outputSpace, calls: 0, rowsSeen: 0,
    async predict(x: Matrix) { p.calls++; p.rowsSeen += x.rows; return f(x); },
    async close() {},
  };
  return p;
}

export const names = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`);

export function randomMatrix(rng: Rng, rows: number, cols: number, gen: (rng: Rng, j: number) => number = (r) => r.float() * 4 - 2): Matrix {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = gen(rng, j);
  return { rows, cols, data };
}

/** Small-integer features with some missing values, so EQ/NEQ tests and missing-value routing both happen. */
export function discreteMatrix(rng: Rng, rows: number, cols: number, nanRate = 0.1): Matrix {
  return randomMatrix(rng, rows, cols, (r) => (r.float() < nanRate ? NaN : r.int(5)));
}

const MODES = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ'];

export interface RandomTreeSpec {
  features: number;
  maxDepth: number;
  targets: number;
  /** Leaf values in [0, 1) (probability-style) instead of [−1, 1). */
  positiveLeaves?: boolean;
  /** Only ≤ / < tests with continuous thresholds (for fast, realistic timing ensembles). */
  continuous?: boolean;
}

export function randomTree(rng: Rng, spec: RandomTreeSpec): Tree {
  const feature: number[] = [], threshold: number[] = [], mode: string[] = [], tc: number[] = [], fc: number[] = [], miss: number[] = [], leaf: number[] = [];
  const add = (depth: number): number => {
    const id = feature.length;
    feature.push(-1); threshold.push(0); mode.push('LEAF'); tc.push(-1); fc.push(-1); miss.push(0);
    for (let t = 0; t < spec.targets; t++) leaf.push(0);
    const isLeaf = depth >= spec.maxDepth || (depth > 0 && !spec.continuous && rng.float() < 0.2);
    if (isLeaf) {
      for (let t = 0; t < spec.targets; t++) leaf[id * spec.targets + t] = spec.positiveLeaves ? rng.float() : rng.float() * 2 - 1;
      return id;
    }
    feature[id] = rng.int(spec.features);
    if (spec.continuous) { threshold[id] = Math.fround(rng.float() * 4 - 2); mode[id] = rng.int(2) ? 'BRANCH_LEQ' : 'BRANCH_LT'; }
    else { threshold[id] = rng.int(9) / 2; mode[id] = MODES[rng.int(MODES.length)]; }
    miss[id] = rng.int(2);
    const t = add(depth + 1);
    const f = add(depth + 1);
    tc[id] = t; fc[id] = f;
    return id;
  };
  add(0);
  return {
    feature: Int32Array.from(feature), threshold: Float64Array.from(threshold), mode,
    trueChild: Int32Array.from(tc), falseChild: Int32Array.from(fc), missingTracksTrue: Uint8Array.from(miss), leafValues: Float64Array.from(leaf),
  };
}

export function randomEnsemble(seed: number, o: Omit<Partial<TreeEnsemble>, 'trees'> & { trees: number; spec: RandomTreeSpec }): TreeEnsemble {
  const rng = createRng(seed, 77);
  const targets = o.spec.targets;
  return {
    op: o.op ?? 'TreeEnsembleRegressor',
    trees: Array.from({ length: o.trees }, () => randomTree(rng, o.spec)),
    targets,
    baseValues: o.baseValues ?? Float64Array.from({ length: targets }, () => rng.float() - 0.5),
    aggregate: o.aggregate ?? 'SUM',
    postTransform: o.postTransform ?? 'NONE',
    inputName: 'X',
  };
}

/** The ensemble as a predictor of raw column `target` (times sign plus offset), or of its transformed output column. */
export function ensemblePredictor(e: TreeEnsemble, m: number, pick: { raw?: number; output?: number; sign?: number; offset?: number }, space: OutputSpace): CountingPredictor {
  return matrixPredictor(names(m), (x) => {
    if (pick.output !== undefined) {
      const out = evaluateEnsemble(e, x).output;
      return Float64Array.from({ length: x.rows }, (_, r) => out.data[r * out.cols + pick.output!]);
    }
    const raw = ensembleRaw(e, x);
    return Float64Array.from({ length: x.rows }, (_, r) => (pick.offset ?? 0) + (pick.sign ?? 1) * raw.data[r * raw.cols + pick.raw!]);
  }, space);
}

export function maxAbsDiff(a: number[][], b: number[][]): number {
  let d = 0;
  a.forEach((row, i) => row.forEach((v, j) => { d = Math.max(d, Math.abs(v - b[i][j])); }));
  return d;
}

export function efficiencyResidual(values: number[][], base: number, outputs: number[]): number {
  let worst = 0;
  values.forEach((row, i) => { worst = Math.max(worst, Math.abs(base + row.reduce((a, v) => a + v, 0) - outputs[i])); });
  return worst;
}
