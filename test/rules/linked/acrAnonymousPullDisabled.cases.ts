import type { RuleCases } from '../../../shared/rules/types';
import { registry } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-ACR-002',
  cases: [
    { name: 'anonymous pull disabled', resource: registry({ anonymousPullEnabled: false }), expect: 'pass' },
    { name: 'missing (Basic SKU has no such setting)', resource: registry({}, 'Basic'), expect: 'pass' },
    { name: 'anonymous pull enabled', resource: registry({ anonymousPullEnabled: true }, 'Standard'), expect: 'fail' },
  ],
};
