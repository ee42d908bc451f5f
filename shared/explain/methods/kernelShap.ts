/**
 * Interventional KernelSHAP (Lundberg & Lee 2017): v(S) = Σ_b w_b f(x_S, b_¬S) over a weighted background, and
 * the Shapley values of that game.
 *
 * - Exact: when the features that vary (x_j differs from some background value) number at most
 *   `exactMaxFeatures` (default 11, i.e. 2^11 − 2 = 2,046 coalitions, what shap's default budget enumerates), or
 *   the budget covers every coalition, all coalitions are evaluated and φ comes from the Shapley formula
 *   φ_j = Σ_{S ∌ j} |S|!(M−|S|−1)!/M! · (v(S ∪ j) − v(S)).
 * - Sampled: otherwise, `budget` coalitions (default 2M + 2048) chosen as shap's KernelExplainer does: subset
 *   sizes enumerated completely, smallest first, while the budget affords them, the rest drawn by size with the
 *   Shapley kernel weights, each draw paired with its complement; duplicates add weight. φ is the weighted least
 *   squares fit with the constraint Σφ = f(x) − E f imposed by eliminating one variable, so efficiency holds to
 *   float precision. No L1 feature selection (shap's l1_reg="auto" can differ at small budgets).
 * Features that do not vary get φ = 0. One model call per explained row (all its coalitions × background rows);
 * a row's batch is split only above `maxBatchValues` values (default 2^23 ≈ 8.4 M, i.e. 64 MB of float64).
 */
import type { Matrix, Predictor } from '../types';
import { checkFinitePredictions } from './metrics';
import { createRng, sampleWithoutReplacement, type Rng } from './random';

export interface WeightedBackground { x: Matrix; weights: Float64Array }

export interface KernelShapOptions {
  seed: number;
  exactMaxFeatures?: number;
  budget?: number;
  maxBatchValues?: number;
  /** Random stream per explained row (use the rows' indices in the data, so a row's values do not depend on which other rows are explained). */
  rowStreams?: number[];
}

export interface KernelShapResult {
  values: number[][];
  baseValue: number;
  outputs: number[];
  method: 'kernel-exact' | 'kernel-sampled';
  /** Sampled: the most coalitions evaluated for one row. */
  samples?: number;
}

export const DEFAULT_EXACT_MAX_FEATURES = 11;
export const DEFAULT_MAX_BATCH_VALUES = 2 ** 23;

export function defaultBudget(features: number): number {
  return 2 * features + 2048;
}

const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

export async function kernelShap(predictor: Predictor, x: Matrix, background: WeightedBackground, opts: KernelShapOptions): Promise<KernelShapResult> {
  const m = x.cols;
  const bg = background.x;
  if (bg.cols !== m) throw new Error(`background has ${bg.cols} columns but the explained rows have ${m}`);
  if (background.weights.length !== bg.rows) throw new Error('background weights do not match its rows');
  const exactMax = opts.exactMaxFeatures ?? DEFAULT_EXACT_MAX_FEATURES;
  const maxBatch = opts.maxBatchValues ?? DEFAULT_MAX_BATCH_VALUES;
  const bgPred = await predictor.predict(bg);
  checkFinitePredictions(bgPred, 'the model (on the background)');
  let baseValue = 0;
  for (let b = 0; b < bg.rows; b++) baseValue += background.weights[b] * bgPred[b];
  const fx = await predictor.predict(x);
  checkFinitePredictions(fx, 'the model (on the explained rows)');

  const values: number[][] = [];
  let anySampled = false;
  let maxSamples = 0;
  for (let r = 0; r < x.rows; r++) {
    const row = x.data.subarray(r * m, (r + 1) * m);
    const players: number[] = [];
    for (let j = 0; j < m; j++) {
      for (let b = 0; b < bg.rows; b++) if (!same(bg.data[b * m + j], row[j])) { players.push(j); break; }
    }
    const phi = new Array<number>(m).fill(0);
    const p = players.length;
    const total = fx[r] - baseValue;
    if (p === 1) phi[players[0]] = total;
    if (p >= 2) {
      const budget = opts.budget ?? defaultBudget(p);
      const exact = p <= exactMax || (p < 31 && budget >= 2 ** p - 2);
      const local: { phi: Float64Array; samples?: number } = exact
        ? await exactShapley(predictor, row, players, background, baseValue, fx[r], maxBatch)
        : await sampledShapley(predictor, row, players, background, baseValue, fx[r], maxBatch, Math.max(budget, 2), createRng(opts.seed, opts.rowStreams?.[r] ?? r));
      if (!exact) { anySampled = true; maxSamples = Math.max(maxSamples, local.samples ?? 0); }
      players.forEach((j, k) => { phi[j] = local.phi[k]; });
    }
    values.push(phi);
  }
  return { values, baseValue, outputs: Array.from(fx), method: anySampled ? 'kernel-sampled' : 'kernel-exact', ...(anySampled ? { samples: maxSamples } : {}) };
}

