/**
 * Permutation importance of an ai.onnx.ml tree ensemble from its own trees, without a model call per shuffle.
 *
 * Shuffling column j can move a row to another leaf of a tree only if the row's path there tests j. So every
 * row is walked once (its leaf in each tree), rows are grouped by leaf, and each leaf knows which features its
 * path tests (treePaths.ts). A shuffle of j looks only at rows in leaves whose path tests j (13 % of the
 * (tree, row) pairs on the benchmark's 100-tree forest over 30 features); a row stays put when its new x_j
 * answers j's tests on the path as before (an interval check), else it is walked down from the first node
 * testing j (5 % of the pairs there). A row whose leaf changed in any tree gets its output recomputed from all
 * its leaves in tree order, with the operations of ensembleRaw + evaluateEnsemble; other rows keep their
 * baseline output. So every shuffled prediction is bit-identical to evaluating the shuffled matrix.
 *
 * Shuffles, scoring and summary come from permutation.ts's `importanceOf`, shared with the model-call path: same
 * seed, same numbers. The numbers are in the predictor's output space (probability, margin or value), from the
 * column the predictor reads. Inputs are rounded to float32 first, as onnxruntime does with float tensors. The
 * caller proves that the trees reproduce the runtime (`runtimeOutputs`) before the result stands for the model.
 */
import type { FeatureData, Matrix, OutputSpace, PermutationImportance, TreeEnsemble } from '../types';
import { differenceText, disagreement } from './agreement';
import { checkImportanceData, importanceOf, type PermutationOptions } from './permutation';
import { featureUses, flattenTrees, inInterval, type FeatureUses, type FlatTrees } from './treePaths';
import { explainedTarget, outputColumns, outputRow, type EvalOptions, type ExplainedTarget } from './treeShap';

/** (tree, row) pairs kept in memory (two Int32 arrays of that length, 160 MB at most); beyond, model calls are used. */
export const MAX_TREE_ROW_PAIRS = 20_000_000;
/** Up to this many pairs, one-target ensembles also keep each pair's leaf value (8 bytes a pair) for faster re-sums. */
const LEAF_VALUE_PAIRS = 5_000_000;

export interface TreeOutputOptions extends EvalOptions {
  /** What the predictor returns; the shuffled outputs are computed in the same space. */
  outputSpace: OutputSpace;
  /** The predictor's class (classifiers) or target column; default as the predictor: column 0 / positive class. */
  classIndex?: number;
  /** Most (tree, row) pairs whose leaf values are laid out row by row (default 5,000,000); tests lower it. */
  leafValuePairs?: number;
}

/** The ensemble over fixed rows, answering "outputs with column j shuffled by perm" from the trees. */
export interface TreeRowModel {
  /** Outputs on the rows as they are. */
  readonly base: Float64Array;
  /** Outputs with column j replaced by x[perm[i]][j] in row i (a new array). */
  shuffled(j: number, perm: Int32Array): Float64Array;
  /** (tree, row) pairs re-walked so far, for tests and benchmarks. */
  readonly walked: number;
}

/** Why the tree path cannot take this ensemble on these rows, or undefined when it can. */
export function treePermutationUnsupported(e: TreeEnsemble, x: Pick<Matrix, 'rows' | 'cols'>): string | undefined {
  if (e.trees.length === 0) return 'the ensemble has no trees';
  if (x.rows * e.trees.length > MAX_TREE_ROW_PAIRS) {
    return `${x.rows} rows × ${e.trees.length} trees is more than the ${MAX_TREE_ROW_PAIRS.toLocaleString('en-US')} (tree, row) pairs it keeps in memory`;
  }
  for (const t of e.trees) {
    for (let i = 0; i < t.feature.length; i++) {
      if (t.feature[i] >= x.cols && t.mode[i] !== 'LEAF') return `a tree tests feature ${t.feature[i]} but the data has ${x.cols} columns`;
    }
  }
  return undefined;
}

/**
 * treeShap's goesTrue on the flat arrays, comparison first (BRANCH_LEQ, what scikit-learn exports, tried first).
 * Module-level on purpose: hot loops call one function, so the JIT inlines it once for every model.
 */
