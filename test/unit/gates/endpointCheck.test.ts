import * as assert from 'node:assert/strict';
import { actionMatches, INVOKE_ACTION, roleGrants, whoMayInvoke } from '../../../shared/gates/endpointCheck/invokers';
import { invokersSection, probesSection, scopeLabel } from '../../../shared/gates/endpointCheck/sections';
import { pipelineCallers } from '../../../shared/gates/endpointCheck/whoAmI';
import type { ArmResource, WorkspaceInventory } from '../../../shared/rules/types';
import { baseInventory, WS_ID } from '../../rules/fixtures';

const EP = `${WS_ID}/onlineEndpoints/ep-a`;
const BATCH = `${WS_ID}/batchEndpoints/be-a`;
const RG = WS_ID.split('/providers/')[0];

function definition(guid: string, name: string, actions: string[], notActions: string[] = []): ArmResource {
  return { id: `/providers/Microsoft.Authorization/roleDefinitions/${guid}`, name: guid, properties: { roleName: name, permissions: [{ actions, notActions }] } };
}
function assignment(scope: string, guid: string, principalId: string, principalType = 'User'): ArmResource {
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${principalId}`,
    properties: { scope, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${guid}`, principalId, principalType },
  };
}

describe('EndpointHardeningCheck: who may invoke', () => {
  it('matches ARM action patterns with wildcards, case-insensitively', () => {
    assert.ok(actionMatches('*', INVOKE_ACTION.online));
    assert.ok(actionMatches('Microsoft.MachineLearningServices/*', INVOKE_ACTION.online));
    assert.ok(actionMatches('microsoft.machinelearningservices/workspaces/onlineEndpoints/*/action', INVOKE_ACTION.online));
    assert.ok(!actionMatches('Microsoft.MachineLearningServices/workspaces/onlineEndpoints/read', INVOKE_ACTION.online));
    assert.ok(!actionMatches('Microsoft.MachineLearningServices/workspaces/batchEndpoints/*', INVOKE_ACTION.online));
    assert.ok(!actionMatches('*/read', INVOKE_ACTION.online));
  });

  it('honours notActions', () => {
    assert.ok(roleGrants(definition('g', 'All', ['*']), INVOKE_ACTION.online));
    assert.ok(!roleGrants(definition('g', 'All but ML', ['*'], ['Microsoft.MachineLearningServices/*']), INVOKE_ACTION.online));
    assert.ok(!roleGrants(undefined, INVOKE_ACTION.online));
  });

  it('lists assignments at the endpoint and above whose role grants invoke, and only those', () => {
    const inv: WorkspaceInventory = {
      ...baseInventory(),
      onlineEndpoints: [{ id: EP, name: 'ep-a' }],
      batchEndpoints: [{ id: BATCH, name: 'be-a' }],
      roleDefinitions: [
        definition('11111111-0000-0000-0000-000000000001', 'Scorer', [INVOKE_ACTION.online]),
        definition('11111111-0000-0000-0000-000000000002', 'Reader-ish', ['*/read']),
        definition('11111111-0000-0000-0000-000000000003', 'Everything', ['*']),
      ],
      roleAssignments: [
        assignment(EP, '11111111-0000-0000-0000-000000000001', 'p-scorer', 'ServicePrincipal'),
        assignment(WS_ID, '11111111-0000-0000-0000-000000000002', 'p-reader'),
        assignment(RG, '11111111-0000-0000-0000-000000000003', 'p-owner', 'Group'),
        assignment(`${WS_ID}/onlineEndpoints/ep-other`, '11111111-0000-0000-0000-000000000001', 'p-elsewhere'),
      ],
    };
    const [online, batch] = whoMayInvoke(inv);
    assert.deepEqual(online.invokers.map((i) => i.principalId), ['p-owner', 'p-scorer']);
    assert.deepEqual(batch.invokers.map((i) => i.principalId), ['p-owner']);
    assert.equal(online.invokers[1].role, 'Scorer');
    const md = invokersSection([online, batch]).lines.join('\n');
    assert.match(md, /p-owner \| Group \| Everything \| resource group rg-ml-test/);
    assert.match(md, /p-scorer \| ServicePrincipal \| Scorer \| this endpoint/);
  });

  it('names scopes by level', () => {
    assert.equal(scopeLabel(WS_ID, EP), 'workspace mlw-test');
    assert.equal(scopeLabel(`${EP}/`, EP), 'this endpoint');
    assert.equal(scopeLabel('/subscriptions/abc', EP), 'subscription abc');
    assert.equal(scopeLabel('/', EP), 'tenant root');
  });
});

describe('EndpointHardeningCheck: probe table', () => {
  it('keeps passing cells short and escapes what a server said', () => {
    const md = probesSection(
      [{ endpointId: EP, scoringUri: 'https://x/score', checks: [
        { ruleId: 'AML-PRB-001', status: 'pass', message: 'refused with 401', durationMs: 1 },
        { ruleId: 'AML-PRB-005', status: 'fail', message: 'Server: evil | <script>alert(1)</script> **bold**', durationMs: 1 },
      ] }],
      new Map([['AML-PRB-005', 'No internals leaked']]),
    ).lines.join('\n');
    assert.match(md, /\| ep-a \| ✅ \| ❌ fail \|/);
    assert.doesNotMatch(md, /<script>/);
    assert.doesNotMatch(md, /evil \| </, 'a pipe from the server must not open a table cell');
    assert.match(md, /No internals leaked/);
  });
});

describe('EndpointHardeningCheck: the pipeline\'s own identities', () => {
  it('takes the client id and the object and app ids of the token, and survives a token that is not a JWT', () => {
    const payload = Buffer.from(JSON.stringify({ oid: 'obj-1', appid: 'app-1' })).toString('base64url');
    assert.deepEqual(pipelineCallers({ clientId: 'client-1' }, `h.${payload}.s`).sort(), ['app-1', 'client-1', 'obj-1']);
    assert.deepEqual(pipelineCallers({ clientId: 'client-1' }, 'opaque'), ['client-1']);
    assert.deepEqual(pipelineCallers({}, undefined), []);
  });
});
