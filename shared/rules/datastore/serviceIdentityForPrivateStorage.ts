import type { Rule } from '../types';
import { get, inI, show } from '../_util';
import { isNetworkRestricted } from '../linked/_network';
import { targetsLinkedStorage } from './_datastore';

// `properties.serviceDataAccessAuthIdentity`: None (the default when missing) | WorkspaceSystemAssignedIdentity |
// WorkspaceUserAssignedIdentity. Only the workspace's linked storage account is read by the gate, so only
// datastores on that account can be judged; others are skipped.
const WORKSPACE_IDENTITIES = ['WorkspaceSystemAssignedIdentity', 'WorkspaceUserAssignedIdentity'];

export const rule: Rule = {
  id: 'AML-DS-003',
  title: 'Datastore on private storage lets the studio use the workspace identity',
  severity: 'low',
  resourceKind: 'datastore',
  rationale:
    'Behind a firewall or private endpoint the studio can preview and profile data only through the workspace managed ' +
    'identity; without it users are pushed to reopen the storage firewall or fall back to key-based access.',
  remediation:
    'Set `properties.serviceDataAccessAuthIdentity` to "WorkspaceSystemAssignedIdentity" (studio: datastore > Update authentication > ' +
    '"Use workspace managed identity for data preview and profiling"; CLI v2 YAML does the same through the REST property) ' +
    'and grant that identity Storage Blob Data Reader on the account.',
  references: [
    { title: 'Use Azure Machine Learning studio in a virtual network', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-enable-studio-virtual-network' },
  ],
  check(ds, ctx) {
    if (!targetsLinkedStorage(ds, ctx)) return { status: 'skip', reason: 'datastore does not target the workspace storage account, whose network settings the gate reads' };
    const storage = ctx.inventory.storageAccount;
    if (!storage) return { status: 'skip', reason: 'linked storage account not in the inventory' };
    if (!isNetworkRestricted(storage)) return { status: 'skip', reason: 'the storage account is not network-restricted' };
    const identity = get(ds, 'properties.serviceDataAccessAuthIdentity');
    if (inI(identity, WORKSPACE_IDENTITIES)) return { status: 'pass' };
    return {
      status: 'fail',
      path: 'properties.serviceDataAccessAuthIdentity',
      message: `Datastore targets the network-restricted workspace storage account but serviceDataAccessAuthIdentity is ${show(identity)}, so the studio cannot reach its data through the workspace identity.`,
    };
  },
};
