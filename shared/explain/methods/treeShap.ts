/**
 * ai.onnx.ml TreeEnsembleRegressor / TreeEnsembleClassifier: evaluation, and exact interventional TreeSHAP over a
 * weighted background (Lundberg et al. 2020, "From local explanations to global understanding with explainable
 * AI for trees", the interventional algorithm), written from the maths rather than ported:
 *
 * For one explained row x and one background row z, the game v(S) = f(x_S, z_¬S) of a tree is a sum over its
 * leaves. Along a leaf's path, take per feature whether x satisfies all of that feature's tests (a_f) and
 * whether z does (b_f). The hybrid row reaches the leaf iff every feature has a_f or b_f, and then iff S holds
 * every feature of X = {a_f ∧ ¬b_f} and none of Z = {¬a_f ∧ b_f}. The Shapley values of that indicator game are
 * +(|X|−1)!|Z|!/(|X|+|Z|)! for each feature in X and −|X|!(|Z|−1)!/(|X|+|Z|)! for each in Z. Summing leaf
 * value × those over leaves and weighted background rows gives exact SHAP values. The traversal (see treeShap)
 * walks, per explained row and tree, only the leaves some hybrid row can reach, with all background rows that
 * share a path prefix walked together: about trees × background × reachable leaves per explained row.
 *
 * Output space: the raw aggregate (sum or average of leaves plus base_values) of the explained target. With
 * post_transform NONE that is the model's output (probabilities for forests whose leaves hold them); otherwise
 * it is the margin, reported as such. MIN/MAX aggregation is not additive: `treeShapUnsupported` says so.
 */
import type { Matrix, OutputSpace, Tree, TreeEnsemble } from '../types';
import type { WeightedBackground } from './kernelShap';

export interface EvalOptions {
  /** Round inputs to float32 before the tests, as onnxruntime does with float tensors (default true). */
  float32Inputs?: boolean;
}

const MODES: Record<string, number> = { LEAF: 0, BRANCH_LEQ: 1, BRANCH_LT: 2, BRANCH_GTE: 3, BRANCH_GT: 4, BRANCH_EQ: 5, BRANCH_NEQ: 6 };

export interface Compiled {
  mode: Int8Array;
  root: number;
  tree: Tree;
}

/** A tree checked (modes known, children in range) with its root found; throws naming the bad node. */
export function compileTree(tree: Tree, index: number): Compiled {
  const n = tree.feature.length;
  const mode = new Int8Array(n);
  const isChild = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const code = MODES[tree.mode[i]];
    if (code === undefined) throw new Error(`tree ${index} node ${i}: unknown node mode '${tree.mode[i]}'`);
    mode[i] = tree.feature[i] < 0 ? 0 : code;
    if (mode[i] !== 0) {
      for (const c of [tree.trueChild[i], tree.falseChild[i]]) {
        if (!(c >= 0 && c < n)) throw new Error(`tree ${index} node ${i}: child ${c} is not a node of the tree`);
        isChild[c] = 1;
      }
    }
  }
  let root = -1;
  for (let i = 0; i < n && root < 0; i++) if (!isChild[i]) root = i;
  if (root < 0) throw new Error(`tree ${index} has no root (every node is some node's child)`);
  return { mode, root, tree };
}

/** Whether value v takes the true branch at node i. */
function goesTrue(t: Tree, mode: Int8Array, i: number, v: number): boolean {
  if (v !== v && t.missingTracksTrue[i]) return true;
  const th = t.threshold[i];
  switch (mode[i]) {
    case 1: return v <= th;
    case 2: return v < th;
    case 3: return v >= th;
    case 4: return v > th;
    case 5: return v === th;
    default: return v !== th;
  }
}

function leafOf(c: Compiled, row: ArrayLike<number>, off: number, f32: boolean): number {
  const t = c.tree;
  let i = c.root;
  while (c.mode[i] !== 0) {
    const raw = row[off + t.feature[i]];
    i = goesTrue(t, c.mode, i, f32 ? Math.fround(raw) : raw) ? t.trueChild[i] : t.falseChild[i];
  }
  return i;
}

