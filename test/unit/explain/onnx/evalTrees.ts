/** A direct JS evaluator of the extracted TreeEnsemble, as onnxruntime computes it, to check the extraction. */
import type { Tree, TreeEnsemble } from '../../../../shared/explain/types';

function test(mode: string, x: number, t: number): boolean {
  switch (mode) {
    case 'BRANCH_LEQ': return x <= t;
    case 'BRANCH_LT': return x < t;
    case 'BRANCH_GTE': return x >= t;
    case 'BRANCH_GT': return x > t;
    case 'BRANCH_EQ': return x === t;
    default: return x !== t;
  }
}

export function leafOf(tree: Tree, row: ArrayLike<number>, f32: boolean): number {
  let n = 0;
  while (tree.mode[n] !== 'LEAF') {
    const x = f32 ? Math.fround(row[tree.feature[n]]) : row[tree.feature[n]];
    const go = (Number.isNaN(x) && tree.missingTracksTrue[n] === 1) || test(tree.mode[n], x, tree.threshold[n]);
    n = go ? tree.trueChild[n] : tree.falseChild[n];
  }
  return n;
}

/** Raw scores per target (after aggregate and base values, before the post transform). */
export function rawScores(e: TreeEnsemble, row: ArrayLike<number>, f32 = true): number[] {
  const s = new Array<number>(e.targets).fill(0);
  const init = e.aggregate === 'MIN' ? Infinity : e.aggregate === 'MAX' ? -Infinity : 0;
  s.fill(init);
  for (const t of e.trees) {
    const leaf = leafOf(t, row, f32);
    for (let k = 0; k < e.targets; k++) {
      const v = t.leafValues[leaf * e.targets + k];
      s[k] = e.aggregate === 'MIN' ? Math.min(s[k], v) : e.aggregate === 'MAX' ? Math.max(s[k], v) : s[k] + v;
    }
  }
  return s.map((v, k) => (e.aggregate === 'AVERAGE' ? v / e.trees.length : v) + e.baseValues[k]);
}

const logistic = (v: number): number => 1 / (1 + Math.exp(-v));

/** Probability of class `cls` (classifiers) or the value of target 0 (regressors), as onnxruntime outputs it. */
export function predictOne(e: TreeEnsemble, row: ArrayLike<number>, cls = 1): number {
  const s = rawScores(e, row);
  if (e.op === 'TreeEnsembleRegressor') return s[0];
  if (e.targets === 1) {
    // Binary one-column: the score is the positive class's.
    const p = e.postTransform === 'LOGISTIC' ? logistic(s[0]) : s[0];
    return cls === 1 ? p : 1 - p;
  }
  if (e.postTransform === 'LOGISTIC') return logistic(s[cls]);
  if (e.postTransform === 'SOFTMAX') { const m = Math.max(...s); const z = s.map((v) => Math.exp(v - m)); return z[cls] / z.reduce((a, b) => a + b, 0); }
  return s[cls];
}
