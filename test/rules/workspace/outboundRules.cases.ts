import type { RuleCases } from '../../../shared/rules/types';
import { RG, SUB, workspace } from '../fixtures';

const ST = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/stmldata`;
const FOREIGN = '/subscriptions/9a9a9a9a-0000-4000-8000-000000000001/resourceGroups/rg-x/providers/Microsoft.Storage/storageAccounts/stother';

const mn = (outboundRules: Record<string, unknown>, isolationMode = 'AllowOnlyApprovedOutbound') =>
  workspace({ managedNetwork: { isolationMode, outboundRules } });

const required = {
  '__SYS_PE_mlw-test_blob': { type: 'PrivateEndpoint', category: 'Required', status: 'Active', destination: { serviceResourceId: ST, subresourceTarget: 'blob' } },
  '__SYS_ST_AzureMachineLearning': { type: 'ServiceTag', category: 'Required', status: 'Active', destination: { serviceTag: 'AzureMachineLearning', protocol: 'TCP', portRanges: '443', action: 'Allow' } },
};

export const cases: RuleCases = {
  ruleId: 'AML-WS-005',
  cases: [
    { name: 'only service-created rules', resource: mn(required), expect: 'pass' },
    {
      name: 'narrow user-defined FQDNs, including an organisation wildcard',
      resource: mn({ ...required, pypi: { type: 'FQDN', category: 'UserDefined', destination: 'pypi.org' }, pyhosted: { type: 'FQDN', category: 'UserDefined', destination: '*.pythonhosted.org' } }),
      expect: 'pass',
    },
    { name: 'no outbound rules reported', resource: workspace({ managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound' } }), expect: 'pass' },
    { name: 'bare * FQDN', resource: mn({ anything: { type: 'FQDN', category: 'UserDefined', destination: '*' } }), expect: 'fail' },
    { name: 'wildcard over a top-level domain', resource: mn({ com: { type: 'fqdn', category: 'UserDefined', destination: '*.com' } }), expect: 'fail' },
    { name: 'wildcard over every storage account', resource: mn({ blobs: { type: 'FQDN', category: 'UserDefined', destination: '*.blob.core.windows.net' } }), expect: 'fail' },
    { name: 'wildcard in the middle of a name', resource: mn({ odd: { type: 'FQDN', category: 'UserDefined', destination: 'data*.contoso.com' } }), expect: 'fail' },
    { name: 'template rule without a category is judged as user-defined', resource: mn({ any: { type: 'FQDN', destination: '*' } }), expect: 'fail' },
    { name: 'Internet service tag', resource: mn({ web: { type: 'ServiceTag', category: 'UserDefined', destination: { serviceTag: 'Internet', protocol: '*', portRanges: '*', action: 'Allow' } } }), expect: 'fail' },
    { name: 'Internet service tag with action Deny is harmless', resource: mn({ web: { type: 'ServiceTag', category: 'UserDefined', destination: { serviceTag: 'Internet', protocol: '*', portRanges: '*', action: 'Deny' } } }), expect: 'pass' },
    { name: 'service tag rule opening 0.0.0.0/0', resource: mn({ all: { type: 'ServiceTag', category: 'UserDefined', destination: { serviceTag: 'AzureCloud', addressPrefixes: ['0.0.0.0/0'], protocol: 'TCP', portRanges: '443' } } }), expect: 'fail' },
    {
      name: 'private endpoint to another subscription, allow-list set',
      resource: mn({ other: { type: 'PrivateEndpoint', category: 'UserDefined', destination: { serviceResourceId: FOREIGN, subresourceTarget: 'blob' } } }),
      options: { allowedPrivateEndpointTargets: [`/subscriptions/${SUB}/`] },
      expect: 'fail',
    },
    {
      name: 'private endpoint inside the allow-list (casing differs)',
      resource: mn({ mine: { type: 'PrivateEndpoint', category: 'UserDefined', destination: { serviceResourceId: ST.toLowerCase(), subresourceTarget: 'blob' } } }),
      options: { allowedPrivateEndpointTargets: [`/subscriptions/${SUB.toUpperCase()}/`] },
      expect: 'pass',
    },
    {
      name: 'private endpoint targets are not judged without an allow-list',
      resource: mn({ other: { type: 'PrivateEndpoint', category: 'UserDefined', destination: { serviceResourceId: FOREIGN, subresourceTarget: 'blob' } } }),
      expect: 'pass',
    },
    { name: 'no managed VNet: rules do not apply', resource: workspace({ managedNetwork: { isolationMode: 'Disabled', outboundRules: { any: { type: 'FQDN', destination: '*' } } } }), expect: 'skip' },
    { name: 'managedNetwork absent (older api-version)', resource: workspace({ publicNetworkAccess: 'Enabled' }), expect: 'skip' },
  ],
};
