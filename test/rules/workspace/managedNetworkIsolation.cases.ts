import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-WS-004',
  cases: [
    { name: 'approved outbound only', resource: workspace({ managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound', status: { status: 'Active' } } }), expect: 'pass' },
    { name: 'approved outbound, sensitive data', resource: workspace({ managedNetwork: { isolationMode: 'allowonlyapprovedoutbound' } }), options: { sensitiveData: true }, expect: 'pass' },
    { name: 'internet outbound is a low warning', resource: workspace({ managedNetwork: { isolationMode: 'AllowInternetOutbound' } }), expect: 'fail', severity: 'low' },
    { name: 'internet outbound with sensitive data is high', resource: workspace({ managedNetwork: { isolationMode: 'AllowInternetOutbound' } }), options: { sensitiveData: true }, expect: 'fail', severity: 'high' },
    { name: 'managed network disabled', resource: workspace({ managedNetwork: { isolationMode: 'Disabled' } }), expect: 'fail', severity: 'medium' },
    { name: 'managedNetwork absent (2022-10-01 GET): service default Disabled', resource: workspace({ publicNetworkAccess: 'Disabled' }), expect: 'fail', severity: 'medium' },
    { name: 'disabled with sensitive data is high', resource: workspace({ managedNetwork: { isolationMode: 'Disabled' } }), options: { sensitiveData: true }, expect: 'fail', severity: 'high' },
  ],
};
