/** A hand-made ExplanationResult for the gate's tests: five features, a binary classifier. */
import type { ExplanationResult } from '../../../../shared/explain/types';

export function explanation(over: Partial<ExplanationResult> = {}): ExplanationResult {
  const featureNames = ['income', 'debt_ratio', 'age', 'years_employed', 'gender'];
  return {
    schema: 'mlops-gates/explanation@1',
    model: { path: 'model.onnx', sha256: 'a'.repeat(64), outputName: 'probabilities', backend: 'web' },
    taskType: 'classification',
    seed: 42,
    featureNames,
    target: 'default',
    rows: 400,
    permutationImportance: { featureNames, mean: [0.2, 0.12, 0.01, 0.05, 0], std: [0.01, 0.01, 0.005, 0.01, 0], metric: 'auc', baseline: 0.86, repeats: 5 },
    shap: {
      featureNames, baseValue: 0.3, rowIndices: [0, 1], values: [[0.1, -0.05, 0, 0.02, 0], [-0.1, 0.05, 0.01, -0.02, 0]],
      outputs: [0.37, 0.24], method: 'linear', outputSpace: 'probability', background: { rows: 100, method: 'sample' },
    },
    partialDependence: { income: { grid: [0, 1, 2], average: [0.5, 0.4, 0.3] } },
    metrics: { rows: 400, auc: 0.86, accuracy: 0.8, logLoss: 0.45 },
    warnings: [],
    timings: { total: 1200 },
    ...over,
  };
}
