import type { RuleCases } from '../../../shared/rules/types';
import { keyVault } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-KV-001',
  cases: [
    { name: 'purge protection on', resource: keyVault({ enableSoftDelete: true, enablePurgeProtection: true }), expect: 'pass' },
    { name: 'missing (off)', resource: keyVault({ enableSoftDelete: true }), expect: 'fail' },
    { name: 'null (off)', resource: keyVault({ enablePurgeProtection: null }), expect: 'fail' },
  ],
};
