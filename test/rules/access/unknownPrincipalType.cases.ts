import type { RuleCases } from '../../../shared/rules/types';
import { WS_ID } from '../fixtures';
import { GUID, SUB_SCOPE, assignment } from './_rbac';

export const cases: RuleCases = {
  ruleId: 'AML-IAM-003',
  cases: [
    { name: 'group', resource: assignment({ role: GUID.reader, principalType: 'Group' }), expect: 'pass' },
    { name: 'service principal', resource: assignment({ role: GUID.dataScientist, principalType: 'ServicePrincipal' }), expect: 'pass' },
    { name: 'deleted identity (Unknown)', resource: assignment({ role: GUID.contributor, principalType: 'Unknown', scope: SUB_SCOPE }), expect: 'fail' },
    { name: 'lower-case unknown', resource: assignment({ role: GUID.contributor, principalType: 'unknown' }), expect: 'fail' },
    { name: 'principalType missing', resource: assignment({ role: GUID.reader }), expect: 'fail' },
    { name: 'scope taken from the id when properties.scope is absent', resource: (() => { const a = assignment({ role: GUID.reader, principalType: 'Unknown', scope: `${WS_ID}/computes/ci-alice` }); delete a.properties!.scope; return a; })(), expect: 'skip' },
  ],
};