function isBinaryOneColumn(e: TreeEnsemble): boolean {
  return e.op === 'TreeEnsembleClassifier' && e.targets === 1;
}

/** Raw scores (rows × targets): aggregate of the trees plus base values, before the post transform. */
export function ensembleRaw(e: TreeEnsemble, x: Matrix, opts: EvalOptions = {}): Matrix {
  const f32 = opts.float32Inputs ?? true;
  const k = e.targets;
  const comp = e.trees.map(compileTree);
  const out = new Float64Array(x.rows * k);
  const acc = new Float64Array(k);
  for (let r = 0; r < x.rows; r++) {
    acc.fill(e.aggregate === 'MIN' ? Infinity : e.aggregate === 'MAX' ? -Infinity : 0);
    for (const c of comp) {
      const leaf = leafOf(c, x.data, r * x.cols, f32);
      for (let t = 0; t < k; t++) {
        const v = c.tree.leafValues[leaf * k + t];
        if (e.aggregate === 'MIN') acc[t] = Math.min(acc[t], v);
        else if (e.aggregate === 'MAX') acc[t] = Math.max(acc[t], v);
        else acc[t] += v;
      }
    }
    for (let t = 0; t < k; t++) {
      const v = e.aggregate === 'AVERAGE' ? acc[t] / Math.max(1, comp.length) : acc[t];
      out[r * k + t] = v + (e.baseValues[t] ?? 0);
    }
  }
  return { rows: x.rows, cols: k, data: out };
}

const logistic = (v: number) => 1 / (1 + Math.exp(-v));

/** Inverse error function (Giles 2010 single-precision approximation, refined by two Newton steps). */
function erfinv(y: number): number {
  if (y <= -1) return -Infinity;
  if (y >= 1) return Infinity;
  let w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 5) {
    w -= 2.5;
    x = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]) x = c + x * w;
  } else {
    w = Math.sqrt(w) - 3;
    x = -0.000200214257;
    for (const c of [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]) x = c + x * w;
  }
  x *= y;
  for (let i = 0; i < 2; i++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for Newton; use the series / continued fraction split.
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let sum = x, term = x;
    for (let n = 1; n < 60; n++) { term *= (-x * x) / n; sum += term / (2 * n + 1); }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (ax + f);
  const r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return x < 0 ? -r : r;
}

function transform(e: TreeEnsemble, raw: Float64Array): Float64Array {
  const k = raw.length;
  switch (e.postTransform) {
    case 'NONE': return raw;
    case 'LOGISTIC': return raw.map(logistic);
    case 'PROBIT': return raw.map((v) => Math.SQRT2 * erfinv(2 * v - 1));
    default: {
      const zero = e.postTransform === 'SOFTMAX_ZERO';
      let mx = -Infinity;
      for (let t = 0; t < k; t++) if (!zero || raw[t] !== 0) mx = Math.max(mx, raw[t]);
      const out = new Float64Array(k);
      let s = 0;
      for (let t = 0; t < k; t++) if (!zero || raw[t] !== 0) { out[t] = Math.exp(raw[t] - mx); s += out[t]; }
      for (let t = 0; t < k; t++) out[t] = s > 0 ? out[t] / s : 0;
      return out;
    }
  }
}

/**
 * The model's outputs: `raw` (rows × targets) and `output` after the post transform. A binary classifier with
 * one score column s is expanded to two columns as onnxruntime does: LOGISTIC → [σ(−s), σ(s)],
 * otherwise [1 − t(s), t(s)].
 */
export function evaluateEnsemble(e: TreeEnsemble, x: Matrix, opts: EvalOptions = {}): { raw: Matrix; output: Matrix } {
  const raw = ensembleRaw(e, x, opts);
  const cols = outputColumns(e);
  const out = new Float64Array(x.rows * cols);
  for (let r = 0; r < x.rows; r++) outputRow(e, raw.data.subarray(r * e.targets, (r + 1) * e.targets), out, r * cols);
  return { raw, output: { rows: x.rows, cols, data: out } };
}

