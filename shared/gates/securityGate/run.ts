import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { createMlClient } from '../../azure/armClient';
import { ArmReader } from '../../azure/armReader';
import type { AzureRmConnection } from '../../azure/cloud';
import { CollectionError } from '../../azure/errors';
import { collectWorkspaceInventory, workspaceId } from '../../azure/inventory';
import { ALL_RULES } from '../../rules/catalog';
import { evaluate } from '../../rules/engine';
import { applyPolicy, emptyCounts, failsAt, loadPolicy, selectRules, type PolicyOutcome } from '../../rules/policy';
import type { WorkspaceInventory } from '../../rules/types';
import { buildEvidence, serializeEvidence } from '../../report/evidence';
import { toMarkdownSummary } from '../../report/markdown';
import { portalForManagementUrl } from '../../report/portal';
import { toSarif } from '../../report/sarif';
import type { GateHost } from '../../pipeline/host';
import { PRODUCT } from '../product';
import type { SecurityGateInputs } from './inputs';

export const GATE_NAME = 'SecurityGate';

export interface SecurityGateDeps {
  host: GateHost;
  connection: AzureRmConnection;
  credential: TokenCredential;
  /** Where the run-page summary is written (the agent's temp directory). */
  tempDir: string;
  now?: () => Date;
  /** Pipeline facts for the evidence record (run URL, commit ...). */
  context: RunContext;
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
  /** Set when a read failed and the gate failed closed. */
  collectionError?: CollectionError;
  sarifPath: string;
  evidencePath: string;
  summaryPath: string;
  requestCount: number;
}

/**
 * collect → evaluate → policy → outputs. Only the first and last steps touch the world; a read that fails
 * still produces every output, with the gate failed and the reason in each of them.
 */