/** v(S) for K coalitions (masks: K × p, 1 = feature from x) in as few model calls as the batch cap allows. */
async function coalitionValues(predictor: Predictor, row: ArrayLike<number>, players: number[], masks: Uint8Array, k: number, background: WeightedBackground, maxBatch: number): Promise<Float64Array> {
  const bg = background.x;
  const m = bg.cols, nb = bg.rows, p = players.length;
  const perCall = Math.max(1, Math.floor(maxBatch / (nb * m)));
  const out = new Float64Array(k);
  for (let start = 0; start < k; start += perCall) {
    const end = Math.min(k, start + perCall);
    const data = new Float64Array((end - start) * nb * m);
    for (let c = start; c < end; c++) {
      for (let b = 0; b < nb; b++) {
        const off = ((c - start) * nb + b) * m;
        data.set(bg.data.subarray(b * m, (b + 1) * m), off);
        for (let q = 0; q < p; q++) if (masks[c * p + q]) data[off + players[q]] = row[players[q]];
      }
    }
    const pred = await predictor.predict({ rows: (end - start) * nb, cols: m, data });
    checkFinitePredictions(pred, 'the model (on a coalition batch)');
    for (let c = start; c < end; c++) {
      let v = 0;
      for (let b = 0; b < nb; b++) v += background.weights[b] * pred[(c - start) * nb + b];
      out[c] = v;
    }
  }
  return out;
}

function popcount(v: number): number {
  let c = 0;
  while (v) { v &= v - 1; c++; }
  return c;
}

/** Shapley weights |S|!(p−|S|−1)!/p! for |S| = 0..p−1. */
export function shapleyWeights(p: number): Float64Array {
  const w = new Float64Array(p);
  // w(s) = 1 / (p · C(p−1, s)), computed with the binomial to stay accurate for larger p.
  let binom = 1;
  for (let s = 0; s < p; s++) {
    w[s] = 1 / (p * binom);
    binom = (binom * (p - 1 - s)) / (s + 1);
  }
  return w;
}

