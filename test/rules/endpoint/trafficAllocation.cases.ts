import type { RuleCases } from '../../../shared/rules/types';
import { onlineDeployment, onlineEndpoint } from '../fixtures';

const deployments = { onlineDeployments: [onlineDeployment('ep', 'blue'), onlineDeployment('ep', 'green'), onlineDeployment('other', 'red')] };

export const cases: RuleCases = {
  ruleId: 'AML-OE-006',
  inventory: deployments,
  cases: [
    { name: 'blue 90, green 10', resource: onlineEndpoint('ep', { traffic: { blue: 90, green: 10 } }), expect: 'pass' },
    { name: 'all traffic stopped (0%)', resource: onlineEndpoint('ep', { traffic: { blue: 0 } }), expect: 'pass' },
    { name: 'empty map: no live traffic yet', resource: onlineEndpoint('ep', { traffic: {} }), expect: 'pass' },
    { name: 'shares add up to 80', resource: onlineEndpoint('ep', { traffic: { blue: 70, green: 10 } }), expect: 'fail' },
    { name: 'names a deployment of another endpoint', resource: onlineEndpoint('ep', { traffic: { blue: 50, red: 50 } }), expect: 'fail' },
    { name: 'deployment names compare case-insensitively', resource: onlineEndpoint('ep', { traffic: { Blue: 100 } }), expect: 'pass' },
    { name: 'share that is not a whole percentage', resource: onlineEndpoint('ep', { traffic: { blue: 99.5, green: 0.5 } }), expect: 'fail' },
    { name: 'deployments not collected: only the sum is judged', resource: onlineEndpoint('ep', { traffic: { ghost: 100 } }), inventory: { onlineDeployments: undefined }, expect: 'pass' },
    { name: 'no traffic map reported', resource: onlineEndpoint('ep', { traffic: undefined }), expect: 'skip' },
  ],
};
