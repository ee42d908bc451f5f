import type { Rule } from '../types';
import { learnRef } from '../workspace/_refs';
import { CLUSTER, inner, skipUnlessType } from './_computeType';

const PATH = 'properties.properties.scaleSettings.minNodeCount';

export const rule: Rule = {
  id: 'AML-CMP-007',
  title: 'Compute cluster scales down to zero nodes',
  severity: 'low',
  resourceKind: 'compute',
  rationale:
    'A cluster with a minimum above zero keeps nodes running (and billed, and patchable only by reimage) even when no job needs them.',
  remediation: 'Set properties.properties.scaleSettings.minNodeCount to 0 (az ml compute update --name <cluster> --min-instances 0).',
  references: [learnRef('Create an Azure Machine Learning compute cluster', 'how-to-create-attach-compute-cluster')],
  check(c) {
    const skip = skipUnlessType(c, [CLUSTER]);
    if (skip) return skip;
    const min = inner(c, 'scaleSettings.minNodeCount');
    // Missing means 0, the service default.
    if (min === undefined || min === null || min === 0) return { status: 'pass' };
    return { status: 'fail', path: PATH, message: `minNodeCount is ${JSON.stringify(min)}, so the cluster keeps nodes running while idle.` };
  },
};
