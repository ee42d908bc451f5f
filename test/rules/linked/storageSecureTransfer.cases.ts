import type { RuleCases } from '../../../shared/rules/types';
import { storage } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-ST-002',
  cases: [
    { name: 'https only', resource: storage({ supportsHttpsTrafficOnly: true }), expect: 'pass' },
    { name: 'missing (default true since 2019-04-01)', resource: storage({}), expect: 'pass' },
    { name: 'http allowed', resource: storage({ supportsHttpsTrafficOnly: false }), expect: 'fail' },
  ],
};
