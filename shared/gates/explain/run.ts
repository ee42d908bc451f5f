/**
 * ExplainabilityReport: assets → explanation (and the champion's, on the same data) → thresholds → one policy
 * → outputs (HTML report, explanation JSON, model card, SARIF, evidence record, run summary). Only the asset
 * reads, the explainer and the writes touch the world. A model that cannot load or an explanation that cannot
 * be computed still produces every output it can, with the gate failed closed and the reason in each.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ReportInput } from '../../explain/report/types';
import type { ExplanationResult, Table } from '../../explain/types';
import type { GateHost } from '../../pipeline/host';
import { isUserFacing } from '../../pipeline/userErrors';
import { buildEvidence, serializeEvidence } from '../../report/evidence';
import { toMarkdownSummary } from '../../report/markdown';
import { escapeMarkdown } from '../../report/markdownEscape';
import { writeSarif } from '../../report/sarif';
import { applyPolicy, loadPolicy, type PolicyOutcome } from '../../rules/policy';
import { evidenceRecordInputs } from '../evidenceInputs';
import { sealJudged, sealSection, type EvidenceSealer, type SealResult } from '../evidenceSeal';
import { knownRuleIds } from '../knownRules';
import { outputBase, recordContext } from '../outputs';
import { PRODUCT } from '../product';
import type { RunContext } from '../securityGate/run';
import type { AssetRef } from './assets';
import type { ExplainEngine, ExplainRequest, ModelCard, ReportWriters } from './engine';
import { reportBase, type ExplainInputs } from './inputs';
import { EXPLAIN_RULES, failureFindings } from './rules';
import { judgeExplanation, mergeThresholds, policyThresholds, type ExplainThresholds, type ThresholdFailure } from './thresholds';

export const GATE_NAME = 'ExplainabilityReport';

export interface ExplainDeps {
  host: GateHost;
  engine: ExplainEngine;
  reports: ReportWriters;
  /** Downloads an `azureml:` asset and returns the local path; absent when no input is one. */
  fetchAsset?: (ref: Extract<AssetRef, { kind: 'azureml' }>, dir: string) => Promise<string>;
  /** The workspace the model asset lives in, for the evidence targets (its ARM id). */
  workspaceId?: string;
  /** Where downloads and the run-page summary go (the agent's temp directory). */
  tempDir: string;
  context: RunContext;
  now?: () => Date;
  sealer?: EvidenceSealer;
}

export interface ExplainGateResult {
  verdict: 'passed' | 'failed';
  message: string;
  outcome: PolicyOutcome;
  failures: ThresholdFailure[];
  thresholds: ExplainThresholds;
  explanation?: ExplanationResult;
  /** `metric=value`, e.g. `auc=0.91`; absent when nothing was computed. */
  headlineMetric?: string;
  reportPath: string;
  /** Absent when nothing was explained (the gate failed closed before). */
  explanationPath?: string;
  modelCardPath?: string;
  modelCardMarkdownPath?: string;
  sarifPath: string;
  evidencePath: string;
  summaryPath: string;
  /** Why the gate could not judge; it then failed closed. */
  error?: string;
  sealed?: SealResult;
  sealError?: string;
}

/** The metric a reader looks at first: AUC for a binary classifier, accuracy for others, R² for regression. */
export function headlineMetric(r: ExplanationResult): string | undefined {
  const order = r.taskType === 'regression' ? (['r2', 'rmse'] as const) : (['auc', 'accuracy', 'f1'] as const);
  for (const m of order) {
    const v = r.metrics[m];
    if (typeof v === 'number' && Number.isFinite(v)) return `${m}=${Number(v.toPrecision(4))}`;
  }
  return undefined;
}

