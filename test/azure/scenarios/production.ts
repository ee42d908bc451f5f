/**
 * `production` (rg-ml-prod/mlw-prod): the workspace models are promoted into, workspace to workspace. Only what a
 * promotion touches: the workspace, its storage account and identity-based default blob datastore (at Azurite
 * when the emulator runs with one), Reader for the pipeline. No models yet.
 */
import { ROLE_IDS } from '../roles';
import { datastore, resourceGroup, roleAssignment, type Scenario, type ScenarioEnv } from './common';
import { storageAccount, workspace } from './linked';
import { datastoreEndpoint } from './models';

export const PRODUCTION_ACCOUNT = 'stmlwprod01';

export function buildProduction(env: ScenarioEnv): Scenario {
  const rg = 'rg-ml-prod';
  const name = 'mlw-prod';
  const st = storageAccount(env, rg, PRODUCTION_ACCOUNT, 'Standard_ZRS', { allowBlobPublicAccess: false, allowSharedKeyAccess: false, minimumTlsVersion: 'TLS1_2', publicNetworkAccess: 'Disabled' });
  const linked = (type: string, n: string) => `/subscriptions/${env.subscriptionId}/resourceGroups/${rg}/providers/${type}/${n}`;
  const ws = workspace(env, rg, name, {
    storageAccount: st.id,
    keyVault: linked('Microsoft.KeyVault/vaults', 'kv-mlw-prod-01'),
    containerRegistry: linked('Microsoft.ContainerRegistry/registries', 'crmlwprod01'),
    applicationInsights: linked('Microsoft.Insights/components', 'appi-mlw-prod'),
  }, { type: 'SystemAssigned' }, { publicNetworkAccess: 'Disabled', systemDatastoresAuthMode: 'Identity' });
  const wsGuid = String(ws.properties?.workspaceId);
  return {
    name: 'production',
    resourceGroup: rg,
    workspaceName: name,
    workspaceId: ws.id,
    resources: [
      resourceGroup(env, rg, { environment: 'prod' }),
      st,
      ws,
      datastore(ws.id, 'workspaceblobstore', {
        datastoreType: 'AzureBlob', isDefault: true, credentials: { credentialsType: 'None' }, accountName: PRODUCTION_ACCOUNT,
        containerName: `azureml-blobstore-${wsGuid}`, endpoint: datastoreEndpoint(env), protocol: 'https', serviceDataAccessAuthIdentity: 'WorkspaceSystemAssignedIdentity',
      }),
      roleAssignment(env, ws.id, ROLE_IDS.reader, env.pipelinePrincipalId, 'ServicePrincipal'),
    ],
  };
}
