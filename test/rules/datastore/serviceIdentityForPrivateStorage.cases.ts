import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';
import { LINKED_STORAGE_ID, blob, storageAccount } from './_datastores';

const privateStorage = storageAccount({ publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny' } });
const firewalled = storageAccount({ publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'deny', bypass: 'AzureServices' } });
const openStorage = storageAccount({ publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Allow' } });
const ws = workspace({ storageAccount: LINKED_STORAGE_ID });

export const cases: RuleCases = {
  ruleId: 'AML-DS-003',
  inventory: { workspace: ws, storageAccount: privateStorage },
  cases: [
    { name: 'private storage, system-assigned workspace identity', resource: blob('workspaceblobstore', 'stmltest01', 'None', { serviceDataAccessAuthIdentity: 'WorkspaceSystemAssignedIdentity' }), expect: 'pass' },
    { name: 'private storage, user-assigned identity in odd casing', resource: blob('workspaceblobstore', 'STMLTEST01', 'None', { serviceDataAccessAuthIdentity: 'workspaceuserassignedidentity' }), expect: 'pass' },
    { name: 'private storage, identity None', resource: blob('workspaceblobstore', 'stmltest01', 'None', { serviceDataAccessAuthIdentity: 'None' }), expect: 'fail' },
    { name: 'private storage, property missing (defaults to None)', resource: blob('workspaceblobstore', 'stmltest01', 'AccountKey'), expect: 'fail' },
    { name: 'firewall deny-by-default counts as restricted', resource: blob('workspaceblobstore', 'stmltest01', 'None'), inventory: { storageAccount: firewalled }, expect: 'fail' },
    { name: 'storage open to all networks', resource: blob('workspaceblobstore', 'stmltest01', 'None'), inventory: { storageAccount: openStorage }, expect: 'skip' },
    { name: 'datastore on another account', resource: blob('external', 'stpartner', 'None'), expect: 'skip' },
    { name: 'linked storage not collected', resource: blob('workspaceblobstore', 'stmltest01', 'None'), inventory: { storageAccount: undefined }, expect: 'skip' },
  ],
};