function goes(t: FlatTrees, g: number, v: number): boolean {
  const m = t.MODE[g], th = t.TH[g];
  if (m === 1 ? v <= th : m === 2 ? v < th : m === 3 ? v >= th : m === 4 ? v > th : m === 5 ? v === th : v !== th) return true;
  return v !== v && t.MISS[g] === 1;
}

/** Leaf of every (row, tree): leafOf[r * T + t], as a global node index. */
function leavesOf(t: FlatTrees, xs: Float64Array, rows: number, cols: number): Int32Array {
  const { MODE, F, TC, FC, roots } = t;
  const T = roots.length;
  const leafOf = new Int32Array(rows * T);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let k = 0; k < T; k++) {
      let i = roots[k];
      while (MODE[i] !== 0) i = goes(t, i, xs[o + F[i]]) ? TC[i] : FC[i];
      leafOf[r * T + k] = i;
    }
  }
  return leafOf;
}

/** Rows grouped by leaf: rowsAt[leafStart[g] .. leafStart[g + 1]). */
function rowsByLeaf(leafOf: Int32Array, total: number, rows: number, T: number): { leafStart: Int32Array; rowsAt: Int32Array } {
  const leafStart = new Int32Array(total + 1);
  for (let p = 0; p < leafOf.length; p++) leafStart[leafOf[p] + 1]++;
  for (let g = 0; g < total; g++) leafStart[g + 1] += leafStart[g];
  const rowsAt = new Int32Array(rows * T);
  const fill = leafStart.slice(0, total);
  for (let r = 0; r < rows; r++) for (let k = 0; k < T; k++) rowsAt[fill[leafOf[r * T + k]]++] = r;
  return { leafStart, rowsAt };
}

/** How a row's output derives from its leaves, exactly as ensembleRaw + evaluateEnsemble compute it. */
interface OutputPlan {
  e: TreeEnsemble;
  K: number;
  T: number;
  agg: TreeEnsemble['aggregate'];
  /** Margin space: offset + sign × raw[target]. */
  tgt?: ExplainedTarget;
  /** Output column read otherwise. */
  col: number;
  /**
   * SUM/AVERAGE and the number depends on one target `kt` only (one target; margin space; or no post transform,
   * as random forests' class probabilities): then the output is that target's sum of leaves.
   */
  single: boolean;
  kt: number;
  baseK: number;
  acc: Float64Array; raw: Float64Array; out: Float64Array;
}

function outputPlan(e: TreeEnsemble, opts: TreeOutputOptions): OutputPlan {
  const K = e.targets, T = e.trees.length, agg = e.aggregate;
  const tgt = opts.outputSpace === 'margin' ? explainedTarget(e, opts.classIndex) : undefined;
  const outCols = outputColumns(e);
  const col = outCols === 1 ? 0 : opts.classIndex ?? 0;
  if (!tgt && col >= outCols) throw new Error(`class index ${col} is out of range: the model outputs ${outCols} columns`);
  const single = (agg === 'SUM' || agg === 'AVERAGE') && (K === 1 || tgt !== undefined || (e.postTransform === 'NONE' && outCols === K));
  const kt = K === 1 ? 0 : tgt ? tgt.target : col;
  return { e, K, T, agg, tgt, col, single, kt, baseK: e.baseValues[kt] ?? 0, acc: new Float64Array(K), raw: new Float64Array(K), out: new Float64Array(outCols) };
}

/** The output from target kt's sum of leaves (single plans): the same operations, in the same order, as the general case. */
function finish(o: OutputPlan, a: number): number {
  const v = (o.agg === 'AVERAGE' ? a / o.T : a) + o.baseK;
  if (o.tgt) return o.tgt.offset + o.tgt.sign * v;
  if (o.K > 1) return v; // no post transform: the output column is the raw target
  o.raw[0] = v;
  outputRow(o.e, o.raw, o.out, 0);
  return o.out[o.col];
}

