import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-WS-014',
  cases: [
    { name: 'Identity', resource: workspace({ systemDatastoresAuthMode: 'Identity' }), expect: 'pass' },
    { name: 'lower-case identity as templates write it', resource: workspace({ systemDatastoresAuthMode: 'identity' }), expect: 'pass' },
    { name: 'user delegation SAS', resource: workspace({ systemDatastoresAuthMode: 'UserDelegationSAS' }), expect: 'pass' },
    { name: 'AccessKey', resource: workspace({ systemDatastoresAuthMode: 'AccessKey' }), expect: 'fail' },
    { name: 'missing: service default is the account key', resource: workspace({ publicNetworkAccess: 'Disabled' }), expect: 'fail' },
  ],
};
