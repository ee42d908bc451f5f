import type { RuleCases } from '../../../shared/rules/types';
import { SUB, workspace } from '../fixtures';

const TENANT = '72f988bf-0000-4000-8000-00000000aaaa';

export const cases: RuleCases = {
  ruleId: 'AML-WS-007',
  cases: [
    { name: 'system-assigned', resource: workspace({}, { identity: { type: 'SystemAssigned', principalId: SUB, tenantId: TENANT } }), expect: 'pass' },
    { name: 'system and user assigned', resource: workspace({}, { identity: { type: 'SystemAssigned,UserAssigned' } }), expect: 'pass' },
    { name: 'identity None', resource: workspace({}, { identity: { type: 'None' } }), expect: 'fail' },
    { name: 'identity "none" lower-case', resource: workspace({}, { identity: { type: 'none' } }), expect: 'fail' },
    { name: 'no identity block', resource: workspace({ publicNetworkAccess: 'Disabled' }), expect: 'fail' },
  ],
};
