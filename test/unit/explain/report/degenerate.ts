/** A one-feature explanation where nothing could be computed: every number NaN, no PD, no champion, no evidence. */
import type { ReportInput } from '../../../../shared/explain/report/types';
import { realisticInput } from './fixture';

export function degenerateInput(): ReportInput {
  const base = realisticInput();
  const e = base.explanation;
  return {
    ...base,
    x: undefined,
    modelCard: undefined,
    evidence: [],
    lineage: {},
    explanation: {
      ...e,
      featureNames: ['only'],
      metrics: { rows: 0, auc: NaN },
      champion: undefined,
      warnings: [],
      timings: {},
      permutationImportance: { ...e.permutationImportance, featureNames: ['only'], mean: [NaN], std: [NaN], baseline: NaN },
      shap: { ...e.shap, featureNames: ['only'], values: [[NaN]], outputs: [NaN], rowIndices: [0], baseValue: NaN },
      partialDependence: {},
      performance: undefined,
    },
    gate: { verdict: 'failed', failures: [{ check: 'not-computed: shap', threshold: 'computed', value: 'not computed', message: 'SHAP could not be computed' }] },
  };
}
