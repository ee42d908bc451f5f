import type { RuleCases } from '../../../shared/rules/types';
import { onlineDeployment } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-OD-002',
  cases: [
    { name: 'Application Insights on', resource: onlineDeployment('ep', 'blue', { appInsightsEnabled: true }), expect: 'pass' },
    { name: 'Application Insights off', resource: onlineDeployment('ep', 'blue', { appInsightsEnabled: false }), expect: 'fail' },
    { name: 'not set: service default false', resource: onlineDeployment('ep', 'blue'), expect: 'fail' },
    { name: 'the string "true" is not the boolean', resource: onlineDeployment('ep', 'blue', { appInsightsEnabled: 'true' }), expect: 'fail' },
  ],
};