/** Row r's output from its leaves leafOf[r * T ...]. */
function rowValue(o: OutputPlan, LV: Float64Array, leafOf: Int32Array, r: number): number {
  const { K, T, agg, acc, raw } = o;
  if (o.single) {
    let a = 0;
    for (let p = r * T, end = p + T; p < end; p++) a += LV[leafOf[p] * K + o.kt];
    return finish(o, a);
  }
  acc.fill(agg === 'MIN' ? Infinity : agg === 'MAX' ? -Infinity : 0);
  for (let t = 0, p = r * T; t < T; t++, p++) {
    const lo = leafOf[p] * K;
    for (let k = 0; k < K; k++) {
      const v = LV[lo + k];
      if (agg === 'MIN') acc[k] = Math.min(acc[k], v);
      else if (agg === 'MAX') acc[k] = Math.max(acc[k], v);
      else acc[k] += v;
    }
  }
  for (let k = 0; k < K; k++) raw[k] = (agg === 'AVERAGE' ? acc[k] / Math.max(1, T) : acc[k]) + (o.e.baseValues[k] ?? 0);
  if (o.tgt) return o.tgt.offset + o.tgt.sign * raw[o.tgt.target];
  outputRow(o.e, raw, o.out, 0);
  return o.out[o.col];
}

class TreeRows implements TreeRowModel {
  readonly base: Float64Array;
  walked = 0;
  private readonly flat: FlatTrees;
  private readonly plan: OutputPlan;
  private readonly xs: Float64Array;
  private readonly rows: number;
  private readonly cols: number;
  private readonly leafOf: Int32Array;
  /** Single plans that fit: target kt's leaf value per (row, tree), laid out as leafOf, for fast re-sums. */
  private readonly val?: Float64Array;
  private readonly leafStart: Int32Array;
  private readonly rowsAt: Int32Array;
  private readonly uses: FeatureUses[];
  private readonly dirty: Int32Array;
  private readonly isDirty: Uint8Array;
  private readonly colJ: Float64Array;
  private readonly shuffledJ: Float64Array;
  private readonly changedAt: number[] = [];
  private readonly changedFrom: number[] = [];

  constructor(e: TreeEnsemble, x: Matrix, opts: TreeOutputOptions) {
    const why = treePermutationUnsupported(e, x);
    if (why) throw new Error(`permutation importance from the trees cannot take this model: ${why}`);
    this.flat = flattenTrees(e);
    this.plan = outputPlan(e, opts);
    this.rows = x.rows; this.cols = x.cols;
    const T = this.flat.roots.length;
    this.xs = (opts.float32Inputs ?? true) ? Float64Array.from(new Float32Array(x.data)) : x.data; // float32 rounding, natively
    this.leafOf = leavesOf(this.flat, this.xs, x.rows, x.cols);
    ({ leafStart: this.leafStart, rowsAt: this.rowsAt } = rowsByLeaf(this.leafOf, this.flat.total, x.rows, T));
    this.uses = featureUses(this.flat, x.cols, this.leafStart);
    if (this.plan.single && x.rows * T <= (opts.leafValuePairs ?? LEAF_VALUE_PAIRS)) {
      const val = new Float64Array(x.rows * T), { K, kt } = this.plan, LV = this.flat.LV, leafOf = this.leafOf;
      for (let p = 0; p < val.length; p++) val[p] = LV[leafOf[p] * K + kt];
      this.val = val;
    }
    this.base = new Float64Array(x.rows);
    for (let r = 0; r < x.rows; r++) this.base[r] = rowValue(this.plan, this.flat.LV, this.leafOf, r);
    this.dirty = new Int32Array(x.rows);
    this.isDirty = new Uint8Array(x.rows);
    this.colJ = new Float64Array(x.rows);
    this.shuffledJ = new Float64Array(x.rows);
  }

