/**
 * Endpoints in the local Azure and the collector that reads them: collectEndpointInventory against `hardened`,
 * `insecure` and `endpoints:200` (counts, what is kept and dropped, the request formula from the request log),
 * the endpointName filter, the scoring hosts (401 / 200 / plain HTTP closed or served), and SecurityGate's audit
 * of the workspaces, which the endpoints must not change.
 */
import * as assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { connect } from 'node:net';
import { createMlClient } from '../../shared/azure/armClient';
import { ArmReader } from '../../shared/azure/armReader';
import { anonymousEnvironmentIds, collectEndpointInventory, keepAssignments, keepComputes, mayApplyToEndpoints } from '../../shared/azure/endpointInventory';
import { CollectionError } from '../../shared/azure/errors';
import { collectWorkspaceInventory, type WorkspaceRef } from '../../shared/azure/inventory';
import { ALL_RULES } from '../../shared/rules/catalog';
import { evaluate } from '../../shared/rules/engine';
import { workspaceAuditRules } from '../../shared/rules/scope';
import type { ArmResource, WorkspaceInventory } from '../../shared/rules/types';
import { sweep } from '../agent/sweep';
import type { RequestRecord } from './control';
import { buildScenario } from './scenarios';
import { endpointCounts } from './scenarios/endpoints';
import { scoringPosture } from './scoring';
import { startLocalAzure, type LocalAzure } from './server';
import { secretCredential, trustedCaDir, useLocalAzure } from './testSupport';

const HARDENED = 'rg-ml-hardened';
const INSECURE = 'rg-ml-insecure';
const ENDPOINTS = 'rg-ml-endpoints';

function refOf(azure: LocalAzure, rg: string): WorkspaceRef {
  const s = azure.scenarios.find((x) => x.resourceGroup === rg)!;
  return { subscriptionId: azure.subscriptionId, resourceGroup: rg, workspace: s.workspaceName };
}

function clientFor(azure: LocalAzure) {
  const { client } = createMlClient({ managementUrl: azure.armUrl, armScope: 'https://management.azure.com/.default', subscriptionId: azure.subscriptionId }, secretCredential(azure), 'mlops-gates-tests');
  const signal = AbortSignal.timeout(120_000);
  // Every request in flight listens on the deadline signal: 32 at once exceed Node's default warning threshold.
  setMaxListeners(0, signal);
  const reader = new ArmReader(client, azure.armUrl, { signal, maxPages: 1000, deadlineSeconds: 120 });
  return { client, reader };
}

const names = (rs: ArmResource[] | undefined) => (rs ?? []).map((r) => r.name!).sort();
const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));

