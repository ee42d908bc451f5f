import type { Rule } from '../types';
import { eqi, get, show, str } from '../_util';
import { describeNetwork, isNetworkRestricted } from './_network';

// Passes on `publicNetworkAccess: "Disabled"` or, as PSRule Azure.ACR.Firewall does, on a firewall that denies
// by default (`networkRuleSet.defaultAction: "Deny"`). Both need the Premium SKU; a missing publicNetworkAccess
// is the default "Enabled".
export const rule: Rule = {
  id: 'AML-LNK-ACR-003',
  title: 'Workspace container registry is closed to public networks',
  severity: 'medium',
  resourceKind: 'containerRegistry',
  rationale:
    'A registry reachable from any network lets stolen tokens push or pull images from anywhere; closing it confines the supply ' +
    'chain of training and inference images to the private network.',
  remediation:
    'Move the registry to the Premium SKU, add a private endpoint, set `properties.publicNetworkAccess` to "Disabled" ' +
    '(az acr update -n <registry> --sku Premium --public-network-enabled false) and set the workspace `imageBuildCompute` (AML-WS-012).',
  references: [
    { title: 'PSRule Azure.ACR.Firewall', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.ACR.Firewall/' },
    { title: 'Azure Policy: Container registries should have public network access disabled', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Container%20Registry/ACR_PublicNetworkAccess_AuditDeny.json' },
  ],
  check(acr) {
    if (isNetworkRestricted(acr, 'networkRuleSet')) return { status: 'pass' };
    const sku = str(get(acr, 'sku.name')) ?? str(get(acr, 'sku.tier'));
    if (sku !== undefined && !eqi(sku, 'Premium')) {
      return { status: 'fail', path: 'sku.name', message: `The workspace registry is on the ${show(sku)} SKU, which cannot disable public network access (Premium is required).` };
    }
    return { status: 'fail', path: 'properties.publicNetworkAccess', message: `The workspace registry accepts traffic from all networks: ${describeNetwork(acr, 'networkRuleSet')}.` };
  },
};
