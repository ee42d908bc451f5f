import { mkdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { createMlClient } from '../../azure/armClient';
import { ArmReader } from '../../azure/armReader';
import type { AzureRmConnection } from '../../azure/cloud';
import { collectEndpointInventory, DEFAULT_ENDPOINT_CONCURRENCY } from '../../azure/endpointInventory';
import { CollectionError } from '../../azure/errors';
import { workspaceId } from '../../azure/inventory';
import { startMonitoring, type MonitoringCollection } from '../../azure/monitoring';
import { evaluateMonitoring } from '../../monitoring/evaluate';
import { MONITORING_RULES } from '../../monitoring/rules';
import type { MonitoringData, MonitoringSummary } from '../../monitoring/types';
import type { GateHost } from '../../pipeline/host';
import { PROBE_RULES, probeFindings, startProbeRunner, type ProbeReport, type ProbeRunner } from '../../probe';
import { buildEvidence, serializeEvidence } from '../../report/evidence';
import { toMarkdownSummary } from '../../report/markdown';
import { portalForManagementUrl } from '../../report/portal';
import { writeSarif } from '../../report/sarif';
import { ALL_RULES } from '../../rules/catalog';
import { evaluate } from '../../rules/engine';
import { applyPolicy, emptyCounts, failsAt, loadPolicy, selectRules, type PolicyOutcome } from '../../rules/policy';
import { endpointRules } from '../../rules/scope';
import type { ArmResource, Finding, RuleMeta, WorkspaceInventory } from '../../rules/types';
import { evidenceRecordInputs } from '../evidenceInputs';
import { sealJudged, sealSection, type EvidenceSealer, type SealResult } from '../evidenceSeal';
import { knownRuleIds } from '../knownRules';
import { outputBase, recordContext } from '../outputs';
import { PRODUCT } from '../product';
import type { RunContext } from '../securityGate/run';
import type { EndpointCheckInputs } from './inputs';
import { whoMayInvoke } from './invokers';
import { endpointsSection, invokersSection, monitoringSection, probesSection } from './sections';
import { pipelineCallers } from './whoAmI';

export const GATE_NAME = 'EndpointHardeningCheck';

export interface EndpointCheckDeps {
  host: GateHost;
  azure: { connection: AzureRmConnection; credential: TokenCredential };
  tempDir: string;
  context: RunContext;
  now?: () => Date;
  /** Seals the run's evidence record into the model version's bundle; absent when no model is named. */
  sealer?: EvidenceSealer;
}

export interface EndpointCheckResult {
  verdict: 'passed' | 'failed';
  message: string;
  outcome: PolicyOutcome;
  endpointCount: number;
  requestCount: number;
  probes: ProbeReport[];
  monitoring?: MonitoringSummary;
  sarifPath: string;
  /** The run's evidence record; one per endpoint lies next to it (`endpointEvidencePaths`). */
  evidencePath: string;
  endpointEvidencePaths: string[];
  summaryPath: string;
  error?: string;
  /** The signed evidence, when a model was named and sealing worked. */
  sealed?: SealResult;
  /** Why the evidence could not be sealed; the gate then failed closed. */
  sealError?: string;
}

/**
 * collect (endpoints, deployments, hosting computes, role assignments) → rules; probes and monitoring side by
 * side, from the moment the endpoints are listed → one policy → outputs. A read that fails, monitoring included,
 * fails the gate closed with the reason; turning monitoring off (monitoringDays 0) or probes off (probe false) is
 * the user's explicit choice.
 */
export async function runEndpointCheck(inputs: EndpointCheckInputs, deps: EndpointCheckDeps): Promise<EndpointCheckResult> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const { connection, credential } = deps.azure;
  // Sign-in overlaps loading the policy; the token also tells who the pipeline is (its calls are not suspicious).
  const tokenP = credential.getToken([connection.armScope], { enableCae: true }).catch(() => null);
  // The probes' thread starts once signed in, while the endpoints are listed: before, the cores are busy loading
  // the SDKs and asking for the OIDC token.
  let prober: ProbeRunner | undefined;
  const startProber = () => (prober ??= startProbeRunner());
  if (inputs.probe) void tokenP.then((token) => token && startProber());
  const policy = loadPolicy(inputs.policyFile, inputs.policyFile ? knownRuleIds() : [], { optional: !inputs.policyFileExplicit, now: startedAt });
  if (policy.source) deps.host.info(`Policy: ${policy.source.path}`);
  const rules = selectRules(endpointRules(ALL_RULES), policy);

  const ref = { subscriptionId: connection.subscriptionId, resourceGroup: inputs.resourceGroupName, workspace: inputs.workspaceName };
  const wsId = workspaceId(ref);
  const what = inputs.endpointName ? `endpoint ${inputs.endpointName} of workspace ${inputs.workspaceName}` : `workspace ${inputs.workspaceName}`;
  deps.host.info(`Checking ${inputs.endpointName ? what : `the endpoints of ${what}`} (${wsId}) with ${rules.length} rules${inputs.probe ? ', live probes' : ''}${inputs.monitoringDays ? `, ${inputs.monitoringDays} days of monitoring` : ''}.`);
  const { client, requestCount } = createMlClient(connection, credential, `${PRODUCT.userAgent} ${GATE_NAME}`);
  const reader = new ArmReader(client, connection.managementUrl, {
    signal: AbortSignal.timeout(inputs.deadlineSeconds * 1000),
    maxPages: 200,
    deadlineSeconds: inputs.deadlineSeconds,
  });
  const fail = (err: unknown, target: string) => (err instanceof CollectionError ? err : reader.toCollectionError(err, what, target));

  let inventory: WorkspaceInventory | undefined;
  let error: CollectionError | undefined;
  const findings: Finding[] = [];
  let probes: ProbeReport[] = [];
  let monitoring: MonitoringSummary | undefined;
  // Probes and monitoring need only the online endpoints: each page of them is probed and its metrics read as soon
  // as it is listed, while the collector reads the next page, deployments, computes and roles; the rules run
  // while their answers come in.
  const stopProbes = new AbortController();
  const probeBatches: Array<Promise<ProbeReport[]>> = [];
  let monitor: MonitoringCollection | undefined;
  let monitorError: CollectionError | undefined;
  if (inputs.monitoringDays > 0) {
    try {
      monitor = startMonitoring(reader, ref, { days: inputs.monitoringDays, now: startedAt, concurrency: DEFAULT_ENDPOINT_CONCURRENCY });
    } catch (err) {
      monitorError = fail(err, `${wsId}/providers/Microsoft.Insights`);
    }
  }
  const onOnlineEndpoints = (page: ArmResource[]) => {
    if (inputs.probe) {
      const batch = runProbes(startProber(), page, inputs.probe, stopProbes.signal);
      // Awaited below; until then a rejection (a bug: probes only reject on an abort) must not count as unhandled.
      batch.catch(() => undefined);
      probeBatches.push(batch);
    }
    monitor?.add(page);
  };
  const sideWork = async (): Promise<[ProbeReport[], Monitored | undefined]> => {
    const [reports, monitored] = await Promise.all([
      Promise.all(probeBatches).then((b) => b.flat()),
      monitor
        ? monitor.finish().then(
            (data): Monitored => ({ data }),
            (err: unknown): Monitored => ({ err: fail(err, `${wsId}/providers/Microsoft.Insights`) }),
          )
        : Promise.resolve(monitorError ? { err: monitorError } : undefined),
    ]);
    return [reports, monitored];
  };
  try {
    inventory = await collectEndpointInventory(reader, ref, { endpointName: inputs.endpointName, onOnlineEndpoints });
  } catch (err) {
    error = fail(err, wsId);
    // Nothing of theirs will be judged: stop the probes, and let reads already sent finish before the reports.
    stopProbes.abort();
    await sideWork().catch(() => undefined);
  }
  if (inventory) {
    const online = inventory.onlineEndpoints ?? [];
    const evaluation = evaluate(rules, inventory, startedAt, policy.options);
    findings.push(...evaluation.findings);
    deps.host.info(`Evaluated ${evaluation.checks} checks on ${endpointCount(inventory)} endpoints and their deployments: ${evaluation.findings.length} findings before the policy.`);
    const [probeReports, monitored] = await sideWork();
    probes = probeReports;
    const privateOnly = new Set(online.filter((e) => String(e.properties?.publicNetworkAccess ?? '').toLowerCase() === 'disabled').map((e) => e.id.toLowerCase()));
    findings.push(...probeFindings(probes, (id) => privateOnly.has(id.toLowerCase())));
    if (monitored && 'err' in monitored) error = monitored.err;
    else if (monitored) {
      const token = await tokenP;
      const data = inputs.endpointName ? onlyAbout(monitored.data, endpoints(inventory), wsId) : monitored.data;
      const judged = evaluateMonitoring(data, policy.options.monitoring, { pipelineCallers: pipelineCallers(connection, token?.token) });
      findings.push(...judged.findings);
      monitoring = judged.summary;
    }
  }

  prober?.close();

  const ruleMetas: RuleMeta[] = [...rules, ...(inputs.probe ? PROBE_RULES : []), ...(inputs.monitoringDays > 0 ? MONITORING_RULES : [])];
  let outcome = applyPolicy(ruleMetas, findings, policy, startedAt, inputs.failOnSeverity);
  if (error) outcome = { ...outcome, verdict: 'failed', warnings: [error.message, ...outcome.warnings] };
  const warnings = outcome.warnings.slice(error ? 1 : 0);
  for (const w of warnings) deps.host.warning(w);
  deps.host.debug(`ARM requests: ${requestCount()}`);

  const finishedAt = now();
  const sarifPath = inputs.sarifOutput;
  const base = outputBase(sarifPath);
  const evidencePath = `${base}.evidence.json`;
  const summaryPath = join(deps.tempDir, `mlops-gates-${GATE_NAME}-${inputs.workspaceName}.md`);
  mkdirSync(dirname(sarifPath), { recursive: true });

  writeSarif(sarifPath, {
    tool: { name: `MLOps Gates ${GATE_NAME}`, version: PRODUCT.version, informationUri: PRODUCT.url },
    rules: ruleMetas,
    findings: [...outcome.active, ...outcome.waived],
    runStartedAt: startedAt,
    runFinishedAt: finishedAt,
    invocationSucceeded: !error,
    notifications: error ? [{ level: 'error' as const, message: error.message }, ...warnings] : warnings,
  });

  const evidenceInputs = {
    azureSubscription: connection.id,
    resourceGroupName: inputs.resourceGroupName,
    workspaceName: inputs.workspaceName,
    endpointName: inputs.endpointName,
    probe: Boolean(inputs.probe),
    probeTimeoutSeconds: inputs.probe?.timeoutSeconds,
    certExpiryDays: inputs.probe?.certExpiryDays,
    monitoringDays: inputs.monitoringDays,
    policyFile: inputs.policyFile,
    failOnSeverity: inputs.failOnSeverity,
    deadlineSeconds: inputs.deadlineSeconds,
    ...evidenceRecordInputs(deps.sealer?.inputs),
  };
  const evidenceOf = (o: PolicyOutcome, targets: string[], why = error?.message) =>
    buildEvidence({
      gate: GATE_NAME,
      gateVersion: PRODUCT.version,
      outcome: o,
      inputs: evidenceInputs,
      targets,
      startedAt,
      finishedAt,
      ...recordContext(deps.context, policy),
      error: why,
    });
  const record = (o: PolicyOutcome, targets: string[]) => serializeEvidence(evidenceOf(o, targets));
  const allTargets = inventory ? targetsOf(inventory) : [wsId];
  const judged = resultMessage(outcome, what, inventory ? endpointCount(inventory) : 0, error);
  // The run's record is sealed as the gate judged; if that fails, the gate fails closed and its record says why.
  const sealing = await sealJudged(deps.sealer, outcome, error?.message, (o, why) => evidenceOf(o, allTargets, why), deps.host);
  const { evidence: runEvidence, sealed, sealError, failure } = sealing;
  outcome = sealing.outcome;
  writeFileSync(evidencePath, serializeEvidence(runEvidence));
  const endpointEvidencePaths: string[] = [];
  const all = inventory ? endpoints(inventory) : [];
  // Grouped once: with hundreds of endpoints, filtering every target and finding per endpoint is quadratic.
  const ownerOf = endpointOwner(all);
  const targetsBy = groupBy(allTargets, ownerOf);
  const activeBy = groupBy(outcome.active, (f) => ownerOf(f.resourceId));
  const waivedBy = groupBy(outcome.waived, (f) => ownerOf(f.resourceId));
  // Written by the thread pool while this thread builds the next record and the summary: with hundreds of
  // endpoints the file system calls cost about as much as the records.
  const writes: Array<Promise<void>> = [];
  for (const ep of all) {
    const key = ep.id.toLowerCase();
    const path = `${base}.${ep.name ?? ep.id.split('/').pop()}.evidence.json`;
    writes.push(writeFile(path, record(outcomeFor(outcome, activeBy.get(key) ?? [], waivedBy.get(key) ?? [], Boolean(error)), targetsBy.get(key) ?? [])));
    endpointEvidencePaths.push(path);
  }
  const written = Promise.all(writes);
  written.catch(() => undefined); // awaited below, after the summary

  const sections = inventory
    ? [
        endpointsSection(inventory),
        ...(inputs.probe ? [probesSection(probes, new Map(PROBE_RULES.map((r) => [r.id, r.title])))] : []),
        ...(monitoring ? [monitoringSection(monitoring)] : []),
        invokersSection(whoMayInvoke(inventory)),
      ]
    : [];
  if (sealed) sections.push(sealSection(sealed));
  writeFileSync(
    summaryPath,
    toMarkdownSummary({
      gate: { name: GATE_NAME, version: PRODUCT.version },
      outcome: { ...outcome, warnings },
      workspace: { id: wsId, name: inputs.workspaceName },
      run: deps.context.runUrl ? { url: deps.context.runUrl, label: deps.context.runId } : undefined,
      portalBaseUrl: portalForManagementUrl(connection.managementUrl),
      sarifFileName: basename(sarifPath),
      policyPath: policy.source?.path,
      generatedAt: finishedAt,
      error: failure,
      sections,
    }),
  );

  await written;
  const count = inventory ? endpointCount(inventory) : 0;
  return {
    verdict: outcome.verdict,
    // The sealing failure first (it decided the task's result), then what the gate itself found.
    message: sealError ? `${sealError} ${judged}` : judged,
    outcome,
    endpointCount: count,
    requestCount: requestCount(),
    probes,
    monitoring,
    sarifPath,
    evidencePath,
    endpointEvidencePaths,
    summaryPath,
    error: error?.message,
    sealed,
    sealError,
  };
}

