import * as assert from 'node:assert/strict';
import type { RequestRecord } from '../../test/azure/control';
import { endpointCounts } from '../../test/azure/scenarios/endpoints';
import { countEndpointRequests, endpointRequestKind, endpointScenarioFacts, endpointTimeline, expectedEndpointRequests, type EndpointScenarioFacts } from '../endpointAudit';

const WS = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws';

function rec(over: Partial<RequestRecord> & { path: string; t: number }): RequestRecord {
  const { t, ...rest } = over;
  return { method: 'GET', query: {}, status: 200, time: new Date(t).toISOString(), durationMs: 100, service: 'arm', ...rest };
}

describe('bench: EndpointHardeningCheck request accounting', () => {
  it('counts the scenario the way the emulator builds it', () => {
    const f = endpointScenarioFacts(200);
    const c = endpointCounts(200);
    assert.equal(f.online, c.online);
    assert.equal(f.batch, c.batch);
    assert.equal(f.deploymentsPerEndpoint.length, c.online + c.batch);
    assert.equal(f.deploymentsPerEndpoint.reduce((a, b) => a + b, 0), c.onlineDeployments + c.batchDeployments);
    // Two Kubernetes computes on two clusters, three batch clusters, five computes no endpoint uses.
    assert.deepEqual([f.computes, f.kubernetesClusters, f.hasRegistry], [10, 2, true]);
    // Reader and Data Scientist at the workspace, Contributor at the group, one at a compute, one per tenth endpoint.
    assert.equal(f.rawRoleAssignments, 4 + 20);
    assert.equal(f.keptRoleDefinitions, 3);
  });

  it('applies the collector formula: pages per list, one list per endpoint, one metrics read per online endpoint', () => {
    const f: EndpointScenarioFacts = {
      online: 120, batch: 3, deploymentsPerEndpoint: [...Array(120).fill(3), 60, 1, 0], computes: 51, kubernetesClusters: 2, hasRegistry: true,
      rawRoleAssignments: 50, keptRoleDefinitions: 4, anonymousEnvironmentVersions: 2, activityEvents: 0,
    };
    const e = expectedEndpointRequests(f, 50);
    assert.deepEqual(e.byKind, {
      workspace: 1, onlineEndpoints: 3, batchEndpoints: 1, deployments: 120 + 2 + 1 + 1, computes: 2, extensions: 2, registry: 1,
      roleAssignments: 1, roleDefinitions: 4, environmentVersions: 2, metrics: 120, activityLog: 1,
    });
    assert.equal(e.monitoring, 121);
    assert.equal(e.total, e.inventory + e.monitoring);
    assert.equal(expectedEndpointRequests({ ...f, hasRegistry: false }, 50).byKind.registry, 0);
  });

  it('names every request kind of a run, and reports what no formula term covers', () => {
    const ep = `${WS}/onlineEndpoints/ep-0001`;
    const kinds: Array<[string, string | undefined]> = [
      [WS, 'workspace'],
      [`${WS}/onlineEndpoints`, 'onlineEndpoints'],
      [`${WS}/batchEndpoints`, 'batchEndpoints'],
      [`${ep}/deployments`, 'deployments'],
      [`${WS}/computes`, 'computes'],
      ['/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks/providers/Microsoft.KubernetesConfiguration/extensions', 'extensions'],
      ['/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/cr1', 'registry'],
      [`${WS}/providers/Microsoft.Authorization/roleAssignments`, 'roleAssignments'],
      ['/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/acdd72a7', 'roleDefinitions'],
      [`${WS}/environments/CliV2AnonymousEnvironment/versions/abc`, 'environmentVersions'],
      [`${ep}/providers/Microsoft.Insights/metrics`, 'metrics'],
      ['/subscriptions/s1/providers/Microsoft.Insights/eventtypes/management/values', 'activityLog'],
      [`${ep}/deployments/blue`, undefined],
      [`${ep}/listKeys`, undefined],
    ];
    for (const [path, kind] of kinds) assert.equal(endpointRequestKind(path), kind, path);
    const c = countEndpointRequests([
      rec({ path: `${ep}/deployments`, t: 0 }),
      rec({ path: `${ep}/deployments/blue`, t: 0 }),
      rec({ path: `${ep}/listKeys`, method: 'POST', t: 0 }),
      rec({ path: '/_scoring/rg/ep-0001/score', method: 'POST', service: 'other', t: 0 }),
    ]);
    assert.deepEqual(c.byKind, { deployments: 1 });
    assert.equal(c.armTotal, 3);
    assert.equal(c.nonGet, 1);
    assert.deepEqual(c.unexpected, [`GET ${ep}/deployments/blue`, `POST ${ep}/listKeys`]);
  });

  it('splits a run into start-up, sign-in, inventory, monitoring, probes and tail, with the peak in flight', () => {
    const spawn = 50_000;
    const ep = `${WS}/onlineEndpoints/ep-0001`;
    const log = [
      rec({ path: '/demo-org/_apis/distributedtask', method: 'OPTIONS', service: 'devops', t: spawn + 600 }),
      rec({ path: '/t/oauth2/v2.0/token', method: 'POST', service: 'entra', t: spawn + 710 }),
      rec({ path: WS, t: spawn + 820 }),
      rec({ path: `${WS}/onlineEndpoints`, t: spawn + 820 }),
      rec({ path: `${ep}/deployments`, t: spawn + 930 }),
      rec({ path: `${ep}/deployments`, t: spawn + 950, durationMs: 120 }),
      rec({ path: `${ep}/providers/Microsoft.Insights/metrics`, t: spawn + 935 }),
      rec({ path: '/_scoring/rg/ep-0001/score', method: 'POST', service: 'other', t: spawn + 940, durationMs: 300 }),
    ];
    const t = endpointTimeline(log, spawn, spawn + 1500, 100);
    assert.equal(t.startupMs, 600);
    assert.deepEqual(t.signIn, { fromMs: 600, toMs: 810, requests: 2, peakInFlight: 1 });
    assert.deepEqual(t.inventory, { fromMs: 820, toMs: 1070, requests: 4, peakInFlight: 2 });
    assert.deepEqual(t.monitoring, { fromMs: 935, toMs: 1035, requests: 1, peakInFlight: 1 });
    assert.deepEqual(t.probes, { fromMs: 940, toMs: 1240, requests: 1, peakInFlight: 1 });
    assert.equal(t.tailMs, 1500 - 1240);
    assert.equal(t.inventoryRoundTrips, 3);
    // A request that ends as another arrives does not overlap it.
    const back = endpointTimeline([rec({ path: WS, t: spawn }), rec({ path: WS, t: spawn + 100 })], spawn, spawn + 300, 100);
    assert.equal(back.inventory!.peakInFlight, 1);
  });
});
