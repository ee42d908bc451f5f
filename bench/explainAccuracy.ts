/**
 * Accuracy figures of the ExplainabilityReport benchmark, pure: how far SHAP values are from a reference, how
 * well they add up, and how two permutation importances (ours, scikit-learn's: different random streams) agree.
 */

/** Mean and largest |a − b| over all entries of two equally shaped matrices. */
export function absError(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): { mean: number; max: number } {
  if (a.length !== b.length) throw new Error(`absError: ${a.length} rows against ${b.length}`);
  let sum = 0, max = 0, n = 0;
  a.forEach((row, r) => {
    if (row.length !== b[r].length) throw new Error(`absError: row ${r} has ${row.length} values against ${b[r].length}`);
    row.forEach((v, j) => { const d = Math.abs(v - b[r][j]); sum += d; max = Math.max(max, d); n++; });
  });
  return { mean: n ? sum / n : 0, max };
}

/** Mean |v| over all entries: the scale the SHAP errors are read against. */
export function meanAbs(a: readonly (readonly number[])[]): number {
  let sum = 0, n = 0;
  for (const row of a) for (const v of row) { sum += Math.abs(v); n++; }
  return n ? sum / n : 0;
}

/** Largest |base + Σφ − f(x)| over the rows (SHAP's efficiency property; 0 for exact values). */
export function efficiencyResidual(values: readonly (readonly number[])[], baseValue: number, outputs: readonly number[]): number {
  if (values.length !== outputs.length) throw new Error(`efficiencyResidual: ${values.length} rows but ${outputs.length} outputs`);
  let worst = 0;
  values.forEach((row, r) => { worst = Math.max(worst, Math.abs(baseValue + row.reduce((s, v) => s + v, 0) - outputs[r])); });
  return worst;
}

/** Ranks 1..n, ties sharing their mean rank. */
export function ranks(xs: readonly number[]): number[] {
  const order = xs.map((v, i) => ({ v, i })).sort((p, q) => p.v - q.v);
  const out = new Array<number>(xs.length);
  for (let s = 0; s < order.length;) {
    let e = s;
    while (e + 1 < order.length && order[e + 1].v === order[s].v) e++;
    for (let k = s; k <= e; k++) out[order[k].i] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return out;
}

/** Spearman's rank correlation (Pearson on ranks); NaN when either side is constant. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length < 2) throw new Error(`spearman: needs two lists of equal length ≥ 2 (got ${a.length}, ${b.length})`);
  const ra = ranks(a), rb = ranks(b);
  const n = a.length, mean = (n + 1) / 2;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = ra[i] - mean, db = rb[i] - mean;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return saa && sbb ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Indices of the k largest values (ties: lower index first). */
export function topK(xs: readonly number[], k: number): number[] {
  return xs.map((v, i) => ({ v, i })).sort((p, q) => q.v - p.v || p.i - q.i).slice(0, k).map((e) => e.i);
}

export interface ImportanceAgreement {
  features: number;
  spearman: number;
  /** |top-k ours ∩ top-k reference|, k = `k`. */
  topOverlap: number;
  k: number;
  /** Features whose means differ by at most the combined sd √(sd₁² + sd₂²). */
  withinSd: number;
  /** Largest |Δmean| / combined sd over features with a non-zero combined sd. */
  worstSdRatio: number;
  /** Largest |Δmean| over all features. */
  maxAbsDiff: number;
}

/**
 * Two permutation importances of the same model on the same data, with different shuffles: they should agree
 * up to the shuffle noise each reports as its sd.
 */
export function compareImportance(ours: { mean: readonly number[]; std: readonly number[] }, ref: { mean: readonly number[]; std: readonly number[] }, k = 5): ImportanceAgreement {
  const n = ours.mean.length;
  if (ref.mean.length !== n || ours.std.length !== n || ref.std.length !== n) throw new Error(`compareImportance: feature counts differ (${n} against ${ref.mean.length})`);
  let withinSd = 0, worstSdRatio = 0, maxAbsDiff = 0;
  for (let j = 0; j < n; j++) {
    const d = Math.abs(ours.mean[j] - ref.mean[j]);
    const sd = Math.hypot(ours.std[j], ref.std[j]);
    maxAbsDiff = Math.max(maxAbsDiff, d);
    if (d <= sd) withinSd++;
    if (sd > 0) worstSdRatio = Math.max(worstSdRatio, d / sd);
  }
  const kk = Math.min(k, n);
  const a = new Set(topK(ours.mean, kk));
  const topOverlap = topK(ref.mean, kk).filter((i) => a.has(i)).length;
  return { features: n, spearman: spearman(ours.mean, ref.mean), topOverlap, k: kk, withinSd, worstSdRatio, maxAbsDiff };
}