type Monitored = { data: MonitoringData } | { err: CollectionError };

/** Probes of every online endpoint with a scoring URI; an abort (the collection failed) yields no reports. */
function runProbes(prober: ProbeRunner, online: ArmResource[], opts: NonNullable<EndpointCheckInputs['probe']>, signal: AbortSignal): Promise<ProbeReport[]> {
  const targets = online
    .filter((e) => typeof e.properties?.scoringUri === 'string' && e.properties.scoringUri)
    .map((e) => ({ endpointId: e.id, scoringUri: String(e.properties!.scoringUri) }));
  return prober.probe(targets, { timeoutMs: opts.timeoutSeconds * 1000, certExpiryDays: opts.certExpiryDays, signal }).catch((err: unknown) => {
    if (signal.aborted) return [];
    throw err;
  });
}

function endpoints(inv: WorkspaceInventory): ArmResource[] {
  return [...(inv.onlineEndpoints ?? []), ...(inv.batchEndpoints ?? [])];
}

/** With one endpoint named, the activity log is judged for it and for the workspace itself, not for its siblings. */
function onlyAbout(data: MonitoringData, kept: ArmResource[], wsId: string): MonitoringData {
  const ids = kept.map((e) => e.id.toLowerCase());
  const ws = wsId.toLowerCase();
  const relevant = (id: string) => {
    const r = id.toLowerCase();
    if (ids.some((e) => r === e || r.startsWith(`${e}/`))) return true;
    return !r.startsWith(`${ws}/onlineendpoints/`) && !r.startsWith(`${ws}/batchendpoints/`);
  };
  return { ...data, operations: data.operations.filter((op) => relevant(op.resourceId)) };
}

