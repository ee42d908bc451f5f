/**
 * Judges monitoring evidence against the policy's thresholds: findings AML-MON-001..007 and the table model of
 * the Markdown summary. Pure: no clock, no I/O; the window comes with the data.
 */
import { fingerprintOf } from '../rules/engine';
import type { Finding, MonitoringThresholds, RuleMeta } from '../rules/types';
import { classify, mayChangeAuthOrNetwork, scopeOf } from './activity';
import { MON_AUTH_CHANGE, MON_AUTH_FAILURES, MON_KEYS, MON_LATENCY, MON_ROLE_ASSIGNMENT, MON_SERVER_ERRORS, MON_THROTTLED } from './rules';
import type {
  ActivityOperation,
  EffectiveThresholds,
  EndpointSummaryRow,
  EndpointTraffic,
  EventSummaryRow,
  MonitoringContext,
  MonitoringData,
  MonitoringSummary,
} from './types';

/** The defaults policy.schema.json names for options.monitoring. */
export const DEFAULT_THRESHOLDS: Readonly<Omit<EffectiveThresholds, 'allowedCallers'>> = {
  maxAuthFailures: 100,
  maxAuthFailureRatePercent: 20,
  maxServerErrorRatePercent: 5,
  maxThrottledRatePercent: 10,
  maxLatencyMs: 5000,
};

/**
 * Rates are judged only from this many requests in the window: one refused smoke test out of three calls is
 * 33 % but no signal. Counts (maxAuthFailures) apply at any volume.
 */
export const MIN_REQUESTS_FOR_RATE = 20;

/** Rows of the activity table; older relevant operations are counted in eventsOmitted. */
export const MAX_SUMMARY_EVENTS = 50;

export function effectiveThresholds(t: MonitoringThresholds | undefined): EffectiveThresholds {
  return {
    maxAuthFailures: t?.maxAuthFailures ?? DEFAULT_THRESHOLDS.maxAuthFailures,
    maxAuthFailureRatePercent: t?.maxAuthFailureRatePercent ?? DEFAULT_THRESHOLDS.maxAuthFailureRatePercent,
    maxServerErrorRatePercent: t?.maxServerErrorRatePercent ?? DEFAULT_THRESHOLDS.maxServerErrorRatePercent,
    maxThrottledRatePercent: t?.maxThrottledRatePercent ?? DEFAULT_THRESHOLDS.maxThrottledRatePercent,
    maxLatencyMs: t?.maxLatencyMs ?? DEFAULT_THRESHOLDS.maxLatencyMs,
    allowedCallers: [...(t?.allowedCallers ?? [])],
  };
}

interface Counts {
  requests: number;
  authFailures: number;
  throttled: number;
  serverErrors: number;
}

function countsOf(byStatus: Record<string, number>): Counts {
  const c: Counts = { requests: 0, authFailures: 0, throttled: 0, serverErrors: 0 };
  for (const [code, n] of Object.entries(byStatus)) {
    if (!Number.isFinite(n) || n <= 0) continue;
    c.requests += n;
    const status = Number.parseInt(code, 10);
    if (status === 401 || status === 403) c.authFailures += n;
    else if (status === 429) c.throttled += n;
    else if (status >= 500 && status <= 599) c.serverErrors += n;
  }
  return c;
}

function pct(part: number, whole: number): number | null {
  return whole > 0 ? (part * 100) / whole : null;
}

/** A percentage for messages: one decimal, no trailing .0. */
function showPct(p: number): string {
  return `${Number(p.toFixed(1))} %`;
}

function round(n: number): number {
  return Math.round(n);
}

function finding(rule: RuleMeta, resourceKind: Finding['resourceKind'], resourceId: string, path: string, message: string): Finding {
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    resourceKind,
    resourceId,
    message,
    path,
    fingerprint: fingerprintOf(rule.id, resourceId, path),
  };
}

