import type { Rule } from '../types';
import { describeNetwork, isNetworkRestricted } from './_network';

export const rule: Rule = {
  id: 'AML-LNK-KV-003',
  title: 'Workspace Key Vault is network-restricted',
  severity: 'high',
  resourceKind: 'keyVault',
  rationale:
    'The workspace vault holds datastore and connection secrets; a vault open to all networks lets a stolen token read them ' +
    'from anywhere, while a private endpoint or deny-by-default firewall confines use to trusted networks.',
  remediation:
    'Set `properties.publicNetworkAccess` to "Disabled" and use a private endpoint, or set `properties.networkAcls.defaultAction` ' +
    'to "Deny" with `bypass: "AzureServices"` and the needed network rules (az keyvault update --default-action Deny).',
  references: [
    { title: 'PSRule Azure.KeyVault.Firewall', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.KeyVault.Firewall/' },
    { title: 'Azure Policy: Azure Key Vault should have firewall enabled', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Key%20Vault/AzureKeyVaultFirewallEnabled_Audit.json' },
  ],
  check(kv) {
    if (isNetworkRestricted(kv)) return { status: 'pass' };
    return { status: 'fail', path: 'properties.networkAcls.defaultAction', message: `The workspace Key Vault accepts traffic from all networks: ${describeNetwork(kv)}.` };
  },
};