function endpointCount(inv: WorkspaceInventory): number {
  return (inv.onlineEndpoints?.length ?? 0) + (inv.batchEndpoints?.length ?? 0);
}

/** Every ARM id judged, for the evidence record. */
function targetsOf(inv: WorkspaceInventory): string[] {
  return [inv.workspace, ...(inv.onlineEndpoints ?? []), ...(inv.onlineDeployments ?? []), ...(inv.batchEndpoints ?? []), ...(inv.batchDeployments ?? []), ...inv.computes].map((r) => r.id);
}

/**
 * Which endpoint an ARM id is (or lies under), as its lower-cased id; undefined for anything else. An id is under an
 * endpoint when it equals the endpoint's id or extends it by a path (deployments, role assignments at it).
 */
function endpointOwner(all: ArmResource[]): (id: string) => string | undefined {
  const ids = new Set(all.map((e) => e.id.toLowerCase()));
  return (id) => {
    const lower = id.toLowerCase();
    // Every prefix ending before a '/' (and the id itself) could be an endpoint id; endpoint ids are short lists of segments.
    for (let i = lower.indexOf('/', 1); i !== -1; i = lower.indexOf('/', i + 1)) if (ids.has(lower.slice(0, i))) return lower.slice(0, i);
    return ids.has(lower) ? lower : undefined;
  };
}

