import type { RuleCases } from '../../../shared/rules/types';
import { onlineDeployment } from '../fixtures';

const settings = (s: Record<string, unknown>) => onlineDeployment('ep', 'blue', { requestSettings: s });

export const cases: RuleCases = {
  ruleId: 'AML-OD-008',
  cases: [
    { name: 'timeout and concurrency set', resource: settings({ requestTimeout: 'PT10S', maxConcurrentRequestsPerInstance: 2, maxQueueWait: 'PT0.5S' }), expect: 'pass' },
    { name: 'no timeout', resource: settings({ maxConcurrentRequestsPerInstance: 2 }), expect: 'fail' },
    { name: 'no concurrency limit', resource: settings({ requestTimeout: 'PT10S' }), expect: 'fail' },
    { name: 'concurrency 0', resource: settings({ requestTimeout: 'PT10S', maxConcurrentRequestsPerInstance: 0 }), expect: 'fail' },
    { name: 'no requestSettings at all', resource: onlineDeployment('ep', 'blue'), expect: 'fail' },
  ],
};
