import type { Rule } from '../types';
import { eqi, show, str } from '../_util';
import { learnRef } from '../workspace/_refs';
import { INSTANCE, inner, skipUnlessType } from './_computeType';

export const rule: Rule = {
  id: 'AML-CMP-008',
  title: 'Compute instance is assigned to a single user',
  severity: 'low',
  resourceKind: 'compute',
  rationale:
    'A compute instance runs with its owner\'s credentials and holds their notebooks; shared applications let other workspace ' +
    'users act through that identity and read that data.',
  remediation:
    'Create the instance with properties.properties.applicationSharingPolicy "Personal" and personalComputeInstanceSettings.assignedUser ' +
    'set to its one user (az ml compute create --type ComputeInstance … --user-object-id <id> --user-tenant-id <tid>).',
  references: [learnRef('Create an Azure Machine Learning compute instance', 'how-to-create-compute-instance')],
  check(c) {
    const skip = skipUnlessType(c, [INSTANCE]);
    if (skip) return skip;
    const policy = inner(c, 'applicationSharingPolicy');
    // Missing means "Shared", the service default.
    if (!eqi(policy, 'Personal')) {
      return { status: 'fail', path: 'properties.properties.applicationSharingPolicy', message: `applicationSharingPolicy is ${policy === undefined ? 'not set (service default "Shared")' : show(policy)}, so other workspace users can use the instance's applications.` };
    }
    if (!str(inner(c, 'personalComputeInstanceSettings.assignedUser.objectId'))) {
      return { status: 'fail', path: 'properties.properties.personalComputeInstanceSettings.assignedUser.objectId', message: 'The instance is "Personal" but names no assigned user.' };
    }
    return { status: 'pass' };
  },
};