export async function runSecurityGate(inputs: SecurityGateInputs, deps: SecurityGateDeps): Promise<SecurityGateResult> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  // Sign-in is several round trips (Azure DevOps, Entra ID): start it now so it overlaps loading the policy and
  // the SDK. The credential caches the token; a failure here is reported by the first ARM read, not twice.
  // enableCae as the SDK's bearer policy asks, so both share one cache entry.
  deps.credential.getToken([deps.connection.armScope], { enableCae: true }).catch(() => undefined);
  const policy = loadPolicy(inputs.policyFile, ALL_RULES.map((r) => r.id), { optional: !inputs.policyFileExplicit, now: startedAt });
  const rules = selectRules(ALL_RULES, policy);
  const ref = { subscriptionId: deps.connection.subscriptionId, resourceGroup: inputs.resourceGroupName, workspace: inputs.workspaceName };
  const wsId = workspaceId(ref);
  deps.host.info(`Auditing ${wsId} with ${rules.length} rules${policy.source ? ` (policy ${policy.source.path})` : ''}.`);

  const { client, requestCount } = createMlClient(deps.connection, deps.credential, `${PRODUCT.userAgent} ${GATE_NAME}`);
  const deadline = AbortSignal.timeout(inputs.deadlineSeconds * 1000);
  const reader = new ArmReader(client, deps.connection.managementUrl, {
    signal: deadline,
    maxPages: 200,
    deadlineSeconds: inputs.deadlineSeconds,
  });

  let inventory: WorkspaceInventory | undefined;
  let collectionError: CollectionError | undefined;
  try {
    inventory = await collectWorkspaceInventory(reader, client, ref);
  } catch (err) {
    collectionError = err instanceof CollectionError ? err : reader.toCollectionError(err, `workspace ${inputs.workspaceName}`, wsId);
  }
  deps.host.debug(`ARM requests: ${requestCount()}`);

  let outcome: PolicyOutcome;
  if (inventory) {
    const evaluation = evaluate(rules, inventory, startedAt, policy.options);
    outcome = applyPolicy(rules, evaluation, policy, startedAt, inputs.failOnSeverity);
    deps.host.info(`Evaluated ${evaluation.checks} checks on ${countResources(inventory)} resources: ${outcome.active.length} findings, ${outcome.waived.length} waived.`);
  } else {
    // Fail closed: nothing was judged, so nothing may pass.
    outcome = { ...applyPolicy(rules, [], policy, startedAt, inputs.failOnSeverity), verdict: 'failed', counts: emptyCounts() };
    outcome.warnings.unshift(collectionError!.message);
  }
  for (const w of inventory ? outcome.warnings : outcome.warnings.slice(1)) deps.host.warning(w);

  const finishedAt = now();
  const sarifPath = inputs.sarifOutput;
  const evidencePath = join(dirname(sarifPath), `${basename(sarifPath).replace(/\.sarif(\.json)?$/i, '')}.evidence.json`);
  const summaryPath = join(deps.tempDir, `mlops-gates-${GATE_NAME}-${inputs.workspaceName}.md`);
  mkdirSync(dirname(sarifPath), { recursive: true });

  const sarif = toSarif({
    tool: { name: 'MLOps Gates SecurityGate', version: PRODUCT.version, informationUri: PRODUCT.url },
    rules,
    findings: [...outcome.active, ...outcome.waived],
    runStartedAt: startedAt,
    runFinishedAt: finishedAt,
    invocationSucceeded: !collectionError,
    notifications: collectionError ? [{ level: 'error' as const, message: collectionError.message }, ...outcome.warnings.slice(1)] : outcome.warnings,
  });
  writeFileSync(sarifPath, JSON.stringify(sarif, null, 2));

  const targets = inventory ? collectTargets(inventory) : [wsId];
  const evidence = buildEvidence({
    gate: GATE_NAME,
    gateVersion: PRODUCT.version,
    outcome,
    inputs: {
      azureSubscription: deps.connection.id,
      resourceGroupName: inputs.resourceGroupName,
      workspaceName: inputs.workspaceName,
      policyFile: inputs.policyFile,
      failOnSeverity: inputs.failOnSeverity,
      deadlineSeconds: inputs.deadlineSeconds,
    },
    targets,
    startedAt,
    finishedAt,
    pipeline: { runUrl: deps.context.runUrl, definition: deps.context.definition, runId: deps.context.runId, attempt: deps.context.attempt },
    source: { repository: deps.context.repository, commit: deps.context.commit, branch: deps.context.branch },
    policy: policy.source ? { path: policy.source.path, sha256: policy.source.sha256 } : {},
    error: collectionError?.message,
  });
  writeFileSync(evidencePath, serializeEvidence(evidence));

  const summary = toMarkdownSummary({
    gate: { name: GATE_NAME, version: PRODUCT.version },
    outcome,
    workspace: { id: wsId, name: inputs.workspaceName },
    run: deps.context.runUrl ? { url: deps.context.runUrl, label: deps.context.runId } : undefined,
    portalBaseUrl: portalForManagementUrl(deps.connection.managementUrl),
    sarifFileName: basename(sarifPath),
    policyPath: policy.source?.path,
    generatedAt: finishedAt,
    error: collectionError?.message,
  });
  writeFileSync(summaryPath, summary);

  const failing = outcome.active.filter((f) => failsAt(f.severity, outcome.threshold)).length;
  const message = collectionError
    ? `The audit could not run, so the gate fails closed. ${collectionError.message}`
    : outcome.verdict === 'failed'
      ? `${failing} finding${failing === 1 ? '' : 's'} at or above ${outcome.threshold} in workspace ${inputs.workspaceName}; see the summary and ${basename(sarifPath)}.`
      : `No finding at or above ${outcome.threshold} in workspace ${inputs.workspaceName} (${outcome.active.length} below it, ${outcome.waived.length} waived).`;

  return { verdict: outcome.verdict, message, outcome, collectionError, sarifPath, evidencePath, summaryPath, requestCount: requestCount() };
}


function countResources(inv: WorkspaceInventory): number {
  return collectTargets(inv).length;
}

/** Every ARM id the gate judged, for the evidence record. */
function collectTargets(inv: WorkspaceInventory): string[] {
  const linked = [inv.storageAccount, inv.keyVault, inv.containerRegistry, inv.applicationInsights].filter((r) => r !== undefined);
  return [inv.workspace, ...inv.computes, ...inv.datastores, ...inv.connections, ...linked, ...inv.roleAssignments].map((r) => r!.id);
}