function judgeTraffic(ep: EndpointTraffic, t: EffectiveThresholds, window: string, findings: Finding[]): EndpointSummaryRow {
  const notes = [...ep.unavailable];
  const row: EndpointSummaryRow = {
    endpointId: ep.endpointId,
    name: ep.name,
    requests: null,
    authFailures: null,
    throttled: null,
    serverErrors: null,
    authFailureRatePercent: null,
    throttledRatePercent: null,
    serverErrorRatePercent: null,
    avgLatencyMs: ep.latencyMs === undefined ? null : round(ep.latencyMs),
  };
  if (ep.requestsByStatus) {
    const c = countsOf(ep.requestsByStatus);
    Object.assign(row, {
      requests: round(c.requests),
      authFailures: round(c.authFailures),
      throttled: round(c.throttled),
      serverErrors: round(c.serverErrors),
      authFailureRatePercent: pct(c.authFailures, c.requests),
      throttledRatePercent: pct(c.throttled, c.requests),
      serverErrorRatePercent: pct(c.serverErrors, c.requests),
    });
    const judgeRates = c.requests >= MIN_REQUESTS_FOR_RATE;
    if (c.requests > 0 && !judgeRates) notes.push(`rates not judged below ${MIN_REQUESTS_FOR_RATE} requests`);
    const authRate = pct(c.authFailures, c.requests) ?? 0;
    const overCount = c.authFailures > t.maxAuthFailures;
    const overRate = judgeRates && authRate > t.maxAuthFailureRatePercent;
    if (overCount || overRate) {
      const limits = [overCount ? `at most ${t.maxAuthFailures} answers` : '', overRate ? `at most ${showPct(t.maxAuthFailureRatePercent)}` : ''].filter(Boolean).join(' and ');
      findings.push(finding(MON_AUTH_FAILURES, 'onlineEndpoint', ep.endpointId, 'metrics/RequestsPerMinute/statusCode=401,403',
        `Endpoint ${ep.name} answered ${round(c.authFailures)} of ${round(c.requests)} requests with 401/403 (${showPct(authRate)}) ${window}; the policy allows ${limits}.`));
    }
    const serverRate = pct(c.serverErrors, c.requests) ?? 0;
    if (judgeRates && serverRate > t.maxServerErrorRatePercent) {
      findings.push(finding(MON_SERVER_ERRORS, 'onlineEndpoint', ep.endpointId, 'metrics/RequestsPerMinute/statusCode=5xx',
        `Endpoint ${ep.name} answered ${round(c.serverErrors)} of ${round(c.requests)} requests with 5xx (${showPct(serverRate)}) ${window}; the policy allows ${showPct(t.maxServerErrorRatePercent)}.`));
    }
    const throttledRate = pct(c.throttled, c.requests) ?? 0;
    if (judgeRates && throttledRate > t.maxThrottledRatePercent) {
      findings.push(finding(MON_THROTTLED, 'onlineEndpoint', ep.endpointId, 'metrics/RequestsPerMinute/statusCode=429',
        `Endpoint ${ep.name} answered ${round(c.throttled)} of ${round(c.requests)} requests with 429 (${showPct(throttledRate)}) ${window}; the policy allows ${showPct(t.maxThrottledRatePercent)}.`));
    }
  }
  if (ep.latencyMs !== undefined && ep.latencyMs > t.maxLatencyMs) {
    findings.push(finding(MON_LATENCY, 'onlineEndpoint', ep.endpointId, 'metrics/RequestLatency',
      `Endpoint ${ep.name} averaged ${round(ep.latencyMs)} ms per request ${window}; the policy allows ${t.maxLatencyMs} ms.`));
  }
  if (notes.length) row.note = notes.join('; ');
  return row;
}

function lastSegment(id: string): string {
  return id.split('/').filter(Boolean).pop() ?? id;
}

function describeRequest(op: ActivityOperation, keys: string[]): string {
  const parts = keys.filter((k) => op.request?.[k] !== undefined).map((k) => `${k}=${op.request![k]}`);
  if (parts.length) return ` (request: ${parts.join(', ')})`;
  return op.requestLogged ? '' : ' (the activity log does not say what changed)';
}

