import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-WS-010',
  cases: [
    { name: 'sensitive data, HBI on', resource: workspace({ hbiWorkspace: true }), options: { sensitiveData: true }, expect: 'pass' },
    { name: 'sensitive data, HBI off', resource: workspace({ hbiWorkspace: false }), options: { sensitiveData: true }, expect: 'fail' },
    { name: 'sensitive data, HBI missing (default false)', resource: workspace({}), options: { sensitiveData: true }, expect: 'fail' },
    { name: 'data not declared sensitive', resource: workspace({ hbiWorkspace: false }), expect: 'skip' },
    { name: 'sensitiveData explicitly false', resource: workspace({ hbiWorkspace: false }), options: { sensitiveData: false }, expect: 'skip' },
  ],
};
