import * as assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { createMlClient } from '../../../shared/azure/armClient';
import { ArmReader } from '../../../shared/azure/armReader';
import { CollectionError } from '../../../shared/azure/errors';
import { collectMonitoring, startMonitoring } from '../../../shared/azure/monitoring';
import { evaluateMonitoring } from '../../../shared/monitoring/evaluate';
import type { ArmResource } from '../../../shared/rules/types';
import type { LocalAzure } from '../../azure/server';
import { raw, secretCredential, useLocalAzure } from '../../azure/testSupport';

const ML = 'Microsoft.MachineLearningServices';
const HOUR = 3_600_000;
const METRICS_PATH = /\/providers\/microsoft\.insights\/metrics$/i;
const ACTIVITY_PATH = /\/eventtypes\/management\/values$/i;

function reader(a: LocalAzure, signal = AbortSignal.timeout(60_000)): { reader: ArmReader; requestCount: () => number } {
  // Every request in flight listens on the deadline signal; with 32 at once Node would warn of a leak.
  setMaxListeners(100, signal);
  const target = { managementUrl: a.armUrl, armScope: 'https://management.azure.com/.default', subscriptionId: a.subscriptionId };
  const { client, requestCount } = createMlClient(target, secretCredential(a), 'mlops-gates-test');
  return { reader: new ArmReader(client, a.armUrl, { signal, maxPages: 50, deadlineSeconds: 60 }), requestCount };
}

function endpoint(wsId: string, name: string, access: 'Enabled' | 'Disabled' = 'Enabled'): ArmResource {
  return { id: `${wsId}/onlineEndpoints/${name}`, type: `${ML}/workspaces/onlineEndpoints`, name, location: 'westeurope', properties: { authMode: 'Key', publicNetworkAccess: access } };
}

/** The workspace's online endpoints, adding two when the scenario has none yet. */
function endpointsOf(a: LocalAzure, wsId: string): ArmResource[] {
  if (!a.state.children(`${wsId}/onlineEndpoints`).length) {
    a.state.putAll([endpoint(wsId, 'ep-public'), endpoint(wsId, 'ep-private', 'Disabled')]);
  }
  return a.state.children(`${wsId}/onlineEndpoints`);
}

const refOf = (a: LocalAzure, name: string) => {
  const s = a.scenarios.find((x) => x.name === name)!;
  return { subscriptionId: a.subscriptionId, resourceGroup: s.resourceGroup, workspace: s.workspaceName, id: s.workspaceId };
};