export async function runExplainGate(inputs: ExplainInputs, deps: ExplainDeps): Promise<ExplainGateResult> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const { host } = deps;
  const policy = loadPolicy(inputs.policyFile, inputs.policyFile ? knownRuleIds() : [], { optional: !inputs.policyFileExplicit, now: startedAt });
  if (policy.source) host.info(`Policy: ${policy.source.path}`);
  const thresholds = mergeThresholds(inputs.thresholds, policyThresholds(policy.options.explainability));
  const signal = AbortSignal.timeout(inputs.deadlineSeconds * 1000);
  const downloads = join(deps.tempDir, `mlops-gates-explain-${process.pid}-${startedAt.getTime()}`);

  const local = async (ref: AssetRef): Promise<string> => {
    if (ref.kind === 'file') return ref.path;
    if (!deps.fetchAsset) throw new Error(`${ref.label} is an Azure ML asset, and no workspace connection was given to read it`);
    host.info(`Downloading ${ref.label} from workspace ${inputs.workspace?.workspaceName ?? ''}.`);
    return deps.fetchAsset(ref, downloads);
  };
  const tableOf = async (ref: AssetRef) => deps.engine.loadTable(await local(ref), ref.label);
  const nameOf = (ref: AssetRef) => (ref.kind === 'azureml' ? { modelName: ref.name, modelVersion: ref.version } : {});

  let explanation: ExplanationResult | undefined;
  let x: ReportInput['x'];
  let data: Table | undefined;
  let error: string | undefined;
  const warnings: string[] = [];
  try {
    // Read side by side. Once all have settled, Promise.all rejects with the first failure in this order, not with
    // whichever answered first: the message is the same on every run.
    const reads = [local(inputs.model), tableOf(inputs.data), inputs.background ? tableOf(inputs.background) : undefined] as const;
    await Promise.allSettled(reads);
    const [modelPath, dataTable, background] = await Promise.all(reads);
    data = dataTable;
    const common = { data: dataTable, background, target: inputs.target, taskType: inputs.taskType, outputName: inputs.outputName, classIndex: inputs.classIndex, explainRows: inputs.explainRows, seed: inputs.seed, backend: inputs.backend, signal };
    host.info(`Explaining ${inputs.model.label} on ${inputs.data.label} (${dataTable.rowCount} rows, target ${inputs.target}, ${inputs.backend} runtime, seed ${inputs.seed}).`);
    const t0 = Date.now();
    let champion: ExplainRequest['champion'];
    if (inputs.champion) {
      host.info(`The champion ${inputs.champion.label} is explained on the same data for the comparison.`);
      champion = { modelBytes: readFileSync(await local(inputs.champion)), modelPath: inputs.champion.label, ...nameOf(inputs.champion) };
    }
    const explained = await deps.engine.explain({ ...common, modelBytes: readFileSync(modelPath), modelPath: inputs.model.label, ...nameOf(inputs.model), champion });
    explanation = explained.result;
    x = explained.x;
    host.info(`Explained in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${explanation.featureNames.length} features, ${explanation.shap?.values?.length ?? 0} rows with SHAP values${explanation.champion ? `, champion max importance shift ${explanation.champion.maxShift.toFixed(3)}` : ''}.`);
  } catch (e) {
    error = `The explanation could not be computed, so the gate fails closed: ${reason(e)}`;
  }

  const judged = explanation ? judgeExplanation(explanation, thresholds) : { failures: [], warnings: [] };
  warnings.push(...(explanation?.warnings ?? []), ...judged.warnings);
  const modelId = modelIdOf(inputs.model, deps.workspaceId);
  let outcome = applyPolicy(EXPLAIN_RULES, failureFindings(judged.failures, modelId), policy, startedAt, inputs.failOnSeverity);
  if (error) outcome = { ...outcome, verdict: 'failed' };
  warnings.push(...outcome.warnings);
  for (const w of warnings) host.warning(w);

  const finishedAt = now();
  const sarifPath = inputs.sarifOutput;
  const evidencePath = `${outputBase(sarifPath)}.evidence.json`;
  const summaryPath = join(deps.tempDir, `mlops-gates-${GATE_NAME}-${basename(reportBase(inputs.reportOutput))}.md`);
  for (const p of [sarifPath, inputs.reportOutput, inputs.explanationOutput, inputs.modelCardOutput]) mkdirSync(dirname(p), { recursive: true });

  writeSarif(sarifPath, {
    tool: { name: `MLOps Gates ${GATE_NAME}`, version: PRODUCT.version, informationUri: PRODUCT.url },
    rules: EXPLAIN_RULES,
    findings: [...outcome.active, ...outcome.waived],
    runStartedAt: startedAt,
    runFinishedAt: finishedAt,
    invocationSucceeded: !error,
    notifications: error ? [{ level: 'error' as const, message: error }, ...warnings] : warnings,
  });

  const record = (o: PolicyOutcome, why: string | undefined) => buildEvidence({
    gate: GATE_NAME,
    gateVersion: PRODUCT.version,
    outcome: o,
    inputs: {
      azureSubscription: inputs.workspace?.connectionId,
      resourceGroupName: inputs.workspace?.resourceGroupName,
      workspaceName: inputs.workspace?.workspaceName,
      model: inputs.model.label,
      data: inputs.data.label,
      background: inputs.background?.label,
      target: inputs.target,
      taskType: explanation?.taskType ?? inputs.taskType,
      outputName: explanation?.model.outputName ?? inputs.outputName,
      classIndex: inputs.classIndex,
      explainRows: inputs.explainRows,
      seed: inputs.seed,
      backend: inputs.backend,
      championModel: inputs.champion?.label,
      sensitiveFeatures: thresholds.sensitiveFeatures.length ? thresholds.sensitiveFeatures : undefined,
      sensitiveTopK: thresholds.sensitiveTopK,
      metricFloors: Object.entries(thresholds.metricFloors).map(([k, v]) => `${k}=${v}`),
      maxImportanceShift: thresholds.maxImportanceShift,
      modelSha256: explanation?.model.sha256,
      policyFile: inputs.policyFile,
      failOnSeverity: inputs.failOnSeverity,
      deadlineSeconds: inputs.deadlineSeconds,
      ...evidenceRecordInputs(deps.sealer?.inputs),
    },
    targets: [modelId, targetOf(inputs.data, deps.workspaceId), ...(inputs.champion ? [modelIdOf(inputs.champion, deps.workspaceId)] : [])],
    startedAt,
    finishedAt,
    ...recordContext(deps.context, policy),
    error: why,
  });
  const sealing = await sealJudged(deps.sealer, outcome, error, record, host);
  const { evidence, sealed, sealError, failure } = sealing;
  outcome = sealing.outcome;
  writeFileSync(evidencePath, serializeEvidence(evidence));

  const reportInput: ReportInput | undefined = explanation
    ? {
        explanation: { ...explanation, warnings: [...new Set([...explanation.warnings, ...warnings])] },
        gate: {
          verdict: outcome.verdict,
          failures: judged.failures.map((f) => ({ check: `${f.kind}: ${f.subject}`, threshold: f.threshold, value: f.value, message: f.message })),
        },
        lineage: {
          commit: deps.context.commit,
          repository: deps.context.repository,
          pipelineRunUrl: deps.context.runUrl,
          trainingJobId: deps.sealer?.inputs.trainingJobId,
          dataAssets: deps.sealer?.inputs.dataAssets,
          modelName: deps.sealer?.inputs.modelName ?? (inputs.model.kind === 'azureml' ? inputs.model.name : undefined),
          modelVersion: deps.sealer?.inputs.modelVersion ?? (inputs.model.kind === 'azureml' ? inputs.model.version : undefined),
          modelAssetId: sealed?.model.assetId,
        } as ReportInput['lineage'],
        evidence: [evidence],
        data: { source: inputs.data.label, rows: data?.rowCount ?? explanation.rows, backgroundSource: inputs.background?.label ?? inputs.data.label },
        x,
        generatedAt: finishedAt.toISOString(),
        productVersion: PRODUCT.version,
        run: deps.context.runUrl ? { id: deps.context.runId, url: deps.context.runUrl } : undefined,
      }
    : undefined;

  let explanationPath: string | undefined;
  let card: ModelCard | undefined;
  const reportLink = basename(inputs.reportOutput);
  if (reportInput) {
    explanationPath = inputs.explanationOutput;
    writeFileSync(explanationPath, `${JSON.stringify(reportInput.explanation, null, 2)}\n`);
    writeFileSync(inputs.reportOutput, deps.reports.html(reportInput));
    card = deps.reports.modelCard(reportInput);
    writeFileSync(inputs.modelCardOutput, `${JSON.stringify(card.json, null, 2)}\n`);
    writeFileSync(modelCardMarkdownPath(inputs.modelCardOutput), card.markdown);
  } else {
    writeFileSync(inputs.reportOutput, errorPage(failure ?? error ?? 'The explanation could not be computed.'));
  }

  const sections: Array<{ title: string; lines: string[] }> = [];
  if (reportInput) sections.push({ title: 'Explanation', lines: deps.reports.summary(reportInput, reportLink).split('\n') });
  if (judged.failures.length) {
    sections.unshift({
      title: 'Thresholds not met',
      lines: ['| Check | Threshold | Value |', '|---|---|---|', ...judged.failures.map((f) => `| ${escapeMarkdown(`${f.kind}: ${f.subject}`, 200)} | ${escapeMarkdown(f.threshold, 200)} | ${escapeMarkdown(f.value, 200)} |`)],
    });
  }
  if (sealed) sections.push(sealSection(sealed));
  writeFileSync(summaryPath, toMarkdownSummary({
    gate: { name: GATE_NAME, version: PRODUCT.version },
    outcome: { ...outcome, warnings },
    run: deps.context.runUrl ? { url: deps.context.runUrl, label: deps.context.runId } : undefined,
    portalBaseUrl: null,
    sarifFileName: basename(sarifPath),
    policyPath: policy.source?.path,
    generatedAt: finishedAt,
    error: failure,
    sections,
  }));

  const judgedMessage = resultMessage(outcome, judged.failures, inputs, error, explanation ? headlineMetric(explanation) : undefined);
  return {
    verdict: outcome.verdict,
    message: sealError ? `${sealError} ${judgedMessage}` : judgedMessage,
    outcome,
    failures: judged.failures,
    thresholds,
    explanation: reportInput?.explanation,
    headlineMetric: explanation ? headlineMetric(explanation) : undefined,
    reportPath: inputs.reportOutput,
    explanationPath,
    modelCardPath: card ? inputs.modelCardOutput : undefined,
    modelCardMarkdownPath: card ? modelCardMarkdownPath(inputs.modelCardOutput) : undefined,
    sarifPath,
    evidencePath,
    summaryPath,
    error,
    sealed,
    sealError,
  };
}

