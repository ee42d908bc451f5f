import type { RuleCases } from '../../../shared/rules/types';
import { connection } from './_connections';

export const cases: RuleCases = {
  ruleId: 'AML-CONN-003',
  cases: [
    { name: 'secret-bearing, shared with named users', resource: connection('aoai-key', { authType: 'ApiKey', isSharedToAll: false, sharedUserList: ['4f1c2d3e-0000-4000-8000-00000000abcd'] }), expect: 'pass' },
    { name: 'secret-bearing, shared to all', resource: connection('aoai-key', { authType: 'ApiKey', isSharedToAll: true }), expect: 'fail' },
    { name: 'PAT shared to all', resource: connection('git', { category: 'Git', authType: 'PAT', isSharedToAll: true }), expect: 'fail' },
    { name: 'sharing flag absent (2022-10-01 connection): default false', resource: connection('git', { category: 'Git', authType: 'PAT', isSharedToAll: undefined }), expect: 'pass' },
    { name: 'sharing flag as a string is not true', resource: connection('git', { category: 'Git', authType: 'PAT', isSharedToAll: 'true' }), expect: 'pass' },
    { name: 'Entra ID connection shared to all is fine', resource: connection('aoai', { authType: 'AAD', isSharedToAll: true }), expect: 'skip' },
  ],
};
