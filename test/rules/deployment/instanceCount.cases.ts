import type { RuleCases } from '../../../shared/rules/types';
import { onlineDeployment, onlineEndpoint } from '../fixtures';

const prod = { production: true };
const endpoints = { onlineEndpoints: [onlineEndpoint('ep', { traffic: { blue: 100, green: 0 }, mirrorTraffic: { shadow: 10 } })] };
const autoscale = (minInstances: number) => ({ scaleSettings: { scaleType: 'TargetUtilization', minInstances, maxInstances: 6 } });

export const cases: RuleCases = {
  ruleId: 'AML-OD-009',
  inventory: endpoints,
  cases: [
    { name: 'three instances', resource: onlineDeployment('ep', 'blue', {}, { sku: { name: 'Default', capacity: 3 } }), options: prod, expect: 'pass' },
    { name: 'one instance serving live traffic', resource: onlineDeployment('ep', 'blue'), options: prod, expect: 'fail' },
    { name: 'no sku: one instance by default', resource: onlineDeployment('ep', 'blue', {}, { sku: undefined }), options: prod, expect: 'fail' },
    { name: 'autoscale with minInstances 2', resource: onlineDeployment('ep', 'blue', autoscale(2)), options: prod, expect: 'pass' },
    { name: 'autoscale with minInstances 1 (capacity 3 does not count)', resource: onlineDeployment('ep', 'blue', autoscale(1), { sku: { capacity: 3 } }), options: prod, expect: 'fail' },
    { name: 'one instance receiving mirrored traffic', resource: onlineDeployment('ep', 'shadow'), options: prod, expect: 'fail' },
    { name: 'green deployment with no traffic yet', resource: onlineDeployment('ep', 'green'), options: prod, expect: 'skip' },
    { name: 'endpoint not in the inventory: judged anyway', resource: onlineDeployment('other', 'blue'), options: prod, expect: 'fail' },
    { name: 'not production', resource: onlineDeployment('ep', 'blue'), expect: 'skip' },
  ],
};