export function modelCardMarkdownPath(jsonPath: string): string {
  return jsonPath.replace(/\.json$/i, '') + '.md';
}

function modelIdOf(ref: AssetRef, workspaceId: string | undefined): string {
  if (ref.kind === 'file') return `file://${ref.path}`;
  return workspaceId ? `${workspaceId}/models/${ref.name}/versions/${ref.version}` : ref.label;
}

function targetOf(ref: AssetRef, workspaceId: string | undefined): string {
  if (ref.kind === 'file') return `file://${ref.path}`;
  return workspaceId ? `${workspaceId}/data/${ref.name}/versions/${ref.version}` : ref.label;
}

/** One line: user-facing errors as written, others without their stack. */
function reason(e: unknown): string {
  const text = isUserFacing(e) ? e.message : String((e as Error)?.message ?? e);
  return text.split(/\r?\n/)[0].trim().slice(0, 500);
}

function errorPage(message: string): string {
  const esc = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Explainability report: failed</title></head>\n<body><h1>Explainability report: failed closed</h1><p>${esc}</p></body></html>\n`;
}

function resultMessage(outcome: PolicyOutcome, failures: ThresholdFailure[], inputs: ExplainInputs, error: string | undefined, headline: string | undefined): string {
  const on = `${inputs.model.label} explained on ${inputs.data.label}${headline ? ` (${headline})` : ''}`;
  if (error) return error;
  if (outcome.verdict === 'failed') {
    const shown = failures.slice(0, 3);
    return `${on}: ${failures.length} threshold${failures.length === 1 ? '' : 's'} not met: ${shown.map((f) => `${f.subject} (${f.threshold}; value ${f.value})`).join('; ')}${failures.length > 3 ? '; …' : ''}. See the report and the summary.`;
  }
  if (failures.length) {
    return `${on}: ${failures.length} threshold${failures.length === 1 ? '' : 's'} not met, none failing the gate (${outcome.waived.length} waived, fail-on ${outcome.threshold}). See the report.`;
  }
  return `${on}: every threshold met (${outcome.active.length} finding${outcome.active.length === 1 ? '' : 's'} below ${outcome.threshold}, ${outcome.waived.length} waived).`;
}
