import * as assert from 'node:assert/strict';
import type { ArmResource } from '../../shared/rules/types';
import type { LocalAzure } from './server';
import { armToken, raw, useLocalAzure } from './testSupport';

const ML = 'Microsoft.MachineLearningServices';
const HOUR = 3_600_000;

/** Online endpoints of a workspace: the scenario's own, or two added here when the scenario has none. */
function ensureEndpoints(a: LocalAzure, wsId: string, names: Array<[string, 'Enabled' | 'Disabled']>): ArmResource[] {
  const existing = a.state.children(`${wsId}/onlineEndpoints`);
  if (existing.length) return existing;
  for (const [name, access] of names) {
    a.state.put({ id: `${wsId}/onlineEndpoints/${name}`, type: `${ML}/workspaces/onlineEndpoints`, location: 'westeurope', properties: { authMode: 'Key', publicNetworkAccess: access, traffic: { blue: 100 } } });
  }
  return a.state.children(`${wsId}/onlineEndpoints`);
}

/** The endpoint the insecure story happens on: the first one open to the public network (as monitor.ts picks it). */
function exposedOf(endpoints: ArmResource[]): ArmResource {
  return endpoints.find((e) => String(e.properties?.publicNetworkAccess ?? 'Enabled').toLowerCase() !== 'disabled') ?? endpoints[0];
}

