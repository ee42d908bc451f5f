/**
 * Small pure helpers shared by the charts, the HTML report, the Markdown summary and the model card. Browser-safe
 * (the results tab bundles the charts): no Node imports here.
 */
import type { ExplanationResult, MetricName, Metrics, ShapResult, TaskType } from '../types';

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value for HTML/SVG: every markup character becomes an entity; control characters are dropped. */
export function esc(value: unknown): string {
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/[&<>"']/g, (c) => HTML[c]);
}

/** Cuts long names for chart labels (the full name stays in a <title> tooltip). */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A number for people: 4 significant digits, or "n/a" when it was not computed. */
export function fmt(v: number | undefined | null, digits = 4): string {
  if (!isNum(v)) return 'n/a';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(Math.max(0, digits - 1));
  return String(Number(v.toPrecision(digits)));
}

export const METRIC_LABEL: Record<MetricName, string> = {
  r2: 'R²', rmse: 'RMSE', mae: 'MAE', accuracy: 'Accuracy', auc: 'ROC AUC', logLoss: 'Log loss', f1: 'F1', precision: 'Precision', recall: 'Recall',
};

/** Metrics in display order, the headline one first. */
export const METRIC_ORDER: Record<TaskType, MetricName[]> = {
  regression: ['r2', 'rmse', 'mae'],
  classification: ['auc', 'accuracy', 'f1', 'precision', 'recall', 'logLoss'],
};

/** Larger is better for these; the others are losses. */
export const HIGHER_IS_BETTER: Record<MetricName, boolean> = {
  r2: true, rmse: false, mae: false, accuracy: true, auc: true, logLoss: false, f1: true, precision: true, recall: true,
};

/** The first computed metric in display order (AUC or accuracy for classifiers, R² or RMSE for regressors). */
export function headlineMetric(metrics: Metrics, task: TaskType): { name: MetricName; value: number } | undefined {
  for (const name of METRIC_ORDER[task]) {
    const v = metrics[name];
    if (isNum(v)) return { name, value: v };
  }
  return undefined;
}

export interface FeatureRank {
  feature: string;
  /** Mean |SHAP| over the explained rows; NaN when not computed. */
  meanAbsShap: number;
  permutationMean: number;
  permutationStd: number;
}

/** Mean |SHAP| per feature over the explained rows (NaN for a feature with no finite value). */
export function meanAbsShap(shap: ShapResult): number[] {
  return shap.featureNames.map((_, f) => {
    let sum = 0;
    let n = 0;
    for (const row of shap.values) {
      const v = row?.[f];
      if (isNum(v)) {
        sum += Math.abs(v);
        n++;
      }
    }
    return n ? sum / n : NaN;
  });
}

/**
 * Features ranked by mean |SHAP| (then permutation importance, then name, so ties are stable), with both
 * importances side by side. Features not computed sort last.
 */
export function rankFeatures(e: ExplanationResult): FeatureRank[] {
  const shapMean = meanAbsShap(e.shap);
  const bySame = (names: string[], name: string) => names.indexOf(name);
  const pi = e.permutationImportance;
  const rows = e.featureNames.map((feature) => {
    const s = bySame(e.shap.featureNames, feature);
    const p = bySame(pi.featureNames, feature);
    return {
      feature,
      meanAbsShap: s >= 0 ? shapMean[s] : NaN,
      permutationMean: p >= 0 && isNum(pi.mean[p]) ? pi.mean[p] : NaN,
      permutationStd: p >= 0 && isNum(pi.std[p]) ? pi.std[p] : NaN,
    };
  });
  const key = (v: number) => (isNum(v) ? v : -Infinity);
  return rows.sort(
    (a, b) => key(b.meanAbsShap) - key(a.meanAbsShap) || key(b.permutationMean) - key(a.permutationMean) || (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0),
  );
}

/** Largest |baseValue + Σφ − output| over explained rows: SHAP's efficiency check (NaN when nothing to check). */
export function efficiencyResidual(shap: ShapResult): number {
  let worst = NaN;
  shap.values.forEach((row, r) => {
    const out = shap.outputs[r];
    if (!isNum(out) || !isNum(shap.baseValue) || !row.every(isNum)) return;
    const gap = Math.abs(shap.baseValue + row.reduce((a, b) => a + b, 0) - out);
    worst = isNum(worst) ? Math.max(worst, gap) : gap;
  });
  return worst;
}
