import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import type { AzureRmConnection } from '../../azure/cloud';
import { ALL_RULES } from '../../rules/catalog';
import { applyPolicy, failsAt, loadPolicy, selectRules, type PolicyOutcome } from '../../rules/policy';
import { workspaceAuditRules } from '../../rules/scope';
import type { Finding, RuleMeta } from '../../rules/types';
import { buildEvidence, serializeEvidence } from '../../report/evidence';
import { toMarkdownSummary } from '../../report/markdown';
import { portalForManagementUrl } from '../../report/portal';
import { writeSarif } from '../../report/sarif';
import type { GateHost } from '../../pipeline/host';
import { evidenceRecordInputs } from '../evidenceInputs';
import { sealJudged, sealSection, type EvidenceSealer, type SealResult } from '../evidenceSeal';
import { knownRuleIds } from '../knownRules';
import { outputBase, recordContext } from '../outputs';
import { PRODUCT } from '../product';
import { auditWorkspace, type AuditPart } from './audit';
import type { SecurityGateInputs } from './inputs';
import { scanContent, type ScanPart } from './scan';

export const GATE_NAME = 'SecurityGate';

export interface SecurityGateDeps {
  host: GateHost;
  /** Present when the workspace audit is on. */
  azure?: { connection: AzureRmConnection; credential: TokenCredential };
  /** Where the run-page summary is written (the agent's temp directory). */
  tempDir: string;
  now?: () => Date;
  /** Pipeline facts for the evidence record (run URL, commit ...). */
  context: RunContext;
  /** Where the evidence record goes; default: beside the SARIF log. */
  evidencePath?: string;
  /** Seals the run's evidence record into the model version's bundle; absent when no model is named. */
  sealer?: EvidenceSealer;
}

export interface RunContext {
  runUrl?: string;
  definition?: string;
  runId?: string;
  attempt?: number;
  repository?: string;
  commit?: string;
  branch?: string;
}

export interface SecurityGateResult {
  verdict: 'passed' | 'failed';
  /** One line for the task result. */
  message: string;
  outcome: PolicyOutcome;
  audit?: AuditPart;
  scan?: ScanPart;
  sarifPath: string;
  evidencePath: string;
  summaryPath: string;
  /** The signed evidence, when a model was named and sealing worked. */
  sealed?: SealResult;
  /** Why the evidence could not be sealed; the gate then failed closed. */
  sealError?: string;
}

/**
 * audit (collect → evaluate) and scan (files → detectors) → one policy → outputs. Only collection, the scan
 * and the outputs touch the world; an audit whose reads fail still produces every output, with the gate
 * failed and the reason in each of them.
 */
