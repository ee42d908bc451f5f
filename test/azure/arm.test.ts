import * as assert from 'node:assert/strict';
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import type { LocalAzure } from './server';
import { armToken, raw, secretCredential, useLocalAzure } from './testSupport';

const HARDENED = { rg: 'rg-ml-hardened', ws: 'mlw-hardened' };

function mlClient(a: LocalAzure): AzureMachineLearningWorkspaces {
  // The SDK derives the token scope from the endpoint; ARM here accepts its own URL as an audience too.
  return new AzureMachineLearningWorkspaces(secretCredential(a), a.subscriptionId, { endpoint: a.armUrl.replace(/\/$/, '') });
}

describe('local Azure: ARM', () => {
  const azure = useLocalAzure({ scenarios: ['hardened', 'insecure', 'large:60'], pageSize: 7 });
  let token = '';
  before(async () => {
    token = await armToken(azure());
  });
  const wsId = () => azure().scenarios.find((s) => s.name === 'hardened')!.workspaceId;
  const get = (path: string, apiVersion = '2025-09-01') => raw(azure(), 'GET', `${path}${path.includes('?') ? '&' : '?'}api-version=${apiVersion}`, { token });

  describe('through the ML SDK (api-version 2022-10-01)', () => {
    it('workspaces.get returns the hardened workspace with its private endpoint connection', async () => {
      const ws = await mlClient(azure()).workspaces.get(HARDENED.rg, HARDENED.ws);
      assert.equal(ws.publicNetworkAccess, 'Disabled');
      assert.equal(ws.hbiWorkspace, true);
      assert.equal(ws.encryption?.status, 'Enabled');
      assert.equal(ws.identity?.type, 'UserAssigned');
      assert.equal(ws.privateEndpointConnections?.length, 1);
      assert.equal(ws.privateEndpointConnections?.[0].privateLinkServiceConnectionState?.status, 'Approved');
    });

    it('computeOperations.list follows nextLink across pages', async () => {
      const a = azure();
      const large = a.scenarios.find((s) => s.name === 'large')!;
      a.resetRequests();
      const names: string[] = [];
      for await (const c of mlClient(a).computeOperations.list(large.resourceGroup, large.workspaceName)) names.push(c.name!);
      assert.equal(names.length, 24); // 40% of 60
      assert.equal(new Set(names).size, 24);
      const pages = a.requests().filter((r) => r.path.endsWith('/computes'));
      assert.equal(pages.length, 4); // 7 + 7 + 7 + 3
      assert.deepEqual(pages.map((p) => p.query.$skiptoken ?? '0'), ['0', '7', '14', '21']);
      assert.ok(pages.every((p) => p.query['api-version'] === '2022-10-01'), 'nextLink keeps the api-version');
    });

    it('sendRequest reaches any ARM path with the same pipeline', async () => {
      const a = azure();
      const client = mlClient(a);
      const res = await client.sendRequest(createPipelineRequest({ url: `${a.armUrl.replace(/\/$/, '')}${wsId()}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview`, method: 'GET' }));
      assert.equal(res.status, 200);
      const body = JSON.parse(res.bodyAsText!);
      assert.equal(body.value[0].properties.logs[0].categoryGroup, 'allLogs');
    });
  });

  describe('api-versions', () => {
    it('drops workspace properties older api-versions do not know', async () => {
      const at = async (v: string) => (await get(wsId(), v)).json.properties;
      const old = await at('2022-10-01');
      assert.equal(old.managedNetwork, undefined);
      assert.equal(old.systemDatastoresAuthMode, undefined);
      assert.equal(old.publicNetworkAccess, 'Disabled');
      const mid = await at('2023-10-01');
      assert.equal(mid.managedNetwork.isolationMode, 'AllowOnlyApprovedOutbound');
      assert.equal(mid.systemDatastoresAuthMode, undefined);
      const latest = await at('2025-06-01-preview');
      assert.equal(latest.systemDatastoresAuthMode, 'Identity');
      assert.deepEqual(latest.ipAllowlist, []);
    });

    it('drops compute and connection properties by version too', async () => {
      const ci = `${wsId()}/computes/ci-ada-lovelace`;
      assert.equal((await get(ci, '2022-10-01')).json.properties.properties.osImageMetadata, undefined);
      const v2023 = (await get(ci, '2023-04-01')).json.properties.properties;
      assert.equal(v2023.osImageMetadata.isLatestOsImageVersion, true);
      assert.equal(v2023.idleTimeBeforeShutdown, undefined);
      assert.equal((await get(ci, '2025-06-01')).json.properties.properties.idleTimeBeforeShutdown, 'PT30M');
      const insecureWs = azure().scenarios.find((s) => s.name === 'insecure')!.workspaceId;
      const conns = (api: string) => get(`${insecureWs}/connections`, api).then((r) => r.json.value as Array<{ properties: Record<string, unknown> }>);
      assert.ok((await conns('2022-10-01')).every((c) => !('isSharedToAll' in c.properties)));
      assert.ok((await conns('2024-10-01')).every((c) => c.properties.isSharedToAll === true));
    });

    it('requires a well-formed api-version', async () => {
      const missing = await raw(azure(), 'GET', wsId(), { token });
      assert.equal(missing.status, 400);
      assert.equal(missing.json.error.code, 'MissingApiVersionParameter');
      assert.equal((await get(wsId(), 'latest')).json.error.code, 'InvalidApiVersionParameter');
    });
  });

  describe('authentication', () => {
    it('answers a missing token with 401 AuthenticationFailed and a Bearer challenge', async () => {
      const res = await raw(azure(), 'GET', `${wsId()}?api-version=2025-09-01`);
      assert.equal(res.status, 401);
      assert.equal(res.json.error.code, 'AuthenticationFailed');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer authorization_uri="https:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]{36}"/);
    });

    it('rejects a forged, an expired and a wrong-audience token', async () => {
      const a = azure();
      const [h, p] = token.split('.');
      const forged = await raw(a, 'GET', `${wsId()}?api-version=2025-09-01`, { token: `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}` });
      assert.equal(forged.json.error.code, 'InvalidAuthenticationToken');

      const graph = await secretCredential(a).getToken('https://graph.microsoft.com/.default');
      const audience = await raw(a, 'GET', `${wsId()}?api-version=2025-09-01`, { token: graph.token });
      assert.equal(audience.json.error.code, 'InvalidAuthenticationTokenAudience');

      a.advanceClock(3601);
      try {
        const expired = await raw(a, 'GET', `${wsId()}?api-version=2025-09-01`, { token });
        assert.equal(expired.status, 401);
        assert.equal(expired.json.error.code, 'ExpiredAuthenticationToken');
      } finally {
        a.advanceClock(-3601);
      }
    });
  });

  describe('state', () => {
    it('PUT creates (201) then replaces (200); GET sees it; DELETE removes it (200, then 204)', async () => {
      const a = azure();
      const id = `${wsId()}/computes/cpu-new`;
      const body = { location: 'westeurope', properties: { computeType: 'AmlCompute', disableLocalAuth: true, properties: { vmSize: 'STANDARD_D2S_V3', enableNodePublicIp: false } } };
      const created = await raw(a, 'PUT', `${id}?api-version=2025-09-01`, { token, body });
      assert.equal(created.status, 201);
      assert.equal(created.json.name, 'cpu-new');
      assert.equal(created.json.type, 'Microsoft.MachineLearningServices/workspaces/computes');
      assert.equal(created.json.properties.provisioningState, 'Succeeded');
      assert.equal((await raw(a, 'PUT', `${id}?api-version=2025-09-01`, { token, body })).status, 200);
      const list = await mlClient(a).computeOperations.list(HARDENED.rg, HARDENED.ws).byPage().next();
      assert.ok((list.value as Array<{ name?: string }>).some((c) => c.name === 'cpu-new'));
      assert.equal((await raw(a, 'DELETE', `${id}?api-version=2025-09-01`, { token })).status, 200);
      assert.equal((await get(id)).status, 404);
      assert.equal((await raw(a, 'DELETE', `${id}?api-version=2025-09-01`, { token })).status, 204);
    });

    it('PATCH merges properties and tags', async () => {
      const a = azure();
      const res = await raw(a, 'PATCH', `${wsId()}?api-version=2025-09-01`, {
        token,
        body: { tags: { owner: 'ml-platform' }, properties: { description: 'patched', managedNetwork: { isolationMode: 'AllowInternetOutbound' } } },
      });
      assert.equal(res.status, 200);
      const after = (await get(wsId())).json;
      assert.equal(after.tags.owner, 'ml-platform');
      assert.equal(after.tags.environment, 'prod', 'existing tags stay');
      assert.equal(after.properties.description, 'patched');
      assert.equal(after.properties.managedNetwork.isolationMode, 'AllowInternetOutbound');
      assert.ok(after.properties.managedNetwork.outboundRules['allow-pypi'], 'nested objects merge');
      assert.equal(after.properties.publicNetworkAccess, 'Disabled');
      a.state.get(wsId())!.properties!.managedNetwork.isolationMode = 'AllowOnlyApprovedOutbound';
    });

    it('embeds the current private endpoint connections in the workspace', async () => {
      const a = azure();
      const pec = (await get(`${wsId()}/privateEndpointConnections`)).json.value[0];
      const stored = structuredClone(a.state.get(pec.id)!);
      assert.equal((await raw(a, 'DELETE', `${pec.id}?api-version=2025-09-01`, { token })).status, 200);
      assert.equal((await get(wsId())).json.properties.privateEndpointConnections.length, 0);
      a.state.put(stored);
      assert.equal((await get(wsId())).json.properties.privateLinkCount, 1);
    });

    it('names the missing piece in 404s', async () => {
      const a = azure();
      assert.equal((await get(`${wsId()}/computes/nope`)).json.error.code, 'ResourceNotFound');
      const parent = await get(wsId().replace('mlw-hardened', 'mlw-nope') + '/computes/ci');
      assert.equal(parent.json.error.code, 'ParentResourceNotFound');
      const rg = await get(`/subscriptions/${a.subscriptionId}/resourceGroups/rg-nope/providers/Microsoft.MachineLearningServices/workspaces/x`);
      assert.equal(rg.json.error.code, 'ResourceGroupNotFound');
      assert.equal((await get(wsId().replace('mlw-hardened', 'mlw-nope') + '/computes')).status, 404);
    });

    it('lists workspaces by resource group and by subscription', async () => {
      const a = azure();
      const byRg = await get(`/subscriptions/${a.subscriptionId}/resourceGroups/${HARDENED.rg}/providers/Microsoft.MachineLearningServices/workspaces`);
      assert.deepEqual(byRg.json.value.map((w: { name: string }) => w.name), ['mlw-hardened']);
      const names: string[] = [];
      for await (const w of mlClient(a).workspaces.listBySubscription()) names.push(w.name!);
      assert.deepEqual(names.sort(), ['mlw-hardened', 'mlw-insecure', 'mlw-large']);
    });
  });

  describe('secrets are never returned', () => {
    it('keeps only the kind of credential of datastores, connections and attached computes', async () => {
      const a = azure();
      const ws = a.scenarios.find((s) => s.name === 'insecure')!.workspaceId;
      const stored = a.state.get(`${ws}/datastores/workspaceblobstore`)!.properties!.credentials.secrets.key as string;
      const pat = a.state.get(`${ws}/connections/git-features-pat`)!.properties!.credentials.pat as string;
      const password = a.state.get(`${ws}/computes/vm-dsvm-attached`)!.properties!.properties.administratorAccount.password as string;
      const datastores = await get(`${ws}/datastores`);
      const blob = datastores.json.value.find((d: { name: string }) => d.name === 'workspaceblobstore');
      assert.deepEqual(blob.properties.credentials, { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey' } });
      const bodies = [datastores.text, (await get(`${ws}/connections`)).text, (await get(`${ws}/computes`)).text, (await get(`${ws}/computes/vm-dsvm-attached`)).text];
      for (const secret of [stored, pat, password]) assert.ok(!bodies.some((b) => b.includes(secret)), 'a stored secret leaked into a GET');
      const sdk = await mlClient(a).datastores.get('rg-ml-insecure', 'mlw-insecure', 'landing_sas');
      assert.equal(sdk.properties.credentials.credentialsType, 'Sas');
    });
  });

  describe('RBAC', () => {
    it('atScope() returns assignments at and above the workspace, not beside or below it', async () => {
      const a = azure();
      const res = await get(`${wsId()}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent('atScope()')}`, '2022-04-01');
      const scopes = res.json.value.map((r: { properties: { scope: string } }) => r.properties.scope.toLowerCase());
      assert.ok(scopes.includes(wsId().toLowerCase()));
      assert.ok(scopes.includes(`/subscriptions/${a.subscriptionId}/resourcegroups/rg-ml-hardened`));
      assert.ok(!scopes.some((s: string) => s.includes('storageaccounts')), 'a sibling scope is not inherited');
      const all = await get(`/subscriptions/${a.subscriptionId}/resourceGroups/rg-ml-hardened/providers/Microsoft.Authorization/roleAssignments`, '2022-04-01');
      assert.ok(all.json.value.some((r: { properties: { scope: string } }) => r.properties.scope.includes('storageAccounts')), 'without a filter, assignments below are listed too');
    });

    it('serves built-in and custom role definitions by id', async () => {
      const a = azure();
      const reader = await get(`/subscriptions/${a.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`, '2022-04-01');
      assert.equal(reader.json.properties.roleName, 'Reader');
      assert.equal(reader.json.properties.type, 'BuiltInRole');
      assert.deepEqual(reader.json.properties.permissions[0].actions, ['*/read']);
      const owner = await get('/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '2022-04-01');
      assert.equal(owner.json.id, '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635');
      assert.equal(owner.json.properties.roleName, 'Owner');
      const insecureWs = a.scenarios.find((s) => s.name === 'insecure')!.workspaceId;
      const assignments = (await get(`${insecureWs}/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()`, '2022-04-01')).json.value;
      const defs = await Promise.all(assignments.map((r: { properties: { roleDefinitionId: string } }) => get(r.properties.roleDefinitionId, '2022-04-01')));
      assert.ok(defs.every((d) => d.status === 200));
      const custom = defs.find((d) => d.json.properties.type === 'CustomRole');
      assert.deepEqual(custom?.json.properties.permissions[0].actions, ['Microsoft.MachineLearningServices/*']);
      assert.equal((await get(`/subscriptions/${a.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-0000-0000-000000000000`, '2022-04-01')).status, 404);
    });

    it('validates the role of a new assignment and records its scope', async () => {
      const a = azure();
      const id = `${wsId()}/providers/Microsoft.Authorization/roleAssignments/6f3c9b2e-1d4a-4e8f-9c7b-2a5d8e1f3b60`;
      const body = (role: string) => ({ properties: { roleDefinitionId: `/subscriptions/${a.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId: '3e1f5a7c-9b2d-4c6e-8f0a-1b3d5e7f9a2c', principalType: 'Group' } });
      const bad = await raw(a, 'PUT', `${id}?api-version=2022-04-01`, { token, body: body('11111111-1111-1111-1111-111111111111') });
      assert.equal(bad.json.error.code, 'RoleDefinitionDoesNotExist');
      const ok = await raw(a, 'PUT', `${id}?api-version=2022-04-01`, { token, body: body('f6c7c914-8db3-469d-8ca1-694a8f32e121') });
      assert.equal(ok.status, 201);
      assert.equal(ok.json.properties.scope, wsId());
      await raw(a, 'DELETE', `${id}?api-version=2022-04-01`, { token });
    });
  });
});
