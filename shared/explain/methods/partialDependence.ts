/**
 * Partial dependence (Friedman 2001) by brute force, with ICE lines (Goldstein et al. 2015), as
 * scikit-learn's partial_dependence(method="brute") computes it: for each grid value, set the feature to it in
 * every row and average the predictions. Grid: the sorted unique values when there are fewer than
 * `gridResolution` (20), else `gridResolution` evenly spaced points between the 5 % and 95 % quantiles
 * (scipy mquantiles, alphap = betap = 0.4). Missing values (NaN) are left out of the grid. One model call per
 * feature (grid × rows); above `maxRows` rows a seeded sample of rows is used to bound that batch.
 */
import type { Matrix, PartialDependence, Predictor } from '../types';
import { checkFinitePredictions } from './metrics';
import { createRng, sampleWithoutReplacement } from './random';

export interface PartialDependenceOptions {
  seed: number;
  gridResolution?: number;
  /** Lower and upper quantile of the grid's range. */
  percentiles?: [number, number];
  /** ICE lines drawn for this many seeded rows (0 for none). Default 20. */
  iceRows?: number;
  /** Rows averaged; more are sampled down to this. Default 2000. */
  maxRows?: number;
}

/** scipy.stats.mstats.mquantiles with its defaults (alphap = betap = 0.4) on sorted values. */
export function mquantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 1) return sorted[0];
  const m = 0.4 + p * (1 - 0.4 - 0.4);
  const aleph = n * p + m;
  const k = Math.floor(Math.min(Math.max(aleph, 1), n - 1));
  const gamma = Math.min(Math.max(aleph - k, 0), 1);
  return (1 - gamma) * sorted[k - 1] + gamma * sorted[k];
}

export function pdGrid(values: ArrayLike<number>, resolution = 20, percentiles: [number, number] = [0.05, 0.95]): number[] {
  if (!Number.isInteger(resolution) || resolution < 2) throw new RangeError(`grid resolution must be an integer ≥ 2; got ${String(resolution)}`);
  const finite = Float64Array.from(Array.from(values).filter((v) => Number.isFinite(v))).sort();
  if (finite.length === 0) return [];
  const uniques: number[] = [];
  for (let i = 0; i < finite.length; i++) if (i === 0 || finite[i] !== finite[i - 1]) uniques.push(finite[i]);
  if (uniques.length < resolution) return uniques;
  const lo = mquantile(finite, percentiles[0]);
  const hi = mquantile(finite, percentiles[1]);
  if (lo === hi) return [lo];
  return Array.from({ length: resolution }, (_, i) => (i === resolution - 1 ? hi : lo + ((hi - lo) * i) / (resolution - 1)));
}

export async function partialDependence(predictor: Predictor, x: Matrix, feature: number, opts: PartialDependenceOptions): Promise<PartialDependence & { rowsUsed: number }> {
  if (!(Number.isInteger(feature) && feature >= 0 && feature < x.cols)) throw new RangeError(`feature index ${feature} is out of range (0..${x.cols - 1})`);
  const m = x.cols;
  const maxRows = opts.maxRows ?? 2000;
  const rng = createRng(opts.seed, 0x9d00 + feature);
  const rows = x.rows > maxRows ? sampleWithoutReplacement(x.rows, maxRows, rng).sort((a, b) => a - b) : Array.from({ length: x.rows }, (_, i) => i);
  const column = rows.map((r) => x.data[r * m + feature]);
  const grid = pdGrid(column, opts.gridResolution ?? 20, opts.percentiles);
  const n = rows.length;
  if (grid.length === 0) throw new Error(`feature ${predictor.featureNames[feature] ?? feature} has no finite values, so it has no partial dependence`);
  const data = new Float64Array(grid.length * n * m);
  for (let g = 0; g < grid.length; g++) {
    for (let i = 0; i < n; i++) {
      const off = (g * n + i) * m;
      data.set(x.data.subarray(rows[i] * m, rows[i] * m + m), off);
      data[off + feature] = grid[g];
    }
  }
  const pred = await predictor.predict({ rows: grid.length * n, cols: m, data });
  checkFinitePredictions(pred, 'the model (on the partial dependence grid)');
  const average = grid.map((_, g) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += pred[g * n + i];
    return s / n;
  });
  const nIce = Math.min(opts.iceRows ?? 20, n);
  const result: PartialDependence & { rowsUsed: number } = { grid, average, rowsUsed: n };
  if (nIce > 0) {
    const picks = sampleWithoutReplacement(n, nIce, rng).sort((a, b) => a - b);
    result.ice = picks.map((i) => grid.map((_, g) => pred[g * n + i]));
    result.iceRows = picks.map((i) => rows[i]);
  }
  return result;
}
