import type { Rule } from '../types';
import { eqi, get, show, str } from '../_util';
import { learnRef, MCSB_ML_BASELINE } from '../workspace/_refs';
import { CLUSTER, INSTANCE, skipUnlessType } from './_computeType';

const PATH = 'identity.type';

export const rule: Rule = {
  id: 'AML-CMP-010',
  title: 'Compute has a managed identity',
  severity: 'low',
  resourceKind: 'compute',
  rationale:
    'A compute identity lets jobs read data and pull images with Entra tokens; without one, jobs need credential-based datastores ' +
    'or secrets passed in.',
  remediation:
    'Assign a system- or user-assigned identity to the compute (az ml compute update --name <c> --identity-type SystemAssigned, ' +
    'or --user-assigned-identities <id>).',
  references: [learnRef('Set up authentication between Azure Machine Learning and other services', 'how-to-identity-based-service-authentication'), MCSB_ML_BASELINE],
  check(c) {
    const skip = skipUnlessType(c, [INSTANCE, CLUSTER]);
    if (skip) return skip;
    const type = get(c, PATH);
    if (str(type) && !eqi(type, 'None')) return { status: 'pass' };
    return { status: 'fail', path: PATH, message: `The compute identity type is ${show(type)}; it has no managed identity.` };
  },
};
