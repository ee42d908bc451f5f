/**
 * Permutation feature importance (Breiman 2001; scikit-learn's permutation_importance): shuffle one feature's
 * column, re-score, and report how much the metric got worse, over `repeats` shuffles (mean and population sd).
 * Loss metrics (rmse, mae, logLoss) are turned around so that a larger importance always means more important.
 * One model call per (feature, repeat), plus one for the baseline.
 */
import type { FeatureData, MetricName, PermutationImportance, Predictor } from '../types';
import { asProbabilities, checkFinitePredictions, higherIsBetter, isClassificationMetric, metricValue } from './metrics';
import { createRng, permutation } from './random';

export interface PermutationOptions {
  repeats: number;
  seed: number;
  metric: MetricName;
  /** Classifiers: the class index counted as positive in `data.y` (default: the predictor's explained class, else 1). */
  positiveClass?: number;
}

export function checkRepeats(repeats: number): void {
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 1000) {
    throw new RangeError(`repeats must be an integer from 1 to 1000; got ${String(repeats)}`);
  }
}

export async function permutationImportance(predictor: Predictor, data: FeatureData, opts: PermutationOptions): Promise<PermutationImportance> {
  checkRepeats(opts.repeats);
  const { x, y } = data;
  if (!y) throw new Error(`permutation importance needs the target column, and the evaluation data has none; add the target column to the data`);
  if (y.length !== x.rows) throw new Error(`permutation importance: ${x.rows} rows but ${y.length} target values`);
  if (x.rows < 2) throw new Error('permutation importance needs at least 2 evaluation rows');
  const positiveClass = opts.positiveClass ?? predictor.explainedClass?.index ?? 1;
  const classify = isClassificationMetric(opts.metric);
  const score = (pred: Float64Array): number =>
    metricValue(opts.metric, y, classify ? asProbabilities(pred, predictor.outputSpace) : pred, { positiveClass });

  const basePred = await predictor.predict(x);
  checkFinitePredictions(basePred);
  const baseline = score(basePred);
  if (!Number.isFinite(baseline)) {
    throw new Error(`metric '${opts.metric}' is undefined on this evaluation data (e.g. AUC with only one class present, r2 of a constant target); choose another metric`);
  }
  const sign = higherIsBetter(opts.metric) ? 1 : -1;
  const { rows, cols } = x;
  const work = { rows, cols, data: Float64Array.from(x.data) };
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < cols; j++) {
    // One stream per feature: a feature's shuffles do not depend on how many features came before it.
    const rng = createRng(opts.seed, j);
    const drops: number[] = [];
    for (let r = 0; r < opts.repeats; r++) {
      const perm = permutation(rows, rng);
      for (let i = 0; i < rows; i++) work.data[i * cols + j] = x.data[perm[i] * cols + j];
      const pred = await predictor.predict(work);
      checkFinitePredictions(pred);
      drops.push(sign * (baseline - score(pred)));
    }
    for (let i = 0; i < rows; i++) work.data[i * cols + j] = x.data[i * cols + j];
    const m = drops.reduce((a, b) => a + b, 0) / drops.length;
    mean.push(m);
    std.push(Math.sqrt(drops.reduce((a, d) => a + (d - m) ** 2, 0) / drops.length));
  }
  return { featureNames: data.featureNames.slice(), mean, std, metric: opts.metric, baseline, repeats: opts.repeats };
}
