import * as assert from 'node:assert/strict';
import type { ArmResource } from '../../shared/rules/types';
import { parseArmPath } from './armPaths';
import { buildScenario, type Scenario } from './scenarios';
import { largeShares } from './scenarios/large';

const env = { subscriptionId: '8f2d4c1a-57b3-4e9f-a0c6-2b7e9d13f458', tenantId: '3b8c1f52-6e0d-4a7b-9c21-5d4e8f0a1b63', location: 'westeurope', pipelinePrincipalId: '0e6b4d73-9a12-4c5f-8b37-f1d2a6e94c08' };

function byType(s: Scenario, type: string): ArmResource[] {
  return s.resources.filter((r) => (r.type ?? parseArmPath(r.id).resourceType).toLowerCase() === type.toLowerCase());
}
function one(s: Scenario, type: string): ArmResource {
  const found = byType(s, type);
  assert.equal(found.length, 1, `${s.name}: one ${type}`);
  return found[0];
}
const ML = 'Microsoft.MachineLearningServices/workspaces';

describe('local Azure: scenarios', () => {
  for (const spec of ['hardened', 'insecure', 'large:40']) {
    it(`${spec}: ids are unique, well-formed and inside its own resource group`, () => {
      const s = buildScenario(spec, env);
      const ids = s.resources.map((r) => r.id.toLowerCase());
      assert.equal(new Set(ids).size, ids.length);
      for (const r of s.resources) {
        assert.equal(parseArmPath(r.id).kind, 'resource', r.id);
        const inRg = r.id.toLowerCase().startsWith(`/subscriptions/${env.subscriptionId}/resourcegroups/${s.resourceGroup}`.toLowerCase());
        assert.ok(inRg || r.id.includes('/providers/Microsoft.Authorization/roleDefinitions/'), `${r.id} outside ${s.resourceGroup}`);
      }
    });
  }

  it('hardened: private, managed network, CMK, user-assigned identity, identity-based data access', () => {
    const s = buildScenario('hardened', env);
    const ws = one(s, ML);
    const p = ws.properties!;
    assert.equal(p.publicNetworkAccess, 'Disabled');
    assert.equal(p.managedNetwork.isolationMode, 'AllowOnlyApprovedOutbound');
    assert.ok(Object.values(p.managedNetwork.outboundRules as Record<string, { destination: unknown }>).every((r) => JSON.stringify(r.destination).indexOf('*') < 0));
    assert.equal(p.encryption.status, 'Enabled');
    assert.ok(p.encryption.keyVaultProperties.keyIdentifier);
    assert.equal(ws.identity!.type, 'UserAssigned');
    assert.ok(p.primaryUserAssignedIdentity);
    assert.equal(p.systemDatastoresAuthMode, 'Identity');
    assert.equal(p.serverlessComputeSettings.serverlessComputeNoPublicIP, true);
    assert.equal(byType(s, `${ML}/privateEndpointConnections`)[0].properties!.privateLinkServiceConnectionState.status, 'Approved');
    assert.equal(byType(s, 'Microsoft.Insights/diagnosticSettings')[0].properties!.logs[0].categoryGroup, 'allLogs');
    assert.ok(byType(s, `${ML}/datastores`).every((d) => d.properties!.credentials.credentialsType === 'None'));
    for (const c of byType(s, `${ML}/computes`).filter((x) => ['ComputeInstance', 'AmlCompute'].includes(x.properties!.computeType))) {
      assert.equal(c.properties!.disableLocalAuth, true);
      assert.equal(c.properties!.properties.enableNodePublicIp, false);
      assert.ok(c.properties!.properties.subnet.id);
    }
    const ra = byType(s, 'Microsoft.Authorization/roleAssignments');
    assert.ok(ra.every((r) => ['Group', 'ServicePrincipal'].includes(r.properties!.principalType)));
    assert.equal(one(s, 'Microsoft.Storage/storageAccounts').properties!.allowSharedKeyAccess, false);
    assert.equal(one(s, 'Microsoft.KeyVault/vaults').properties!.enablePurgeProtection, true);
    assert.equal(one(s, 'Microsoft.ContainerRegistry/registries').sku!.name, 'Premium');
    assert.equal(one(s, 'Microsoft.Insights/components').properties!.DisableLocalAuth, true);
  });

  it('insecure: the opposite, including risky role assignments and secret-bearing credentials', () => {
    const s = buildScenario('insecure', env);
    const ws = one(s, ML);
    assert.equal(ws.properties!.publicNetworkAccess, 'Enabled');
    assert.equal(ws.properties!.encryption, undefined);
    assert.equal(ws.identity!.type, 'SystemAssigned');
    assert.equal(byType(s, `${ML}/privateEndpointConnections`).length, 0);
    assert.equal(byType(s, 'Microsoft.Insights/diagnosticSettings').length, 0);
    const types = byType(s, `${ML}/computes`).map((c) => c.properties!.computeType).sort();
    assert.deepEqual(types, ['AmlCompute', 'ComputeInstance', 'Kubernetes', 'VirtualMachine']);
    const creds = byType(s, `${ML}/datastores`).map((d) => d.properties!.credentials.credentialsType).sort();
    assert.deepEqual(creds, ['AccountKey', 'AccountKey', 'Sas', 'ServicePrincipal']);
    const conns = byType(s, `${ML}/connections`);
    assert.deepEqual(conns.map((c) => c.properties!.authType).sort(), ['PAT', 'UsernamePassword']);
    assert.ok(conns.every((c) => c.properties!.isSharedToAll === true && String(c.properties!.target).startsWith('http://') && !c.properties!.expiryTime));
    const ra = byType(s, 'Microsoft.Authorization/roleAssignments');
    assert.ok(ra.some((r) => r.properties!.principalType === 'User' && String(r.properties!.roleDefinitionId).endsWith('8e3af657-a8ff-443c-a75c-2fe8c4bcb635')));
    assert.ok(ra.some((r) => r.properties!.principalType === 'Unknown'));
    const custom = one(s, 'Microsoft.Authorization/roleDefinitions');
    assert.ok(ra.some((r) => String(r.properties!.roleDefinitionId).endsWith(String(custom.name))));
    assert.equal(one(s, 'Microsoft.Storage/storageAccounts').properties!.minimumTlsVersion, 'TLS1_0');
    assert.equal(one(s, 'Microsoft.ContainerRegistry/registries').properties!.adminUserEnabled, true);
  });

  it('insecure: secret values differ per build (generated, never fixed in code)', () => {
    const key = (s: Scenario) => byType(s, `${ML}/datastores`).find((d) => d.id.endsWith('/workspaceblobstore'))!.properties!.credentials.secrets.key;
    const a = key(buildScenario('insecure', env));
    const b = key(buildScenario('insecure', env));
    assert.equal(typeof a, 'string');
    assert.notEqual(a, b);
  });

  it('large:N spreads exactly N children over computes, datastores, connections and role assignments', () => {
    for (const n of [0, 7, 1000]) {
      const s = buildScenario(`large:${n}`, env);
      const shares = largeShares(n);
      assert.equal(byType(s, `${ML}/computes`).length, shares.computes);
      assert.equal(byType(s, `${ML}/datastores`).length, shares.datastores);
      assert.equal(byType(s, `${ML}/connections`).length, shares.connections);
      assert.equal(byType(s, 'Microsoft.Authorization/roleAssignments').length, shares.roleAssignments);
      assert.equal(shares.computes + shares.datastores + shares.connections + shares.roleAssignments, n);
    }
    assert.equal(byType(buildScenario('large', env), `${ML}/computes`).length, 400);
  });

  it('rejects unknown scenarios and bad sizes', () => {
    assert.throws(() => buildScenario('nope', env), /unknown scenario/);
    assert.throws(() => buildScenario('large:-3', env), /non-negative integer/);
  });
});
