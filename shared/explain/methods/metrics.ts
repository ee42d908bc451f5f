/**
 * Model quality on the evaluation data. Regression: r2, rmse, mae. Classification: the predictor gives the
 * probability of the explained (positive) class, `yTrue` holds class indices, and a row is positive when its
 * index equals `positiveClass` (default 1); accuracy/precision/recall/f1 threshold the probability at 0.5.
 * Metrics that are undefined on the data (AUC with one class present, r2 of a constant target) are left out
 * of `computeMetrics` rather than reported as NaN.
 */
import type { MetricName, Metrics, TaskType } from '../types';

/** logLoss clips probabilities to [EPS, 1 − EPS] so one confident mistake gives a large, finite loss. */
export const LOG_LOSS_EPS = 1e-15;

export interface ClassOptions {
  /** Class index counted as positive (default 1). */
  positiveClass?: number;
  /** Probability at or above which a row is predicted positive (default 0.5). */
  threshold?: number;
}

const REGRESSION: MetricName[] = ['r2', 'rmse', 'mae'];
const CLASSIFICATION: MetricName[] = ['accuracy', 'auc', 'logLoss', 'precision', 'recall', 'f1'];

export function metricsFor(taskType: TaskType): MetricName[] {
  return taskType === 'regression' ? REGRESSION.slice() : CLASSIFICATION.slice();
}

/** The metric permutation importance uses unless told otherwise: r2 for regression, ROC AUC for classifiers. */
export function defaultMetric(taskType: TaskType): MetricName {
  return taskType === 'regression' ? 'r2' : 'auc';
}

/** Whether a larger value is better; importance is always reported so that larger means more important. */
export function higherIsBetter(metric: MetricName): boolean {
  return !(metric === 'rmse' || metric === 'mae' || metric === 'logLoss');
}

export function isClassificationMetric(metric: MetricName): boolean {
  return CLASSIFICATION.includes(metric);
}

type Vec = ArrayLike<number>;

function checkLengths(yTrue: Vec, yPred: Vec): number {
  if (yTrue.length !== yPred.length) throw new Error(`metrics: ${yTrue.length} labels but ${yPred.length} predictions`);
  if (yTrue.length === 0) throw new Error('metrics: the evaluation data has no rows');
  return yTrue.length;
}

export function r2(yTrue: Vec, yPred: Vec): number {
  const n = checkLengths(yTrue, yPred);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let ssRes = 0, ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (yTrue[i] - yPred[i]) ** 2;
    ssTot += (yTrue[i] - mean) ** 2;
  }
  return ssTot === 0 ? NaN : 1 - ssRes / ssTot;
}

export function rmse(yTrue: Vec, yPred: Vec): number {
  const n = checkLengths(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) s += (yTrue[i] - yPred[i]) ** 2;
  return Math.sqrt(s / n);
}

export function mae(yTrue: Vec, yPred: Vec): number {
  const n = checkLengths(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return s / n;
}

function positives(yTrue: Vec, positiveClass: number): Uint8Array {
  const p = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) p[i] = yTrue[i] === positiveClass ? 1 : 0;
  return p;
}

export function accuracy(yTrue: Vec, prob: Vec, o: ClassOptions = {}): number {
  const n = checkLengths(yTrue, prob);
  const pos = positives(yTrue, o.positiveClass ?? 1);
  const t = o.threshold ?? 0.5;
  let ok = 0;
  for (let i = 0; i < n; i++) if ((prob[i] >= t ? 1 : 0) === pos[i]) ok++;
  return ok / n;
}

/**
 * ROC AUC as the Mann–Whitney statistic: the share of (positive, negative) pairs the score orders correctly,
 * a tie counting one half (ties are common with tree ensembles). Equal to the average-rank formula, exactly: both
 * count half-integers. NaN when only one class is present. Sorting the two classes' scores as typed arrays
 * (numeric sort, no comparator) keeps it cheap: permutation importance scores every shuffle with it.
 */
