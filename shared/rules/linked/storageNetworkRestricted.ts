import type { Rule } from '../types';
import { describeNetwork, isNetworkRestricted } from './_network';

export const rule: Rule = {
  id: 'AML-LNK-ST-004',
  title: 'Workspace storage account is network-restricted',
  severity: 'high',
  resourceKind: 'storageAccount',
  rationale:
    'A storage account open to all networks can be reached from anywhere with a leaked key or SAS token; a private ' +
    'endpoint or a deny-by-default firewall limits use of any credential to trusted networks.',
  remediation:
    'Set `properties.publicNetworkAccess` to "Disabled" and reach the account through private endpoints, or set ' +
    '`properties.networkAcls.defaultAction` to "Deny" with the needed virtual network and IP rules (az storage account update --default-action Deny).',
  references: [
    { title: 'PSRule Azure.Storage.Firewall', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.Storage.Firewall/' },
    { title: 'Azure Policy: Storage accounts should restrict network access', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Storage/Storage_NetworkAcls_Audit.json' },
    { title: 'Secure an Azure Machine Learning workspace with virtual networks', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet' },
  ],
  check(sa) {
    if (isNetworkRestricted(sa)) return { status: 'pass' };
    return { status: 'fail', path: 'properties.networkAcls.defaultAction', message: `The workspace storage account accepts traffic from all networks: ${describeNetwork(sa)}.` };
  },
};
