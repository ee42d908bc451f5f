import type { RuleCases } from '../../../shared/rules/types';
import { storage } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-ST-001',
  cases: [
    { name: 'anonymous access disallowed', resource: storage({ allowBlobPublicAccess: false }), expect: 'pass' },
    { name: 'anonymous access allowed', resource: storage({ allowBlobPublicAccess: true }), expect: 'fail' },
    { name: 'property missing (older account, allowed by default)', resource: storage({}), expect: 'fail' },
    { name: 'premium FileStorage has no blob service', resource: storage({}, { kind: 'FileStorage' }), expect: 'skip' },
  ],
};