export async function runSecurityGate(inputs: SecurityGateInputs, deps: SecurityGateDeps): Promise<SecurityGateResult> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  if (inputs.audit && deps.azure) {
    // Sign-in is several round trips (Azure DevOps, Entra ID): start it now so it overlaps loading the policy and
    // the SDK. The credential caches the token (enableCae as the SDK's bearer policy asks, so both share one
    // cache entry); a failure here is reported by the first ARM read, not twice.
    deps.azure.credential.getToken([deps.azure.connection.armScope], { enableCae: true }).catch(() => undefined);
  }
  // Rule ids are checked only against a policy file; listing the content checks' ids loads every plugin.
  const policy = loadPolicy(inputs.policyFile, inputs.policyFile ? knownRuleIds() : [], { optional: !inputs.policyFileExplicit, now: startedAt });
  if (policy.source) deps.host.info(`Policy: ${policy.source.path}`);
  const auditRules = selectRules(workspaceAuditRules(ALL_RULES), policy);

  const [audit, scan] = await Promise.all([
    inputs.audit && deps.azure
      ? auditWorkspace({ ...inputs.audit, ...deps.azure }, auditRules, policy.options, startedAt, deps.host)
      : undefined,
    inputs.scan ? scanContent(inputs.scan, policy.options, startedAt, deps.host) : undefined,
  ]);

  const rules: RuleMeta[] = uniqueRules([...(inputs.audit ? auditRules : []), ...(scan?.rules ?? [])]);
  const findings: Finding[] = [...(audit?.findings ?? []), ...(scan?.findings ?? [])];
  let outcome = applyPolicy(rules, findings, policy, startedAt, inputs.failOnSeverity);
  if (audit?.error) {
    // Fail closed: the workspace was not judged, so nothing may pass.
    outcome = { ...outcome, verdict: 'failed', warnings: [audit.error.message, ...outcome.warnings] };
  }
  const warnings = [...outcome.warnings.slice(audit?.error ? 1 : 0), ...(scan?.warnings ?? [])];
  for (const w of warnings) deps.host.warning(w);

  const finishedAt = now();
  const sarifPath = inputs.sarifOutput;
  const evidencePath = deps.evidencePath ?? `${outputBase(sarifPath)}.evidence.json`;
  const label = inputs.audit?.workspaceName ?? basename(inputs.scan!.path);
  const summaryPath = join(deps.tempDir, `mlops-gates-${GATE_NAME}-${label}.md`);
  mkdirSync(dirname(sarifPath), { recursive: true });

  writeSarif(sarifPath, {
    tool: { name: 'MLOps Gates SecurityGate', version: PRODUCT.version, informationUri: PRODUCT.url },
    rules,
    findings: [...outcome.active, ...outcome.waived],
    known: scan?.known ?? [],
    runStartedAt: startedAt,
    runFinishedAt: finishedAt,
    invocationSucceeded: !audit?.error,
    notifications: audit?.error ? [{ level: 'error' as const, message: audit.error.message }, ...warnings] : warnings,
  });

  const record = (o: PolicyOutcome, error?: string) => buildEvidence({
    gate: GATE_NAME,
    gateVersion: PRODUCT.version,
    outcome: o,
    inputs: {
      azureSubscription: deps.azure?.connection.id,
      resourceGroupName: inputs.audit?.resourceGroupName,
      workspaceName: inputs.audit?.workspaceName,
      auditWorkspace: Boolean(inputs.audit),
      scanRepository: Boolean(inputs.scan),
      scanPath: inputs.scan?.path,
      include: inputs.scan?.include,
      exclude: inputs.scan?.exclude,
      baselineFile: inputs.scan?.baselineFile,
      scanModels: inputs.scan?.scanModels,
      policyFile: inputs.policyFile,
      failOnSeverity: inputs.failOnSeverity,
      deadlineSeconds: inputs.audit?.deadlineSeconds,
      ...evidenceRecordInputs(deps.sealer?.inputs),
    },
    targets: [...(audit?.targets ?? []), ...(scan ? [`file://${scan.root}`] : [])],
    startedAt,
    finishedAt,
    ...recordContext(deps.context, policy),
    error,
  });
  const judged = resultMessage(outcome, inputs, audit);
  // The record is sealed as the gate judged; if that fails, the gate fails closed and its record says why.
  const sealing = await sealJudged(deps.sealer, outcome, audit?.error?.message, record, deps.host);
  const { evidence, sealed, sealError, failure: error } = sealing;
  outcome = sealing.outcome;
  writeFileSync(evidencePath, serializeEvidence(evidence));

  const summary = toMarkdownSummary({
    gate: { name: GATE_NAME, version: PRODUCT.version },
    outcome: { ...outcome, warnings },
    workspace: audit ? { id: audit.workspaceId, name: inputs.audit!.workspaceName } : undefined,
    scan: scan ? { root: scan.root, files: scan.files, bytes: scan.bytes, known: scan.known.length } : undefined,
    run: deps.context.runUrl ? { url: deps.context.runUrl, label: deps.context.runId } : undefined,
    portalBaseUrl: deps.azure ? portalForManagementUrl(deps.azure.connection.managementUrl) : null,
    sarifFileName: basename(sarifPath),
    policyPath: policy.source?.path,
    generatedAt: finishedAt,
    error,
    sections: sealed ? [sealSection(sealed)] : undefined,
  });
  writeFileSync(summaryPath, summary);

  // The sealing failure first (it decided the task's result), then what the gate itself found.
  const message = sealError ? `${sealError} ${judged}` : judged;
  return { verdict: outcome.verdict, message, outcome, audit, scan, sarifPath, evidencePath, summaryPath, sealed, sealError };
}

function resultMessage(outcome: PolicyOutcome, inputs: SecurityGateInputs, audit?: AuditPart): string {
  if (audit?.error) return `The audit could not run, so the gate fails closed. ${audit.error.message}`;
  const what = [inputs.audit ? `workspace ${inputs.audit.workspaceName}` : '', inputs.scan ? (inputs.scan.stagedFrom ? `the staged files under ${inputs.scan.stagedFrom}` : `the files under ${inputs.scan.path}`) : '']
    .filter(Boolean)
    .join(' and ');
  const failing = outcome.active.filter((f) => failsAt(f.severity, outcome.threshold)).length;
  return outcome.verdict === 'failed'
    ? `${failing} finding${failing === 1 ? '' : 's'} at or above ${outcome.threshold} in ${what}; see the summary and the SARIF log.`
    : `No finding at or above ${outcome.threshold} in ${what} (${outcome.active.length} below it, ${outcome.waived.length} waived).`;
}


function uniqueRules(rules: RuleMeta[]): RuleMeta[] {
  const seen = new Map<string, RuleMeta>();
  for (const r of rules) if (!seen.has(r.id)) seen.set(r.id, r);
  return [...seen.values()];
}

