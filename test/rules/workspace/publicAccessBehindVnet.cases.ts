import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-WS-002',
  cases: [
    { name: 'flag false', resource: workspace({ allowPublicAccessWhenBehindVnet: false, publicNetworkAccess: 'Disabled' }), expect: 'pass' },
    { name: 'flag missing (service default false)', resource: workspace({ publicNetworkAccess: 'Disabled' }), expect: 'pass' },
    { name: 'flag true', resource: workspace({ allowPublicAccessWhenBehindVnet: true }), expect: 'fail' },
    { name: 'string "true" is not the boolean the API returns', resource: workspace({ allowPublicAccessWhenBehindVnet: 'true' }), expect: 'pass' },
  ],
};
