import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';
import { blob } from './_datastores';

const identityWs = workspace({ systemDatastoresAuthMode: 'identity' });

export const cases: RuleCases = {
  ruleId: 'AML-DS-002',
  cases: [
    { name: 'default datastore is identity-based', resource: blob('workspaceblobstore', 'stmltest01', 'None', { isDefault: true }), expect: 'pass' },
    { name: 'default datastore key-based', resource: blob('workspaceblobstore', 'stmltest01', 'AccountKey', { isDefault: true }), expect: 'fail' },
    { name: 'default datastore SAS-based', resource: blob('workspaceblobstore', 'stmltest01', 'Sas', { isDefault: true }), expect: 'fail' },
    {
      name: 'key-based default but workspace system datastores use identity (2025-06-01+, lower-case value)',
      resource: blob('workspaceblobstore', 'stmltest01', 'AccountKey', { isDefault: true }),
      inventory: { workspace: identityWs },
      expect: 'pass',
    },
    {
      name: 'workspace on user delegation SAS',
      resource: blob('workspaceblobstore', 'stmltest01', 'AccountKey', { isDefault: true }),
      inventory: { workspace: workspace({ systemDatastoresAuthMode: 'UserDelegationSAS' }) },
      expect: 'pass',
    },
    {
      name: 'workspace explicitly on AccessKey mode',
      resource: blob('workspaceblobstore', 'stmltest01', 'AccountKey', { isDefault: true }),
      inventory: { workspace: workspace({ systemDatastoresAuthMode: 'AccessKey' }) },
      expect: 'fail',
    },
    { name: 'not the default datastore', resource: blob('extra', 'stdata01', 'AccountKey'), expect: 'skip' },
    { name: 'isDefault missing (templates)', resource: blob('extra', 'stdata01', 'AccountKey', { isDefault: undefined }), expect: 'skip' },
  ],
};
