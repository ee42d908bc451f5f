/**
 * What the gate needs from the explainability core (shared/explain: data, onnx, methods, report), as one
 * interface: run.ts takes it as a dependency, so the gate is tested without a runtime and the task wires
 * the real one (defaultEngine.ts).
 */
import type { ReportInput } from '../../explain/report/types';
import type { ExplanationResult, Matrix, Table } from '../../explain/types';
import type { ExplainInputs } from './inputs';

/** The explanation settings exactly as the task inputs give them. */
export type ExplainSettings = Pick<ExplainInputs, 'target' | 'taskType' | 'outputName' | 'classIndex' | 'explainRows' | 'seed' | 'backend'>;

export interface ExplainRequest extends ExplainSettings {
  /** The ONNX file's bytes and where they came from (a path, or the asset's label). */
  modelBytes: Uint8Array;
  modelPath: string;
  modelName?: string;
  modelVersion?: string;
  data: Table;
  background?: Table;
  /** The champion, explained on the same data (metrics and importance) for the comparison. */
  champion?: { modelBytes: Uint8Array; modelPath: string; modelName?: string; modelVersion?: string };
  signal: AbortSignal;
}

export interface Explained {
  result: ExplanationResult;
  /** The evaluation features (rows of the data), for the report's colouring; optional. */
  x?: Matrix;
}

export interface ExplainEngine {
  loadTable(path: string, source: string): Promise<Table>;
  /**
   * Explains one model on the data; throws when the model cannot load or run. A part that cannot be computed
   * (the champion comparison included) is a warning starting with `not computed: `, which fails the gate.
   */
  explain(req: ExplainRequest): Promise<Explained>;
}

export interface ModelCard {
  json: unknown;
  markdown: string;
}

export interface ReportWriters {
  html(input: ReportInput): string;
  /** Markdown for the run summary; `reportLink` is the HTML report's name or URL. */
  summary(input: ReportInput, reportLink: string): string;
  modelCard(input: ReportInput): ModelCard;
}