/** Items by key, in their original order within each key; items without a key are left out. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** The run's outcome restricted to one endpoint's findings; a failed read fails every endpoint. */
function outcomeFor(o: PolicyOutcome, active: Finding[], waived: Finding[], failedRead: boolean): PolicyOutcome {
  const counts = emptyCounts();
  for (const f of active) counts[f.severity]++;
  const failed = failedRead || active.some((f) => failsAt(f.severity, o.threshold));
  return { ...o, active, waived, counts, verdict: failed ? 'failed' : 'passed' };
}

function checkedWhat(count: number, what: string): string {
  return what.startsWith('endpoint ') ? what : `${count} endpoint${count === 1 ? '' : 's'} of ${what}`;
}

function resultMessage(outcome: PolicyOutcome, what: string, count: number, error: CollectionError | undefined): string {
  if (error) return `The check could not run, so the gate fails closed. ${error.message}`;
  const failing = outcome.active.filter((f) => failsAt(f.severity, outcome.threshold)).length;
  const checked = checkedWhat(count, what);
  return outcome.verdict === 'failed'
    ? `${failing} finding${failing === 1 ? '' : 's'} at or above ${outcome.threshold} in ${checked}; see the summary and the SARIF log.`
    : `No finding at or above ${outcome.threshold} in ${checked} (${outcome.active.length} below it, ${outcome.waived.length} waived).`;
}