describe('local Azure: Azure Monitor metrics and activity log', () => {
  const azure = useLocalAzure({ scenarios: ['hardened', 'insecure'], pageSize: 3 });
  let token = '';
  let exposed = '';
  let quiet = '';
  let insecureWs = '';
  let anchor = 0;
  before(async () => {
    const a = azure();
    token = await armToken(a);
    insecureWs = a.scenarios.find((s) => s.name === 'insecure')!.workspaceId;
    const hardenedWs = a.scenarios.find((s) => s.name === 'hardened')!.workspaceId;
    exposed = exposedOf(ensureEndpoints(a, insecureWs, [['ep-public', 'Enabled'], ['ep-private', 'Disabled']])).id;
    quiet = ensureEndpoints(a, hardenedWs, [['ep-hardened', 'Disabled']])[0].id;
    anchor = Date.parse((await raw(a, 'GET', '/_emulator/monitoring')).json.anchor);
  });
  afterEach(async () => {
    await raw(azure(), 'DELETE', '/_emulator/monitoring');
    azure().faults.clear();
  });

  const iso = (ms: number) => new Date(ms).toISOString();
  const metrics = (resourceId: string, query: Record<string, string>, apiVersion = '2023-10-01') => {
    const q = new URLSearchParams({ 'api-version': apiVersion, ...query });
    return raw(azure(), 'GET', `${resourceId}/providers/Microsoft.Insights/metrics?${q.toString()}`, { token });
  };
  const activity = (filter: string | undefined, extra: Record<string, string> = {}) => {
    const q = new URLSearchParams({ 'api-version': '2015-04-01', ...(filter === undefined ? {} : { $filter: filter }), ...extra });
    return raw(azure(), 'GET', `/subscriptions/${azure().subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values?${q.toString()}`, { token });
  };
  const lastDay = () => `${iso(Date.now() - 24 * HOUR)}/${iso(Date.now())}`;
  const seriesTotals = (body: any, metric = 0): Record<string, number> =>
    Object.fromEntries(body.value[metric].timeseries.map((s: any) => [s.metadatavalues.map((m: any) => m.value).join('|'), s.data.reduce((n: number, p: any) => n + (p.total ?? 0), 0)]));

  describe('ARM front door', () => {
    it('needs a bearer token, with the ARM challenge', async () => {
      const res = await raw(azure(), 'GET', `${quiet}/providers/Microsoft.Insights/metrics?api-version=2023-10-01`);
      assert.equal(res.status, 401);
      assert.equal(res.json.error.code, 'AuthenticationFailed');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer authorization_uri=/);
    });

    it('needs a supported api-version', async () => {
      const none = await raw(azure(), 'GET', `${quiet}/providers/Microsoft.Insights/metrics`, { token });
      assert.equal(none.json.error.code, 'MissingApiVersionParameter');
      const wrong = await metrics(quiet, {}, '2025-09-01');
      assert.equal(wrong.status, 400);
      assert.equal(wrong.json.error.code, 'NoRegisteredProviderFound');
      const activityWrong = await raw(azure(), 'GET', `/subscriptions/${azure().subscriptionId}/providers/microsoft.insights/eventtypes/management/values?api-version=2023-10-01`, { token });
      assert.equal(activityWrong.json.error.code, 'NoRegisteredProviderFound');
    });

    it('answers 404 for a resource that does not exist', async () => {
      const res = await metrics(`${insecureWs}/onlineEndpoints/nope`, { metricnames: 'RequestsPerMinute' });
      assert.equal(res.status, 404);
      assert.equal(res.json.error.code, 'ResourceNotFound');
    });

    it('lets faults dress a 403 as AuthorizationFailed naming the metrics read action', async () => {
      azure().faults.add({ match: { path: '/providers/Microsoft.Insights/metrics' }, kind: 'status', status: 403, times: 1 });
      const res = await metrics(quiet, { metricnames: 'RequestsPerMinute' });
      assert.equal(res.status, 403);
      assert.match(res.json.error.message, /perform action 'Microsoft\.Insights\/metrics\/read'/);
    });
  });

  describe('metrics', () => {
    it('splits RequestsPerMinute by statusCode with the requested aggregations only', async () => {
      const res = await metrics(quiet, { metricnames: 'RequestsPerMinute', timespan: lastDay(), interval: 'PT1H', aggregation: 'Total,Count', $filter: "statusCode eq '*'" });
      assert.equal(res.status, 200);
      const m = res.json.value[0];
      assert.equal(m.name.value, 'RequestsPerMinute');
      assert.equal(m.errorCode, 'Success');
      assert.equal(m.unit, 'Count');
      assert.deepEqual(m.timeseries.map((s: any) => s.metadatavalues), [[{ name: { value: 'statuscode', localizedValue: 'statuscode' }, value: '200' }]]);
      const data = m.timeseries[0].data as any[];
      assert.ok(data.length === 24 || data.length === 25, `hourly buckets over a day: ${data.length}`);
      const withValues = data.filter((p) => p.total !== undefined);
      assert.ok(withValues.length >= 23);
      assert.ok(withValues.every((p) => p.count > 0 && p.average === undefined && p.total >= 2 && p.total <= 7));
      assert.equal(res.json.interval, 'PT1H');
      assert.equal(res.json.namespace, `${ML}/workspaces/onlineEndpoints`);
    });

    it('honours the timespan', async () => {
      const now = Date.now();
      const day = seriesTotals((await metrics(quiet, { metricnames: 'RequestsPerMinute', timespan: `${iso(now - 24 * HOUR)}/${iso(now)}`, interval: 'PT1H', aggregation: 'Total' })).json);
      const twoDays = seriesTotals((await metrics(quiet, { metricnames: 'RequestsPerMinute', timespan: `${iso(now - 48 * HOUR)}/${iso(now)}`, interval: 'PT1H', aggregation: 'Total' })).json);
      const future = (await metrics(quiet, { metricnames: 'RequestsPerMinute', timespan: `${iso(now + HOUR)}/${iso(now + 5 * HOUR)}`, interval: 'PT1H', aggregation: 'Total' })).json;
      assert.ok(twoDays[''] > day[''], 'two days hold more requests than one');
      assert.ok(future.value[0].timeseries[0].data.every((p: any) => p.total === undefined), 'no data in the future');
      const stamps = (await metrics(quiet, { metricnames: 'RequestsPerMinute', timespan: `${iso(now - 5 * HOUR)}/${iso(now)}`, interval: 'PT1H', aggregation: 'Total' })).json.value[0].timeseries[0].data;
      assert.ok(stamps.every((p: any) => Date.parse(p.timeStamp) > now - 6 * HOUR && Date.parse(p.timeStamp) < now));
    });

    it('honours the interval, FULL and AutoAdjustTimegrain', async () => {
      const span = lastDay();
      const sixHours = await metrics(quiet, { metricnames: 'RequestsPerMinute', timespan: span, interval: 'PT6H', aggregation: 'Total' });
      assert.ok([4, 5].includes(sixHours.json.value[0].timeseries[0].data.length));
      const full = await metrics(quiet, { metricnames: 'RequestsPerMinute', timespan: span, interval: 'FULL', aggregation: 'Total' });
      assert.equal(full.json.value[0].timeseries[0].data.length, 1);
      assert.equal(full.json.interval, 'P1D');
      const bad = await metrics(quiet, { metricnames: 'RequestsPerMinute', timespan: span, interval: 'PT7M' });
      assert.equal(bad.status, 400);
      const adjusted = await metrics(quiet, { metricnames: 'RequestsPerMinute', timespan: span, interval: 'PT7M', AutoAdjustTimegrain: 'true' });
      assert.equal(adjusted.json.interval, 'PT5M');
    });

    it('rejects unknown metrics and dimensions the metric lacks, unless ValidateDimensions=false', async () => {
      const unknown = await metrics(quiet, { metricnames: 'RequestsPerMinute,CpuUtilizationPercentage' });
      assert.equal(unknown.status, 400);
      assert.match(unknown.json.error.message, /metric: CpuUtilizationPercentage, Valid metrics: RequestsPerMinute,RequestLatency/);
      const q = { metricnames: 'RequestsPerMinute,RequestLatency', timespan: lastDay(), interval: 'PT1H', aggregation: 'Total,Count,Average', $filter: "statusCode eq '*'" };
      const strict = await metrics(quiet, q);
      assert.equal(strict.status, 400);
      assert.match(strict.json.error.message, /RequestLatency does not support requested dimension combination: statuscode/);
      const lenient = await metrics(quiet, { ...q, ValidateDimensions: 'false' });
      assert.equal(lenient.status, 200);
      const latency = lenient.json.value[1];
      assert.equal(latency.name.value, 'RequestLatency');
      assert.equal(latency.timeseries.length, 1);
      assert.deepEqual(latency.timeseries[0].metadatavalues, []);
      assert.ok(latency.timeseries[0].data.some((p: any) => p.average > 0));
    });

    it('filters by dimension values and limits series with top', async () => {
      const since = `${iso(anchor - 7 * 24 * HOUR)}/${iso(Date.now())}`;
      const base = { metricnames: 'RequestsPerMinute', timespan: since, interval: 'PT1H', aggregation: 'Total' };
      const all = seriesTotals((await metrics(exposed, { ...base, $filter: "statusCode eq '*'" })).json);
      assert.deepEqual(Object.keys(all).sort(), ['200', '401', '403', '500', '503']);
      assert.equal(all['401'] % 150, 0);
      assert.ok(all['401'] >= 6 * 150, `the surge covers the 6 hours before the anchor: ${all['401']}`);
      assert.ok(all['500'] > 7 * 24 * 3 * 0.95);
      const two = seriesTotals((await metrics(exposed, { ...base, $filter: "statusCode eq '401' or statusCode eq '403'" })).json);
      assert.deepEqual(two, { '401': all['401'], '403': all['403'] });
      const byClass = seriesTotals((await metrics(exposed, { ...base, $filter: "statusCodeClass eq '4xx'" })).json);
      assert.deepEqual(byClass, { '4xx': all['401'] + all['403'] });
      const top = (await metrics(exposed, { ...base, $filter: "statusCode eq '*'", top: '1' })).json;
      assert.deepEqual(top.value[0].timeseries.map((s: any) => s.metadatavalues[0].value), ['200']);
      const bad = await metrics(exposed, { ...base, $filter: "statusCode eq '401' or deployment eq 'blue'" });
      assert.equal(bad.status, 400);
    });

    it('serves injected series (and only them when the defaults are off)', async () => {
      const t0 = Date.now() - 3 * HOUR;
      const post = await raw(azure(), 'POST', '/_emulator/monitoring', {
        body: {
          defaults: false,
          metrics: [
            { resourceId: quiet, metric: 'RequestsPerMinute', dimensions: { statusCode: '401', deployment: 'blue' }, points: [{ timeStamp: iso(t0), total: 40, count: 20 }, { timeStamp: iso(t0 + HOUR), total: 2, count: 1 }] },
            { resourceId: quiet, metric: 'RequestLatency', points: [{ timeStamp: iso(t0), average: 120, count: 10 }] },
          ],
        },
      });
      assert.equal(post.status, 201);
      const res = await metrics(quiet, { metricnames: 'RequestsPerMinute,RequestLatency', timespan: lastDay(), interval: 'PT1H', aggregation: 'Total,Count,Average', $filter: "statusCode eq '*'", ValidateDimensions: 'false' });
      assert.deepEqual(seriesTotals(res.json), { '401': 42 });
      const latencyPoints = res.json.value[1].timeseries[0].data.filter((p: any) => p.count);
      assert.deepEqual(latencyPoints.map((p: any) => [p.average, p.count, p.total]), [[120, 10, 1200]]);
      const bucket = res.json.value[0].timeseries[0].data.find((p: any) => p.total === 40);
      assert.equal(bucket.average, 2);

      await raw(azure(), 'DELETE', '/_emulator/monitoring');
      const after = seriesTotals((await metrics(quiet, { metricnames: 'RequestsPerMinute', timespan: lastDay(), interval: 'PT1H', aggregation: 'Total', $filter: "statusCode eq '*'" })).json);
      assert.deepEqual(Object.keys(after), ['200'], 'DELETE drops injected data and restores the defaults');
    });

    it('refuses undocumented aggregations in strict mode', async () => {
      await raw(azure(), 'POST', '/_emulator/monitoring', { body: { strictAggregations: true } });
      const q = { metricnames: 'RequestsPerMinute', timespan: lastDay(), interval: 'PT1H' };
      const refused = await metrics(quiet, { ...q, aggregation: 'Average,Count' });
      assert.equal(refused.status, 400);
      assert.match(refused.json.error.message, /does not support the aggregation\(s\) count; supported: average/);
      assert.equal((await metrics(quiet, { ...q, aggregation: 'Average' })).status, 200);
      assert.equal((await metrics(quiet, q)).status, 200, 'the default aggregation is the documented one');
    });

    it('rejects malformed injections', async () => {
      const res = await raw(azure(), 'POST', '/_emulator/monitoring', { body: { metrics: [{ resourceId: quiet, metric: 'RequestsPerMinute', points: [{ total: 1 }] }] } });
      assert.equal(res.status, 400);
      assert.equal(res.json.error.code, 'InvalidMonitoringData');
    });
  });

  describe('activity log', () => {
    const window = (days: number) => `eventTimestamp ge '${iso(Date.now() - days * 24 * HOUR)}' and eventTimestamp le '${iso(Date.now())}'`;

    async function listAll(filter: string, extra: Record<string, string> = {}): Promise<{ events: any[]; pages: number }> {
      const events: any[] = [];
      let res = await activity(filter, extra);
      let pages = 1;
      for (;;) {
        assert.equal(res.status, 200, JSON.stringify(res.json));
        events.push(...res.json.value);
        if (!res.json.nextLink) return { events, pages };
        res = await raw(azure(), 'GET', res.json.nextLink, { token });
        pages++;
      }
    }

    it('tells the insecure story in its resource group, newest first, across pages', async () => {
      const { events, pages } = await listAll(`${window(7)} and resourceGroupName eq 'rg-ml-insecure'`);
      assert.ok(pages > 1, 'pageSize 3 forces several pages');
      const ops = events.map((e) => `${e.operationName.value}|${e.status.value}`);
      for (const want of [
        `${ML}/workspaces/onlineEndpoints/listKeys/action|Succeeded`,
        `${ML}/workspaces/onlineEndpoints/regenerateKeys/action|Succeeded`,
        `${ML}/workspaces/onlineEndpoints/regenerateKeys/action|Failed`,
        `${ML}/workspaces/onlineEndpoints/write|Succeeded`,
        'Microsoft.Authorization/roleAssignments/write|Succeeded',
        `${ML}/workspaces/onlineEndpoints/deployments/write|Succeeded`,
        'Microsoft.Storage/storageAccounts/listKeys/action|Succeeded',
      ]) assert.ok(ops.includes(want), want);
      assert.equal(ops.filter((o) => o === `${ML}/workspaces/onlineEndpoints/listKeys/action|Succeeded`).length, 1, 'the 10-day-old listing is outside 7 days');
      const times = events.map((e) => Date.parse(e.eventTimestamp));
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
      const write = events.find((e) => e.operationName.value.endsWith('onlineEndpoints/write') && e.status.value === 'Succeeded');
      assert.equal(write.resourceId.toLowerCase(), exposed.toLowerCase());
      assert.equal(write.caller, 'sam.quickfix@contoso.com');
      assert.equal(write.category.value, 'Administrative');
      assert.deepEqual(JSON.parse(write.properties.requestbody).properties, { authMode: 'Key', publicNetworkAccess: 'Enabled' });
      const started = events.filter((e) => e.operationId === write.operationId).map((e) => e.status.value).sort();
      assert.deepEqual(started, ['Started', 'Succeeded']);
      const deploy = events.find((e) => e.operationName.value.endsWith('deployments/write'));
      assert.equal(deploy.claims.appid, azure().clientId);
    });

    it('is quiet in other resource groups and honours the window', async () => {
      assert.deepEqual((await listAll(`${window(7)} and resourceGroupName eq 'rg-ml-hardened'`)).events, []);
      const long = await listAll(`${window(14)} and resourceGroupName eq 'rg-ml-insecure'`);
      const short = await listAll(`${window(1)} and resourceGroupName eq 'rg-ml-insecure'`);
      const count = (r: { events: any[] }, op: string) => r.events.filter((e) => e.operationName.value.endsWith(op) && e.status.value === 'Succeeded').length;
      assert.equal(count(long, 'onlineEndpoints/listKeys/action'), 2);
      assert.equal(count(short, 'roleAssignments/write'), 0, 'the role assignment is 30 hours old');
      assert.equal(count(long, 'roleAssignments/write'), 1);
    });

    it('filters by resourceUri and projects with $select', async () => {
      const { events } = await listAll(`${window(7)} and resourceUri eq '${exposed}'`, { $select: 'operationName,status,eventTimestamp' });
      assert.equal(events.length, 8, 'four operations on the endpoint itself in 7 days, two events each');
      assert.ok(events.every((e) => Object.keys(e).sort().join() === 'eventTimestamp,operationName,status'));
    });

    it('accepts only the documented $filter patterns and 90 days', async () => {
      assert.equal((await activity(undefined)).status, 400);
      assert.equal((await activity(`${window(1)} and caller eq 'x'`)).status, 400);
      assert.equal((await activity(`${window(1)} or resourceGroupName eq 'x'`)).status, 400);
      const old = await activity(window(91));
      assert.equal(old.status, 400);
      assert.match(old.json.error.message, /90 days/);
      assert.equal((await activity(window(89))).status, 200);
    });

    it('serves injected events, completed to the EventData shape', async () => {
      await raw(azure(), 'POST', '/_emulator/monitoring', {
        body: { defaults: false, events: [{ operationName: `${ML}/workspaces/write`, resourceId: insecureWs, eventTimestamp: iso(Date.now() - HOUR), caller: 'ops@contoso.com', status: 'Succeeded' }] },
      });
      const { events } = await listAll(`${window(7)} and resourceGroupName eq 'rg-ml-insecure'`);
      assert.equal(events.length, 1);
      const [e] = events;
      assert.deepEqual(e.operationName, { value: `${ML}/workspaces/write`, localizedValue: `${ML}/workspaces/write` });
      assert.deepEqual(e.status, { value: 'Succeeded', localizedValue: 'Succeeded' });
      assert.equal(e.resourceGroupName, 'rg-ml-insecure');
      assert.equal(e.subscriptionId, azure().subscriptionId);
      assert.ok(e.eventDataId && e.operationId && e.id.startsWith(insecureWs));
    });
  });
});
