import type { Rule } from '../types';
import { show } from '../_util';
import { credentialsType } from './_datastore';

// Credential types that store a secret in the workspace Key Vault, by how much it unlocks.
// Any type not listed here (a newer or preview one, e.g. Kerberos) is judged as secret-bearing at medium.
const ACCOUNT_WIDE = ['accountkey'];

export const rule: Rule = {
  id: 'AML-DS-001',
  title: 'Datastore is identity-based (stores no credential)',
  severity: 'high',
  resourceKind: 'datastore',
  rationale:
    'A credential-based datastore keeps an account key, SAS token, client secret or certificate in the workspace, ' +
    'where anyone who can read the datastore secrets can reuse it outside Azure Machine Learning; identity-based ' +
    'access stores nothing and is limited by each caller\'s own RBAC.',
  remediation:
    'Recreate the datastore without credentials (CLI v2 YAML: omit `credentials`; REST: ' +
    '`properties.credentials.credentialsType: "None"`), grant users or the workspace identity "Storage Blob Data Reader/Contributor" ' +
    'on the account, and then rotate the key or secret that was stored.',
  references: [
    { title: 'Connect to storage with identity-based data access', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-data-access' },
    { title: 'Azure security baseline for Machine Learning (IM-1)', url: 'https://learn.microsoft.com/security/benchmark/azure/baselines/machine-learning-security-baseline' },
  ],
  check(ds) {
    const type = credentialsType(ds);
    if (type !== undefined && type.toLowerCase() === 'none') return { status: 'pass' };
    const accountWide = type !== undefined && ACCOUNT_WIDE.includes(type.toLowerCase());
    return {
      status: 'fail',
      severity: accountWide ? 'high' : 'medium',
      path: 'properties.credentials.credentialsType',
      message: accountWide
        ? 'Datastore stores the storage account key (credentialsType "AccountKey"), which grants full data-plane access to the whole account.'
        : `Datastore stores a credential in the workspace (credentialsType ${show(type)}) instead of using identity-based access.`,
    };
  },
};
