import type { Rule } from '../types';
import { get, inI, show } from '../_util';
import { learnRef } from './_refs';

const PATH = 'properties.systemDatastoresAuthMode';

/**
 * Needs api-version ≥ 2025-06-01 (present in 2025-09-01). At those versions a missing value is the service default,
 * "AccessKey", so it fails; the lead's collector reads workspaces at 2025-09-01.
 */
export const rule: Rule = {
  id: 'AML-WS-014',
  title: 'Workspace system datastores use identity-based access',
  severity: 'medium',
  resourceKind: 'workspace',
  rationale:
    'With "AccessKey", the default datastores (workspaceblobstore, workspacefilestore…) hold the storage account key, which gives ' +
    'anyone who can read the datastore full data-plane access to the account.',
  remediation:
    'Set properties.systemDatastoresAuthMode to "Identity" (ARM/Bicep, or system_datastores_auth_mode: identity in the workspace YAML) ' +
    'and grant the workspace and user identities Storage Blob/File Data roles; shared-key access on the storage account can then be disabled.',
  references: [learnRef('Identity-based data access to storage services', 'how-to-identity-based-data-access')],
  check(ws) {
    const v = get(ws, PATH);
    if (inI(v, ['Identity', 'UserDelegationSAS'])) return { status: 'pass' };
    return {
      status: 'fail',
      path: PATH,
      message: v === undefined
        ? 'systemDatastoresAuthMode is not set, so the system datastores use the service default, the storage account key.'
        : `systemDatastoresAuthMode is ${show(v)}; the system datastores hold the storage account key.`,
    };
  },
};
