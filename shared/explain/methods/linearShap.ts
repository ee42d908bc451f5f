/**
 * Linear graphs in closed form. For f(x) = w·x + b and independent features, interventional SHAP values are
 * φ_j = w_j (x_j − E_bg[x_j]) with the background's weighted mean, and E f = w·E_bg[x] + b, so efficiency holds
 * by construction. With a LOGISTIC or SOFTMAX link the linear score is the margin (logit), and that is the space
 * explained (reported as 'margin'); with NONE it is the model's value.
 */
import type { LinearModel, Matrix } from '../types';
import type { WeightedBackground } from './kernelShap';
import type { ExplainedTarget, TreeShapResult } from './treeShap';

export function linearFeatureCount(model: LinearModel): number {
  const n = model.coefficients.length / model.targets;
  if (!Number.isInteger(n) || model.targets < 1) throw new Error(`linear model: ${model.coefficients.length} coefficients do not split into ${model.targets} targets`);
  return n;
}

const logistic = (v: number) => 1 / (1 + Math.exp(-v));

/** Scores before (`raw`) and after (`output`) the link; one score column with LOGISTIC expands to [σ(−s), σ(s)]. */
export function evaluateLinear(model: LinearModel, x: Matrix): { raw: Matrix; output: Matrix } {
  const m = linearFeatureCount(model);
  if (x.cols !== m) throw new Error(`linear model has ${m} inputs but the data has ${x.cols} columns`);
  const k = model.targets;
  const raw = new Float64Array(x.rows * k);
  for (let r = 0; r < x.rows; r++) {
    for (let t = 0; t < k; t++) {
      let s = model.intercepts[t] ?? 0;
      for (let j = 0; j < m; j++) s += model.coefficients[t * m + j] * x.data[r * m + j];
      raw[r * k + t] = s;
    }
  }
  const binary = k === 1 && model.postTransform === 'LOGISTIC';
  const cols = binary ? 2 : k;
  const out = new Float64Array(x.rows * cols);
  for (let r = 0; r < x.rows; r++) {
    if (binary) { out[r * 2] = logistic(-raw[r]); out[r * 2 + 1] = logistic(raw[r]); continue; }
    if (model.postTransform === 'LOGISTIC') { for (let t = 0; t < k; t++) out[r * k + t] = logistic(raw[r * k + t]); continue; }
    if (model.postTransform === 'SOFTMAX') {
      let mx = -Infinity, s = 0;
      for (let t = 0; t < k; t++) mx = Math.max(mx, raw[r * k + t]);
      for (let t = 0; t < k; t++) { out[r * k + t] = Math.exp(raw[r * k + t] - mx); s += out[r * k + t]; }
      for (let t = 0; t < k; t++) out[r * k + t] /= s;
      continue;
    }
    for (let t = 0; t < k; t++) out[r * k + t] = raw[r * k + t];
  }
  return { raw: { rows: x.rows, cols: k, data: raw }, output: { rows: x.rows, cols, data: out } };
}

export function linearTarget(model: LinearModel, classIndex?: number): ExplainedTarget {
  const space = model.postTransform === 'NONE' ? 'value' : 'margin';
  if (model.targets === 1 && model.postTransform === 'LOGISTIC') {
    const c = classIndex ?? 1;
    if (c !== 0 && c !== 1) throw new Error(`class index ${c} is out of range for a binary classifier (0 or 1)`);
    return { target: 0, sign: c === 1 ? 1 : -1, offset: 0, outputSpace: space };
  }
  const t = classIndex ?? (model.targets > 1 && model.postTransform !== 'NONE' ? 1 : 0);
  if (!(Number.isInteger(t) && t >= 0 && t < model.targets)) throw new Error(`target/class index ${t} is out of range: the model has ${model.targets} targets`);
  return { target: t, sign: 1, offset: 0, outputSpace: space };
}

export function linearShap(model: LinearModel, x: Matrix, background: WeightedBackground, opts: { classIndex?: number } = {}): TreeShapResult {
  const m = linearFeatureCount(model);
  if (x.cols !== m || background.x.cols !== m) throw new Error(`linear model has ${m} inputs but the data has ${x.cols} columns`);
  const tgt = linearTarget(model, opts.classIndex);
  const w = model.coefficients.subarray(tgt.target * m, (tgt.target + 1) * m);
  const mean = new Float64Array(m);
  const bg = background.x;
  for (let b = 0; b < bg.rows; b++) for (let j = 0; j < m; j++) mean[j] += background.weights[b] * bg.data[b * m + j];
  const b0 = model.intercepts[tgt.target] ?? 0;
  let base = b0;
  for (let j = 0; j < m; j++) base += w[j] * mean[j];
  const values: number[][] = [];
  const outputs: number[] = [];
  for (let r = 0; r < x.rows; r++) {
    const phi: number[] = [];
    let f = b0;
    for (let j = 0; j < m; j++) {
      const v = x.data[r * m + j];
      phi.push(w[j] === 0 ? 0 : tgt.sign * w[j] * (v - mean[j])); // 0, not NaN, for an unused missing value
      f += w[j] * v;
    }
    values.push(phi);
    outputs.push(tgt.sign * f);
  }
  return { values, baseValue: tgt.sign * base, outputs, outputSpace: tgt.outputSpace };
}
