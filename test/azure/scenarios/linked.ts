/**
 * Factories for the workspace and the resources a workspace links (storage, Key Vault, container registry,
 * Application Insights, Log Analytics). Each takes the security-relevant properties from the scenario and
 * fills in the rest the way ARM returns it.
 */
import type { ArmResource } from '../../../shared/rules/types';
import { ML, resourceId, stableGuid, systemData, type ScenarioEnv } from './common';

export interface LinkedIds {
  storageAccount: string;
  keyVault: string;
  containerRegistry: string;
  applicationInsights: string;
}

export function workspace(
  env: ScenarioEnv,
  rg: string,
  name: string,
  linked: LinkedIds,
  identity: Record<string, unknown>,
  props: Record<string, unknown>,
): ArmResource {
  const wsGuid = stableGuid(`${rg}/${name}/workspace-id`);
  return {
    id: resourceId(env, rg, `${ML}/workspaces`, name),
    location: env.location,
    kind: 'Default',
    sku: { name: 'Basic', tier: 'Basic' },
    identity,
    tags: { costCenter: 'ml-platform', environment: 'prod' },
    properties: {
      friendlyName: name,
      description: `Azure Machine Learning workspace ${name}`,
      storageAccount: linked.storageAccount,
      keyVault: linked.keyVault,
      applicationInsights: linked.applicationInsights,
      containerRegistry: linked.containerRegistry,
      workspaceId: wsGuid,
      discoveryUrl: `https://${env.location}.api.azureml.ms/discovery`,
      mlFlowTrackingUri: `azureml://${env.location}.api.azureml.ms/mlflow/v1.0${resourceId(env, rg, `${ML}/workspaces`, name)}`,
      serviceProvisionedResourceGroup: `${name}_${wsGuid.replace(/-/g, '').slice(0, 16)}`,
      tenantId: env.tenantId,
      storageHnsEnabled: false,
      v1LegacyMode: false,
      sharedPrivateLinkResources: [],
      notebookInfo: { fqdn: `ml-${name}-${env.location}-${wsGuid}.${env.location}.notebooks.azure.net`, resourceId: wsGuid.replace(/-/g, '') },
      provisioningState: 'Succeeded',
      ...props,
    },
    systemData: systemData(),
  };
}

export function storageAccount(env: ScenarioEnv, rg: string, name: string, skuName: string, props: Record<string, unknown>): ArmResource {
  const web = (svc: string) => `https://${name}.${svc}.core.windows.net/`;
  return {
    id: resourceId(env, rg, 'Microsoft.Storage/storageAccounts', name),
    location: env.location,
    kind: 'StorageV2',
    sku: { name: skuName, tier: 'Standard' },
    properties: {
      accessTier: 'Hot',
      isHnsEnabled: false,
      encryption: { keySource: 'Microsoft.Storage', requireInfrastructureEncryption: false, services: { blob: { enabled: true, keyType: 'Account' }, file: { enabled: true, keyType: 'Account' } } },
      primaryEndpoints: { blob: web('blob'), file: web('file'), queue: web('queue'), table: web('table'), dfs: web('dfs'), web: web('z6.web') },
      primaryLocation: env.location,
      statusOfPrimary: 'available',
      creationTime: '2025-02-11T08:39:02.5514233Z',
      provisioningState: 'Succeeded',
      ...props,
    },
  };
}

export function keyVault(env: ScenarioEnv, rg: string, name: string, props: Record<string, unknown>): ArmResource {
  return {
    id: resourceId(env, rg, 'Microsoft.KeyVault/vaults', name),
    location: env.location,
    properties: {
      sku: { family: 'A', name: 'standard' },
      tenantId: env.tenantId,
      vaultUri: `https://${name}.vault.azure.net/`,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      softDeleteRetentionInDays: 90,
      accessPolicies: [],
      provisioningState: 'Succeeded',
      ...props,
    },
  };
}

export function containerRegistry(env: ScenarioEnv, rg: string, name: string, sku: 'Basic' | 'Standard' | 'Premium', props: Record<string, unknown>): ArmResource {
  return {
    id: resourceId(env, rg, 'Microsoft.ContainerRegistry/registries', name),
    location: env.location,
    sku: { name: sku, tier: sku },
    properties: {
      loginServer: `${name}.azurecr.io`,
      creationDate: '2025-02-11T08:40:11.0723541Z',
      provisioningState: 'Succeeded',
      dataEndpointEnabled: false,
      encryption: { status: 'disabled' },
      ...props,
    },
  };
}

export function applicationInsights(env: ScenarioEnv, rg: string, name: string, props: Record<string, unknown>): ArmResource {
  const appId = stableGuid(`${rg}/${name}/app-id`);
  const ikey = stableGuid(`${rg}/${name}/instrumentation-key`);
  return {
    id: resourceId(env, rg, 'Microsoft.Insights/components', name),
    location: env.location,
    kind: 'web',
    properties: {
      ApplicationId: name,
      AppId: appId,
      Application_Type: 'web',
      InstrumentationKey: ikey,
      ConnectionString: `InstrumentationKey=${ikey};IngestionEndpoint=https://${env.location}-5.in.applicationinsights.azure.com/;ApplicationId=${appId}`,
      CreationDate: '2025-02-11T08:40:55.3391021+00:00',
      TenantId: env.subscriptionId,
      provisioningState: 'Succeeded',
      ...props,
    },
  };
}

export function logAnalyticsWorkspace(env: ScenarioEnv, rg: string, name: string): ArmResource {
  return {
    id: resourceId(env, rg, 'Microsoft.OperationalInsights/workspaces', name),
    location: env.location,
    properties: { customerId: stableGuid(`${rg}/${name}/customer-id`), sku: { name: 'PerGB2018' }, retentionInDays: 90, provisioningState: 'Succeeded', publicNetworkAccessForIngestion: 'Enabled', publicNetworkAccessForQuery: 'Enabled' },
  };
}
