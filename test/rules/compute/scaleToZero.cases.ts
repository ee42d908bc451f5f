import type { RuleCases } from '../../../shared/rules/types';
import { cluster, instance } from './_fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-CMP-007',
  cases: [
    { name: 'min 0', resource: cluster({ scaleSettings: { minNodeCount: 0, maxNodeCount: 4, nodeIdleTimeBeforeScaleDown: 'PT120S' } }), expect: 'pass' },
    { name: 'scaleSettings missing (default min 0)', resource: cluster({}), expect: 'pass' },
    { name: 'min 2', resource: cluster({ scaleSettings: { minNodeCount: 2, maxNodeCount: 4 } }), expect: 'fail' },
    { name: 'instances are out of scope', resource: instance({}), expect: 'skip' },
  ],
};
