/**
 * Report fixtures, generated from a seed (nothing committed): a realistic classifier explanation with 12 features
 * (some with long names), a champion, warnings and three gates' evidence; and small degenerate ones. Also used by
 * scripts/screenshots.mjs, so the committed screenshots show exactly what the browser test checks.
 */
import { createHash } from 'node:crypto';
import type { EvidenceRecord } from '../../../../shared/report/evidence';
import type { ExplanationResult, Matrix, PartialDependence, ShapResult } from '../../../../shared/explain/types';
import type { ReportInput } from '../../../../shared/explain/report/types';
import { computeMetrics } from '../../../../shared/explain/methods/metrics';
import { computePerformance } from '../../../../shared/explain/methods/performance';
import { mulberry32 } from '../../prng';

export const rng = mulberry32;

export const hex = (s: string) => createHash('sha256').update(s).digest('hex');

export const FEATURES = [
  'age', 'income', 'credit_utilisation_ratio_last_12_months_rolling_average', 'num_late_payments', 'loan_amount',
  'employment_length_years', 'debt_to_income', 'num_open_accounts', 'home_ownership_code',
  'months_since_most_recent_delinquency_or_collections_event', 'region_code', 'savings_balance',
];

function evidence(gate: string, verdict: 'passed' | 'failed', counts: [number, number, number, number, number], minute: number): EvidenceRecord {
  const [critical, high, medium, low, info] = counts;
  return {
    schema: 'mlops-gates/evidence@1', gate, gateVersion: '0.1.0', verdict, threshold: 'high',
    counts: { critical, high, medium, low, info }, findings: [], inputs: { workspaceName: 'ws-prod' },
    targets: ['/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws-prod'],
    startedAt: `2026-06-01T12:0${minute}:00.000Z`, finishedAt: `2026-06-01T12:0${minute}:30.000Z`,
    pipeline: { runUrl: 'https://dev.azure.com/contoso/credit/_build/results?buildId=4711', runId: '4711' },
    source: { repository: 'https://dev.azure.com/contoso/credit/_git/credit-model', commit: hex('commit').slice(0, 40) }, policy: {},
  };
}

/** 12 features, 160 explained rows, a classifier in margin space whose SHAP values add up exactly. */
export function realisticInput(): ReportInput {
  const r = rng(42);
  const F = FEATURES.length, N = 160;
  const w = FEATURES.map((_, f) => (f % 3 === 2 ? -1 : 1) * (1.6 / (f + 1.2)));
  const x: Matrix = { rows: N, cols: F, data: new Float64Array(N * F) };
  for (let i = 0; i < N * F; i++) x.data[i] = Math.round((r() * 10 + r() * 10) * 100) / 100;
  const means = FEATURES.map((_, f) => { let s = 0; for (let i = 0; i < N; i++) s += x.data[i * F + f]; return s / N; });
  const base = -0.42;
  const values = Array.from({ length: N }, (_, i) => FEATURES.map((_, f) => (w[f] * (x.data[i * F + f] - means[f])) / 4));
  const shap: ShapResult = {
    featureNames: FEATURES, baseValue: base, rowIndices: values.map((_, i) => i * 3), values,
    outputs: values.map((row) => base + row.reduce((a, b) => a + b, 0)),
    method: 'kernel-sampled', outputSpace: 'margin', background: { rows: 100, method: 'kmeans' }, samples: 2072,
  };
  const partialDependence: Record<string, PartialDependence> = {};
  for (const f of [0, 1, 2, 3, 4, 5]) {
    const grid = Array.from({ length: 20 }, (_, k) => 1 + k * 0.9);
    const curve = (g: number, shift: number) => base + (w[f] * (g - means[f])) / 4 + 0.15 * Math.sin(g + f) + shift;
    partialDependence[FEATURES[f]] = {
      grid, average: grid.map((g) => curve(g, 0)),
      ice: Array.from({ length: 12 }, () => { const s = (r() - 0.5) * 0.8; return grid.map((g) => curve(g, s)); }),
      iceRows: Array.from({ length: 12 }, (_, k) => k * 13),
    };
  }
  const pmean = w.map((v) => Math.abs(v) * 0.06 + r() * 0.004);
  // 2500 scored rows, about 22% defaults, from their own stream so the values above stay as they were.
  const r2 = rng(4711);
  const y = Float64Array.from({ length: 2500 }, () => (r2() < 0.22 ? 1 : 0));
  const prob = Float64Array.from(y, (v) => Math.min(1, Math.max(0, (v ? 0.62 : 0.2) + (r2() + r2() + r2() - 1.5) * 0.5)));
  const performance = computePerformance('classification', y, prob, { seed: 1234, classLabels: ['repaid', 'defaulted'] });
  // The metrics of the same scored rows the performance charts draw, so the report's table and charts agree.
  const metrics = computeMetrics('classification', y, prob);
  const auc = metrics.auc!;
  const explanation: ExplanationResult = {
    schema: 'mlops-gates/explanation@1',
    model: { path: 'model/credit-risk.onnx', sha256: hex('model'), name: 'credit-risk', version: '7', outputName: 'probabilities', backend: 'web' },
    taskType: 'classification', seed: 1234, featureNames: FEATURES, target: 'defaulted', rows: 2500,
    permutationImportance: { featureNames: FEATURES, mean: pmean, std: pmean.map((m) => m * 0.25 + 0.002), metric: 'auc', baseline: auc, repeats: 5 },
    shap, partialDependence, performance,
    metrics,
    champion: {
      model: { name: 'credit-risk', version: '6', sha256: hex('champion') },
      metrics: { rows: 2500, auc: 0.861, accuracy: 0.805, f1: 0.622, precision: 0.69, recall: 0.566, logLoss: 0.431 },
      importanceShift: Object.fromEntries(FEATURES.map((f, i) => [f, ((i % 4) - 1.5) * 0.021])), maxShift: 0.0315,
    },
    warnings: [
      'KernelSHAP sampled 2072 coalitions per row (12 features > 11): values are estimates; efficiency holds exactly.',
      'Features income and savings_balance are correlated (Spearman 0.81): interventional SHAP and permutation importance may split credit between them.',
    ],
    timings: { load: 412, predictBaseline: 38, permutationImportance: 2210, shap: 8125, partialDependence: 940, report: 55 },
  };
  return {
    explanation,
    gate: {
      verdict: 'passed', failures: [],
      passed: [
        { check: 'min-auc', threshold: 0.85, value: Number(auc.toFixed(3)), message: `ROC AUC ${auc.toFixed(3)} ≥ 0.85` },
        { check: 'max-importance-shift', threshold: 0.05, value: 0.0315, message: 'largest importance shift against version 6 is 0.0315 ≤ 0.05' },
      ],
    },
    lineage: {
      commit: hex('commit').slice(0, 40), repository: 'https://dev.azure.com/contoso/credit/_git/credit-model',
      pipelineRunUrl: 'https://dev.azure.com/contoso/credit/_build/results?buildId=4711',
      trainingJobId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws-prod/jobs/train-credit-risk-2026-06-01',
      dataAssets: ['azureml:credit-train:3', 'azureml:credit-holdout:3'], environment: 'azureml:sklearn-1.5:12',
      modelName: 'credit-risk', modelVersion: '7',
      modelAssetId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws-prod/models/credit-risk/versions/7',
    },
    evidence: [evidence('SecurityGate', 'passed', [0, 0, 2, 3, 1], 1), evidence('EndpointHardeningCheck', 'failed', [0, 1, 0, 2, 0], 2), evidence('ModelRegistryPromote', 'passed', [0, 0, 0, 0, 0], 3)],
    data: { source: 'azureml:credit-holdout:3', rows: 2500, backgroundSource: 'azureml:credit-train:3 (k-means, 100 centres)' },
    x,
    modelCard: {
      owners: ['Credit Risk ML team <credit-ml@contoso.example>'], license: 'Proprietary',
      intendedUse: 'Ranks retail loan applications by default risk for a human underwriter. Not for automated decisions.',
      limitations: 'Trained on 2019–2025 applications from one market; not validated for business loans.',
    },
    generatedAt: '2026-06-01T12:05:00.000Z', productVersion: '0.1.0', run: { id: '4711', url: 'https://dev.azure.com/contoso/credit/_build/results?buildId=4711' },
  };
}

