import type { RuleCases } from '../../../shared/rules/types';
import { keyVault } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-KV-004',
  cases: [
    { name: 'RBAC authorization', resource: keyVault({ enableRbacAuthorization: true }), expect: 'pass' },
    { name: 'access policies', resource: keyVault({ enableRbacAuthorization: false, accessPolicies: [] }), expect: 'fail' },
    { name: 'missing (access policies by default)', resource: keyVault({}), expect: 'fail' },
  ],
};
