/**
 * explainModel: everything the report shows, in one ExplanationResult. Order: predictions and metrics,
 * permutation importance (from the trees when the graph is a tree ensemble that reproduces the runtime's
 * outputs on the evaluation data, else one model call per shuffle; same numbers either way), background, SHAP (tree or linear fast path when the graph has one and it reproduces
 * the runtime's outputs, else KernelSHAP), partial dependence for the top features, champion comparison.
 * One explanation failing does not stop the others: it becomes a warning starting with NOT_COMPUTED, which the
 * gate treats as a failure (fail closed); other warnings are notes for the reviewer. Times are in ms.
 */
import type {
  BackendName, ChampionComparison, ExplanationResult, FeatureData, Matrix, MetricName, ModelInfo,
  PartialDependence, PerformanceData, PermutationImportance, Predictor, ShapResult, TaskType,
} from '../types';
import { chooseBackground, type BackgroundMethod } from './background';
import { compareWithChampion } from './champion';
import { kernelShap } from './kernelShap';
import { evaluateLinear, linearShap, linearTarget } from './linearShap';
import { differenceText, disagreement } from './agreement';
import { asProbabilities, checkFinitePredictions, computeMetrics, defaultMetric } from './metrics';
import { partialDependence } from './partialDependence';
import { computePerformance } from './performance';
import { checkImportanceData, permutationImportance, type PermutationOptions } from './permutation';
import { checkSeed } from './random';
import { treePermutationImportance } from './treePermutation';
import { evaluateEnsemble, explainedTarget, treeShap, treeShapUnsupported } from './treeShap';

/** Prefix of warnings that mean an explanation is missing or wrong; the gate fails on these. */
export const NOT_COMPUTED = 'not computed: ';

export function failureWarnings(warnings: string[]): string[] {
  return warnings.filter((w) => w.startsWith(NOT_COMPUTED));
}

export interface ExplainOptions {
  /** Shuffles per feature (default 5, as scikit-learn). */
  repeats?: number;
  /** 'auto' computes permutation importance from the trees when it can; 'model-calls' always calls the model. */
  permutationMethod?: 'auto' | 'model-calls';
  /** Permutation importance metric (default r2 / auc). */
  metric?: MetricName;
  backgroundRows?: number;
  backgroundMethod?: BackgroundMethod;
  /** Rows explained by SHAP: the first N rows of the data, so a reviewer can name the rows (default 50). */
  explainRows?: number;
  /** 'auto' takes a tree/linear fast path when there is one; 'kernel' always uses KernelSHAP. */
  shapMethod?: 'auto' | 'kernel';
  kernelBudget?: number;
  exactMaxFeatures?: number;
  /** Features with partial dependence: names, or the top k by importance (default 10). */
  pdFeatures?: string[] | number;
  gridResolution?: number;
  iceRows?: number;
  maxBatchValues?: number;
}

