import type { RuleCases } from '../../../shared/rules/types';
import { child, onlineEndpoint } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-OE-002',
  cases: [
    { name: 'public access disabled', resource: onlineEndpoint('ep', { publicNetworkAccess: 'Disabled' }), expect: 'pass' },
    { name: 'public access enabled', resource: onlineEndpoint('ep', { publicNetworkAccess: 'Enabled' }), expect: 'fail' },
    { name: 'not set: service default Enabled', resource: onlineEndpoint('ep', { publicNetworkAccess: undefined }), expect: 'fail' },
    { name: 'Kubernetes endpoint: exposure is the cluster\'s', resource: onlineEndpoint('ep', { publicNetworkAccess: 'Enabled', compute: child('computes', 'k8s') }), expect: 'skip' },
  ],
};
