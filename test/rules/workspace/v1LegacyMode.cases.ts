import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-WS-011',
  cases: [
    { name: 'V2 mode', resource: workspace({ v1LegacyMode: false }), expect: 'pass' },
    { name: 'field missing (default false)', resource: workspace({}), expect: 'pass' },
    { name: 'V1 legacy mode on is reported as info', resource: workspace({ v1LegacyMode: true }), expect: 'fail', severity: 'info' },
  ],
};
