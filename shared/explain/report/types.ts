/**
 * What the ExplainabilityReport gate hands the report writers (HTML report, Markdown summary, model card).
 * Pure types; the writers are pure functions of this input, so the same input gives the same bytes.
 */
import type { Lineage } from '../../evidence/statement';
import type { EvidenceRecord } from '../../report/evidence';
import type { ExplanationResult, Matrix } from '../types';

/** One threshold check of the gate (e.g. "min-auc"): what was required, what was measured. */
export interface GateCheck {
  check: string;
  /** The configured target, as the user wrote it or as a number. */
  threshold: number | string;
  /** The measured value; undefined or NaN when it could not be computed (the check then fails closed). */
  value?: number | string;
  message: string;
}

/** Free-text model card inputs (task inputs); every one is optional and shown as "not provided" when absent. */
export interface ModelCardInputs {
  owners?: string[];
  license?: string;
  references?: string[];
  intendedUse?: string;
  limitations?: string;
  ethicalConsiderations?: string;
}

/** Per-feature statistics of the evaluation data, when the gate computed them. */
export interface FeatureStats {
  feature: string;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  missing: number;
}

/** Where the model came from, plus which registered model version it is. */
export type ReportLineage = Lineage & { modelName?: string; modelVersion?: string; modelAssetId?: string };

export interface ReportInput {
  explanation: ExplanationResult;
  gate: {
    verdict: 'passed' | 'failed';
    failures: GateCheck[];
    /** Checks that passed, when the gate lists them too; shown with the failures in one table. */
    passed?: GateCheck[];
  };
  lineage: ReportLineage;
  /** Other gates' evidence records for this model and run; may be empty. */
  evidence: EvidenceRecord[];
  data: {
    /** Evaluation data ("data.csv", "azureml:credit-data:3"). */
    source: string;
    rows: number;
    /** Where the SHAP background came from (the evaluation data itself when the same). */
    backgroundSource: string;
    featureStats?: FeatureStats[];
  };
  /**
   * Feature values: the whole evaluation matrix, indexed by `shap.rowIndices` (or, when a row index lies outside it,
   * just the explained rows in the order of `shap.values`). Colours the SHAP summary and labels local explanations.
   */
  x?: Matrix;
  modelCard?: ModelCardInputs;
  /** ISO 8601 time the report was generated (passed in, so output is deterministic). */
  generatedAt: string;
  /** Version of the extension/task that wrote the report. */
  productVersion: string;
  /** Pipeline run, for the header; usually lineage.pipelineRunUrl. */
  run?: { id?: string; url?: string };
}
