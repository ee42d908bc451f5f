import type { RuleCases } from '../../../shared/rules/types';
import { storage } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-ST-003',
  cases: [
    { name: 'TLS 1.2', resource: storage({ minimumTlsVersion: 'TLS1_2' }), expect: 'pass' },
    { name: 'TLS 1.3 (newer value)', resource: storage({ minimumTlsVersion: 'TLS1_3' }), expect: 'pass' },
    { name: 'odd casing', resource: storage({ minimumTlsVersion: 'tls1_2' }), expect: 'pass' },
    { name: 'TLS 1.0', resource: storage({ minimumTlsVersion: 'TLS1_0' }), expect: 'fail' },
    { name: 'TLS 1.1', resource: storage({ minimumTlsVersion: 'TLS1_1' }), expect: 'fail' },
    { name: 'missing (historical default TLS 1.0)', resource: storage({}), expect: 'fail' },
  ],
};
