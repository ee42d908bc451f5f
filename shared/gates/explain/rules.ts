/**
 * The ExplainabilityReport checks as rules (like the monitoring checks: RuleMeta, judged by thresholds.ts), so
 * their failures are findings: SARIF, the evidence record, severity overrides and waivers work as for every gate.
 */
import { fingerprintOf } from '../../rules/engine';
import type { Finding, RuleMeta } from '../../rules/types';
import type { FailureKind, ThresholdFailure } from './thresholds';

const DOCS = {
  responsibleAi: { title: 'Assess AI systems with the Responsible AI dashboard', url: 'https://learn.microsoft.com/azure/machine-learning/concept-responsible-ai-dashboard' },
  interpretability: { title: 'Model interpretability (Azure Machine Learning)', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-machine-learning-interpretability' },
  fairness: { title: 'Model performance and fairness', url: 'https://learn.microsoft.com/azure/machine-learning/concept-fairness-ml' },
  permutation: { title: 'scikit-learn: Permutation feature importance', url: 'https://scikit-learn.org/stable/modules/permutation_importance.html' },
};

export const XPL_METRIC_FLOOR: RuleMeta = {
  id: 'AML-XPL-001',
  title: 'Model metric below its floor on the evaluation data',
  severity: 'high',
  rationale: 'A model that scores below the agreed floor on held-out data should not be promoted, however it was trained.',
  remediation: 'Retrain or tune the model, check the evaluation data matches the production population, or lower the floor in metricFloors (or options.explainability.metricFloors) with a reviewer.',
  references: [DOCS.responsibleAi],
  tags: ['explainability', 'performance'],
};

export const XPL_SENSITIVE_TOP_K: RuleMeta = {
  id: 'AML-XPL-002',
  title: 'Sensitive feature among the most important features',
  severity: 'high',
  rationale: 'A protected attribute (or a feature declared a proxy of one) that drives the predictions is a fairness and compliance risk.',
  remediation: 'Drop the feature or its proxies from training, or add fairness constraints; if the dependence is intended and reviewed, waive the finding with an owner and an expiry.',
  references: [DOCS.fairness, DOCS.permutation],
  tags: ['explainability', 'fairness'],
};

export const XPL_IMPORTANCE_SHIFT: RuleMeta = {
  id: 'AML-XPL-003',
  title: 'Feature importance shifted against the champion model',
  severity: 'high',
  rationale: 'A large change in what drives the model, compared with the version in production, points at leakage, a broken feature or a data change that deserves review before promotion.',
  remediation: 'Compare the two reports feature by feature, check the training data and feature pipeline; raise maxImportanceShift only after review.',
  references: [DOCS.interpretability, DOCS.permutation],
  tags: ['explainability', 'drift'],
};

export const XPL_NOT_COMPUTED: RuleMeta = {
  id: 'AML-XPL-004',
  title: 'Explanation or metric could not be computed',
  severity: 'critical',
  rationale: 'A gate that cannot compute what it judges must not pass: the model is unexplained, not explained-and-fine.',
  remediation: 'Read the warnings in the report: check the model output and class, the target column, and that the data has rows of every class.',
  references: [DOCS.interpretability],
  tags: ['explainability'],
};

export const EXPLAIN_RULES: readonly RuleMeta[] = [XPL_METRIC_FLOOR, XPL_SENSITIVE_TOP_K, XPL_IMPORTANCE_SHIFT, XPL_NOT_COMPUTED];

const RULE_OF: Record<FailureKind, RuleMeta> = {
  'metric-floor': XPL_METRIC_FLOOR,
  'sensitive-top-k': XPL_SENSITIVE_TOP_K,
  'importance-shift': XPL_IMPORTANCE_SHIFT,
  'not-computed': XPL_NOT_COMPUTED,
};

/** One finding per failure, about `modelId` (the asset id or the file path); the fingerprint keeps to the subject. */
export function failureFindings(failures: readonly ThresholdFailure[], modelId: string): Finding[] {
  return failures.map((f) => {
    const rule = RULE_OF[f.kind];
    return {
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      resourceKind: 'file',
      resourceId: modelId,
      message: `${f.message} Threshold: ${f.threshold}; value: ${f.value}.`,
      path: f.subject,
      fingerprint: fingerprintOf(rule.id, modelId, f.subject),
    };
  });
}
