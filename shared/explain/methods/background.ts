/**
 * The background (reference) data for SHAP: what "feature absent" is replaced with. At most `maxRows` rows
 * (default 100, the size shap recommends), chosen by a seeded sample or by k-means. Returned with weights that
 * sum to 1, which KernelSHAP, TreeSHAP and linear SHAP all honour (a k-means centre weighs its cluster's size).
 *
 * k-means: features are standardised for the distance (so a feature in large units does not dominate),
 * k-means++ seeding, Lloyd iterations until no row moves (at most 50); centres are cluster means in the original
 * units, then each value is moved to the nearest value that column takes in the data (as shap.kmeans does), so
 * integer codes and one-hot columns stay valid. Runs on a seeded sample of at most 2,000 rows to bound cost.
 * Rows with missing values (NaN) cannot be averaged: then it falls back to a sample and says so in `note`.
 */
import type { Matrix } from '../types';
import { createRng, sampleWithoutReplacement, type Rng } from './random';

export type BackgroundMethod = 'sample' | 'kmeans';

export interface Background {
  x: Matrix;
  /** One weight per row of x, summing to 1. */
  weights: Float64Array;
  method: 'all' | 'sample' | 'kmeans';
  /** Rows of the input used as is ('all' and 'sample'). */
  rowIndices?: number[];
  /** Why the result differs from what was asked (e.g. kmeans fell back to sample). */
  note?: string;
}

export interface BackgroundOptions {
  maxRows?: number;
  method?: BackgroundMethod;
  seed: number;
}

const KMEANS_MAX_ROWS = 2000;
const KMEANS_MAX_ITER = 50;

export function uniformWeights(n: number): Float64Array {
  return new Float64Array(n).fill(1 / n);
}

function pickRows(x: Matrix, idx: number[]): Matrix {
  const data = new Float64Array(idx.length * x.cols);
  idx.forEach((r, i) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
  return { rows: idx.length, cols: x.cols, data };
}

export function chooseBackground(x: Matrix, opts: BackgroundOptions): Background {
  const maxRows = opts.maxRows ?? 100;
  const method = opts.method ?? 'sample';
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new RangeError(`background rows must be a positive integer; got ${String(maxRows)}`);
  if (method !== 'sample' && method !== 'kmeans') throw new Error(`background method must be 'sample' or 'kmeans'; got '${String(method)}'`);
  if (x.rows === 0) throw new Error('the background data has no rows');
  if (x.rows <= maxRows) {
    const all = Array.from({ length: x.rows }, (_, i) => i);
    return { x: { rows: x.rows, cols: x.cols, data: Float64Array.from(x.data) }, weights: uniformWeights(x.rows), method: 'all', rowIndices: all };
  }
  const rng = createRng(opts.seed, 0xb6);
  if (method === 'kmeans') {
    if (x.data.some((v) => Number.isNaN(v))) {
      const s = sampleRows(x, maxRows, rng);
      return { ...s, note: 'k-means background needs complete rows and the data has missing values; used a seeded sample instead' };
    }
    return kmeansBackground(x, maxRows, rng);
  }
  return sampleRows(x, maxRows, rng);
}

function sampleRows(x: Matrix, k: number, rng: Rng): Background {
  const idx = sampleWithoutReplacement(x.rows, k, rng).sort((a, b) => a - b);
  return { x: pickRows(x, idx), weights: uniformWeights(k), method: 'sample', rowIndices: idx };
}

function kmeansBackground(full: Matrix, k: number, rng: Rng): Background {
  const x = full.rows > KMEANS_MAX_ROWS ? pickRows(full, sampleWithoutReplacement(full.rows, KMEANS_MAX_ROWS, rng)) : full;
  const { rows: n, cols: m } = x;
  // Standardised copy for distances.
  const scale = new Float64Array(m);
  const mean = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) { const v = x.data[i * m + j]; s += v; s2 += v * v; }
    mean[j] = s / n;
    const sd = Math.sqrt(Math.max(0, s2 / n - mean[j] * mean[j]));
    scale[j] = sd > 0 ? 1 / sd : 1;
  }
  const z = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) z[i * m + j] = (x.data[i * m + j] - mean[j]) * scale[j];
  const dist2 = (a: Float64Array, ai: number, b: Float64Array, bi: number): number => {
    let d = 0;
    for (let j = 0; j < m; j++) { const t = a[ai * m + j] - b[bi * m + j]; d += t * t; }
    return d;
  };
  // k-means++ seeding: each next centre drawn with probability proportional to squared distance.
  const centres = new Float64Array(k * m);
  const nearest = new Float64Array(n).fill(Infinity);
  let first = rng.int(n);
  let chosen = 0;
  for (; chosen < k; chosen++) {
    centres.set(z.subarray(first * m, first * m + m), chosen * m);
    let total = 0;
    for (let i = 0; i < n; i++) { nearest[i] = Math.min(nearest[i], dist2(z, i, centres, chosen)); total += nearest[i]; }
    if (total === 0) { chosen++; break; } // fewer distinct rows than k
    let r = rng.float() * total;
    first = n - 1;
    for (let i = 0; i < n; i++) { r -= nearest[i]; if (r < 0) { first = i; break; } }
  }
  const kk = chosen;
  const assign = new Int32Array(n).fill(-1);
  const counts = new Float64Array(kk);
  for (let iter = 0; iter < KMEANS_MAX_ITER; iter++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      let best = 0, bestD = Infinity;
      for (let c = 0; c < kk; c++) { const d = dist2(z, i, centres, c); if (d < bestD) { bestD = d; best = c; } }
      if (assign[i] !== best) { assign[i] = best; moved++; }
    }
    if (moved === 0 && iter > 0) break;
    counts.fill(0);
    const sums = new Float64Array(kk * m);
    for (let i = 0; i < n; i++) { counts[assign[i]]++; for (let j = 0; j < m; j++) sums[assign[i] * m + j] += z[i * m + j]; }
    for (let c = 0; c < kk; c++) if (counts[c] > 0) for (let j = 0; j < m; j++) centres[c * m + j] = sums[c * m + j] / counts[c];
  }
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[assign[i]]++;
  // Back to original units, snapped to values the column takes.
  const sortedCols: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = x.data[i * m + j];
    sortedCols.push(col.sort());
  }
  const keep: number[] = [];
  for (let c = 0; c < kk; c++) if (counts[c] > 0) keep.push(c);
  const data = new Float64Array(keep.length * m);
  const weights = new Float64Array(keep.length);
  keep.forEach((c, r) => {
    weights[r] = counts[c] / n;
    for (let j = 0; j < m; j++) data[r * m + j] = nearestValue(sortedCols[j], centres[c * m + j] / scale[j] + mean[j]);
  });
  return { x: { rows: keep.length, cols: m, data }, weights, method: 'kmeans' };
}

function nearestValue(sorted: Float64Array, v: number): number {
  let lo = 0, hi = sorted.length - 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < v) lo = mid + 1; else hi = mid; }
  if (lo > 0 && Math.abs(sorted[lo - 1] - v) <= Math.abs(sorted[lo] - v)) return sorted[lo - 1];
  return sorted[lo];
}
