import type { RuleCases } from '../../../shared/rules/types';
import { registry } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-ACR-001',
  cases: [
    { name: 'admin user disabled', resource: registry({ adminUserEnabled: false }), expect: 'pass' },
    { name: 'missing (default disabled)', resource: registry({}), expect: 'pass' },
    { name: 'admin user enabled', resource: registry({ adminUserEnabled: true }, 'Basic'), expect: 'fail' },
  ],
};