  shuffled(j: number, perm: Int32Array): Float64Array {
    const { rows, cols, xs, flat, leafOf, val, leafStart, rowsAt, dirty, isDirty, colJ, shuffledJ, changedAt, changedFrom, plan } = this;
    if (!(j >= 0 && j < cols) || perm.length !== rows) throw new Error(`shuffled(): column ${j} or permutation of ${perm.length} does not fit ${rows} × ${cols}`);
    const { MODE, F, TC, FC, LV, treeOf } = flat;
    const T = flat.roots.length, K = plan.K, kt = plan.kt;
    for (let r = 0; r < rows; r++) { colJ[r] = xs[r * cols + j]; shuffledJ[r] = xs[perm[r] * cols + j]; }
    let nDirty = 0, nChanged = 0, walked = 0;
    const { leaf, start, lo, hi, flags } = this.uses[j];
    for (let q = 0; q < leaf.length; q++) {
      const g = leaf[q], s = start[q], t = treeOf[g], l = lo[q], h = hi[q], fl = flags[q];
      for (let idx = leafStart[g], end = leafStart[g + 1]; idx < end; idx++) {
        const r = rowsAt[idx], v = shuffledJ[r];
        if (v === colJ[r] || inInterval(v, l, h, fl)) continue; // every test of j on the path answers as before
        walked++;
        const o = r * cols;
        let i = s;
        while (MODE[i] !== 0) { const f = F[i]; i = goes(flat, i, f === j ? v : xs[o + f]) ? TC[i] : FC[i]; }
        if (i === g) continue;
        const p = r * T + t;
        leafOf[p] = i;
        if (val) val[p] = LV[i * K + kt];
        changedAt[nChanged] = p; changedFrom[nChanged] = g; nChanged++;
        if (!isDirty[r]) { isDirty[r] = 1; dirty[nDirty++] = r; }
      }
    }
    this.walked += walked;
    const pred = this.base.slice();
    let d = 0;
    if (val) {
      // Four rows at a time: each row's sum keeps its order, and four independent chains of additions overlap.
      for (; d + 4 <= nDirty; d += 4) {
        const r0 = dirty[d], r1 = dirty[d + 1], r2 = dirty[d + 2], r3 = dirty[d + 3];
        const p0 = r0 * T, p1 = r1 * T, p2 = r2 * T, p3 = r3 * T;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (let t = 0; t < T; t++) { a0 += val[p0 + t]; a1 += val[p1 + t]; a2 += val[p2 + t]; a3 += val[p3 + t]; }
        pred[r0] = finish(plan, a0); pred[r1] = finish(plan, a1); pred[r2] = finish(plan, a2); pred[r3] = finish(plan, a3);
      }
    }
    for (; d < nDirty; d++) pred[dirty[d]] = rowValue(plan, LV, leafOf, dirty[d]);
    for (let k = 0; k < nDirty; k++) isDirty[dirty[k]] = 0;
    for (let c = 0; c < nChanged; c++) { const p = changedAt[c], g = changedFrom[c]; leafOf[p] = g; if (val) val[p] = LV[g * K + kt]; }
    return pred;
  }
}

export function treeRowModel(e: TreeEnsemble, x: Matrix, opts: TreeOutputOptions): TreeRowModel {
  return new TreeRows(e, x, opts);
}

export interface TreePermutationOptions extends PermutationOptions, TreeOutputOptions {
  /** The runtime's outputs on data.x: the trees must reproduce them (within 1e-4) or the result is `reason`. */
  runtimeOutputs?: ArrayLike<number>;
}

export type TreePermutationResult = { importance: PermutationImportance; walked: number } | { reason: string };

/**
 * Permutation importance from the trees (method 'tree'). Same shuffles and scoring as permutationImportance
 * with a predictor that evaluates these trees. Returns a reason instead when this path cannot take the model or
 * the trees do not reproduce `runtimeOutputs`; throws on bad data, with the messages of the model-call path.
 */
export async function treePermutationImportance(e: TreeEnsemble, data: FeatureData, opts: TreePermutationOptions): Promise<TreePermutationResult> {
  checkImportanceData(data, opts.repeats);
  let model: TreeRowModel;
  try {
    model = treeRowModel(e, data.x, opts);
  } catch (err) {
    return { reason: err instanceof Error ? err.message : String(err) };
  }
  if (opts.runtimeOutputs) {
    const d = disagreement(model.base, opts.runtimeOutputs);
    if (!(d <= 1)) return { reason: `the tree ensemble read from the graph does not reproduce the runtime's outputs (off by up to ${differenceText(model.base, opts.runtimeOutputs)})` };
  }
  const positiveClass = opts.positiveClass ?? opts.classIndex ?? 1;
  const importance = await importanceOf({ outputSpace: opts.outputSpace, base: () => model.base, shuffled: (j, perm) => model.shuffled(j, perm) }, data, { ...opts, positiveClass }, 'tree');
  return { importance, walked: model.walked };
}
