import * as assert from 'node:assert/strict';
import { classify, foldOperations, isUnderWorkspace, mayChangeAuthOrNetwork, requestFields, scopeOf, type RawEvent } from '../../../shared/monitoring/activity';
import { EP_ID, op, WS_ID } from './fixtures';

const OID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';

function ev(over: Partial<RawEvent>): RawEvent {
  return {
    eventDataId: `e-${Math.random()}`,
    operationId: 'op-1',
    eventTimestamp: '2026-06-01T10:00:00.0000000Z',
    operationName: { value: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/write', localizedValue: 'Create or update online endpoint' },
    resourceId: EP_ID,
    caller: 'sam@contoso.com',
    status: { value: 'Started' },
    ...over,
  };
}

describe('monitoring: activity log folding', () => {
  it('folds Started, Accepted and Succeeded of one operation into one, with the terminal status and time', () => {
    const ops = foldOperations([
      ev({ status: { value: 'Accepted' }, eventTimestamp: '2026-06-01T10:00:05Z' }),
      ev({ status: { value: 'Succeeded' }, eventTimestamp: '2026-06-01T10:00:04Z' }),
      ev({}),
    ]);
    assert.equal(ops.length, 1);
    assert.equal(ops[0].status, 'Succeeded');
    assert.equal(ops[0].time, '2026-06-01T10:00:04Z');
    assert.equal(ops[0].operationId, 'op-1');
  });

  it('keeps the last status when no event is terminal, and orders operations newest first', () => {
    const ops = foldOperations([
      ev({ operationId: 'old', eventTimestamp: '2026-05-01T00:00:00Z', status: { value: 'Succeeded' } }),
      ev({ operationId: 'new', eventTimestamp: '2026-06-02T00:00:00Z' }),
      ev({ operationId: 'new', eventTimestamp: '2026-06-02T00:00:01Z', status: 'Accepted' }),
    ]);
    assert.deepEqual(ops.map((o) => [o.operationId, o.status]), [['new', 'Accepted'], ['old', 'Succeeded']]);
  });

  it('separates operations that share an operationId but not the resource or operation', () => {
    const ops = foldOperations([ev({}), ev({ resourceId: `${EP_ID}/deployments/blue` }), ev({ operationName: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/delete' })]);
    assert.equal(ops.length, 3);
  });

  it('takes caller, appid and object id claims, whatever the claim key case', () => {
    const [o] = foldOperations([ev({ claims: { APPID: '04b07795', [OID.toUpperCase()]: 'oid-1' } })]);
    assert.equal(o.caller, 'sam@contoso.com');
    assert.equal(o.appId, '04b07795');
    assert.equal(o.objectId, 'oid-1');
  });

  it('skips events without an operation name or resource', () => {
    assert.equal(foldOperations([ev({ operationName: undefined }), ev({ resourceId: undefined })]).length, 0);
  });

  it('reads known fields from a logged request body (camelCase or PascalCase), nothing else', () => {
    const body = { location: 'westeurope', properties: { authMode: 'Key', publicNetworkAccess: 'Enabled', keys: { primaryKey: 'must-not-appear' } } };
    assert.deepEqual(requestFields({ requestbody: JSON.stringify(body) }), { authMode: 'Key', publicNetworkAccess: 'Enabled' });
    const ra = { Id: 'x', Properties: { PrincipalId: 'p', RoleDefinitionId: '/r/b24988ac', PrincipalType: 'User' } };
    assert.deepEqual(requestFields({ requestBody: JSON.stringify(ra) }), { principalId: 'p', roleDefinitionId: '/r/b24988ac', principalType: 'User' });
    assert.equal(requestFields({ requestbody: '' }), undefined);
    assert.equal(requestFields({ requestbody: 'not json' }), undefined);
    assert.equal(requestFields({ statusCode: 'OK' }), undefined);
  });

  it('marks an operation whose events carried a body', () => {
    const [withBody] = foldOperations([ev({ properties: { requestbody: JSON.stringify({ tags: { a: 'b' } }) } }), ev({ status: 'Succeeded' })]);
    assert.equal(withBody.requestLogged, true);
    assert.deepEqual(withBody.request, {});
    assert.equal(mayChangeAuthOrNetwork(withBody), false);
    const [without] = foldOperations([ev({})]);
    assert.equal(without.requestLogged, false);
    assert.equal(mayChangeAuthOrNetwork(without), true);
    assert.equal(mayChangeAuthOrNetwork(op({ requestLogged: true, request: { defaultAction: 'Allow' } })), true);
  });
});

describe('monitoring: operation kinds and scopes', () => {
  const cases: Array<[string, string | undefined]> = [
    ['Microsoft.MachineLearningServices/workspaces/onlineEndpoints/listKeys/action', 'keys'],
    ['MICROSOFT.MACHINELEARNINGSERVICES/WORKSPACES/ONLINEENDPOINTS/REGENERATEKEYS/ACTION', 'keys'],
    ['Microsoft.MachineLearningServices/workspaces/onlineEndpoints/write', 'endpointWrite'],
    ['Microsoft.MachineLearningServices/workspaces/batchEndpoints/write', 'endpointWrite'],
    ['Microsoft.MachineLearningServices/workspaces/onlineEndpoints/delete', 'endpointDelete'],
    ['Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments/write', 'deployment'],
    ['Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments/delete', 'deployment'],
    ['Microsoft.MachineLearningServices/workspaces/write', 'workspaceWrite'],
    ['Microsoft.Authorization/roleAssignments/write', 'roleAssignment'],
    ['Microsoft.MachineLearningServices/workspaces/onlineEndpoints/token/action', undefined],
    ['Microsoft.MachineLearningServices/workspaces/computes/write', undefined],
    ['Microsoft.Storage/storageAccounts/listKeys/action', undefined],
  ];
  for (const [name, kind] of cases) {
    it(`${name} → ${kind ?? 'ignored'}`, () => assert.equal(classify(name)?.kind, kind));
  }

  it('scopes an operation to its endpoint, else to the workspace', () => {
    assert.deepEqual(scopeOf(`${EP_ID}/deployments/blue`, WS_ID), { id: EP_ID, kind: 'onlineEndpoint' });
    assert.deepEqual(scopeOf(`${EP_ID}/providers/Microsoft.Authorization/roleAssignments/1`, WS_ID), { id: EP_ID, kind: 'onlineEndpoint' });
    assert.deepEqual(scopeOf(`${WS_ID}/batchEndpoints/b1`, WS_ID), { id: `${WS_ID}/batchEndpoints/b1`, kind: 'batchEndpoint' });
    assert.deepEqual(scopeOf(`${WS_ID}/providers/Microsoft.Authorization/roleAssignments/1`, WS_ID), { id: WS_ID, kind: 'workspace' });
  });

  it('knows what lies under a workspace (case-insensitive, not a name prefix)', () => {
    assert.ok(isUnderWorkspace(WS_ID.toUpperCase(), WS_ID));
    assert.ok(isUnderWorkspace(`${WS_ID}/onlineEndpoints/x`, WS_ID));
    assert.ok(!isUnderWorkspace(`${WS_ID}-other`, WS_ID));
    assert.ok(!isUnderWorkspace('/subscriptions/x/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/st', WS_ID));
  });
});
