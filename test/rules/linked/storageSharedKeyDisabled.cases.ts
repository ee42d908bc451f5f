import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';
import { storage } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-ST-005',
  cases: [
    { name: 'shared key disabled', resource: storage({ allowSharedKeyAccess: false }), inventory: { workspace: workspace({ systemDatastoresAuthMode: 'Identity' }) }, expect: 'pass' },
    { name: 'shared key allowed', resource: storage({ allowSharedKeyAccess: true }), expect: 'fail' },
    { name: 'null (service default: allowed)', resource: storage({ allowSharedKeyAccess: null }), expect: 'fail' },
    { name: 'missing', resource: storage({}), inventory: { workspace: workspace({ systemDatastoresAuthMode: 'Identity' }) }, expect: 'fail' },
  ],
};