/** Every ARM request of a collection, by what it read; throws on a request that fits no category. */
function categorize(requests: RequestRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests.filter((x) => x.service === 'arm')) {
    assert.equal(r.method, 'GET', `${r.method} ${r.path}`);
    assert.doesNotMatch(r.path, /listkeys|gettoken|listsecrets|regenerate/i);
    const p = r.path.toLowerCase();
    const kind =
      /\/providers\/microsoft\.authorization\/roleassignments$/.test(p) ? 'roleAssignments'
      : /\/providers\/microsoft\.authorization\/roledefinitions\/[^/]+$/.test(p) ? 'roleDefinitions'
      : /\/providers\/microsoft\.kubernetesconfiguration\/extensions$/.test(p) ? 'extensions'
      : /\/microsoft\.containerregistry\/registries\/[^/]+$/.test(p) ? 'registry'
      : /\/(online|batch)endpoints\/[^/]+\/deployments$/.test(p) ? 'deploymentLists'
      : /\/onlineendpoints$/.test(p) ? 'onlineEndpoints'
      : /\/batchendpoints$/.test(p) ? 'batchEndpoints'
      : /\/(online|batch)endpoints\/[^/]+$/.test(p) ? 'endpointGets'
      : /\/environments\/[^/]+\/versions\/[^/]+$/.test(p) ? 'environmentVersions'
      : /\/computes$/.test(p) ? 'computes'
      : /\/workspaces\/[^/]+$/.test(p) ? 'workspace'
      : undefined;
    assert.ok(kind, `unexpected request ${r.path}`);
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

/** Role assignments ARM lists at the workspace without a filter: at, above and below it. */
function rawAssignmentCount(azure: LocalAzure, wsId: string): number {
  const ws = wsId.toLowerCase();
  return azure.state.ofType('Microsoft.Authorization/roleAssignments').filter((a) => {
    const s = String(a.properties?.scope).toLowerCase();
    return s === '/' || ws === s || ws.startsWith(`${s}/`) || s.startsWith(`${ws}/`);
  }).length;
}

/** The documented formula (see endpointInventory.ts), from what was collected and what the store holds. */
function expectedRequests(azure: LocalAzure, inv: WorkspaceInventory, pageSize: number): Record<string, number> {
  const endpoints = [...inv.onlineEndpoints!, ...inv.batchEndpoints!];
  const deployments = [...inv.onlineDeployments!, ...inv.batchDeployments!];
  const perEndpoint = endpoints.map((e) => deployments.filter((d) => d.id.toLowerCase().startsWith(`${e.id.toLowerCase()}/deployments/`)).length);
  const clusters = new Set(inv.computes.filter((c) => c.properties?.computeType === 'Kubernetes').map((c) => String(c.properties?.resourceId).toLowerCase()));
  const out: Record<string, number> = {
    workspace: 1,
    onlineEndpoints: pages(inv.onlineEndpoints!.length, pageSize),
    batchEndpoints: pages(inv.batchEndpoints!.length, pageSize),
    deploymentLists: perEndpoint.reduce((sum, n) => sum + pages(n, pageSize), 0),
    computes: pages(azure.state.children(`${inv.workspace.id}/computes`).length, pageSize),
    extensions: clusters.size,
    registry: 1,
    roleAssignments: pages(rawAssignmentCount(azure, inv.workspace.id), pageSize),
    roleDefinitions: new Set(inv.roleAssignments.map((a) => String(a.properties?.roleDefinitionId).toLowerCase())).size,
  };
  // One GET per distinct anonymous environment version, counted from the deployments rather than from what was kept.
  const anonymous = new Set(deployments.map((d) => String(d.properties?.environmentId ?? '').toLowerCase()).filter((id) => id.includes('/environments/cliv2anonymousenvironment/versions/')));
  if (anonymous.size) out.environmentVersions = anonymous.size;
  return out;
}

describe('local Azure: endpoints and collectEndpointInventory', function () {
  this.timeout(120_000);
  const local = useLocalAzure({ scenarios: ['hardened', 'insecure', 'endpoints:200'] });
  let azure: LocalAzure;
  let reader: ArmReader;
  before(() => {
    azure = local();
    reader = clientFor(azure).reader;
  });
  beforeEach(() => {
    azure.faults.clear();
    azure.settings.pageSize = 50;
    azure.resetRequests();
  });

  describe('collecting', () => {
    it('hardened: two private token-only online endpoints, a batch endpoint, their computes, the TLS extension, the endpoint role', async () => {
      const inv = await collectEndpointInventory(reader, refOf(azure, HARDENED));
      assert.deepEqual(names(inv.onlineEndpoints), ['ep-credit-scoring', 'ep-credit-scoring-aks']);
      assert.deepEqual(names(inv.onlineDeployments), ['blue', 'blue']);
      assert.deepEqual(names(inv.batchEndpoints), ['be-credit-batch']);
      assert.deepEqual(names(inv.batchDeployments), ['nightly']);
      // The referenced cluster and the Kubernetes compute; the compute instance is no endpoint's business.
      assert.deepEqual(names(inv.computes), ['cpu-cluster', 'k8s-inference']);
      assert.equal(inv.kubernetesExtensions!.length, 1);
      assert.equal(inv.kubernetesExtensions![0].properties!.configurationSettings.allowInsecureConnections, 'False');
      assert.equal(inv.containerRegistry!.name, 'crmlwhardened01');
      const blue = inv.onlineDeployments!.find((d) => d.id.includes('/ep-credit-scoring/'))!;
      assert.equal(blue.properties!.dataCollector.collections.model_inputs.dataCollectionMode, 'Enabled', 'read at an api-version that has dataCollector');
      assert.equal(blue.sku!.capacity, 2);
      const managed = inv.onlineEndpoints!.find((e) => e.name === 'ep-credit-scoring')!;
      assert.match(managed.properties!.scoringUri, new RegExp(`^${azure.armUrl}_scoring/${HARDENED}/ep-credit-scoring/score$`));
      const scopes = inv.roleAssignments.map((a) => String(a.properties!.scope));
      assert.ok(scopes.some((s) => s === managed.id), 'the endpoint-scoped assignment is kept');
      assert.ok(scopes.some((s) => s.endsWith('/resourceGroups/rg-ml-hardened')), 'inherited assignments are kept');
      assert.ok(inv.roleDefinitions.some((d) => d.properties!.roleName === 'ML Endpoint Invoker (custom)'));
      assert.deepEqual([inv.datastores, inv.connections, inv.privateEndpointConnections, inv.diagnosticSettings], [[], [], [], []]);
    });

    it('insecure: the exposed endpoints, their plain-text secret environment variable, and the insecure extension', async () => {
      const inv = await collectEndpointInventory(reader, refOf(azure, INSECURE));
      assert.deepEqual(names(inv.onlineEndpoints), ['ep-churn-aks', 'ep-churn-public']);
      assert.equal(inv.onlineDeployments!.length, 4);
      const pub = inv.onlineEndpoints!.find((e) => e.name === 'ep-churn-public')!;
      assert.deepEqual([pub.properties!.authMode, pub.properties!.publicNetworkAccess, pub.identity!.type], ['Key', 'Enabled', 'None']);
      assert.deepEqual(pub.properties!.traffic, { blue: 60, green: 30 });
      assert.deepEqual(pub.properties!.mirrorTraffic, { shadow: 80 });
      assert.match(inv.onlineEndpoints!.find((e) => e.name === 'ep-churn-aks')!.properties!.scoringUri, /^http:\/\/127\.0\.0\.1:\d+\/_scoring\//);
      // The real service returns deployment environment variables on GET; so does the emulator.
      const stored = azure.state.get(`${pub.id}/deployments/blue`)!.properties!.environmentVariables.AZURE_STORAGE_CONNECTION_STRING as string;
      const blue = inv.onlineDeployments!.find((d) => d.id === `${pub.id}/deployments/blue`)!;
      assert.equal(blue.properties!.environmentVariables.AZURE_STORAGE_CONNECTION_STRING, stored);
      assert.match(stored, /AccountKey=[A-Za-z0-9+/]{86}==;/);
      assert.equal(blue.properties!.livenessProbe, null);
      assert.equal(blue.properties!.dataCollector, undefined);
      assert.deepEqual(names(inv.computes), ['gpu-cluster', 'k8s-inference']);
      assert.equal(inv.kubernetesExtensions![0].properties!.configurationSettings.allowInsecureConnections, 'True');
      assert.equal(inv.batchEndpoints![0].properties!.defaults.deploymentName, null);
      const user = inv.roleAssignments.find((a) => a.properties!.scope === pub.id);
      assert.equal(user?.properties!.principalType, 'User');
    });

    it('endpoints:200: every endpoint and deployment, only referenced and Kubernetes computes, and the request formula', async () => {
      const counts = endpointCounts(200);
      const inv = await collectEndpointInventory(reader, refOf(azure, ENDPOINTS));
      assert.equal(inv.onlineEndpoints!.length, counts.online);
      assert.equal(inv.onlineDeployments!.length, counts.onlineDeployments);
      assert.equal(inv.batchEndpoints!.length, counts.batch);
      assert.equal(inv.batchDeployments!.length, counts.batchDeployments);
      assert.deepEqual(names(inv.computes), ['batch-cluster-01', 'batch-cluster-02', 'batch-cluster-03', 'k8s-dev', 'k8s-prod']);
      assert.equal(inv.kubernetesExtensions!.length, 2);
      const scopes = inv.roleAssignments.map((a) => String(a.properties!.scope).toLowerCase());
      assert.equal(scopes.filter((s) => s.includes('/onlineendpoints/')).length, 20);
      assert.ok(!scopes.some((s) => s.includes('/computes/')), 'a compute-scoped assignment is dropped');
      // Varied by index: both postures, Kubernetes and managed, secrets in some environment variables.
      const postures = new Set(inv.onlineEndpoints!.map(scoringPosture));
      assert.deepEqual([...postures].sort(), ['exposed', 'protected']);
      assert.equal(inv.onlineEndpoints!.filter((e) => e.properties!.compute).length, 20);
      assert.ok(inv.onlineDeployments!.filter((d) => d.properties!.environmentVariables.AZURE_STORAGE_CONNECTION_STRING).length >= 20);

      const seen = categorize(azure.requests());
      assert.deepEqual(seen, expectedRequests(azure, inv, 50));
      // One list per endpoint, whatever the number of deployments: 220 endpoints, 220 deployment requests.
      assert.equal(seen.deploymentLists, counts.online + counts.batch);
    });

    it('follows every page to the end (page size 2) and the formula still holds', async () => {
      azure.settings.pageSize = 2;
      const inv = await collectEndpointInventory(reader, refOf(azure, ENDPOINTS));
      assert.equal(inv.onlineDeployments!.length, endpointCounts(200).onlineDeployments);
      const seen = categorize(azure.requests());
      assert.deepEqual(seen, expectedRequests(azure, inv, 2));
      assert.equal(seen.deploymentLists, 200 * 2 + 20);
    });

    it('works page by page: each page of online endpoints is handed out, and its deployments read, while the next page is read', async () => {
      const seen: string[][] = [];
      const inv = await collectEndpointInventory(reader, refOf(azure, ENDPOINTS), { onOnlineEndpoints: (page) => seen.push(page.map((e) => e.name!)) });
      assert.deepEqual(seen.map((p) => p.length), [50, 50, 50, 50]);
      assert.deepEqual(seen.flat(), inv.onlineEndpoints!.map((e) => e.name!));
      const log = azure.requests().filter((r) => r.service === 'arm');
      const pageRequests = log.filter((r) => /\/onlineEndpoints$/.test(r.path)).map((r) => Date.parse(r.time));
      const firstPage = inv.onlineEndpoints!.slice(0, 50).map((e) => e.id.toLowerCase());
      const firstPageLists = log.filter((r) => firstPage.some((id) => r.path.toLowerCase() === `${id}/deployments`)).map((r) => Date.parse(r.time));
      assert.equal(firstPageLists.length, 50);
      assert.ok(Math.min(...firstPageLists) < Math.max(...pageRequests), 'deployments of page 1 were read before the last page was asked for');
      // Lists finish in any order; the inventory keeps the endpoints' order.
      const owner = (d: ArmResource) => inv.onlineEndpoints!.findIndex((e) => d.id.toLowerCase().startsWith(`${e.id.toLowerCase()}/deployments/`));
      const order = inv.onlineDeployments!.map(owner);
      assert.ok(order.every((o, i) => o >= 0 && (i === 0 || o >= order[i - 1])), 'deployments in endpoint order');
    });

    it('reads role definitions as soon as the assignments are listed, not after the last page of endpoints', async () => {
      azure.settings.pageSize = 2;
      const inv = await collectEndpointInventory(reader, refOf(azure, ENDPOINTS));
      const log = azure.requests().filter((r) => r.service === 'arm');
      const lastPage = Math.max(...log.filter((r) => /\/onlineEndpoints$/.test(r.path)).map((r) => Date.parse(r.time)));
      const definitions = log.filter((r) => /\/roleDefinitions\//.test(r.path)).map((r) => Date.parse(r.time));
      assert.ok(definitions.length > 0 && Math.min(...definitions) < lastPage, 'a definition was read while endpoint pages were still coming');
      assert.equal(definitions.length, expectedRequests(azure, inv, 2).roleDefinitions, 'and only the kept ones, once each');
    });

    it('lists deployments side by side, never more than `concurrency` at once', async () => {
      azure.faults.add({ match: { method: 'GET', path: '/deployments$' }, kind: 'slow', delayMs: 40 });
      await collectEndpointInventory(reader, refOf(azure, ENDPOINTS), { concurrency: 6 });
      const lists = azure.requests().filter((r) => /\/deployments$/.test(r.path));
      assert.equal(lists.length, 220);
      const events = lists.flatMap((r) => {
        const start = Date.parse(r.time);
        return [[start, 1], [start + r.durationMs, -1]] as const;
      }).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let inFlight = 0;
      let peak = 0;
      for (const [, d] of events) peak = Math.max(peak, (inFlight += d));
      assert.ok(peak >= 3 && peak <= 6, `peak ${peak} deployment lists in flight`);
    });
  });

  describe('environment versions (inline images)', () => {
    it('insecure: the anonymous version behind the inline image is read, named environments are not', async () => {
      const inv = await collectEndpointInventory(reader, refOf(azure, INSECURE));
      const green = inv.onlineDeployments!.find((d) => d.id.endsWith('/ep-churn-public/deployments/green'))!;
      assert.match(green.properties!.environmentId, /\/environments\/CliV2AnonymousEnvironment\/versions\/[0-9a-f]{32}$/);
      assert.deepEqual(inv.environmentVersions!.map((v) => v.id), [green.properties!.environmentId]);
      assert.equal(inv.environmentVersions![0].properties!.image, 'python:3.11-slim');
      assert.equal(inv.environmentVersions![0].properties!.isAnonymous, true);
      const reads = azure.requests().filter((r) => /\/environments\//i.test(r.path));
      assert.deepEqual(reads.map((r) => `${r.method} ${r.path}`), [`GET ${green.properties!.environmentId}`], 'one GET, none for churn-inference or the registry environment');
    });

    it('hardened: the inline image pinned by digest is read, and AML-OD-005 passes on it', async () => {
      const inv = await collectEndpointInventory(reader, refOf(azure, HARDENED));
      assert.equal(inv.environmentVersions!.length, 1);
      assert.match(inv.environmentVersions![0].properties!.image, /@sha256:[0-9a-f]{64}$/);
      const od005 = ALL_RULES.filter((r) => r.id === 'AML-OD-005');
      assert.deepEqual(evaluate(od005, inv, new Date('2026-01-15T00:00:00Z')).findings, []);
    });

    it('the unpinned inline image fails AML-OD-005 only once the collector has read its version', async () => {
      const inv = await collectEndpointInventory(reader, refOf(azure, INSECURE));
      const od005 = ALL_RULES.filter((r) => r.id === 'AML-OD-005');
      const onGreen = (i: WorkspaceInventory) => evaluate(od005, i, new Date('2026-01-15T00:00:00Z')).findings.filter((f) => f.resourceId.endsWith('/ep-churn-public/deployments/green'));
      const found = onGreen(inv);
      assert.equal(found.length, 1);
      assert.match(found[0].message, /python:3\.11-slim.*neither pinned by @sha256 digest/);
      assert.deepEqual(onGreen({ ...inv, environmentVersions: undefined }), [], 'the reference alone looks pinned');
    });

    it('one GET per distinct anonymous version, side by side; a version gone (404) is skipped, a 403 fails closed', async () => {
      const s = azure.scenarios.find((x) => x.resourceGroup === INSECURE)!;
      const green = `${s.workspaceId}/onlineEndpoints/ep-churn-public/deployments/green`;
      const aks = `${s.workspaceId}/onlineEndpoints/ep-churn-aks/deployments/blue`;
      const stored = azure.state.get(aks)!;
      const saved = stored.properties!.environmentId;
      const anon = String(azure.state.get(green)!.properties!.environmentId);
      try {
        // The same version twice (another spelling) and a version that does not exist.
        stored.properties!.environmentId = anon.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/');
        const gone = `${s.workspaceId}/environments/CliV2AnonymousEnvironment/versions/0123456789abcdef0123456789abcdef`;
        const batch = azure.state.get(`${s.workspaceId}/batchEndpoints/be-churn-batch/deployments/nightly`)!;
        const savedBatch = batch.properties!.environmentId;
        batch.properties!.environmentId = gone;
        try {
          const inv = await collectEndpointInventory(reader, refOf(azure, INSECURE));
          assert.deepEqual(inv.environmentVersions!.map((v) => v.id.toLowerCase()), [anon.toLowerCase()]);
          const reads = azure.requests().filter((r) => /\/environments\//i.test(r.path));
          assert.equal(reads.length, 2, reads.map((r) => r.path).join(' '));
          assert.deepEqual(reads.map((r) => r.status).sort(), [200, 404]);
          azure.faults.add({ match: { method: 'GET', path: '/environments/' }, kind: 'status', status: 403 });
          await assert.rejects(collectEndpointInventory(reader, refOf(azure, INSECURE)), (e: unknown) => {
            assert.ok(e instanceof CollectionError);
            assert.equal(e.status, 403);
            assert.match(e.message, /CliV2AnonymousEnvironment/);
            return true;
          });
        } finally {
          batch.properties!.environmentId = savedBatch;
        }
      } finally {
        stored.properties!.environmentId = saved;
      }
    });

    it('pure: only ARM ids of CliV2AnonymousEnvironment versions, each once', () => {
      const ws = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w';
      const dep = (environmentId: unknown): ArmResource => ({ id: `${ws}/onlineEndpoints/e/deployments/${String(environmentId).length}`, properties: { environmentId } });
      const anon = `${ws}/environments/CliV2AnonymousEnvironment/versions/4f0c7e1a2b3c4d5e6f708192a3b4c5d6`;
      const ids = anonymousEnvironmentIds([
        dep(anon), dep(anon.toLowerCase()), dep(`${ws}/environments/scoring-env/versions/3`), dep('azureml:CliV2AnonymousEnvironment:4f0c'),
        dep('azureml://registries/azureml/environments/sklearn-1.5/versions/14'), dep(`${ws}/environments/CliV2AnonymousEnvironment`), dep(undefined), dep(42),
      ]);
      assert.deepEqual(ids, [anon]);
    });
  });

  describe('one endpoint by name', () => {
    it('an online endpoint: only it and its deployments; its Kubernetes compute and extension', async () => {
      const inv = await collectEndpointInventory(reader, refOf(azure, HARDENED), { endpointName: 'ep-credit-scoring-aks' });
      assert.deepEqual(names(inv.onlineEndpoints), ['ep-credit-scoring-aks']);
      assert.equal(inv.onlineDeployments!.length, 1);
      assert.deepEqual([inv.batchEndpoints, inv.batchDeployments], [[], []]);
      assert.deepEqual(names(inv.computes), ['k8s-inference']);
      assert.equal(inv.kubernetesExtensions!.length, 1);
      const seen = categorize(azure.requests());
      assert.equal(seen.endpointGets, 2, 'one GET as online and one as batch endpoint');
      assert.equal(seen.onlineEndpoints, undefined, 'no endpoint list');
      assert.equal(seen.deploymentLists, 1);
    });

    it('a batch endpoint: it, its deployment and the cluster it runs on; no unrelated Kubernetes compute', async () => {
      const inv = await collectEndpointInventory(reader, refOf(azure, HARDENED), { endpointName: 'be-credit-batch' });
      assert.deepEqual([names(inv.onlineEndpoints), names(inv.batchEndpoints), names(inv.batchDeployments)], [[], ['be-credit-batch'], ['nightly']]);
      assert.deepEqual(names(inv.computes), ['cpu-cluster']);
      assert.deepEqual(inv.kubernetesExtensions, []);
    });

    it('keeps role assignments of that endpoint only, besides inherited ones', async () => {
      const inv = await collectEndpointInventory(reader, refOf(azure, INSECURE), { endpointName: 'ep-churn-aks' });
      assert.ok(!inv.roleAssignments.some((a) => String(a.properties!.scope).includes('/onlineEndpoints/')), 'the other endpoint\'s assignment is dropped');
      assert.ok(inv.roleAssignments.some((a) => String(a.properties!.scope).endsWith('/workspaces/mlw-insecure')));
    });

    it('a name that is neither an online nor a batch endpoint fails with a clear 404', async () => {
      await assert.rejects(collectEndpointInventory(reader, refOf(azure, HARDENED), { endpointName: 'ep-missing' }), (e: unknown) => {
        assert.ok(e instanceof CollectionError);
        assert.equal(e.status, 404);
        assert.match(e.message, /endpoint ep-missing of workspace mlw-hardened.*neither as an online endpoint nor as a batch endpoint/);
        return true;
      });
    });

    it('a missing workspace is reported as the workspace, not as a missing endpoint', async () => {
      const ref = { ...refOf(azure, HARDENED), workspace: 'mlw-missing' };
      await assert.rejects(collectEndpointInventory(reader, ref, { endpointName: 'ep-credit-scoring' }), /workspace mlw-missing \(HTTP 404/);
    });
  });

  it('pure filters: computes by id, bare or azureml: name; assignments at, above or below an endpoint', () => {
    const ws = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w';
    const c = (name: string, computeType: string): ArmResource => ({ id: `${ws}/computes/${name}`, name, properties: { computeType } });
    const computes = [c('a', 'AmlCompute'), c('b', 'AmlCompute'), c('k', 'Kubernetes'), c('z', 'AmlCompute')];
    const users: ArmResource[] = [{ id: 'd1', properties: { compute: `${ws.toUpperCase()}/COMPUTES/A` } }, { id: 'd2', properties: { compute: 'azureml:b' } }];
    assert.deepEqual(names(keepComputes(computes, users, true)), ['a', 'b', 'k']);
    assert.deepEqual(names(keepComputes(computes, users, false)), ['a', 'b']);
    const ra = (scope: string): ArmResource => ({ id: `${scope}/providers/Microsoft.Authorization/roleAssignments/x`, name: scope, properties: { scope } });
    const ep = `${ws}/onlineEndpoints/e1`;
    const kept = keepAssignments(
      [ra('/'), ra('/subscriptions/s'), ra(ws), ra(ep), ra(`${ep}/deployments/blue`), ra(`${ws}/onlineEndpoints/e2`), ra(`${ws}/computes/a`), ra('/subscriptions/s/resourceGroups/rg2'), ra('/providers/Microsoft.Management/managementGroups/root')],
      ws,
      [ep],
    );
    assert.deepEqual(names(kept), ['/', '/providers/Microsoft.Management/managementGroups/root', '/subscriptions/s', `${ep}/deployments/blue`, ep, ws].sort());
    // Before the endpoints are known: everything keepAssignments could keep, and an assignment on a batch endpoint too.
    const early = mayApplyToEndpoints(
      [ra('/'), ra(ws), ra(ep), ra(`${ws}/onlineEndpoints/e2`), ra(`${ws}/batchEndpoints/b1`), ra(`${ws}/computes/a`), ra('/subscriptions/s/resourceGroups/rg2')],
      ws,
    );
    assert.deepEqual(names(early), ['/', `${ws}/batchEndpoints/b1`, ep, `${ws}/onlineEndpoints/e2`, ws].sort());
  });

  describe('scoring hosts', () => {
    const uriOf = (rg: string, endpoint: string, kind = 'onlineEndpoints') => {
      const s = azure.scenarios.find((x) => x.resourceGroup === rg)!;
      return azure.state.get(`${s.workspaceId}/${kind}/${endpoint}`)!.properties!.scoringUri as string;
    };

    it('a protected endpoint answers 401 with a Bearer challenge without a valid ml.azure.com token, 200 with one', async () => {
      const uri = uriOf(HARDENED, 'ep-credit-scoring');
      const anonymous = await fetch(uri, { method: 'POST', body: '{}' });
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer\b/);
      assert.equal(anonymous.headers.get('server'), null);
      const armToken = (await secretCredential(azure).getToken('https://management.azure.com/.default'))!.token;
      assert.equal((await fetch(uri, { method: 'POST', headers: { authorization: `Bearer ${armToken}` } })).status, 401, 'an ARM token is the wrong audience');
      const mlToken = (await secretCredential(azure).getToken('https://ml.azure.com/.default'))!.token;
      const ok = await fetch(uri, { method: 'POST', headers: { authorization: `Bearer ${mlToken}` }, body: '{}' });
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { detail: 'ok' });
      assert.equal((await fetch(uriOf(HARDENED, 'be-credit-batch', 'batchEndpoints'), { method: 'POST' })).status, 401, 'batch endpoints too');
    });

    it('an exposed endpoint answers anonymously, names its server, and leaks a traceback on GET', async () => {
      const uri = uriOf(INSECURE, 'ep-churn-public');
      const res = await fetch(uri, { method: 'POST', body: '{}' });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { detail: 'ok' });
      assert.match(res.headers.get('server') ?? '', /^uvicorn\/\d+\.\d+/);
      assert.ok(res.headers.get('x-powered-by'));
      const get = await fetch(uri);
      assert.equal(get.status, 500);
      assert.match(await get.text(), /^Traceback \(most recent call last\):\n {2}File "/);
    });

    it('plain HTTP on the same port: closed without a byte for protected endpoints and ARM, served for exposed ones', async () => {
      const plainOf = (uri: string) => uri.replace(/^https:/, 'http:');
      assert.equal(await plainRequest(plainOf(uriOf(HARDENED, 'ep-credit-scoring'))), '');
      assert.equal(await plainRequest(plainOf(uriOf(HARDENED, 'ep-credit-scoring-aks'))), '');
      assert.equal(await plainRequest(`${plainOf(azure.armUrl)}subscriptions/${azure.subscriptionId}?api-version=2022-12-01`), '');
      assert.match(await plainRequest(plainOf(uriOf(INSECURE, 'ep-churn-public'))), /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{"detail":"ok"\}$/);
      const k8s = uriOf(INSECURE, 'ep-churn-aks');
      assert.match(k8s, /^http:\/\//);
      assert.match(await plainRequest(k8s), /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(await plainRequest(`${plainOf(azure.armUrl)}_emulator/stats`, 'GET'), /^HTTP\/1\.1 200 OK\r\n/);
      // TLS still works on the port after all that.
      assert.equal((await fetch(uriOf(INSECURE, 'ep-churn-aks').replace(/^http:/, 'https:'), { method: 'POST' })).status, 200);
    });

    it('decides from the stored endpoint, not its name', async () => {
      const uri = uriOf(HARDENED, 'ep-credit-scoring');
      const stored = azure.state.get(`${refOfId(azure, HARDENED)}/onlineEndpoints/ep-credit-scoring`)!;
      const saved = { ...stored.properties };
      try {
        stored.properties!.authMode = 'Key';
        assert.equal((await fetch(uri, { method: 'POST' })).status, 200);
        stored.properties!.authMode = 'AADToken';
        stored.properties!.publicNetworkAccess = 'Enabled';
        assert.equal((await fetch(uri, { method: 'POST' })).status, 200);
      } finally {
        stored.properties = saved;
      }
      assert.equal((await fetch(uri, { method: 'POST' })).status, 401);
      assert.equal((await fetch(uri.replace('ep-credit-scoring', 'ep-nope'), { method: 'POST' })).status, 404);
    });

    it('logs scoring calls as their own service, apart from Entra ID', async () => {
      await fetch(uriOf(INSECURE, 'ep-churn-public'), { method: 'POST' });
      const r = azure.requests().find((x) => x.path.startsWith('/_scoring/'));
      assert.equal(r?.service, 'other');
    });
  });
});

describe('local Azure: endpoint scenarios, built without a server', () => {
  const env = { subscriptionId: '8f2d4c1a-57b3-4e9f-a0c6-2b7e9d13f458', tenantId: '3b8c1f52-6e0d-4a7b-9c21-5d4e8f0a1b63', location: 'westeurope', pipelinePrincipalId: '0e6b4d73-9a12-4c5f-8b37-f1d2a6e94c08' };
  const ofType = (rs: ArmResource[], type: string) => rs.filter((r) => new RegExp(`/${type}/[^/]+$`, 'i').test(r.id));

  it('endpoints:N holds N online endpoints × 3 deployments and N/10 batch endpoints × 1, for any N', () => {
    for (const n of [0, 7, 35]) {
      const s = buildScenario(`endpoints:${n}`, env);
      const c = endpointCounts(n);
      assert.equal(ofType(s.resources, 'onlineEndpoints').length, c.online);
      assert.equal(s.resources.filter((r) => /\/onlineEndpoints\/[^/]+\/deployments\/[^/]+$/i.test(r.id)).length, c.onlineDeployments);
      assert.equal(ofType(s.resources, 'batchEndpoints').length, c.batch);
      assert.equal(s.resources.filter((r) => /\/batchEndpoints\/[^/]+\/deployments\/[^/]+$/i.test(r.id)).length, c.batchDeployments);
    }
    assert.equal(ofType(buildScenario('endpoints', env).resources, 'onlineEndpoints').length, 200);
    assert.throws(() => buildScenario('endpoints:x', env), /endpoints:<size> needs a non-negative integer/);
  });

  it('without emulator URLs, scoring URIs fall back to the default ports of 127.0.0.1', () => {
    const uris = ofType(buildScenario('insecure', env).resources, 'onlineEndpoints').map((e) => String(e.properties!.scoringUri)).sort();
    assert.deepEqual(uris, ['http://127.0.0.1/_scoring/rg-ml-insecure/ep-churn-aks/score', 'https://127.0.0.1/_scoring/rg-ml-insecure/ep-churn-public/score']);
  });

  it('the secret in a deployment environment variable is random per build and registered with the secret sweep', () => {
    const secretOf = () => {
      const before = sweep().secrets;
      const s = buildScenario('insecure', env);
      const blue = s.resources.find((r) => r.id.endsWith('/ep-churn-public/deployments/blue'))!;
      const key = /AccountKey=([^;]+);/.exec(blue.properties!.environmentVariables.AZURE_STORAGE_CONNECTION_STRING)![1];
      assert.ok(sweep().secrets > before, 'the build registered its secrets');
      return key;
    };
    assert.notEqual(secretOf(), secretOf());
  });
});

describe('local Azure: endpoints leave SecurityGate\'s audit unchanged', function () {
  this.timeout(60_000);
  const local = useLocalAzure({ scenarios: ['hardened', 'insecure'] });

  async function audit(azure: LocalAzure, rg: string): Promise<string[]> {
    const { client, reader } = clientFor(azure);
    const inv = await collectWorkspaceInventory(reader, client, refOf(azure, rg));
    assert.equal(inv.onlineEndpoints, undefined, 'SecurityGate does not collect endpoints');
    return evaluate(workspaceAuditRules(ALL_RULES), inv, new Date('2026-01-15T00:00:00Z')).findings.map((f) => `${f.ruleId} ${f.resourceId}`).sort();
  }

  it('the same findings with and without the endpoints; the Kubernetes compute is judged as a compute', async () => {
    const azure = local();
    const before = { hardened: await audit(azure, HARDENED), insecure: await audit(azure, INSECURE) };
    assert.deepEqual(before.hardened, [], 'hardened stays clean');
    for (const rg of [HARDENED, INSECURE]) {
      const ws = refOfId(azure, rg);
      for (const kind of ['onlineEndpoints', 'batchEndpoints']) for (const e of azure.state.children(`${ws}/${kind}`)) azure.state.delete(e.id);
    }
    assert.deepEqual(await audit(azure, HARDENED), before.hardened);
    assert.deepEqual(await audit(azure, INSECURE), before.insecure);
    // What issue 4 adds to the insecure audit: the Kubernetes compute's inference TLS and load balancer, nothing else.
    const insecureWs = refOfId(azure, INSECURE);
    azure.state.delete(`${insecureWs}/computes/k8s-inference`);
    const without = await audit(azure, INSECURE);
    const added = before.insecure.filter((f) => !without.includes(f));
    assert.ok(added.length > 0);
    for (const f of added) assert.match(f, /^AML-CMP-01[24] .*\/computes\/k8s-inference$/);
  });
});

describe('local Azure: one port for TLS and plain HTTP', function () {
  this.timeout(30_000);
  it('closes promptly even with a connection that never sent a byte', async () => {
    const azure = await startLocalAzure({ caDir: trustedCaDir(), scenarios: [] });
    const socket = connect(Number(new URL(azure.armUrl).port), '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = await Promise.race([azure.close().then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 3000, 'hung'))]);
    assert.equal(closed, 'closed');
    socket.destroy();
  });
});

function refOfId(azure: LocalAzure, rg: string): string {
  return azure.scenarios.find((x) => x.resourceGroup === rg)!.workspaceId;
}

/** One request over a raw TCP connection; resolves with every byte the server sent before closing. */
function plainRequest(url: string, method = 'POST'): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname, () => {
      socket.write(`${method} ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    });
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (got += d));
    socket.on('close', () => resolve(got));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? resolve(got) : reject(e)));
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer and no close within 10 s')));
  });
}