/** Columns of the model's output: the targets, or 2 for a binary one-column classifier. */
export function outputColumns(e: TreeEnsemble): number {
  return isBinaryOneColumn(e) ? 2 : e.targets;
}

/** One row's output after the post transform (see evaluateEnsemble), written to out[at …]. */
export function outputRow(e: TreeEnsemble, s: Float64Array, out: Float64Array, at: number): void {
  if (isBinaryOneColumn(e)) {
    if (e.postTransform === 'LOGISTIC') { out[at] = logistic(-s[0]); out[at + 1] = logistic(s[0]); }
    else { const p = transform(e, s)[0]; out[at] = 1 - p; out[at + 1] = p; }
  } else {
    out.set(transform(e, s), at);
  }
}

/** Which raw target a class index (or regression target) is, and how the explained number derives from it. */
export interface ExplainedTarget {
  target: number;
  /** explained = offset + sign × raw[target] */
  sign: 1 | -1;
  offset: number;
  outputSpace: OutputSpace;
}

export function explainedTarget(e: TreeEnsemble, classIndex?: number): ExplainedTarget {
  const regressor = e.op === 'TreeEnsembleRegressor';
  const space: OutputSpace = e.postTransform !== 'NONE' ? 'margin' : regressor ? 'value' : 'probability';
  if (isBinaryOneColumn(e)) {
    const c = classIndex ?? 1;
    if (c !== 0 && c !== 1) throw new Error(`class index ${c} is out of range for a binary classifier (0 or 1)`);
    if (c === 1) return { target: 0, sign: 1, offset: 0, outputSpace: space };
    // Class 0: 1 − p in probability space; −s in margin space (σ(−s)).
    return { target: 0, sign: -1, offset: space === 'margin' ? 0 : 1, outputSpace: space };
  }
  const t = classIndex ?? (regressor ? 0 : Math.min(1, e.targets - 1));
  if (!(Number.isInteger(t) && t >= 0 && t < e.targets)) throw new Error(`target/class index ${t} is out of range: the ensemble has ${e.targets} targets`);
  return { target: t, sign: 1, offset: 0, outputSpace: space };
}

/** Why TreeSHAP cannot explain this ensemble, or undefined when it can. */
export function treeShapUnsupported(e: TreeEnsemble): string | undefined {
  if (e.aggregate === 'MIN' || e.aggregate === 'MAX') return `aggregate ${e.aggregate} is not additive over trees`;
  if (e.trees.length === 0) return 'the ensemble has no trees';
  return undefined;
}

/** Directions of the background rows: bgTrue[node * rows + b] = 1 when row b takes node's true branch. */
function backgroundDirections(c: Compiled, bg: WeightedBackground, f32: boolean): Uint8Array {
  const t = c.tree;
  const nb = bg.x.rows, m = bg.x.cols;
  const n = t.feature.length;
  const dirs = new Uint8Array(n * nb);
  for (let i = 0; i < n; i++) {
    if (c.mode[i] === 0) continue;
    const f = t.feature[i];
    if (f >= m) throw new Error(`a tree tests feature ${f} but the data has ${m} columns`);
    for (let b = 0; b < nb; b++) {
      const raw = bg.x.data[b * m + f];
      dirs[i * nb + b] = goesTrue(t, c.mode, i, f32 ? Math.fround(raw) : raw) ? 1 : 0;
    }
  }
  return dirs;
}

function treeDepth(c: Compiled): number {
  const t = c.tree;
  let best = 0;
  const stack: number[] = [c.root, 0];
  while (stack.length) {
    const d = stack.pop()!, i = stack.pop()!;
    if (c.mode[i] === 0) { best = Math.max(best, d); continue; }
    stack.push(t.trueChild[i], d + 1, t.falseChild[i], d + 1);
  }
  return best;
}

