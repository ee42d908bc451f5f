import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';
import { LINKED_STORAGE_ID, blob, datastore, storageAccount } from './_datastores';

export const cases: RuleCases = {
  ruleId: 'AML-DS-005',
  inventory: { workspace: workspace({ storageAccount: LINKED_STORAGE_ID }) },
  cases: [
    { name: 'workspace linked account (from the workspace id)', resource: blob('workspaceblobstore', 'stmltest01', 'AccountKey'), expect: 'pass' },
    { name: 'linked account with different casing', resource: blob('workspaceblobstore', 'StMlTest01', 'None'), expect: 'pass' },
    {
      name: 'linked account known only from the inventory',
      resource: blob('workspaceblobstore', 'stmltest01', 'None'),
      inventory: { workspace: workspace({}), storageAccount: storageAccount({}) },
      expect: 'pass',
    },
    { name: 'another account, no policy allow-list (default suffixes do not approve accounts)', resource: blob('external', 'stpartner', 'None'), expect: 'fail' },
    { name: 'another account approved by full host', resource: blob('external', 'stpartner', 'None'), options: { allowedHosts: ['stpartner.blob.core.windows.net'] }, expect: 'pass' },
    { name: 'another account, allow-list names a different account', resource: blob('external', 'stpartner', 'None'), options: { allowedHosts: ['stother.blob.core.windows.net'] }, expect: 'fail' },
    { name: 'ADLS Gen1 store approved by suffix', resource: datastore('gen1', { datastoreType: 'AzureDataLakeGen1', storeName: 'adlsgen1store', credentials: { credentialsType: 'None' } }), options: { allowedHosts: ['azuredatalakestore.net'] }, expect: 'pass' },
    { name: 'ADLS Gen1 store, no allow-list', resource: datastore('gen1', { datastoreType: 'AzureDataLakeGen1', storeName: 'adlsgen1store', credentials: { credentialsType: 'None' } }), expect: 'fail' },
    { name: 'OneLake datastore names no storage account', resource: datastore('fabric', { datastoreType: 'OneLake', oneLakeWorkspaceName: 'ws', endpoint: 'onelake.dfs.fabric.microsoft.com', artifact: { artifactType: 'LakeHouse', artifactName: 'lh' }, credentials: { credentialsType: 'None' } }), expect: 'skip' },
  ],
};
