/**
 * The gate's judgement of an explanation, pure: an ExplanationResult and the thresholds in force → the
 * failures, each naming its threshold and the value that broke it. Thresholds come from the task inputs and
 * the policy file's `options.explainability`; where both set one, the stricter applies (as with failOnSeverity).
 */
import type { ExplanationResult, MetricName } from '../../explain/types';

export const METRIC_NAMES: readonly MetricName[] = ['r2', 'rmse', 'mae', 'accuracy', 'auc', 'logLoss', 'f1', 'precision', 'recall'];
/** Error metrics: their "floor" is a ceiling (the gate fails above it). */
export const LOWER_IS_BETTER: ReadonlySet<MetricName> = new Set<MetricName>(['rmse', 'mae', 'logLoss']);

export interface ExplainThresholds {
  /** metric → the worst acceptable value (a minimum, or a maximum for rmse, mae, logLoss). */
  metricFloors: Partial<Record<MetricName, number>>;
  sensitiveFeatures: string[];
  /** Sensitive features may not be among this many most important features. */
  sensitiveTopK: number;
  /** Largest |share of importance (challenger) − share (champion)| of any feature; undefined: not judged. */
  maxImportanceShift?: number;
}

export type FailureKind = 'metric-floor' | 'sensitive-top-k' | 'importance-shift' | 'not-computed';

export interface ThresholdFailure {
  kind: FailureKind;
  /** What was judged: a metric, a feature, or an explanation part. */
  subject: string;
  /** The threshold as a user would write it: `auc >= 0.75`, `sensitiveTopK = 5`. */
  threshold: string;
  /** The value that broke it, in words: `0.61`, `rank 2 of 6`, `not computed`. */
  value: string;
  message: string;
}

export interface Judgement {
  failures: ThresholdFailure[];
  /** Notes that do not fail the gate (a sensitive feature the model does not take, say). */
  warnings: string[];
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : Number(n.toPrecision(4)).toString());

/** `auc=0.75` lines (or comma-separated); `error(problem)` builds the exception to throw. */
export function parseMetricFloors(text: string, error: (problem: string) => Error): Partial<Record<MetricName, number>> {
  const out: Partial<Record<MetricName, number>> = {};
  for (const item of text.split(/[\r\n,]+/).map((s) => s.trim()).filter((s) => s && !s.startsWith('#'))) {
    const m = /^([A-Za-z0-9]+)\s*(?:=|>=|<=|:)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)$/i.exec(item);
    if (!m) throw error(`has the entry '${item}', which is not metric=value`);
    const name = METRIC_NAMES.find((n) => n.toLowerCase() === m[1].toLowerCase());
    if (!name) throw error(`names the unknown metric '${m[1]}'`);
    if (out[name] !== undefined) throw error(`sets '${name}' twice`);
    out[name] = Number(m[2]);
  }
  return out;
}

/** The policy file's `options.explainability` (already schema-checked), as thresholds. */
export function policyThresholds(section: unknown): Partial<ExplainThresholds> {
  if (!section || typeof section !== 'object') return {};
  const s = section as { metricFloors?: Record<string, number>; sensitiveFeatures?: string[]; sensitiveTopK?: number; maxImportanceShift?: number };
  return {
    ...(s.metricFloors ? { metricFloors: s.metricFloors as ExplainThresholds['metricFloors'] } : {}),
    ...(s.sensitiveFeatures ? { sensitiveFeatures: s.sensitiveFeatures } : {}),
    ...(s.sensitiveTopK !== undefined ? { sensitiveTopK: s.sensitiveTopK } : {}),
    ...(s.maxImportanceShift !== undefined ? { maxImportanceShift: s.maxImportanceShift } : {}),
  };
}

/** Inputs and policy together, the stricter of each: higher floors (lower ceilings), more sensitive features, larger k, smaller shift. */
export function mergeThresholds(inputs: ExplainThresholds, policy: Partial<ExplainThresholds>): ExplainThresholds {
  const floors: Partial<Record<MetricName, number>> = { ...inputs.metricFloors };
  for (const [k, v] of Object.entries(policy.metricFloors ?? {}) as [MetricName, number][]) {
    const mine = floors[k];
    floors[k] = mine === undefined ? v : LOWER_IS_BETTER.has(k) ? Math.min(mine, v) : Math.max(mine, v);
  }
  const shifts = [inputs.maxImportanceShift, policy.maxImportanceShift].filter((x): x is number => x !== undefined);
  return {
    metricFloors: floors,
    sensitiveFeatures: [...new Set([...inputs.sensitiveFeatures, ...(policy.sensitiveFeatures ?? [])])],
    sensitiveTopK: Math.max(inputs.sensitiveTopK, policy.sensitiveTopK ?? 0),
    ...(shifts.length ? { maxImportanceShift: Math.min(...shifts) } : {}),
  };
}

/** Features by permutation importance, most important first (ties by name, so the order is stable). */
export function importanceRanking(result: Pick<ExplanationResult, 'permutationImportance'>): { feature: string; mean: number }[] {
  const pi = result.permutationImportance;
  return pi.featureNames
    .map((feature, i) => ({ feature, mean: pi.mean[i] }))
    .sort((a, b) => b.mean - a.mean || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0));
}

const finite = (xs: ArrayLike<number> | undefined) => Boolean(xs) && Array.prototype.every.call(xs, (x: number) => Number.isFinite(x));