/** plus[n * (N + 1) + nx] = (nx−1)!(n−nx)!/n!, minus[...] = nx!(n−nx−1)!/n!, for n ≤ N. */
function coefficientTables(N: number): { plus: Float64Array; minus: Float64Array } {
  const fact = [1];
  for (let i = 1; i <= N; i++) fact.push(fact[i - 1] * i);
  const plus = new Float64Array((N + 1) * (N + 1));
  const minus = new Float64Array((N + 1) * (N + 1));
  for (let n = 1; n <= N; n++) {
    for (let nx = 0; nx <= n; nx++) {
      const nz = n - nx;
      if (nx > 0) plus[n * (N + 1) + nx] = (fact[nx - 1] * fact[nz]) / fact[n];
      if (nz > 0) minus[n * (N + 1) + nx] = (fact[nx] * fact[nz - 1]) / fact[n];
    }
  }
  return { plus, minus };
}

export interface TreeShapOptions extends EvalOptions {
  /** Class (classifiers) or target (multi-target regressors) explained; default: positive class / target 0. */
  classIndex?: number;
}

export interface TreeShapResult {
  values: number[][];
  baseValue: number;
  outputs: number[];
  outputSpace: OutputSpace;
}

/**
 * The traversal: for one explained row and one tree, all background rows start at the root as one group. At a
 * node testing a feature with no role yet, the rows that go where x goes stay as they are; the others split
 * into "feature from x" (they follow x, the feature joins X) and "feature from z" (they follow their own way,
 * the feature joins Z). A feature already in X follows x; one in Z follows each row. Groups are index ranges
 * of one buffer, partitioned in place, so shared path prefixes are walked once for all rows that share them.
 * At a leaf, the group's weight × leaf value × the indicator game's Shapley values is added to φ.
 */
