import type { RuleCases } from '../../../shared/rules/types';
import { keyVault } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-KV-002',
  cases: [
    { name: 'soft delete on', resource: keyVault({ enableSoftDelete: true, softDeleteRetentionInDays: 90 }), expect: 'pass' },
    { name: 'missing (default on)', resource: keyVault({}), expect: 'pass' },
    { name: 'explicitly off (old vault)', resource: keyVault({ enableSoftDelete: false }), expect: 'fail' },
  ],
};