export function auc(yTrue: Vec, score: Vec, o: ClassOptions = {}): number {
  const n = checkLengths(yTrue, score);
  const pc = o.positiveClass ?? 1;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === pc) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  const pos = new Float64Array(nPos), neg = new Float64Array(nNeg);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (yTrue[i] === pc) pos[a++] = score[i]; else neg[b++] = score[i];
  }
  pos.sort();
  neg.sort();
  // For each positive score s (ascending): negatives below s count 1, equal to s count ½.
  let twiceU = 0;
  for (let i = 0, lo = 0, hi = 0; i < nPos; i++) {
    const s = pos[i];
    while (lo < nNeg && neg[lo] < s) lo++;
    if (hi < lo) hi = lo;
    while (hi < nNeg && neg[hi] <= s) hi++;
    twiceU += lo + hi;
  }
  return twiceU / 2 / (nPos * nNeg);
}

export function logLoss(yTrue: Vec, prob: Vec, o: ClassOptions = {}): number {
  const n = checkLengths(yTrue, prob);
  const pos = positives(yTrue, o.positiveClass ?? 1);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, prob[i]));
    s -= pos[i] ? Math.log(p) : Math.log(1 - p);
  }
  return s / n;
}

function confusion(yTrue: Vec, prob: Vec, o: ClassOptions): { tp: number; fp: number; fn: number } {
  checkLengths(yTrue, prob);
  const pos = positives(yTrue, o.positiveClass ?? 1);
  const t = o.threshold ?? 0.5;
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < pos.length; i++) {
    const predicted = prob[i] >= t;
    if (predicted && pos[i]) tp++;
    else if (predicted) fp++;
    else if (pos[i]) fn++;
  }
  return { tp, fp, fn };
}

/** Precision of the positive class; 0 when nothing is predicted positive (scikit-learn's zero_division=0). */
export function precision(yTrue: Vec, prob: Vec, o: ClassOptions = {}): number {
  const { tp, fp } = confusion(yTrue, prob, o);
  return tp + fp === 0 ? 0 : tp / (tp + fp);
}

export function recall(yTrue: Vec, prob: Vec, o: ClassOptions = {}): number {
  const { tp, fn } = confusion(yTrue, prob, o);
  return tp + fn === 0 ? 0 : tp / (tp + fn);
}

export function f1(yTrue: Vec, prob: Vec, o: ClassOptions = {}): number {
  const { tp, fp, fn } = confusion(yTrue, prob, o);
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** One metric by name. Predictions must be finite (checked by the callers that read a model). */
export function metricValue(metric: MetricName, yTrue: Vec, yPred: Vec, o: ClassOptions = {}): number {
  switch (metric) {
    case 'r2': return r2(yTrue, yPred);
    case 'rmse': return rmse(yTrue, yPred);
    case 'mae': return mae(yTrue, yPred);
    case 'accuracy': return accuracy(yTrue, yPred, o);
    case 'auc': return auc(yTrue, yPred, o);
    case 'logLoss': return logLoss(yTrue, yPred, o);
    case 'precision': return precision(yTrue, yPred, o);
    case 'recall': return recall(yTrue, yPred, o);
    case 'f1': return f1(yTrue, yPred, o);
    default: throw new Error(`unknown metric '${String(metric)}'; use one of ${[...REGRESSION, ...CLASSIFICATION].join(', ')}`);
  }
}

/** Throws naming the first row whose prediction is NaN or infinite. */
export function checkFinitePredictions(yPred: Vec, what = 'the model'): void {
  for (let i = 0; i < yPred.length; i++) {
    if (!Number.isFinite(yPred[i])) throw new Error(`${what} returned ${yPred[i]} for row ${i}; check that row's feature values for missing or out-of-range data`);
  }
}

/** All metrics of the task type that are defined on this data (see the file comment). */
export function computeMetrics(taskType: TaskType, yTrue: Vec, yPred: Vec, o: ClassOptions = {}): Metrics {
  checkLengths(yTrue, yPred);
  checkFinitePredictions(yPred);
  const out: Metrics = { rows: yTrue.length };
  for (const m of metricsFor(taskType)) {
    const v = metricValue(m, yTrue, yPred, o);
    if (Number.isFinite(v)) out[m] = v;
  }
  return out;
}

/** Classification metrics need probabilities: a predictor that answers in margin (logit) space is mapped through the logistic. */
export function asProbabilities(values: Float64Array, outputSpace: string): Float64Array {
  if (outputSpace !== 'margin') return values;
  const p = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) p[i] = 1 / (1 + Math.exp(-values[i]));
  return p;
}