export function treeShap(e: TreeEnsemble, x: Matrix, background: WeightedBackground, opts: TreeShapOptions = {}): TreeShapResult {
  const why = treeShapUnsupported(e);
  if (why) throw new Error(`TreeSHAP cannot explain this ensemble: ${why}`);
  if (background.x.cols !== x.cols) throw new Error(`background has ${background.x.cols} columns but the explained rows have ${x.cols}`);
  const f32 = opts.float32Inputs ?? true;
  const tgt = explainedTarget(e, opts.classIndex);
  const comp = e.trees.map(compileTree);
  const scale = (e.aggregate === 'AVERAGE' ? 1 / comp.length : 1) * tgt.sign;
  const bgDirs = comp.map((c) => backgroundDirections(c, background, f32));
  const depth = Math.max(1, ...comp.map(treeDepth));
  if (depth > 170) throw new Error(`a tree is ${depth} levels deep; TreeSHAP here handles at most 170`);
  const N = depth;
  const { plus, minus } = coefficientTables(N);

  const explained = (raw: Matrix, r: number) => tgt.offset + tgt.sign * raw.data[r * e.targets + tgt.target];
  const bgRaw = ensembleRaw(e, background.x, opts);
  let baseValue = 0;
  for (let b = 0; b < background.x.rows; b++) baseValue += background.weights[b] * explained(bgRaw, b);
  const xRaw = ensembleRaw(e, x, opts);

  // All trees flattened into one node space, so the traversal reads only constant typed arrays.
  const m = x.cols, nb = background.x.rows, K = e.targets, target = tgt.target;
  const total = comp.reduce((a, c) => a + c.mode.length, 0);
  const F = new Int32Array(total), TH = new Float64Array(total), MODE = new Int8Array(total), MISS = new Uint8Array(total);
  const TC = new Int32Array(total), FC = new Int32Array(total), LV = new Float64Array(total);
  const ZD = new Uint8Array(total * nb);
  const roots = new Int32Array(comp.length);
  let base = 0;
  comp.forEach((c, ti) => {
    const tr = c.tree;
    roots[ti] = base + c.root;
    for (let i = 0; i < c.mode.length; i++) {
      const g = base + i;
      MODE[g] = c.mode[i];
      if (c.mode[i] === 0) { LV[g] = tr.leafValues[i * K + target] * scale; continue; }
      F[g] = tr.feature[i]; TH[g] = tr.threshold[i]; MISS[g] = tr.missingTracksTrue[i];
      TC[g] = base + tr.trueChild[i]; FC[g] = base + tr.falseChild[i];
    }
    ZD.set(bgDirs[ti], base * nb);
    base += c.mode.length;
  });
  const weights = background.weights;
  const rows = new Int32Array(nb);
  const state = new Int8Array(m); // 0: no role, 1: in X (value from x), 2: in Z (value from z)
  const xList = new Int32Array(N + 1), zList = new Int32Array(N + 1);
  const phi = new Float64Array(m);
  const xr = new Float64Array(m);
  const stride = N + 1;

  const xGoesTrue = (g: number): number => {
    const v = xr[F[g]];
    if (v !== v && MISS[g]) return 1;
    const th = TH[g];
    switch (MODE[g]) {
      case 1: return v <= th ? 1 : 0;
      case 2: return v < th ? 1 : 0;
      case 3: return v >= th ? 1 : 0;
      case 4: return v > th ? 1 : 0;
      case 5: return v === th ? 1 : 0;
      default: return v !== th ? 1 : 0;
    }
  };

  // Moves rows whose direction at node g equals `dir` to the front of [s, end); returns the split point.
  const partition = (g: number, s: number, end: number, dir: number): number => {
    let i = s, j = end - 1;
    const at = g * nb;
    while (i <= j) {
      if (ZD[at + rows[i]] === dir) i++;
      else { const tmp = rows[i]; rows[i] = rows[j]; rows[j] = tmp; j--; }
    }
    return i;
  };

  const visit = (g: number, s: number, end: number, nX: number, nZ: number): void => {
    if (MODE[g] === 0) {
      const n = nX + nZ;
      const v = LV[g];
      if (n === 0 || v === 0) return;
      let w = 0;
      for (let i = s; i < end; i++) w += weights[rows[i]];
      const vw = v * w;
      if (nX > 0) { const cp = vw * plus[n * stride + nX]; for (let k = 0; k < nX; k++) phi[xList[k]] += cp; }
      if (nZ > 0) { const cm = vw * minus[n * stride + nX]; for (let k = 0; k < nZ; k++) phi[zList[k]] -= cm; }
      return;
    }
    const f = F[g];
    const st = state[f];
    const xTrue = xGoesTrue(g);
    const xChild = xTrue ? TC[g] : FC[g];
    if (st === 1) { visit(xChild, s, end, nX, nZ); return; }
    if (st === 2) {
      const mid = partition(g, s, end, 1);
      if (mid > s) visit(TC[g], s, mid, nX, nZ);
      if (end > mid) visit(FC[g], mid, end, nX, nZ);
      return;
    }
    const mid = partition(g, s, end, xTrue);
    if (mid > s) visit(xChild, s, mid, nX, nZ);
    if (end > mid) {
      state[f] = 1; xList[nX] = f;
      visit(xChild, mid, end, nX + 1, nZ);
      state[f] = 2; zList[nZ] = f;
      visit(xTrue ? FC[g] : TC[g], mid, end, nX, nZ + 1);
      state[f] = 0;
    }
  };

  const values: number[][] = [];
  for (let r = 0; r < x.rows; r++) {
    phi.fill(0);
    for (let j = 0; j < m; j++) { const v = x.data[r * m + j]; xr[j] = f32 ? Math.fround(v) : v; }
    for (let ti = 0; ti < roots.length; ti++) {
      for (let b = 0; b < nb; b++) rows[b] = b;
      visit(roots[ti], 0, nb, 0, 0);
    }
    values.push(Array.from(phi));
  }
  const outputs = Array.from({ length: x.rows }, (_, r) => explained(xRaw, r));
  return { values, baseValue, outputs, outputSpace: tgt.outputSpace };
}
