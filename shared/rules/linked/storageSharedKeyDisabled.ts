import type { Rule } from '../types';
import { get, inI, show } from '../_util';

// `properties.allowSharedKeyAccess`: null or missing means shared key is allowed (service default).
export const rule: Rule = {
  id: 'AML-LNK-ST-005',
  title: 'Workspace storage account disallows shared key access',
  severity: 'medium',
  resourceKind: 'storageAccount',
  rationale:
    'Account keys and the SAS tokens signed with them bypass Entra ID, carry no user identity in the logs and stay valid until rotated; ' +
    'disabling shared key forces every caller to use RBAC.',
  remediation:
    'First make the workspace use identities for its system datastores (`properties.systemDatastoresAuthMode: "Identity"`, see AML-WS-014 and AML-DS-002), ' +
    'then set `properties.allowSharedKeyAccess` to false (az storage account update -n <account> -g <rg> --allow-shared-key-access false).',
  references: [
    { title: 'PSRule Azure.Storage.LocalAuth', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.Storage.LocalAuth/' },
    { title: 'Azure Policy: Storage accounts should prevent shared key access', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Storage/StorageAccountAllowSharedKeyAccess_Audit.json' },
  ],
  check(sa, ctx) {
    const v = get(sa, 'properties.allowSharedKeyAccess');
    if (v === false) return { status: 'pass' };
    const identityMode = inI(get(ctx.inventory.workspace, 'properties.systemDatastoresAuthMode'), ['Identity', 'UserDelegationSAS']);
    return {
      status: 'fail',
      path: 'properties.allowSharedKeyAccess',
      message: `allowSharedKeyAccess is ${show(v)}; account keys and key-signed SAS tokens still work on the workspace storage account` +
        (identityMode ? '.' : ' (switch the workspace system datastores to identity first, or the workspace loses access).'),
    };
  },
};