function judgeOperation(op: ActivityOperation, data: MonitoringData, trusted: (op: ActivityOperation) => boolean, findings: Finding[]): EventSummaryRow | undefined {
  const kind = classify(op.operationName);
  if (!kind) return undefined;
  const scope = scopeOf(op.resourceId, data.workspaceId);
  const who = op.caller ?? op.objectId ?? op.appId ?? 'an unidentified caller';
  const isTrusted = trusted(op);
  const what = scope.kind === 'workspace' ? `workspace ${lastSegment(scope.id)}` : `${scope.kind === 'onlineEndpoint' ? 'online' : 'batch'} endpoint ${lastSegment(scope.id)}`;
  const row: EventSummaryRow = {
    time: op.time,
    kind: kind.kind,
    operation: kind.label,
    operationName: op.operationName,
    resourceId: op.resourceId,
    caller: who,
    status: op.status,
    trusted: isTrusted,
  };
  // A failed or canceled operation changed nothing and returned no keys: listed, not judged.
  const failed = /^(failed|canceled|cancelled)$/i.test(op.status);
  if (isTrusted || failed) return row;
  const tail = `at ${op.time} (${op.status}); the caller is neither the pipeline nor in options.monitoring.allowedCallers.`;
  const path = `activityLog/${op.operationId || op.time}`;
  let rule: RuleMeta | undefined;
  let message = '';
  if (kind.kind === 'keys') {
    rule = MON_KEYS;
    message = `${who} ${kind.verb} ${what} ${tail}`;
  } else if ((kind.kind === 'endpointWrite' || kind.kind === 'workspaceWrite') && mayChangeAuthOrNetwork(op)) {
    rule = MON_AUTH_CHANGE;
    message = `${who} ${kind.verb} ${what}${describeRequest(op, ['authMode', 'publicNetworkAccess', 'isolationMode', 'allowPublicAccessWhenBehindVnet', 'defaultAction'])} ${tail}`;
  } else if (kind.kind === 'roleAssignment' && /\/write$/i.test(op.operationName)) {
    rule = MON_ROLE_ASSIGNMENT;
    message = `${who} ${kind.verb} ${what}${describeRequest(op, ['roleDefinitionId', 'principalId', 'principalType'])} ${tail}`;
  }
  if (rule) {
    findings.push(finding(rule, scope.kind, scope.id, path, message));
    row.ruleId = rule.id;
  }
  return row;
}

/**
 * Findings and the summary model for one workspace's monitoring evidence. Operations by the pipeline
 * (ctx.pipelineCallers) or by options.monitoring.allowedCallers are listed but never judged.
 */
export function evaluateMonitoring(
  data: MonitoringData,
  thresholds: MonitoringThresholds | undefined,
  ctx: MonitoringContext,
): { findings: Finding[]; summary: MonitoringSummary } {
  const t = effectiveThresholds(thresholds);
  const findings: Finding[] = [];
  const window = `between ${data.window.start} and ${data.window.end}`;
  const endpoints = data.endpoints.map((ep) => judgeTraffic(ep, t, window, findings));

  const allowed = new Set([...ctx.pipelineCallers, ...t.allowedCallers].map((x) => x.trim().toLowerCase()).filter(Boolean));
  const trusted = (op: ActivityOperation) => [op.caller, op.appId, op.objectId].some((x) => x !== undefined && allowed.has(x.trim().toLowerCase()));
  const rows: EventSummaryRow[] = [];
  for (const op of data.operations) {
    const row = judgeOperation(op, data, trusted, findings);
    if (row) rows.push(row);
  }
  rows.sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  return {
    findings,
    summary: {
      window: data.window,
      thresholds: t,
      endpoints,
      events: rows.slice(0, MAX_SUMMARY_EVENTS),
      eventsOmitted: Math.max(0, rows.length - MAX_SUMMARY_EVENTS),
    },
  };
}
