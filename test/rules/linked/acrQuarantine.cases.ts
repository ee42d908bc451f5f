import type { RuleCases } from '../../../shared/rules/types';
import { registry } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-ACR-004',
  cases: [
    { name: 'quarantine enabled', resource: registry({ policies: { quarantinePolicy: { status: 'enabled' }, trustPolicy: { type: 'Notary', status: 'disabled' } } }), expect: 'pass' },
    { name: 'quarantine enabled, upper case', resource: registry({ policies: { quarantinePolicy: { status: 'Enabled' } } }), expect: 'pass' },
    { name: 'quarantine disabled', resource: registry({ policies: { quarantinePolicy: { status: 'disabled' } } }), expect: 'fail' },
    { name: 'no policies block (Basic)', resource: registry({}, 'Basic'), expect: 'fail' },
  ],
};
