import type { RuleCases } from '../../../shared/rules/types';
import { RG, SUB, workspace } from '../fixtures';

const UAI = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-mlw`;
const uai = (type: string) => ({ identity: { type, userAssignedIdentities: { [UAI]: { principalId: SUB, clientId: SUB } } } });

export const cases: RuleCases = {
  ruleId: 'AML-WS-008',
  cases: [
    { name: 'user-assigned and primary', resource: workspace({ primaryUserAssignedIdentity: UAI }, uai('UserAssigned')), expect: 'pass' },
    { name: 'both kinds with a primary UAI', resource: workspace({ primaryUserAssignedIdentity: UAI }, uai('SystemAssigned,UserAssigned')), expect: 'pass' },
    { name: 'system-assigned only', resource: workspace({}, { identity: { type: 'SystemAssigned' } }), expect: 'fail' },
    { name: 'UAI attached but not primary', resource: workspace({}, uai('SystemAssigned,UserAssigned')), expect: 'fail' },
    { name: 'UAI attached, primary empty string', resource: workspace({ primaryUserAssignedIdentity: '' }, uai('UserAssigned')), expect: 'fail' },
    { name: 'no identity', resource: workspace({}), expect: 'fail' },
  ],
};
