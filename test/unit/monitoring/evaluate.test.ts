import * as assert from 'node:assert/strict';
import { fingerprintOf } from '../../../shared/rules/engine';
import { DEFAULT_THRESHOLDS, evaluateMonitoring, MAX_SUMMARY_EVENTS, MIN_REQUESTS_FOR_RATE } from '../../../shared/monitoring/evaluate';
import { MONITORING_RULES } from '../../../shared/monitoring/rules';
import type { MonitoringThresholds } from '../../../shared/rules/types';
import { CTX, data, EP_ID, op, PIPELINE, traffic, WS_ID } from './fixtures';

const ids = (thresholds: MonitoringThresholds | undefined, d = data()) => evaluateMonitoring(d, thresholds, CTX).findings.map((f) => f.ruleId);
const metricIds = (byStatus: Record<string, number> | undefined, thresholds?: MonitoringThresholds, latencyMs?: number) =>
  ids(thresholds, data({ endpoints: [traffic(byStatus, latencyMs)] }));

describe('monitoring: evaluateMonitoring (metrics)', () => {
  const cases: Array<{ name: string; byStatus: Record<string, number> | undefined; thresholds?: MonitoringThresholds; latencyMs?: number; expect: string[] }> = [
    // AML-MON-001, count: 100 allowed by default; strictly more fails.
    { name: '401/403 count at the default limit', byStatus: { '200': 9900, '401': 60, '403': 40 }, expect: [] },
    { name: '401/403 count one above the default limit', byStatus: { '200': 9899, '401': 61, '403': 40 }, expect: ['AML-MON-001'] },
    { name: '401/403 count below a stricter limit', byStatus: { '200': 1000, '401': 4 }, thresholds: { maxAuthFailures: 5 }, expect: [] },
    { name: '401/403 count above a stricter limit', byStatus: { '200': 1000, '401': 6 }, thresholds: { maxAuthFailures: 5 }, expect: ['AML-MON-001'] },
    // AML-MON-001, rate: 20 % by default.
    { name: '401 rate at 20 %', byStatus: { '200': 80, '401': 20 }, expect: [] },
    { name: '401 rate above 20 %', byStatus: { '200': 79, '401': 21 }, expect: ['AML-MON-001'] },
    { name: '403 counts as an auth failure', byStatus: { '200': 79, '403': 21 }, expect: ['AML-MON-001'] },
    { name: 'other 4xx are no auth failures', byStatus: { '200': 50, '404': 50, '400': 40 }, expect: [] },
    // AML-MON-002: 5 %.
    { name: '5xx at 5 %', byStatus: { '200': 95, '500': 3, '503': 2 }, expect: [] },
    { name: '5xx above 5 %', byStatus: { '200': 94, '500': 3, '504': 3 }, expect: ['AML-MON-002'] },
    { name: '5xx above a looser limit is fine', byStatus: { '200': 90, '502': 10 }, thresholds: { maxServerErrorRatePercent: 10 }, expect: [] },
    // AML-MON-003: 10 %.
    { name: '429 at 10 %', byStatus: { '200': 90, '429': 10 }, expect: [] },
    { name: '429 above 10 %', byStatus: { '200': 89, '429': 11 }, expect: ['AML-MON-003'] },
    { name: '429 with a zero limit', byStatus: { '200': 99, '429': 1 }, thresholds: { maxThrottledRatePercent: 0 }, expect: ['AML-MON-003'] },
    // AML-MON-004: 5000 ms.
    { name: 'latency at the limit', byStatus: { '200': 10 }, latencyMs: 5000, expect: [] },
    { name: 'latency above the limit', byStatus: { '200': 10 }, latencyMs: 5000.4, expect: ['AML-MON-004'] },
    { name: 'latency above a stricter limit', byStatus: {}, latencyMs: 300, thresholds: { maxLatencyMs: 250 }, expect: ['AML-MON-004'] },
    // Volume and missing data.
    { name: 'zero traffic', byStatus: {}, expect: [] },
    { name: 'rates are not judged below the minimum volume', byStatus: { '401': MIN_REQUESTS_FOR_RATE - 1 }, expect: [] },
    { name: 'rates are judged from the minimum volume', byStatus: { '401': MIN_REQUESTS_FOR_RATE }, expect: ['AML-MON-001'] },
    { name: 'the count applies below the minimum volume', byStatus: { '401': 6 }, thresholds: { maxAuthFailures: 5 }, expect: ['AML-MON-001'] },
    { name: 'RequestsPerMinute unavailable: nothing judged', byStatus: undefined, expect: [] },
    { name: 'several rules at once', byStatus: { '200': 50, '401': 200, '500': 30, '429': 40 }, latencyMs: 9000, expect: ['AML-MON-001', 'AML-MON-002', 'AML-MON-003', 'AML-MON-004'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(metricIds(c.byStatus, c.thresholds, c.latencyMs), c.expect));
  }

  it('names counts, rate, window and limit in the message, and points at the metric', () => {
    const r = evaluateMonitoring(data({ endpoints: [traffic({ '200': 800, '401': 150, '403': 50 })] }), undefined, CTX);
    const f = r.findings[0];
    assert.equal(f.resourceKind, 'onlineEndpoint');
    assert.equal(f.resourceId, EP_ID);
    assert.equal(f.severity, 'high');
    assert.equal(f.path, 'metrics/RequestsPerMinute/statusCode=401,403');
    assert.equal(f.message, 'Endpoint ep-credit answered 200 of 1000 requests with 401/403 (20 %) between 2026-05-25T12:00:00.000Z and 2026-06-01T12:00:00.000Z; the policy allows at most 100 answers.');
    assert.equal(f.fingerprint, fingerprintOf('AML-MON-001', EP_ID, f.path));
  });

  it('fingerprints do not depend on the numbers, so a waiver survives the next run', () => {
    const a = evaluateMonitoring(data({ endpoints: [traffic({ '200': 10, '401': 500 })] }), undefined, CTX).findings[0];
    const b = evaluateMonitoring(data({ endpoints: [traffic({ '200': 99, '401': 900 })] }), undefined, CTX).findings[0];
    assert.notEqual(a.message, b.message);
    assert.equal(a.fingerprint, b.fingerprint);
  });

  it('summarises traffic per endpoint, with rates and a note for missing data', () => {
    const { summary } = evaluateMonitoring(
      data({ endpoints: [traffic({ '200': 90, '401': 4, '403': 1, '429': 2, '503': 3 }, 123.6), traffic(undefined, undefined, { endpointId: `${WS_ID}/onlineEndpoints/ep-b`, name: 'ep-b', unavailable: ['RequestsPerMinute: InvalidSamplingType'] })] }),
      undefined,
      CTX,
    );
    assert.deepEqual(summary.endpoints[0], {
      endpointId: EP_ID, name: 'ep-credit', requests: 100, authFailures: 5, throttled: 2, serverErrors: 3,
      authFailureRatePercent: 5, throttledRatePercent: 2, serverErrorRatePercent: 3, avgLatencyMs: 124,
    });
    assert.equal(summary.endpoints[1].requests, null);
    assert.equal(summary.endpoints[1].avgLatencyMs, null);
    assert.equal(summary.endpoints[1].note, 'RequestsPerMinute: InvalidSamplingType');
    assert.deepEqual(summary.thresholds, { ...DEFAULT_THRESHOLDS, allowedCallers: [] });
  });

  it('rates are null without traffic', () => {
    const row = evaluateMonitoring(data({ endpoints: [traffic({})] }), undefined, CTX).summary.endpoints[0];
    assert.equal(row.requests, 0);
    assert.equal(row.authFailureRatePercent, null);
  });
});

describe('monitoring: evaluateMonitoring (activity log)', () => {
  const LIST = 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/listKeys/action';
  const REGEN = 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/regenerateKeys/action';
  const EP_WRITE = 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/write';
  const WS_WRITE = 'Microsoft.MachineLearningServices/workspaces/write';
  const RA_WRITE = 'Microsoft.Authorization/roleAssignments/write';
  const evIds = (o: Parameters<typeof op>[0], thresholds?: MonitoringThresholds) => ids(thresholds, data({ operations: [op(o)] }));

  const cases: Array<{ name: string; op: Parameters<typeof op>[0]; thresholds?: MonitoringThresholds; expect: string[] }> = [
    { name: 'keys listed by a user', op: { operationName: LIST }, expect: ['AML-MON-005'] },
    { name: 'keys regenerated by a user', op: { operationName: REGEN }, expect: ['AML-MON-005'] },
    { name: 'batch endpoint keys listed', op: { operationName: 'Microsoft.MachineLearningServices/workspaces/batchEndpoints/listKeys/action', resourceId: `${WS_ID}/batchEndpoints/be-1` }, expect: ['AML-MON-005'] },
    { name: 'keys listed by the pipeline (caller = object id)', op: { caller: PIPELINE.objectId }, expect: [] },
    { name: 'keys listed by the pipeline (appid claim, caller in other case)', op: { caller: 'someone', appId: PIPELINE.clientId.toUpperCase() }, expect: [] },
    { name: 'keys listed by an allowed operator (UPN, any case)', op: { caller: 'Ops@Contoso.com' }, thresholds: { allowedCallers: ['ops@contoso.com'] }, expect: [] },
    { name: 'allowed by object id claim', op: { objectId: 'aaaa-bbbb' }, thresholds: { allowedCallers: ['AAAA-BBBB'] }, expect: [] },
    { name: 'a failed key listing is listed, not judged', op: { status: 'Failed' }, expect: [] },
    { name: 'an operation still Started counts', op: { status: 'Started' }, expect: ['AML-MON-005'] },
    { name: 'no caller at all is untrusted', op: { caller: undefined }, expect: ['AML-MON-005'] },
    { name: 'endpoint write without a logged body', op: { operationName: EP_WRITE }, expect: ['AML-MON-006'] },
    { name: 'endpoint write switching auth mode', op: { operationName: EP_WRITE, requestLogged: true, request: { authMode: 'Key' } }, expect: ['AML-MON-006'] },
    { name: 'endpoint write of tags only (body logged, no auth or network field)', op: { operationName: EP_WRITE, requestLogged: true, request: {} }, expect: [] },
    { name: 'workspace write opening public access', op: { operationName: WS_WRITE, resourceId: WS_ID, requestLogged: true, request: { publicNetworkAccess: 'Enabled' } }, expect: ['AML-MON-006'] },
    { name: 'endpoint write by the pipeline', op: { operationName: EP_WRITE, caller: PIPELINE.objectId }, expect: [] },
    { name: 'role assignment added at the workspace', op: { operationName: RA_WRITE, resourceId: `${WS_ID}/providers/Microsoft.Authorization/roleAssignments/1234` }, expect: ['AML-MON-007'] },
    { name: 'role assignment removed: listed only', op: { operationName: 'Microsoft.Authorization/roleAssignments/delete', resourceId: `${WS_ID}/providers/Microsoft.Authorization/roleAssignments/1234` }, expect: [] },
    { name: 'deployment replaced: listed only', op: { operationName: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments/write', resourceId: `${EP_ID}/deployments/blue` }, expect: [] },
    { name: 'irrelevant operation (job submitted)', op: { operationName: 'Microsoft.MachineLearningServices/workspaces/jobs/write', resourceId: `${WS_ID}/jobs/j1` }, expect: [] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(evIds(c.op, c.thresholds), c.expect));
  }

  it('a key finding names caller, endpoint and time, and sits on the endpoint', () => {
    const [f] = evaluateMonitoring(data({ operations: [op({ operationId: 'abc' })] }), undefined, CTX).findings;
    assert.equal(f.ruleId, 'AML-MON-005');
    assert.equal(f.resourceKind, 'onlineEndpoint');
    assert.equal(f.resourceId, EP_ID);
    assert.equal(f.path, 'activityLog/abc');
    assert.equal(f.message, 'sam@contoso.com listed the keys of online endpoint ep-credit at 2026-06-01T10:00:00.0000000Z (Succeeded); the caller is neither the pipeline nor in options.monitoring.allowedCallers.');
  });

  it('a role assignment at an endpoint sits on the endpoint and names role and principal', () => {
    const [f] = evaluateMonitoring(
      data({ operations: [op({ operationName: RA_WRITE, resourceId: `${EP_ID}/providers/Microsoft.Authorization/roleAssignments/99`, requestLogged: true, request: { roleDefinitionId: '/x/roleDefinitions/b24988ac', principalId: 'p-1', principalType: 'User' } })] }),
      undefined,
      CTX,
    ).findings;
    assert.equal(f.resourceId, EP_ID);
    assert.match(f.message, /added a role assignment at online endpoint ep-credit \(request: roleDefinitionId=\/x\/roleDefinitions\/b24988ac, principalId=p-1, principalType=User\)/);
  });

  it('a workspace write without a logged body says the log has no diff', () => {
    const [f] = evaluateMonitoring(data({ operations: [op({ operationName: WS_WRITE, resourceId: WS_ID })] }), undefined, CTX).findings;
    assert.equal(f.resourceKind, 'workspace');
    assert.equal(f.resourceId, WS_ID);
    assert.match(f.message, /updated workspace mlw-prod \(the activity log does not say what changed\)/);
  });

  it('lists relevant operations newest first, trusted ones too, and counts what it leaves out', () => {
    const many = Array.from({ length: MAX_SUMMARY_EVENTS + 3 }, (_, i) =>
      op({ operationId: `op-${i}`, time: new Date(Date.UTC(2026, 4, 1) + i * 60_000).toISOString(), caller: i % 2 ? PIPELINE.objectId : 'sam@contoso.com' }));
    const jobs = op({ operationName: 'Microsoft.MachineLearningServices/workspaces/jobs/write', operationId: 'job' });
    const { summary, findings } = evaluateMonitoring(data({ operations: [...many, jobs] }), undefined, CTX);
    assert.equal(summary.events.length, MAX_SUMMARY_EVENTS);
    assert.equal(summary.eventsOmitted, 3);
    assert.equal(summary.events[0].time, many[many.length - 1].time);
    assert.ok(summary.events.every((e) => e.kind === 'keys' && e.operation === 'listed endpoint keys'));
    assert.equal(summary.events.filter((e) => e.trusted).length, summary.events.filter((e) => e.ruleId === undefined).length);
    assert.equal(findings.length, Math.ceil(many.length / 2));
  });

  it('every rule it emits is in the catalog with references', () => {
    const all = evaluateMonitoring(
      data({
        endpoints: [traffic({ '200': 10, '401': 500, '500': 100, '429': 100 }, 9999)],
        operations: [op({ operationId: '1' }), op({ operationId: '2', operationName: EP_WRITE }), op({ operationId: '3', operationName: RA_WRITE, resourceId: `${WS_ID}/providers/Microsoft.Authorization/roleAssignments/1` })],
      }),
      undefined,
      CTX,
    ).findings;
    assert.deepEqual(all.map((f) => f.ruleId).sort(), MONITORING_RULES.map((r) => r.id));
    for (const f of all) {
      const meta = MONITORING_RULES.find((r) => r.id === f.ruleId)!;
      assert.equal(f.title, meta.title);
      assert.equal(f.severity, meta.severity);
      assert.ok(meta.references.length > 0 && meta.references.every((r) => r.url.startsWith('https://')));
    }
  });
});
