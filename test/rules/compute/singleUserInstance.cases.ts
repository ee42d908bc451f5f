import type { RuleCases } from '../../../shared/rules/types';
import { cluster, instance } from './_fixtures';

const OID = '0b7c3f9e-1111-4a2b-9c3d-5e6f7a8b9c0d';
const TID = '5d2e8a1f-2222-4b3c-8d4e-6f7a8b9c0d1e';
const assigned = { personalComputeInstanceSettings: { assignedUser: { objectId: OID, tenantId: TID } } };

export const cases: RuleCases = {
  ruleId: 'AML-CMP-008',
  cases: [
    { name: 'personal and assigned', resource: instance({ applicationSharingPolicy: 'Personal', computeInstanceAuthorizationType: 'personal', ...assigned }), expect: 'pass' },
    { name: 'shared applications', resource: instance({ applicationSharingPolicy: 'Shared', ...assigned }), expect: 'fail' },
    { name: 'policy missing (default Shared)', resource: instance({ ...assigned }), expect: 'fail' },
    { name: 'personal but no assigned user', resource: instance({ applicationSharingPolicy: 'personal' }), expect: 'fail' },
    { name: 'clusters are out of scope', resource: cluster({}), expect: 'skip' },
  ],
};
