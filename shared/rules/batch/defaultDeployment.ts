import type { Rule } from '../types';
import { get, show, str } from '../_util';
import { learnRef } from '../workspace/_refs';
import { childrenOf, hasDeploymentNamed } from '../endpoint/_children';

const PATH = 'properties.defaults.deploymentName';

export const rule: Rule = {
  id: 'AML-BE-003',
  title: 'Batch endpoint has a default deployment that exists',
  severity: 'medium',
  resourceKind: 'batchEndpoint',
  rationale:
    'Jobs sent to the endpoint without a deployment name run on the default deployment. Without one, or with one that was deleted, ' +
    'which model scores the data depends on each caller instead of on the reviewed configuration.',
  remediation:
    'Set properties.defaults.deploymentName to a deployment of this endpoint (az ml batch-endpoint update --name <e> --set defaults.deployment_name=<d>).',
  references: [
    learnRef('Deploy models for scoring in batch endpoints', 'how-to-use-batch-model-deployments'),
    learnRef('Batch endpoints', 'concept-endpoints-batch'),
  ],
  check(ep, ctx) {
    const children = childrenOf(ep, ctx.inventory.batchDeployments);
    if (children && children.length === 0) return { status: 'skip', reason: 'the endpoint has no deployments yet' };
    const name = str(get(ep, PATH));
    if (!name) return { status: 'fail', path: PATH, message: `defaults.deploymentName is ${show(get(ep, PATH))}; jobs without a deployment name have no reviewed target.` };
    if (children && !hasDeploymentNamed(children, name)) {
      return { status: 'fail', path: PATH, message: `The default deployment "${name}" does not exist under this endpoint.` };
    }
    return { status: 'pass' };
  },
};
