/**
 * Permutation feature importance (Breiman 2001; scikit-learn's permutation_importance): shuffle one feature's
 * column, re-score, and report how much the metric got worse, over `repeats` shuffles (mean and population sd).
 * Loss metrics (rmse, mae, logLoss) are turned around so that a larger importance always means more important.
 *
 * `permutationImportance` makes one model call per (feature, repeat), plus one for the baseline. The tree path
 * (treePermutation.ts) gets the same numbers from the trees themselves; both go through `importanceOf`, so they
 * draw the same shuffles from the same seeded streams and score them the same way.
 */
import type { FeatureData, MetricName, OutputSpace, PermutationImportance, Predictor } from '../types';
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

/** Throws naming what is missing or inconsistent in the data; returns the target. */
export function checkImportanceData(data: FeatureData, repeats: number): Float64Array {
  checkRepeats(repeats);
  const { x, y } = data;
  if (!y) throw new Error(`permutation importance needs the target column, and the evaluation data has none; add the target column to the data`);
  if (y.length !== x.rows) throw new Error(`permutation importance: ${x.rows} rows but ${y.length} target values`);
  if (x.rows < 2) throw new Error('permutation importance needs at least 2 evaluation rows');
  return y;
}

/** How the model's numbers for a shuffled column are obtained: by model calls or from the trees. */
export interface ShuffledModel {
  outputSpace: OutputSpace;
  /** Predictions on the data as it is. */
  base(): Promise<Float64Array> | Float64Array;
  /** Predictions with column j replaced by x[perm[i]][j] in row i. */
  shuffled(j: number, perm: Int32Array): Promise<Float64Array> | Float64Array;
}

/**
 * The shared skeleton: baseline, then per feature one RNG stream (so a feature's shuffles do not depend on how
 * many features came before it) and `repeats` shuffles, each scored on the model's output space.
 */
export async function importanceOf(model: ShuffledModel, data: FeatureData, opts: PermutationOptions & { positiveClass: number }, method: PermutationImportance['method']): Promise<PermutationImportance> {
  const y = checkImportanceData(data, opts.repeats);
  const classify = isClassificationMetric(opts.metric);
  const score = (pred: Float64Array): number =>
    metricValue(opts.metric, y, classify ? asProbabilities(pred, model.outputSpace) : pred, { positiveClass: opts.positiveClass });

  const basePred = await model.base();
  checkFinitePredictions(basePred);
  const baseline = score(basePred);
  if (!Number.isFinite(baseline)) {
    throw new Error(`metric '${opts.metric}' is undefined on this evaluation data (e.g. AUC with only one class present, r2 of a constant target); choose another metric`);
  }
  const sign = higherIsBetter(opts.metric) ? 1 : -1;
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < data.x.cols; j++) {
    const rng = createRng(opts.seed, j);
    const drops: number[] = [];
    for (let r = 0; r < opts.repeats; r++) {
      const pred = await model.shuffled(j, permutation(data.x.rows, rng));
      checkFinitePredictions(pred);
      drops.push(sign * (baseline - score(pred)));
    }
    const m = drops.reduce((a, b) => a + b, 0) / drops.length;
    mean.push(m);
    std.push(Math.sqrt(drops.reduce((a, d) => a + (d - m) ** 2, 0) / drops.length));
  }
  return { featureNames: data.featureNames.slice(), mean, std, metric: opts.metric, baseline, repeats: opts.repeats, method };
}

export async function permutationImportance(predictor: Predictor, data: FeatureData, opts: PermutationOptions): Promise<PermutationImportance> {
  checkImportanceData(data, opts.repeats);
  const { x } = data;
  const { rows, cols } = x;
  const work = { rows, cols, data: Float64Array.from(x.data) };
  const model: ShuffledModel = {
    outputSpace: predictor.outputSpace,
    base: () => predictor.predict(x),
    async shuffled(j, perm) {
      for (let i = 0; i < rows; i++) work.data[i * cols + j] = x.data[perm[i] * cols + j];
      try {
        return await predictor.predict(work);
      } finally {
        for (let i = 0; i < rows; i++) work.data[i * cols + j] = x.data[i * cols + j];
      }
    },
  };
  const positiveClass = opts.positiveClass ?? predictor.explainedClass?.index ?? 1;
  return importanceOf(model, data, { ...opts, positiveClass }, 'model-calls');
}
