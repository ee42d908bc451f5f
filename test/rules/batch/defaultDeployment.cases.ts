import type { RuleCases } from '../../../shared/rules/types';
import { batchDeployment, batchEndpoint } from '../fixtures';

const deployments = { batchDeployments: [batchDeployment('bep', 'nightly'), batchDeployment('other', 'weekly')] };

export const cases: RuleCases = {
  ruleId: 'AML-BE-003',
  inventory: deployments,
  cases: [
    { name: 'default deployment exists', resource: batchEndpoint('bep', { defaults: { deploymentName: 'nightly' } }), expect: 'pass' },
    { name: 'default names a deployment of another endpoint', resource: batchEndpoint('bep', { defaults: { deploymentName: 'weekly' } }), expect: 'fail' },
    { name: 'no default', resource: batchEndpoint('bep'), expect: 'fail' },
    { name: 'empty default', resource: batchEndpoint('bep', { defaults: { deploymentName: '' } }), expect: 'fail' },
    { name: 'endpoint without deployments yet', resource: batchEndpoint('empty'), expect: 'skip' },
    { name: 'deployments not collected: only the setting is judged', resource: batchEndpoint('bep', { defaults: { deploymentName: 'ghost' } }), inventory: { batchDeployments: undefined }, expect: 'pass' },
  ],
};