export interface ExplainArgs {
  predictor: Predictor;
  /** Evaluation data (features in the predictor's order, target when present). */
  data: FeatureData;
  /** Background candidates (default: the evaluation features). */
  background?: Matrix;
  modelInfo?: ModelInfo;
  model: { path: string; sha256: string; name?: string; version?: string; outputName: string; backend: BackendName };
  taskType: TaskType;
  target: string;
  seed: number;
  options?: ExplainOptions;
  /** The champion's graph (optional): lets its permutation importance take the tree path too. */
  champion?: { predictor: Predictor; model: ChampionComparison['model']; modelInfo?: ModelInfo };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function pickRows(x: Matrix, idx: number[]): Matrix {
  const data = new Float64Array(idx.length * x.cols);
  idx.forEach((r, i) => data.set(x.data.subarray(r * x.cols, (r + 1) * x.cols), i * x.cols));
  return { rows: idx.length, cols: x.cols, data };
}

function emptyImportance(featureNames: string[], metric: MetricName): PermutationImportance {
  return { featureNames, mean: [], std: [], metric, baseline: 0, repeats: 0 };
}

function emptyShap(featureNames: string[], outputSpace: ShapResult['outputSpace']): ShapResult {
  return { featureNames, baseValue: 0, rowIndices: [], values: [], outputs: [], method: 'kernel-exact', outputSpace, background: { rows: 0, method: 'all' } };
}

function checkFeatures(predictor: Predictor, data: FeatureData, what: string): void {
  if (data.x.cols !== predictor.featureNames.length) {
    throw new Error(`${what} takes ${predictor.featureNames.length} features but the data has ${data.x.cols} columns`);
  }
  const bad = predictor.featureNames.findIndex((f, i) => f !== data.featureNames[i]);
  if (bad >= 0) throw new Error(`${what} expects feature '${predictor.featureNames[bad]}' in column ${bad + 1} but the data has '${data.featureNames[bad]}' there`);
}

/**
 * Permutation importance as explainModel computes it: from the trees when the model is a tree ensemble whose
 * trees reproduce the runtime's outputs (`predictions`, the predictor's on data.x) on the data; otherwise, or
 * when that path fails, by model calls, with a note why in `warnings`. `result.method` says which.
 */
export async function permutationImportanceFor(predictor: Predictor, info: ModelInfo | undefined, data: FeatureData, predictions: Float64Array | undefined,
  opts: PermutationOptions & { classIndex?: number; method?: ExplainOptions['permutationMethod'] }, warnings: string[], who = ''): Promise<PermutationImportance> {
  checkImportanceData(data, opts.repeats); // bad data is an error either way, not a reason to switch paths
  const e = info?.treeEnsemble;
  if (e && predictions && predictions.every(Number.isFinite) && opts.method !== 'model-calls') {
    const r = await treePermutationImportance(e, data, { ...opts, outputSpace: predictor.outputSpace, runtimeOutputs: predictions });
    if ('importance' in r) return r.importance;
    warnings.push(`permutation importance${who} not computed from the trees (${r.reason}); used one model call per shuffle`);
  }
  return permutationImportance(predictor, data, opts);
}

export async function explainModel(args: ExplainArgs): Promise<ExplanationResult> {
  const t0 = performance.now();
  const { predictor, data, taskType } = args;
  const o = args.options ?? {};
  const seed = checkSeed(args.seed);
  checkFeatures(predictor, data, 'the model');
  const names = data.featureNames.slice();
  const warnings: string[] = [];
  const timings: Record<string, number> = {};
  const timed = async <T>(key: string, f: () => Promise<T> | T): Promise<T> => {
    const s = performance.now();
    try { return await f(); } finally { timings[key] = round(performance.now() - s); }
  };
  const metric = o.metric ?? defaultMetric(taskType);
  const positiveClass = predictor.explainedClass?.index ?? 1;
  const classIndex = taskType === 'classification' ? positiveClass : predictor.explainedClass?.index;

  // Predictions and metrics.
  let predictions: Float64Array | undefined;
  let metrics: ExplanationResult['metrics'] = { rows: data.x.rows };
  let perf: PerformanceData | undefined;
  await timed('predict', async () => {
    try {
      predictions = await predictor.predict(data.x);
      checkFinitePredictions(predictions);
      if (!data.y) warnings.push(`${NOT_COMPUTED}metrics: the evaluation data has no target column '${args.target}'`);
      else {
        const scored = taskType === 'classification' ? asProbabilities(predictions, predictor.outputSpace) : predictions;
        metrics = computeMetrics(taskType, data.y, scored, { positiveClass });
        try { perf = computePerformance(taskType, data.y, scored, { seed, classLabels: data.classLabels, positiveClass }); }
        catch (e) { warnings.push(`performance charts not drawn: ${message(e)}`); }
      }
    } catch (e) {
      warnings.push(`${NOT_COMPUTED}metrics: ${message(e)}`);
    }
  });

  const repeats = o.repeats ?? 5;
  const importance = await timed('permutationImportance', async () => {
    try {
      return await permutationImportanceFor(predictor, args.modelInfo, data, predictions, { repeats, seed, metric, positiveClass, classIndex, method: o.permutationMethod }, warnings);
    } catch (e) {
      warnings.push(`${NOT_COMPUTED}permutation importance: ${message(e)}`);
      return emptyImportance(names, metric);
    }
  });

  // SHAP.
  const shap = await timed('shap', async () => {
    try {
      const bg = chooseBackground(args.background ?? data.x, { maxRows: o.backgroundRows ?? 100, method: o.backgroundMethod ?? 'sample', seed });
      if (bg.note) warnings.push(`background: ${bg.note}`);
      if (bg.x.cols !== data.x.cols) throw new Error(`the background data has ${bg.x.cols} columns but the model takes ${data.x.cols}`);
      const nExplain = o.explainRows ?? 50;
      const rowIndices = Array.from({ length: Math.min(nExplain, data.x.rows) }, (_, i) => i);
      const xe = pickRows(data.x, rowIndices);
      const background = { rows: bg.x.rows, method: bg.method };
      const expected = predictions ? Float64Array.from(rowIndices, (r) => predictions![r]) : await predictor.predict(xe);
      const fast = o.shapMethod === 'kernel' ? undefined : fastPath(args.modelInfo, xe, bg, classIndex, expected, predictor.outputSpace, warnings);
      const result: ShapResult = fast
        ? { featureNames: names, rowIndices, background, ...fast }
        : await kernelShap(predictor, xe, bg, { seed, budget: o.kernelBudget, exactMaxFeatures: o.exactMaxFeatures, maxBatchValues: o.maxBatchValues, rowStreams: rowIndices })
          .then((k) => ({ featureNames: names, rowIndices, background, outputSpace: predictor.outputSpace, ...k }));
      const scale = Math.max(1, ...result.outputs.map(Math.abs));
      const residual = Math.max(0, ...result.values.map((v, i) => Math.abs(result.baseValue + v.reduce((a, b) => a + b, 0) - result.outputs[i])));
      if (residual > 1e-6 * scale) warnings.push(`${NOT_COMPUTED}SHAP values: efficiency check failed (base + Σφ differs from the output by ${residual.toExponential(2)})`);
      return result;
    } catch (e) {
      warnings.push(`${NOT_COMPUTED}SHAP values: ${message(e)}`);
      return emptyShap(names, predictor.outputSpace);
    }
  });

  // Partial dependence for the chosen features.
  const pd: Record<string, PartialDependence> = {};
  await timed('partialDependence', async () => {
    for (const f of pdFeatureList(o.pdFeatures, names, importance, shap)) {
      const j = names.indexOf(f);
      if (j < 0) { warnings.push(`${NOT_COMPUTED}partial dependence: '${f}' is not a feature of the model`); continue; }
      try {
        const { rowsUsed, ...curve } = await partialDependence(predictor, data.x, j, { seed, gridResolution: o.gridResolution, iceRows: o.iceRows });
        pd[f] = curve;
        if (rowsUsed < data.x.rows) warnings.push(`partial dependence of '${f}' averages a seeded sample of ${rowsUsed} of ${data.x.rows} rows`);
      } catch (e) {
        warnings.push(`${NOT_COMPUTED}partial dependence of '${f}': ${message(e)}`);
      }
    }
  });

  let champion: ChampionComparison | undefined;
  if (args.champion) {
    const ch = args.champion;
    await timed('champion', async () => {
      try {
        checkFeatures(ch.predictor, data, 'the champion model');
        if (!data.y) throw new Error(`the evaluation data has no target column '${args.target}'`);
        const pred = await ch.predictor.predict(data.x);
        checkFinitePredictions(pred, 'the champion model');
        const chPositive = ch.predictor.explainedClass?.index ?? 1;
        const chMetrics = computeMetrics(taskType, data.y, taskType === 'classification' ? asProbabilities(pred, ch.predictor.outputSpace) : pred, { positiveClass: chPositive });
        const chClass = taskType === 'classification' ? chPositive : ch.predictor.explainedClass?.index;
        const chImportance = await permutationImportanceFor(ch.predictor, ch.modelInfo, data, pred, { repeats, seed, metric, positiveClass: chPositive, classIndex: chClass, method: o.permutationMethod }, warnings, ' of the champion');
        champion = compareWithChampion(importance, { model: ch.model, metrics: chMetrics, importance: chImportance });
      } catch (e) {
        warnings.push(`${NOT_COMPUTED}champion comparison: ${message(e)}`);
      }
    });
  }
  timings.total = round(performance.now() - t0);
  return {
    schema: 'mlops-gates/explanation@1',
    model: args.model,
    taskType,
    seed,
    featureNames: names,
    target: args.target,
    rows: data.x.rows,
    permutationImportance: importance,
    shap,
    partialDependence: pd,
    metrics,
    ...(champion ? { champion } : {}),
    ...(perf ? { performance: perf } : {}),
    warnings,
    timings,
  };
}

type FastShap = Pick<ShapResult, 'values' | 'baseValue' | 'outputs' | 'outputSpace' | 'method'>;

/**
 * The tree or linear closed form, when the graph has one and its outputs reproduce the runtime's on the explained
 * rows (guards against a graph the reader misunderstood); otherwise undefined and a note why.
 */
function fastPath(info: ModelInfo | undefined, xe: Matrix, bg: { x: Matrix; weights: Float64Array }, classIndex: number | undefined, expected: Float64Array, space: Predictor['outputSpace'], warnings: string[]): FastShap | undefined {
  if (info?.treeEnsemble) {
    const e = info.treeEnsemble;
    const why = treeShapUnsupported(e);
    if (why) { warnings.push(`TreeSHAP not used (${why}); used KernelSHAP`); return undefined; }
    const tgt = explainedTarget(e, classIndex);
    const ev = evaluateEnsemble(e, xe);
    const column = space === 'margin'
      ? Float64Array.from({ length: xe.rows }, (_, r) => tgt.offset + tgt.sign * ev.raw.data[r * e.targets + tgt.target])
      : Float64Array.from({ length: xe.rows }, (_, r) => ev.output.data[r * ev.output.cols + (ev.output.cols === 1 ? 0 : classIndex ?? 0)]);
    const d = disagreement(column, expected);
    if (!(d <= 1)) { warnings.push(`TreeSHAP not used: the tree ensemble read from the graph does not reproduce the runtime's outputs (off by up to ${differenceText(column, expected)}); used KernelSHAP`); return undefined; }
    return { ...treeShap(e, xe, bg, { classIndex }), method: 'tree' };
  }
  if (info?.linear) {
    const lm = info.linear;
    const tgt = linearTarget(lm, classIndex);
    const ev = evaluateLinear(lm, xe);
    const column = space === 'margin' || lm.postTransform === 'NONE'
      ? Float64Array.from({ length: xe.rows }, (_, r) => tgt.offset + tgt.sign * ev.raw.data[r * lm.targets + tgt.target])
      : Float64Array.from({ length: xe.rows }, (_, r) => ev.output.data[r * ev.output.cols + (classIndex ?? 0)]);
    const d = disagreement(column, expected);
    if (!(d <= 1)) { warnings.push(`linear SHAP not used: the linear model read from the graph does not reproduce the runtime's outputs; used KernelSHAP`); return undefined; }
    return { ...linearShap(lm, xe, bg, { classIndex }), method: 'linear' };
  }
  return undefined;
}

function pdFeatureList(choice: string[] | number | undefined, names: string[], pi: PermutationImportance, shap: ShapResult): string[] {
  if (Array.isArray(choice)) return choice;
  const k = Math.min(names.length, choice ?? 10);
  let score: number[];
  if (pi.mean.length === names.length) score = pi.mean.slice();
  else if (shap.values.length) score = names.map((_, j) => shap.values.reduce((a, row) => a + Math.abs(row[j]), 0));
  else score = names.map(() => 0);
  return names.map((n, j) => ({ n, s: score[j], j })).sort((a, b) => b.s - a.s || a.j - b.j).slice(0, k).map((v) => v.n);
}
