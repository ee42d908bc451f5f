import type { RuleCases } from '../../../shared/rules/types';
import { onlineDeployment, onlineEndpoint } from '../fixtures';

const deployments = { onlineDeployments: [onlineDeployment('ep', 'blue'), onlineDeployment('ep', 'green'), onlineDeployment('ep', 'canary')] };
const live = { blue: 100 };

export const cases: RuleCases = {
  ruleId: 'AML-OE-007',
  inventory: deployments,
  cases: [
    { name: '10% mirrored to a shadow deployment', resource: onlineEndpoint('ep', { traffic: live, mirrorTraffic: { green: 10 } }), expect: 'pass' },
    { name: 'no mirroring (empty map)', resource: onlineEndpoint('ep', { traffic: live, mirrorTraffic: {} }), expect: 'pass' },
    { name: 'exactly the default maximum, 50%', resource: onlineEndpoint('ep', { traffic: live, mirrorTraffic: { green: 50 } }), expect: 'pass' },
    { name: '60% mirrored: above the default 50', resource: onlineEndpoint('ep', { traffic: live, mirrorTraffic: { green: 60 } }), expect: 'fail' },
    { name: '30% above a policy maximum of 20', resource: onlineEndpoint('ep', { traffic: live, mirrorTraffic: { green: 30 } }), options: { maxMirrorTrafficPercent: 20 }, expect: 'fail' },
    { name: 'mirror target also serves live traffic', resource: onlineEndpoint('ep', { traffic: { blue: 90, green: 10 }, mirrorTraffic: { green: 10 } }), expect: 'fail' },
    { name: 'two shadow deployments', resource: onlineEndpoint('ep', { traffic: live, mirrorTraffic: { green: 10, canary: 5 } }), expect: 'fail' },
    { name: 'mirror to a deployment that does not exist', resource: onlineEndpoint('ep', { traffic: live, mirrorTraffic: { ghost: 10 } }), expect: 'fail' },
    { name: 'zero entries are not mirroring', resource: onlineEndpoint('ep', { traffic: { blue: 100 }, mirrorTraffic: { blue: 0, green: 10 } }), expect: 'pass' },
    { name: 'not reported (api-version 2022-10-01)', resource: onlineEndpoint('ep', { traffic: live }), expect: 'skip' },
  ],
};