describe('monitoring: collectMonitoring against the local Azure', () => {
  const azure = useLocalAzure({ scenarios: ['insecure', 'hardened'], pageSize: 4 });
  afterEach(async () => {
    azure().faults.clear();
    await raw(azure(), 'DELETE', '/_emulator/monitoring');
  });

  it('reads the insecure scenario: one metrics request per endpoint, the activity log paged, only the workspace kept', async () => {
    const a = azure();
    const ref = refOf(a, 'insecure');
    const endpoints = endpointsOf(a, ref.id);
    const exposed = endpoints.find((e) => String(e.properties?.publicNetworkAccess ?? 'Enabled').toLowerCase() !== 'disabled') ?? endpoints[0];
    const { reader: r } = reader(a);
    a.resetRequests();
    const data = await collectMonitoring(r, ref, endpoints, { days: 7, now: new Date() });

    const reqs = a.requests();
    const metricReqs = reqs.filter((q) => METRICS_PATH.test(q.path));
    const activityReqs = reqs.filter((q) => ACTIVITY_PATH.test(q.path));
    assert.equal(metricReqs.length, endpoints.length);
    assert.ok(activityReqs.length >= 4, `14 events at 4 a page: ${activityReqs.length} pages`);
    assert.equal(reqs.filter((q) => q.service === 'arm').length, endpoints.length + activityReqs.length, 'nothing else is read');
    assert.ok(metricReqs.every((q) => q.query['api-version'] === '2023-10-01' && q.query.ValidateDimensions === 'false' && q.query.$filter === "statusCode eq '*'" && q.query.aggregation === 'Average,Count'));
    assert.equal(activityReqs[0].query.$filter, `eventTimestamp ge '${data.window.start}' and eventTimestamp le '${data.window.end}' and resourceGroupName eq '${ref.resourceGroup}'`);

    const hot = data.endpoints.find((e) => e.endpointId === exposed.id)!;
    assert.ok(hot.requestsByStatus!['401'] >= 900, 'the 401 surge');
    assert.ok(hot.requestsByStatus!['500'] > 0);
    assert.ok(hot.latencyMs! >= 250 && hot.latencyMs! < 350);
    for (const other of data.endpoints.filter((e) => e !== hot)) assert.deepEqual(Object.keys(other.requestsByStatus!), ['200']);

    const names = data.operations.map((o) => `${o.operationName.split('/').slice(-2).join('/')}:${o.status}`);
    assert.deepEqual(names, [
      'deployments/write:Succeeded',
      'onlineEndpoints/write:Succeeded',
      'regenerateKeys/action:Succeeded',
      'listKeys/action:Succeeded',
      'regenerateKeys/action:Failed',
      'roleAssignments/write:Succeeded',
    ], 'newest first, Started folded in, the storage key listing and the 10-day-old one left out');
    assert.deepEqual(data.operations[1].request, { authMode: 'Key', publicNetworkAccess: 'Enabled' });

    const { findings, summary } = evaluateMonitoring(data, undefined, { pipelineCallers: [a.clientId] });
    const byRule = (id: string) => findings.filter((f) => f.ruleId === id);
    assert.deepEqual(byRule('AML-MON-001').map((f) => f.resourceId), [exposed.id]);
    assert.deepEqual(byRule('AML-MON-002').map((f) => f.resourceId), [exposed.id]);
    assert.equal(byRule('AML-MON-005').length, 2);
    assert.equal(byRule('AML-MON-006').length, 1);
    assert.equal(byRule('AML-MON-007').length, 1);
    assert.equal(findings.length, 6);
    assert.equal(summary.events.find((e) => e.kind === 'deployment')!.trusted, true, 'the pipeline deployment is trusted by its appid');
  });

  it('startMonitoring: endpoints added page by page give the same data as one call, the activity log read once', async () => {
    const a = azure();
    const ref = refOf(a, 'insecure');
    const endpoints = endpointsOf(a, ref.id);
    const now = new Date();
    const { reader: r } = reader(a);
    const whole = await collectMonitoring(r, ref, endpoints, { days: 7, now });
    a.resetRequests();
    const m = startMonitoring(r, ref, { days: 7, now, concurrency: 1 });
    // The activity log does not wait for endpoints.
    await new Promise((res) => setTimeout(res, 50));
    assert.ok(a.requests().some((q) => ACTIVITY_PATH.test(q.path)), 'activity log read before any endpoint was added');
    for (const e of endpoints) m.add([e]);
    const paged = await m.finish();
    assert.deepEqual(paged, whole);
    const activityPages = a.requests().filter((q) => ACTIVITY_PATH.test(q.path)).length;
    assert.ok(activityPages >= 4 && a.requests().filter((q) => METRICS_PATH.test(q.path)).length === endpoints.length);
    assert.throws(() => startMonitoring(r, ref, { days: 0, now }), RangeError);
  });

  it('honours the window: one day leaves the 30-hour-old role assignment out', async () => {
    const a = azure();
    const ref = refOf(a, 'insecure');
    const endpoints = endpointsOf(a, ref.id);
    const now = new Date();
    a.resetRequests();
    const data = await collectMonitoring(reader(a).reader, ref, endpoints, { days: 1, now });
    assert.deepEqual(data.window, { start: new Date(now.getTime() - 24 * HOUR).toISOString(), end: now.toISOString(), days: 1 });
    assert.ok(!data.operations.some((o) => o.operationName.endsWith('roleAssignments/write')));
    const q = a.requests().find((x) => METRICS_PATH.test(x.path))!.query;
    assert.equal(q.timespan, `${data.window.start}/${data.window.end}`);
    assert.equal(q.interval, 'PT1H');
  });

  it('turns injected series and events into exact numbers', async () => {
    const a = azure();
    const ref = refOf(a, 'hardened');
    const eps = [endpoint(ref.id, 'ep-inject-a', 'Disabled'), endpoint(ref.id, 'ep-inject-b', 'Disabled')];
    a.state.putAll(eps);
    const t = Date.now() - 5 * HOUR;
    const iso = (ms: number) => new Date(ms).toISOString();
    await raw(a, 'POST', '/_emulator/monitoring', {
      body: {
        defaults: false,
        metrics: [
          { resourceId: eps[0].id, metric: 'RequestsPerMinute', dimensions: { statusCode: '200' }, points: [{ timeStamp: iso(t), total: 70, count: 30 }, { timeStamp: iso(t + HOUR), total: 20, count: 10 }] },
          { resourceId: eps[0].id, metric: 'RequestsPerMinute', dimensions: { statusCode: '429' }, points: [{ timeStamp: iso(t), total: 10, count: 5 }] },
          { resourceId: eps[0].id, metric: 'RequestLatency', points: [{ timeStamp: iso(t), average: 100, count: 30 }, { timeStamp: iso(t + HOUR), average: 400, count: 10 }] },
          // Outside a one-day window:
          { resourceId: eps[0].id, metric: 'RequestsPerMinute', dimensions: { statusCode: '500' }, points: [{ timeStamp: iso(Date.now() - 30 * HOUR), total: 999 }] },
        ],
        events: [
          { operationName: `${ML}/workspaces/onlineEndpoints/listKeys/action`, resourceId: eps[1].id, eventTimestamp: iso(t), caller: 'ops@contoso.com', status: 'Succeeded', operationId: 'op-keys' },
          { operationName: `${ML}/workspaces/onlineEndpoints/listKeys/action`, resourceId: eps[1].id, eventTimestamp: iso(t - 1000), caller: 'ops@contoso.com', status: 'Started', operationId: 'op-keys' },
        ],
      },
    });
    const data = await collectMonitoring(reader(a).reader, { subscriptionId: ref.subscriptionId, resourceGroup: ref.resourceGroup, workspace: ref.workspace }, eps, { days: 1, now: new Date() });
    assert.deepEqual(data.endpoints[0].requestsByStatus, { '200': 90, '429': 10 });
    assert.equal(data.endpoints[0].latencyMs, (100 * 30 + 400 * 10) / 40);
    assert.deepEqual(data.endpoints[1].requestsByStatus, {});
    assert.equal(data.endpoints[1].latencyMs, undefined);
    assert.deepEqual(data.operations.map((o) => [o.operationId, o.status, o.caller]), [['op-keys', 'Succeeded', 'ops@contoso.com']]);

    const judged = (allowed: string[]) => evaluateMonitoring(data, { allowedCallers: allowed }, { pipelineCallers: [a.clientId] }).findings.map((f) => f.ruleId);
    assert.deepEqual(judged([]), ['AML-MON-005']);
    assert.deepEqual(judged(['ops@contoso.com']), []);
    const strict = evaluateMonitoring(data, { maxThrottledRatePercent: 9.9, maxLatencyMs: 150 }, { pipelineCallers: [] }).findings.map((f) => f.ruleId);
    assert.deepEqual(strict, ['AML-MON-003', 'AML-MON-004', 'AML-MON-005']);
  });

  it('asks again for Average alone when Count is refused, and estimates requests per minute', async () => {
    const a = azure();
    const ref = refOf(a, 'hardened');
    const ep = endpoint(ref.id, 'ep-strict', 'Disabled');
    a.state.put(ep);
    const t = Date.now() - 2 * HOUR;
    await raw(a, 'POST', '/_emulator/monitoring', {
      body: {
        defaults: false,
        strictAggregations: true,
        metrics: [
          { resourceId: ep.id, metric: 'RequestsPerMinute', dimensions: { statusCode: '401' }, points: [{ timeStamp: new Date(t).toISOString(), total: 40, count: 20 }] },
          { resourceId: ep.id, metric: 'RequestLatency', points: [{ timeStamp: new Date(t).toISOString(), average: 80, count: 20 }] },
        ],
      },
    });
    a.resetRequests();
    const data = await collectMonitoring(reader(a).reader, { subscriptionId: ref.subscriptionId, resourceGroup: ref.resourceGroup, workspace: ref.workspace }, [ep], { days: 1, now: new Date() });
    const aggs = a.requests().filter((q) => METRICS_PATH.test(q.path)).map((q) => [q.query.aggregation, q.status]);
    assert.deepEqual(aggs, [['Average,Count', 400], ['Average', 200]]);
    assert.deepEqual(data.endpoints[0].requestsByStatus, { '401': 2 * 60 }, 'an average of 2 a minute over an hour');
    assert.equal(data.endpoints[0].latencyMs, 80);
  });

  it('a 403 on the metrics read is a CollectionError naming the action to grant', async () => {
    const a = azure();
    const ref = refOf(a, 'insecure');
    a.faults.add({ match: { method: 'GET', path: '/providers/Microsoft.Insights/metrics' }, kind: 'status', status: 403 });
    const err = await collectMonitoring(reader(a).reader, ref, endpointsOf(a, ref.id), { days: 7, now: new Date() }).then(
      () => assert.fail('expected a CollectionError'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CollectionError);
    assert.equal(err.status, 403);
    assert.match(err.message, /^Could not read metrics of online endpoint .+ \(HTTP 403 AuthorizationFailed\)/);
    assert.match(err.message, /lacks the permission 'Microsoft\.Insights\/metrics\/read'/);
  });

  it('a 403 on the activity log names its action too', async () => {
    const a = azure();
    const ref = refOf(a, 'insecure');
    a.faults.add({ match: { method: 'GET', path: 'eventtypes/management/values' }, kind: 'status', status: 403 });
    await assert.rejects(collectMonitoring(reader(a).reader, ref, [], { days: 7, now: new Date() }), (e: unknown) => {
      assert.ok(e instanceof CollectionError);
      assert.match(e.message, /^Could not read activity log of resource group rg-ml-insecure \(HTTP 403 AuthorizationFailed\)/);
      assert.match(e.message, /'Microsoft\.Insights\/eventtypes\/values\/read'/);
      return true;
    });
  });

  it('follows nextLink only on the management endpoint and stops an endless one', async () => {
    const a = azure();
    const ref = refOf(a, 'insecure');
    a.faults.add({ match: { path: 'eventtypes/management/values' }, kind: 'endlessNextLink' });
    await assert.rejects(collectMonitoring(reader(a).reader, ref, [], { days: 7, now: new Date() }), /did not end after \d+ pages/);
  });

  it('refuses a window the activity log cannot cover', async () => {
    const a = azure();
    await assert.rejects(collectMonitoring(reader(a).reader, refOf(a, 'insecure'), [], { days: 91, now: new Date() }), RangeError);
    await assert.rejects(collectMonitoring(reader(a).reader, refOf(a, 'insecure'), [], { days: 0, now: new Date() }), RangeError);
  });
});

describe('monitoring: collectMonitoring at scale', () => {
  const azure = useLocalAzure({ scenarios: ['hardened'], latencyMs: 100 });

  it('reads 200 endpoints behind 100 ms latency in parallel', async function () {
    this.timeout(60_000);
    const a = azure();
    const ref = refOf(a, 'hardened');
    const eps = Array.from({ length: 200 }, (_, i) => endpoint(ref.id, `ep-${String(i).padStart(3, '0')}`, 'Disabled'));
    a.state.putAll(eps);
    const { reader: r, requestCount } = reader(a);
    // Token and first connection outside the timing.
    await r.list(`/subscriptions/${a.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/${ML}/workspaces`, '2025-12-01', 'workspaces');
    const before = requestCount();
    const started = Date.now();
    const data = await collectMonitoring(r, ref, eps, { days: 7, now: new Date() });
    const elapsed = Date.now() - started;
    assert.equal(data.endpoints.length, 200);
    assert.ok(data.endpoints.every((e) => (e.requestsByStatus?.['200'] ?? 0) > 0));
    assert.equal(requestCount() - before, 201, 'one metrics request per endpoint and one activity log page');
    // Sequential reads would take 20 s; 32 in flight take about 7 rounds (1-2 s here, client and server in one process).
    assert.ok(elapsed < 8000, `took ${elapsed} ms`);
  });
});
