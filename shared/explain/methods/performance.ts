/**
 * The data behind the report's target-distribution and model-performance charts (explainability.md §6 items 3
 * and 4), from the target and the predictions explainModel already made for the metrics. Pure and deterministic:
 * the only random choice (which rows the predicted-vs-actual scatter shows) comes from the seed.
 *
 * Classification: `predictions` are the explained class's probabilities (one per row, as the Predictor gives
 * them), `yTrue` holds class indices. A binary confusion matrix cuts that probability at the threshold (0.5, as
 * the metrics do); a multiclass one is argmax over `probabilities` when all class columns are given, else the
 * explained class against the rest at the threshold (the Predictor returns one column, so that is what
 * explainModel can draw). Rows whose target or prediction is not a finite number are left out.
 */
import type { Histogram, Matrix, PerformanceData, TaskType } from '../types';
import { createRng } from './random';

export interface PerformanceOptions {
  seed: number;
  /** Class labels in index order (classification); default the indices seen. */
  classLabels?: (string | number)[];
  /** The explained class index (default 1). */
  positiveClass?: number;
  /** Probability cut for the explained class (default 0.5). */
  threshold?: number;
  /** Histogram bins for the target and residuals (default: Sturges' rule, 5..30). */
  bins?: number;
  /** Probability histogram bins over [0, 1] (default 10). */
  probabilityBins?: number;
  /** Predicted-vs-actual points at most (default 500). */
  maxPoints?: number;
  /** All class probabilities (rows × classes): a multiclass confusion matrix then uses the argmax. */
  probabilities?: Matrix;
}

/** Random stream for the scatter sample, apart from the explainers' streams. */
const SAMPLE_STREAM = 0x70657266; // 'perf'

/** Sturges' rule, kept between 5 and 30 bins so small and huge data both read well. */
export function defaultBins(n: number): number {
  return Math.min(30, Math.max(5, Math.ceil(Math.log2(Math.max(1, n))) + 1));
}

/**
 * Equal-width histogram of the finite values over [min, max] (or `range`); the last bin includes its right edge.
 * All-equal values get a unit-wide range around the value; no finite value gives an empty histogram.
 */
export function histogram(values: ArrayLike<number>, bins: number, range?: [number, number]): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram bins must be a whole number ≥ 1; got ${bins}`);
  const finite = Array.from(values).filter(Number.isFinite);
  if (!finite.length && !range) return { edges: [], counts: [] };
  let [lo, hi] = range ?? [Math.min(...finite), Math.max(...finite)];
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, hi + 0.5];
  // (hi − lo) · i / bins keeps decimal edges exact (0.6, not 0.6000000000000001); the bin is then checked
  // against the edges themselves, so a value on an edge always lands in the bin that edge opens.
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) {
    if (v < lo || v > hi) continue;
    let b = Math.min(bins - 1, Math.floor((bins * (v - lo)) / (hi - lo)));
    if (b < bins - 1 && v >= edges[b + 1]) b++;
    else if (b > 0 && v < edges[b]) b--;
    counts[b]++;
  }
  return { edges, counts };
}

/** Up to `max` row indices, a seeded uniform sample without replacement, in ascending order. */
export function sampleRows(n: number, max: number, seed: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed, SAMPLE_STREAM);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
  }
  return Array.from(idx.subarray(0, max)).sort((a, b) => a - b);
}

function checkInputs(yTrue: ArrayLike<number>, predictions: ArrayLike<number>): number[] {
  if (yTrue.length !== predictions.length) throw new Error(`performance: ${yTrue.length} targets but ${predictions.length} predictions`);
  const rows: number[] = [];
  for (let i = 0; i < yTrue.length; i++) if (Number.isFinite(yTrue[i]) && Number.isFinite(predictions[i])) rows.push(i);
  if (!rows.length) throw new Error('performance: no row has both a target and a prediction');
  return rows;
}

export function computePerformance(taskType: TaskType, yTrue: ArrayLike<number>, predictions: ArrayLike<number>, opts: PerformanceOptions): PerformanceData {
  const rows = checkInputs(yTrue, predictions);
  return taskType === 'regression' ? regression(rows, yTrue, predictions, opts) : classification(rows, yTrue, predictions, opts);
}

function regression(rows: number[], y: ArrayLike<number>, p: ArrayLike<number>, o: PerformanceOptions): PerformanceData {
  const bins = o.bins ?? defaultBins(rows.length);
  const actual = rows.map((i) => y[i]);
  const sample = sampleRows(rows.length, Math.max(1, o.maxPoints ?? 500), o.seed);
  return {
    targetDistribution: histogram(actual, bins),
    residualHistogram: histogram(rows.map((i) => y[i] - p[i]), bins),
    predictedVsActual: { actual: sample.map((k) => y[rows[k]]), predicted: sample.map((k) => p[rows[k]]) },
  };
}

function classification(rows: number[], y: ArrayLike<number>, p: ArrayLike<number>, o: PerformanceOptions): PerformanceData {
  const bad = rows.find((i) => !Number.isInteger(y[i]) || y[i] < 0);
  if (bad !== undefined) throw new Error(`performance: row ${bad} has target ${y[bad]}, not a class index; map class labels to 0..k-1 first`);
  const k = Math.max(o.classLabels?.length ?? 0, 2, ...rows.map((i) => y[i] + 1));
  const labels = Array.from({ length: k }, (_, c) => o.classLabels?.[c] ?? c);
  const pos = o.positiveClass ?? 1;
  if (!Number.isInteger(pos) || pos < 0 || pos >= k) throw new Error(`performance: explained class index ${pos} is not one of the ${k} classes`);
  const threshold = o.threshold ?? 0.5;
  const counts = new Array<number>(k).fill(0);
  for (const i of rows) counts[y[i]]++;

  let confusion: NonNullable<PerformanceData['confusion']>;
  const probs = o.probabilities;
  if (k > 2 && probs && probs.cols === k && probs.rows === y.length) {
    const matrix = labels.map(() => new Array<number>(k).fill(0));
    for (const i of rows) {
      let best = 0;
      for (let c = 1; c < k; c++) if (probs.data[i * k + c] > probs.data[i * k + best]) best = c;
      matrix[y[i]][best]++;
    }
    confusion = { labels, matrix };
  } else if (k === 2) {
    const other = 1 - pos;
    const matrix = [[0, 0], [0, 0]];
    for (const i of rows) matrix[y[i]][p[i] >= threshold ? pos : other]++;
    confusion = { labels, matrix, threshold };
  } else {
    // One probability column: the explained class against the rest (row/column 1 = explained class).
    const matrix = [[0, 0], [0, 0]];
    for (const i of rows) matrix[y[i] === pos ? 1 : 0][p[i] >= threshold ? 1 : 0]++;
    confusion = { labels: [`not ${labels[pos]}`, labels[pos]], matrix, threshold };
  }

  const pBins = o.probabilityBins ?? 10;
  const countsByClass = labels.map((_, c) => histogram(rows.filter((i) => y[i] === c).map((i) => Math.min(1, Math.max(0, p[i]))), pBins, [0, 1]).counts);
  return {
    targetDistribution: { labels, counts },
    confusion,
    probabilityHistogram: { edges: histogram([], pBins, [0, 1]).edges, countsByClass, labels },
  };
}
