import type { RuleCases } from '../../../shared/rules/types';
import { batchEndpoint } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-BE-002',
  cases: [
    { name: 'system-assigned identity', resource: batchEndpoint('bep'), expect: 'pass' },
    { name: 'identity None', resource: batchEndpoint('bep', {}, { identity: { type: 'None' } }), expect: 'fail' },
    { name: 'no identity block', resource: batchEndpoint('bep', {}, { identity: undefined }), expect: 'fail' },
  ],
};