/** The realistic input as a regression (house prices): target histogram, residuals and predicted vs actual. */
export function regressionInput(): ReportInput {
  const base = realisticInput();
  const r = rng(99);
  const y = Float64Array.from({ length: 900 }, () => 120 + (r() + r() + r()) * 90);
  const pred = Float64Array.from(y, (v) => v + (r() + r() - 1) * 30 + (v > 300 ? -15 : 0));
  const e = base.explanation;
  return {
    ...base,
    explanation: {
      ...e, taskType: 'regression', target: 'price_k', champion: undefined, metrics: { rows: 900, r2: 0.83, rmse: 17.2, mae: 13.9 },
      shap: { ...e.shap, outputSpace: 'value' }, permutationImportance: { ...e.permutationImportance, metric: 'r2' },
      performance: computePerformance('regression', y, pred, { seed: 7 }),
    },
  };
}

export const EVIL_FEATURE = '<script>alert(1)</script>';
export const EVIL_LABEL = `"&'<`;

/** Small input whose every model/data string is hostile. */
export function hostileInput(): ReportInput {
  const base = realisticInput();
  const names = [EVIL_FEATURE, EVIL_LABEL];
  const e = base.explanation;
  const shap: ShapResult = { ...e.shap, featureNames: names, values: [[0.2, -0.1], [0.05, 0.3]], outputs: [0.5, 0.6], rowIndices: [0, 1], baseValue: 0.4 };
  return {
    ...base,
    x: { rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) },
    explanation: {
      ...e, featureNames: names, target: EVIL_LABEL, model: { ...e.model, name: EVIL_FEATURE, version: EVIL_LABEL, path: `${EVIL_LABEL}.onnx` },
      permutationImportance: { ...e.permutationImportance, featureNames: names, mean: [0.1, 0.02], std: [0.01, 0.01] },
      shap, partialDependence: { [EVIL_FEATURE]: { grid: [0, 1], average: [0.1, 0.2] } },
      champion: { ...e.champion!, importanceShift: { [EVIL_FEATURE]: 0.1, [EVIL_LABEL]: -0.1 } },
      warnings: [`class ${EVIL_LABEL} has few rows ${EVIL_FEATURE}`],
    },
    gate: { verdict: 'failed', failures: [{ check: EVIL_FEATURE, threshold: EVIL_LABEL, value: NaN, message: `${EVIL_FEATURE} failed` }] },
    lineage: { ...base.lineage, modelName: EVIL_FEATURE, modelVersion: EVIL_LABEL, dataAssets: [EVIL_FEATURE] },
    evidence: [{ ...base.evidence[0], gate: EVIL_FEATURE }],
    data: { source: EVIL_FEATURE, rows: 2, backgroundSource: EVIL_LABEL },
    modelCard: { owners: [EVIL_FEATURE], intendedUse: EVIL_LABEL, references: ['javascript:alert(1)', 'https://example.com/a"b'] },
  };
}
