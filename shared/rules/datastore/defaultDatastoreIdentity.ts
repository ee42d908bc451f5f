import type { Rule } from '../types';
import { get, inI, show } from '../_util';
import { credentialsType } from './_datastore';

// Workspace `properties.systemDatastoresAuthMode` (api-version >= 2025-06-01): with these values the system
// datastores reach storage with Entra identities, never the account key. Missing means the classic key mode.
const IDENTITY_MODES = ['Identity', 'UserDelegationSAS'];

export const rule: Rule = {
  id: 'AML-DS-002',
  title: 'Default datastore does not use the storage account key',
  severity: 'medium',
  resourceKind: 'datastore',
  rationale:
    'Jobs, pipelines and the studio write to the default datastore unless told otherwise; if it is key-based, every run ' +
    'and every workspace user works with the account key instead of their own identity.',
  remediation:
    'Set the workspace `properties.systemDatastoresAuthMode` to "Identity" (az ml workspace update --system-datastores-auth-mode identity), ' +
    'or make an identity-based datastore the default (az ml datastore update … / `isDefault: true` on a datastore with `credentialsType: "None"`).',
  references: [
    { title: 'Identity-based data access to storage', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-data-access' },
    { title: 'Azure Machine Learning datastores', url: 'https://learn.microsoft.com/azure/machine-learning/concept-data' },
  ],
  check(ds, ctx) {
    if (get(ds, 'properties.isDefault') !== true) return { status: 'skip', reason: 'not the workspace default datastore' };
    const type = credentialsType(ds);
    if (type !== undefined && type.toLowerCase() === 'none') return { status: 'pass' };
    const mode = get(ctx.inventory.workspace, 'properties.systemDatastoresAuthMode');
    if (inI(mode, IDENTITY_MODES)) return { status: 'pass' };
    return {
      status: 'fail',
      path: 'properties.credentials.credentialsType',
      message: `The default datastore uses credentialsType ${show(type)} and the workspace systemDatastoresAuthMode is ${show(mode)}, so default reads and writes go through a stored credential.`,
    };
  },
};