/** Which explanation parts are missing or broken (NaN, wrong length): each fails closed. */
function brokenParts(r: ExplanationResult): { part: string; why: string }[] {
  const out: { part: string; why: string }[] = [];
  const n = r.featureNames?.length ?? 0;
  const pi = r.permutationImportance;
  if (!pi || pi.mean?.length !== n || !finite(pi.mean)) out.push({ part: 'permutationImportance', why: !pi ? 'absent' : 'not one finite value per feature' });
  const shap = r.shap;
  if (!shap || !shap.values?.length) out.push({ part: 'shap', why: !shap ? 'absent' : 'no row explained' });
  else if (!Number.isFinite(shap.baseValue) || shap.values.some((row) => row.length !== n || !finite(row))) out.push({ part: 'shap', why: 'not one finite value per feature and row' });
  const pd = r.partialDependence;
  if (!pd || !Object.keys(pd).length) out.push({ part: 'partialDependence', why: 'absent' });
  else for (const [f, p] of Object.entries(pd)) if (!p.grid?.length || p.grid.length !== p.average?.length || !finite(p.average)) out.push({ part: `partialDependence.${f}`, why: 'grid and averages do not match or are not finite' });
  return out;
}

/** The explainers' prefix for a part they could not compute (shared/explain/methods/explain.ts NOT_COMPUTED). */
export const NOT_COMPUTED = 'not computed: ';

/** `not computed: SHAP values: why` → part and reason. */
function explainerFailures(warnings: readonly string[]): { part: string; why: string }[] {
  return warnings
    .filter((w) => w.startsWith(NOT_COMPUTED))
    .map((w) => {
      const rest = w.slice(NOT_COMPUTED.length);
      const i = rest.indexOf(': ');
      return i > 0 ? { part: rest.slice(0, i), why: rest.slice(i + 2) } : { part: rest, why: 'not computed' };
    });
}

/** The explainer's name for a part, as brokenParts names it, so one missing part is reported once. */
const PART_ALIASES: Record<string, string> = { 'permutation importance': 'permutationImportance', 'SHAP values': 'shap', 'partial dependence': 'partialDependence' };

export function judgeExplanation(result: ExplanationResult, t: ExplainThresholds): Judgement {
  const failures: ThresholdFailure[] = [];
  const warnings: string[] = [];

  const reported = explainerFailures(result.warnings ?? []);
  const covered = new Set(reported.map((r) => PART_ALIASES[r.part] ?? r.part.replace(/^partial dependence of '(.*)'$/, 'partialDependence.$1')));
  const broken = brokenParts(result).filter((b) => !covered.has(b.part) && !covered.has(b.part.split('.')[0]));
  for (const { part, why } of [...reported, ...broken]) {
    failures.push({ kind: 'not-computed', subject: part, threshold: `${part} computed`, value: why, message: `The explanation part ${part} could not be computed (${why}); the gate fails closed.` });
  }

  for (const [metric, floor] of Object.entries(t.metricFloors) as [MetricName, number][]) {
    const v = result.metrics?.[metric];
    const op = LOWER_IS_BETTER.has(metric) ? '<=' : '>=';
    const threshold = `${metric} ${op} ${fmt(floor)}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      failures.push({ kind: 'not-computed', subject: metric, threshold, value: 'not computed', message: `Metric ${metric} has a threshold (${threshold}) but could not be computed for this ${result.taskType} model; the gate fails closed.` });
    } else if (op === '>=' ? v < floor : v > floor) {
      failures.push({ kind: 'metric-floor', subject: metric, threshold, value: fmt(v), message: `Metric ${metric} is ${fmt(v)}, ${op === '>=' ? 'below its floor' : 'above its ceiling'} (${threshold}).` });
    }
  }

  if (t.sensitiveFeatures.length && result.permutationImportance?.mean?.length) {
    const ranking = importanceRanking(result);
    const rankOf = new Map(ranking.map((r, i) => [r.feature.toLowerCase(), i]));
    for (const s of t.sensitiveFeatures) {
      const rank = rankOf.get(s.toLowerCase());
      if (rank === undefined) {
        warnings.push(`Sensitive feature '${s}' is not a feature of the model (features: ${result.featureNames.join(', ')}); check the spelling. Proxies of it are not detected.`);
        continue;
      }
      const r = ranking[rank];
      // A feature whose shuffling changes nothing does not drive the model, whatever its rank.
      if (rank < t.sensitiveTopK && r.mean > 0) {
        failures.push({
          kind: 'sensitive-top-k',
          subject: r.feature,
          threshold: `sensitiveTopK = ${t.sensitiveTopK}`,
          value: `rank ${rank + 1} of ${ranking.length}`,
          message: `Sensitive feature '${r.feature}' is rank ${rank + 1} of ${ranking.length} by permutation importance (${fmt(r.mean)} ${result.permutationImportance.metric}), within the top ${t.sensitiveTopK} (sensitiveTopK = ${t.sensitiveTopK}).`,
        });
      }
    }
  }

  if (t.maxImportanceShift !== undefined) {
    const threshold = `maxImportanceShift = ${fmt(t.maxImportanceShift)}`;
    const c = result.champion;
    if (!c) {
      failures.push({ kind: 'not-computed', subject: 'champion', threshold, value: 'no champion comparison', message: `No comparison with the champion model was computed, so the importance shift (${threshold}) cannot be judged; the gate fails closed.` });
    } else {
      const shifts = Object.entries(c.importanceShift).filter(([, d]) => Math.abs(d) > t.maxImportanceShift!).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
      for (const [feature, d] of shifts) {
        failures.push({
          kind: 'importance-shift',
          subject: feature,
          threshold,
          value: `${d > 0 ? '+' : ''}${fmt(d)}`,
          message: `Feature '${feature}' shifted its share of the importance by ${d > 0 ? '+' : ''}${fmt(d)} against the champion${c.model.version ? ` (version ${c.model.version})` : ''}, more than ${threshold}.`,
        });
      }
    }
  }
  return { failures, warnings };
}