async function exactShapley(predictor: Predictor, row: ArrayLike<number>, players: number[], background: WeightedBackground, base: number, fx: number, maxBatch: number): Promise<{ phi: Float64Array }> {
  const p = players.length;
  const full = 2 ** p - 1;
  const k = full - 1; // coalitions 1 .. full−1
  const masks = new Uint8Array(k * p);
  for (let s = 1; s < full; s++) for (let q = 0; q < p; q++) masks[(s - 1) * p + q] = (s >> q) & 1;
  const vals = await coalitionValues(predictor, row, players, masks, k, background, maxBatch);
  const v = new Float64Array(full + 1);
  v[0] = base;
  v[full] = fx;
  v.set(vals, 1);
  const w = shapleyWeights(p);
  const phi = new Float64Array(p);
  for (let s = 0; s < full; s++) {
    const ws = w[popcount(s)];
    for (let q = 0; q < p; q++) {
      const bit = 1 << q;
      if (!(s & bit)) phi[q] += ws * (v[s | bit] - v[s]);
    }
  }
  return { phi };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Coalitions and kernel weights as shap's KernelExplainer chooses them (see the file comment). */
export function sampleCoalitions(p: number, budget: number, rng: Rng): { masks: Uint8Array; weights: Float64Array; count: number } {
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  const numSizes = Math.ceil((p - 1) / 2);
  const numPaired = Math.floor((p - 1) / 2);
  const weightVector = new Float64Array(numSizes);
  for (let i = 1; i <= numSizes; i++) weightVector[i - 1] = (p - 1) / (i * (p - i));
  for (let i = 0; i < numPaired; i++) weightVector[i] *= 2;
  const wsum = weightVector.reduce((a, b) => a + b, 0);
  for (let i = 0; i < numSizes; i++) weightVector[i] /= wsum;

  let numFull = 0;
  let left = budget;
  const remaining = Float64Array.from(weightVector);
  for (let size = 1; size <= numSizes; size++) {
    let nsubsets = binomial(p, size);
    const paired = size <= numPaired;
    if (paired) nsubsets *= 2;
    if ((left * remaining[size - 1]) / nsubsets < 1 - 1e-8) break;
    numFull++;
    left -= nsubsets;
    if (remaining[size - 1] < 1) {
      const d = 1 - remaining[size - 1];
      for (let i = 0; i < numSizes; i++) remaining[i] /= d;
    }
    let w = weightVector[size - 1] / binomial(p, size);
    if (paired) w /= 2;
    forEachCombination(p, size, (idx) => {
      const mask = new Uint8Array(p);
      for (const i of idx) mask[i] = 1;
      masks.push(mask);
      weights.push(w);
      if (paired) {
        masks.push(mask.map((v) => 1 - v));
        weights.push(w);
      }
    });
  }
  const nFixed = masks.length;
  let samplesLeft = budget - nFixed;
  if (numFull !== numSizes && samplesLeft > 0) {
    const rw = weightVector.slice(numFull);
    for (let i = 0; i < rw.length; i++) if (i + numFull < numPaired) rw[i] /= 2; // two samples per draw
    const rs = rw.reduce((a, b) => a + b, 0);
    const cdf: number[] = [];
    let acc = 0;
    for (const v of rw) { acc += v / rs; cdf.push(acc); }
    const used = new Map<string, number>();
    let draws = 4 * samplesLeft;
    while (samplesLeft > 0 && draws-- > 0) {
      const u = rng.float();
      let ind = cdf.findIndex((c) => u < c);
      if (ind < 0) ind = cdf.length - 1;
      const size = ind + numFull + 1;
      const mask = new Uint8Array(p);
      for (const i of sampleWithoutReplacement(p, size, rng)) mask[i] = 1;
      const key = mask.join('');
      const at = used.get(key);
      const isNew = at === undefined;
      if (isNew) {
        used.set(key, masks.length);
        masks.push(mask);
        weights.push(1);
        samplesLeft--;
      } else {
        weights[at] += 1;
      }
      if (samplesLeft > 0 && size <= numPaired) {
        if (isNew) {
          masks.push(mask.map((v) => 1 - v));
          weights.push(1);
          samplesLeft--;
        } else {
          weights[at + 1] += 1;
        }
      }
    }
    // The random draws share the kernel weight the enumerated sizes left over.
    let weightLeft = 0;
    for (let i = numFull; i < numSizes; i++) weightLeft += weightVector[i];
    let drawn = 0;
    for (let i = nFixed; i < weights.length; i++) drawn += weights[i];
    for (let i = nFixed; i < weights.length; i++) weights[i] *= weightLeft / drawn;
  }
  const flat = new Uint8Array(masks.length * p);
  masks.forEach((mk, i) => flat.set(mk, i * p));
  return { masks: flat, weights: Float64Array.from(weights), count: masks.length };
}

function forEachCombination(n: number, k: number, visit: (idx: number[]) => void): void {
  const idx = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    visit(idx);
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}

async function sampledShapley(predictor: Predictor, row: ArrayLike<number>, players: number[], background: WeightedBackground, base: number, fx: number, maxBatch: number, budget: number, rng: Rng): Promise<{ phi: Float64Array; samples: number }> {
  const p = players.length;
  const { masks, weights, count } = sampleCoalitions(p, budget, rng);
  const v = await coalitionValues(predictor, row, players, masks, count, background, maxBatch);
  const phi = solveConstrained(masks, weights, v, count, p, base, fx);
  return { phi, samples: count };
}

/**
 * min Σ_k w_k (v_k − base − z_k·φ)² subject to Σφ = fx − base: substitute φ_last = (fx − base) − Σ_{j<last} φ_j
 * and solve the (p−1)-dimensional weighted normal equations.
 */
export function solveConstrained(masks: Uint8Array, w: Float64Array, v: Float64Array, k: number, p: number, base: number, fx: number): Float64Array {
  const total = fx - base;
  const d = p - 1;
  const a = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  const zt = new Float64Array(d);
  for (let c = 0; c < k; c++) {
    const last = masks[c * p + d];
    const y = v[c] - base - last * total;
    for (let j = 0; j < d; j++) zt[j] = masks[c * p + j] - last;
    const wc = w[c];
    for (let i = 0; i < d; i++) {
      if (zt[i] === 0) continue;
      const wi = wc * zt[i];
      rhs[i] += wi * y;
      for (let j = 0; j < d; j++) a[i * d + j] += wi * zt[j];
    }
  }
  const sol = solveLinear(a, rhs, d);
  const phi = new Float64Array(p);
  let s = 0;
  for (let j = 0; j < d; j++) { phi[j] = sol[j]; s += sol[j]; }
  phi[d] = total - s;
  return phi;
}

/** Gaussian elimination with partial pivoting; a (near-)singular direction gets 0 rather than a blow-up. */
export function solveLinear(aIn: Float64Array, bIn: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(aIn);
  const b = Float64Array.from(bIn);
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i * n + i]));
  const tiny = (scale || 1) * 1e-13;
  const piv = new Int32Array(n).fill(-1);
  const used = new Uint8Array(n);
  for (let col = 0; col < n; col++) {
    let best = -1, bestV = tiny;
    for (let r = 0; r < n; r++) if (!used[r] && Math.abs(a[r * n + col]) > bestV) { bestV = Math.abs(a[r * n + col]); best = r; }
    if (best < 0) continue;
    used[best] = 1;
    piv[col] = best;
    for (let r = 0; r < n; r++) {
      if (r === best) continue;
      const f = a[r * n + col] / a[best * n + col];
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c] -= f * a[best * n + c];
      b[r] -= f * b[best];
    }
  }
  const x = new Float64Array(n);
  for (let col = 0; col < n; col++) if (piv[col] >= 0) x[col] = b[piv[col]] / a[piv[col] * n + col];
  return x;
}
