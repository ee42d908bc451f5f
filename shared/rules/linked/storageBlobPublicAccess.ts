import type { Rule } from '../types';
import { eqi, get, show } from '../_util';

// `properties.allowBlobPublicAccess`: accounts created before the November 2023 default change may omit it,
// and omitted means anonymous access can be turned on per container, so only an explicit false passes.
export const rule: Rule = {
  id: 'AML-LNK-ST-001',
  title: 'Workspace storage account blocks anonymous blob access',
  severity: 'high',
  resourceKind: 'storageAccount',
  rationale:
    'The workspace storage account holds datasets, job outputs, models and code snapshots; allowing anonymous blob access ' +
    'lets a single container setting expose them to the internet without any credential.',
  remediation:
    'Set `properties.allowBlobPublicAccess` to false (az storage account update -n <account> -g <rg> --allow-blob-public-access false).',
  references: [
    { title: 'PSRule Azure.Storage.BlobPublicAccess', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.Storage.BlobPublicAccess/' },
    { title: 'Azure Policy: Storage account public access should be disallowed', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Storage/ASC_Storage_DisallowPublicBlobAccess_Audit.json' },
  ],
  check(sa) {
    // Premium file shares have no blob service to expose.
    if (eqi(sa.kind, 'FileStorage')) return { status: 'skip', reason: 'FileStorage accounts have no blob service' };
    const v = get(sa, 'properties.allowBlobPublicAccess');
    if (v === false) return { status: 'pass' };
    return { status: 'fail', path: 'properties.allowBlobPublicAccess', message: `allowBlobPublicAccess is ${show(v)}; containers of the workspace storage account can be made anonymously readable.` };
  },
};
