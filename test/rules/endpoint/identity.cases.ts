import type { RuleCases } from '../../../shared/rules/types';
import { RG, SUB, onlineEndpoint } from '../fixtures';

const UAI = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-endpoint`;

export const cases: RuleCases = {
  ruleId: 'AML-OE-004',
  cases: [
    { name: 'user-assigned identity', resource: onlineEndpoint('ep', {}, { identity: { type: 'UserAssigned', userAssignedIdentities: { [UAI]: {} } } }), expect: 'pass' },
    { name: 'system-assigned identity passes (explicit, service-scoped roles)', resource: onlineEndpoint('ep', {}, { identity: { type: 'SystemAssigned' } }), expect: 'pass' },
    { name: 'both kinds', resource: onlineEndpoint('ep', {}, { identity: { type: 'SystemAssigned,UserAssigned', userAssignedIdentities: { [UAI]: {} } } }), expect: 'pass' },
    { name: 'identity None', resource: onlineEndpoint('ep', {}, { identity: { type: 'None' } }), expect: 'fail' },
    { name: 'no identity block', resource: onlineEndpoint('ep', {}, { identity: undefined }), expect: 'fail' },
    { name: 'UserAssigned with no identity listed', resource: onlineEndpoint('ep', {}, { identity: { type: 'UserAssigned', userAssignedIdentities: {} } }), expect: 'fail' },
  ],
};
