import type { Rule } from '../types';
import { get, show } from '../_util';

// `properties.enableRbacAuthorization`: missing means false (vault access policies) for the api-versions the
// collector reads; only an explicit true passes.
export const rule: Rule = {
  id: 'AML-LNK-KV-004',
  title: 'Workspace Key Vault uses Azure RBAC for data access',
  severity: 'medium',
  resourceKind: 'keyVault',
  rationale:
    'Access policies are vault-wide, invisible to Azure RBAC reviews and PIM, and can be edited by anyone with Contributor on the vault; ' +
    'RBAC gives per-secret scopes and one place to review access.',
  remediation:
    'Grant the workspace identity and users the Key Vault Secrets/Crypto roles they need, then set `properties.enableRbacAuthorization` ' +
    'to true (az keyvault update -n <vault> -g <rg> --enable-rbac-authorization true).',
  references: [
    { title: 'PSRule Azure.KeyVault.RBAC', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.KeyVault.RBAC/' },
    { title: 'Azure Policy: Azure Key Vault should use RBAC permission model', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Key%20Vault/AzureKeyVault_Should_Use_RBAC.json' },
  ],
  check(kv) {
    const v = get(kv, 'properties.enableRbacAuthorization');
    if (v === true) return { status: 'pass' };
    return { status: 'fail', path: 'properties.enableRbacAuthorization', message: `enableRbacAuthorization is ${show(v)}; the workspace vault is governed by access policies instead of Azure RBAC.` };
  },
};
