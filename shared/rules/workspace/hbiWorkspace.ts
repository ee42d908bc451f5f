import type { Rule } from '../types';
import { get, show } from '../_util';
import { learnRef } from './_refs';

const PATH = 'properties.hbiWorkspace';

/** Reads ctx.options.sensitiveData (default false): the rule applies only when the pipeline declares sensitive data. */
export const rule: Rule = {
  id: 'AML-WS-010',
  title: 'Workspace holding sensitive data has the high-business-impact flag',
  severity: 'low',
  resourceKind: 'workspace',
  rationale:
    'The hbiWorkspace flag makes the service collect less diagnostic data and encrypt local scratch disks of compute clusters; ' +
    'a workspace that handles sensitive data should have it.',
  remediation:
    'Create the workspace with properties.hbiWorkspace true (az ml workspace create --hbi-workspace); the flag cannot be changed ' +
    'after creation, so move the sensitive workload to a new workspace.',
  references: [learnRef('Data encryption with Azure Machine Learning', 'concept-data-encryption')],
  check(ws, ctx) {
    if (ctx.options.sensitiveData !== true) return { status: 'skip', reason: 'the pipeline did not declare the workspace data as sensitive (options.sensitiveData)' };
    const v = get(ws, PATH);
    if (v === true) return { status: 'pass' };
    return { status: 'fail', path: PATH, message: `The workspace holds sensitive data but hbiWorkspace is ${show(v)}.` };
  },
};
