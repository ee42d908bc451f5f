/**
 * `hardened`: rg-ml-hardened / mlw-hardened, configured the way the security baseline asks: private only,
 * managed network with approved outbound only, CMK, user-assigned identity, identity-based datastores,
 * hardened computes and linked resources, resource logs, RBAC through groups and service principals.
 * Endpoints: a managed online endpoint and a Kubernetes one (TLS, internal load balancer), both token-only
 * and private, and a batch endpoint on the hardened cluster; models from a registry, pinned environments.
 * Models: `credit-risk` versions 1 and 2 in the workspace (with their files), the private registry
 * `contoso-models` holding version 1, and the evidence signing keys in kv-mlw-hardened-01.
 */
import type { ArmResource } from '../../../shared/rules/types';
import { createHash } from 'node:crypto';
import { ROLE_IDS } from '../roles';
import {
  compute,
  connection,
  customRoleDefinition,
  datastore,
  diagnosticSetting,
  privateEndpointConnection,
  resourceGroup,
  resourceId,
  rgId,
  roleAssignment,
  stableGuid,
  userAssigned,
  userAssignedIdentity,
  type Scenario,
  type ScenarioEnv,
} from './common';
import { anonymousEnvironment, batchDeployment, batchEndpoint, dataCollector, kubernetesCompute, onlineDeployment, onlineEndpoint } from './endpointParts';
import { applicationInsights, containerRegistry, keyVault, logAnalyticsWorkspace, storageAccount, workspace } from './linked';
import { datastoreEndpoint, mlRegistry, modelContainer, modelFile, modelVersion, onnxLikeBytes, scenarioBlobUrl } from './models';

export function buildHardened(env: ScenarioEnv): Scenario {
  const rg = 'rg-ml-hardened';
  const name = 'mlw-hardened';
  const loc = env.location;
  const subnet = `${rgId(env, 'rg-network-hub')}/providers/Microsoft.Network/virtualNetworks/vnet-ml-prod/subnets/snet-ml-compute`;
  const uai = userAssignedIdentity(env, rg, 'id-mlw-hardened');
  const law = logAnalyticsWorkspace(env, rg, 'log-ml-hardened');
  const st = storageAccount(env, rg, 'stmlwhardened01', 'Standard_ZRS', {
    allowBlobPublicAccess: false,
    supportsHttpsTrafficOnly: true,
    minimumTlsVersion: 'TLS1_2',
    publicNetworkAccess: 'Disabled',
    allowSharedKeyAccess: false,
    allowCrossTenantReplication: false,
    defaultToOAuthAuthentication: true,
    networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] },
  });
  const kv = keyVault(env, rg, 'kv-mlw-hardened-01', {
    sku: { family: 'A', name: 'premium' },
    enablePurgeProtection: true,
    enableSoftDelete: true,
    enableRbacAuthorization: true,
    publicNetworkAccess: 'Disabled',
    networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] },
  });
  const acr = containerRegistry(env, rg, 'crmlwhardened01', 'Premium', {
    adminUserEnabled: false,
    anonymousPullEnabled: false,
    publicNetworkAccess: 'Disabled',
    networkRuleBypassOptions: 'AzureServices',
    networkRuleSet: { defaultAction: 'Deny', ipRules: [] },
    zoneRedundancy: 'Enabled',
    policies: {
      quarantinePolicy: { status: 'enabled' },
      trustPolicy: { type: 'Notary', status: 'enabled' },
      retentionPolicy: { days: 7, status: 'enabled' },
      exportPolicy: { status: 'disabled' },
    },
  });
  const appi = applicationInsights(env, rg, 'appi-mlw-hardened', {
    DisableLocalAuth: true,
    WorkspaceResourceId: law.id,
    IngestionMode: 'LogAnalytics',
    publicNetworkAccessForIngestion: 'Disabled',
    publicNetworkAccessForQuery: 'Disabled',
  });
  const ws = workspace(env, rg, name, { storageAccount: st.id, keyVault: kv.id, containerRegistry: acr.id, applicationInsights: appi.id }, userAssigned(uai), {
    publicNetworkAccess: 'Disabled',
    allowPublicAccessWhenBehindVnet: false,
    hbiWorkspace: true,
    primaryUserAssignedIdentity: uai.id,
    imageBuildCompute: 'cpu-cluster',
    enableDataIsolation: true,
    encryption: {
      status: 'Enabled',
      identity: { userAssignedIdentity: uai.id },
      keyVaultProperties: { keyVaultArmId: kv.id, keyIdentifier: 'https://kv-mlw-hardened-01.vault.azure.net/keys/cmk-mlw-hardened/8c2f4e1a9b7d4c3e8f0a6b5d2e1c9f47', identityClientId: '' },
    },
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound',
      firewallSku: 'Standard',
      status: { status: 'Active', sparkReady: false },
      outboundRules: {
        'pe-storage-blob': { type: 'PrivateEndpoint', category: 'Required', status: 'Active', destination: { serviceResourceId: st.id, subresourceTarget: 'blob', sparkEnabled: false } },
        'pe-keyvault': { type: 'PrivateEndpoint', category: 'Required', status: 'Active', destination: { serviceResourceId: kv.id, subresourceTarget: 'vault', sparkEnabled: false } },
        'allow-pypi': { type: 'FQDN', category: 'UserDefined', status: 'Active', destination: 'pypi.org' },
        'allow-azure-monitor': {
          type: 'ServiceTag',
          category: 'UserDefined',
          status: 'Active',
          destination: { serviceTag: 'AzureMonitor', protocol: 'TCP', portRanges: '443', action: 'Allow' },
        },
      },
    },
    serverlessComputeSettings: { serverlessComputeCustomSubnet: subnet, serverlessComputeNoPublicIP: true },
    systemDatastoresAuthMode: 'Identity',
    networkAcls: { defaultAction: 'Deny', ipRules: [] },
    ipAllowlist: [],
  });
  const dataScientists = stableGuid('group/grp-ml-data-scientists');
  const platformAdmins = stableGuid('group/grp-ml-platform-admins');
  const children = [
    privateEndpointConnection(env, rg, ws.id, 'pe-mlw-hardened', 'Approved'),
    diagnosticSetting(ws.id, 'diag-mlw-hardened', {
      workspaceId: law.id,
      logs: [
        { category: null, categoryGroup: 'allLogs', enabled: true, retentionPolicy: { enabled: false, days: 0 } },
        { category: null, categoryGroup: 'audit', enabled: true, retentionPolicy: { enabled: false, days: 0 } },
      ],
      metrics: [{ category: 'AllMetrics', enabled: true, timeGrain: null, retentionPolicy: { enabled: false, days: 0 } }],
      logAnalyticsDestinationType: 'Dedicated',
    }),
    compute(
      ws.id,
      'ci-ada-lovelace',
      loc,
      'ComputeInstance',
      { description: 'Personal compute instance', disableLocalAuth: true },
      {
        vmSize: 'STANDARD_DS3_V2',
        subnet: { id: subnet },
        enableNodePublicIp: false,
        applicationSharingPolicy: 'Personal',
        computeInstanceAuthorizationType: 'personal',
        personalComputeInstanceSettings: { assignedUser: { objectId: stableGuid('user/ada.lovelace@contoso.com'), tenantId: env.tenantId } },
        sshSettings: { sshPublicAccess: 'Disabled', adminUserName: 'azureuser', sshPort: 50000 },
        osImageMetadata: { currentImageVersion: '25.05.12', latestImageVersion: '25.05.12', isLatestOsImageVersion: true },
        idleTimeBeforeShutdown: 'PT30M',
        enableRootAccess: false,
        enableOSPatching: true,
        enableSSO: true,
        connectivityEndpoints: { publicIpAddress: null, privateIpAddress: '10.40.2.5' },
        state: 'Running',
      },
      userAssigned(uai),
    ),
    compute(
      ws.id,
      'cpu-cluster',
      loc,
      'AmlCompute',
      { description: 'Training cluster', disableLocalAuth: true },
      {
        vmSize: 'STANDARD_D4S_V3',
        vmPriority: 'Dedicated',
        osType: 'Linux',
        subnet: { id: subnet },
        enableNodePublicIp: false,
        remoteLoginPortPublicAccess: 'Disabled',
        isolatedNetwork: false,
        scaleSettings: { minNodeCount: 0, maxNodeCount: 4, nodeIdleTimeBeforeScaleDown: 'PT120S' },
        allocationState: 'Steady',
        currentNodeCount: 0,
        targetNodeCount: 0,
      },
      userAssigned(uai),
    ),
    ...systemDatastores(ws.id, st.id, 'stmlwhardened01', ws.properties?.workspaceId as string, 'WorkspaceUserAssignedIdentity', datastoreEndpoint(env)),
    connection(ws.id, 'aoai-hardened', {
      category: 'AzureOpenAI',
      target: 'https://aoai-mlw-hardened.openai.azure.com/',
      authType: 'AAD',
      isSharedToAll: false,
      metadata: { ApiType: 'Azure', ApiVersion: '2024-10-21', ResourceId: resourceId(env, rg, 'Microsoft.CognitiveServices/accounts', 'aoai-mlw-hardened') },
    }),
    connection(ws.id, 'acr-hardened', {
      category: 'ContainerRegistry',
      target: 'https://crmlwhardened01.azurecr.io',
      authType: 'ManagedIdentity',
      credentials: { clientId: uai.properties?.clientId, resourceId: uai.id },
    }),
    roleAssignment(env, ws.id, ROLE_IDS.azureMlDataScientist, dataScientists, 'Group'),
    roleAssignment(env, ws.id, ROLE_IDS.reader, env.pipelinePrincipalId, 'ServicePrincipal'),
    roleAssignment(env, rgId(env, rg), ROLE_IDS.contributor, platformAdmins, 'Group'),
    roleAssignment(env, st.id, ROLE_IDS.storageBlobDataContributor, uai.properties?.principalId as string, 'ServicePrincipal'),
  ];
  const endpoints = hardenedEndpoints(env, rg, ws.id);
  const models = hardenedModels(env, rg, ws, 'stmlwhardened01');
  return {
    name: 'hardened',
    resourceGroup: rg,
    workspaceName: name,
    workspaceId: ws.id,
    resources: [resourceGroup(env, rg, { environment: 'prod' }), uai, law, st, kv, acr, appi, ws, ...children, ...endpoints, ...models.resources],
    blobs: models.files.map((f) => f.blob),
    modelFiles: models.files.map((f) => f.info),
    vaultKeys: [
      { name: 'evidence-signing', kty: 'EC', crv: 'P-256', keyOps: ['sign', 'verify'] },
      { name: 'evidence-rsa', kty: 'RSA', size: 3072, keyOps: ['sign', 'verify'] },
    ],
  };
}

/**
 * `credit-risk` in the workspace: version 1 (in production, custom ONNX model) and version 2 (the retrained
 * candidate, an MLflow model folder), both from training jobs, files in the workspace blob store. The registry
 * `contoso-models` already holds version 1, published earlier: its files were copied to the registry's storage.
 */
function hardenedModels(env: ScenarioEnv, rg: string, ws: ArmResource, account: string) {
  const container = `azureml-blobstore-${String(ws.properties?.workspaceId)}`;
  const folder = (v: string) => `models/credit-risk/${v}`;
  const modelUri = (v: string) => `azureml://subscriptions/${env.subscriptionId}/resourcegroups/${rg}/workspaces/${ws.id.split('/').pop()}/datastores/workspaceblobstore/paths/${folder(v)}/`;
  const common = { description: 'Gradient-boosted credit default classifier', tags: { framework: 'onnx', owner: 'risk-analytics' } };
  const v1 = modelVersion(ws.id, 'credit-risk', '1', '2025-04-02T09:12:44.1029384+00:00', {
    ...common,
    tags: { ...common.tags, stage: 'production' },
    properties: { 'training.auc': '0.861' },
    modelUri: modelUri('1'),
    jobName: 'train-credit-risk-20250402',
  });
  const v2 = modelVersion(ws.id, 'credit-risk', '2', '2025-05-19T16:47:05.5520117+00:00', {
    ...common,
    tags: { ...common.tags, stage: 'candidate' },
    properties: { 'training.auc': '0.874' },
    modelType: 'mlflow_model',
    flavors: { onnx: { data: { onnx_version: '1.16.1', data: 'model.onnx' } }, python_function: { data: { loader_module: 'mlflow.onnx' } } },
    modelUri: modelUri('2'),
    jobName: 'train-credit-risk-20250519',
  });
  const mlmodel = ['artifact_path: model', 'flavors:', '  onnx:', '    data: model.onnx', '    onnx_version: 1.16.1', '  python_function:', '    loader_module: mlflow.onnx', `model_uuid: ${stableGuid('credit-risk/2/mlflow').replace(/-/g, '')}`, ''].join('\n');
  const v1Bytes = onnxLikeBytes('credit-risk/1/model.onnx', 3072);
  const { registry, storageAccount: regAccount } = mlRegistry(env, rg, 'contoso-models', {});
  const regFolder = { account: regAccount, container: stableGuid('contoso-models/credit-risk/1'), folder: '' };
  const regV1 = modelVersion(registry.id, 'credit-risk', '1', '2025-04-03T07:30:12.4471120+00:00', {
    ...common,
    tags: { ...common.tags, stage: 'production' },
    properties: { 'training.auc': '0.861' },
    modelUri: `${scenarioBlobUrl(env, { account: regFolder.account, container: regFolder.container, path: '' })}/`,
    jobName: 'train-credit-risk-20250402',
  });
  const files = [
    modelFile(env, v1.id, { account, container, folder: folder('1') }, 'model.onnx', v1Bytes),
    modelFile(env, v2.id, { account, container, folder: folder('2') }, 'model.onnx', onnxLikeBytes('credit-risk/2/model.onnx', 4096)),
    modelFile(env, v2.id, { account, container, folder: folder('2') }, 'MLmodel', Buffer.from(mlmodel)),
    modelFile(env, regV1.id, regFolder, 'model.onnx', v1Bytes),
  ];
  const resources = [
    modelContainer(ws.id, 'credit-risk', { description: common.description, tags: { owner: 'risk-analytics' } }, ['1', '2']),
    v1,
    v2,
    registry,
    modelContainer(registry.id, 'credit-risk', { description: common.description, tags: { owner: 'risk-analytics' } }, ['1']),
    regV1,
  ];
  return { resources, files };
}

/**
 * Endpoints as the baseline asks: Entra (or AML) tokens only, no public network access, a user-assigned identity,
 * all live traffic on one deployment without egress, monitored (App Insights, model data collection, probes),
 * two instances, a registry model and a pinned environment. The Kubernetes endpoint's cluster serves TLS behind an
 * internal load balancer; the batch deployment runs on the hardened cpu-cluster.
 */
function hardenedEndpoints(env: ScenarioEnv, rg: string, wsId: string) {
  const identity = userAssignedIdentity(env, rg, 'id-ep-credit-scoring');
  const model = 'azureml://registries/mlreg-contoso-prod/models/credit-risk/versions/7';
  const environmentId = `${wsId}/environments/credit-risk-inference/versions/12`;
  // The AKS deployment names its image inline, pinned by digest (not a secret: a hash of a fixed text).
  const inline = anonymousEnvironment(wsId, `mcr.microsoft.com/azureml/minimal-py312-inference@sha256:${createHash('sha256').update('credit-risk-inference-image').digest('hex')}`);
  const k8s = kubernetesCompute(
    env,
    rg,
    wsId,
    { compute: 'k8s-inference', cluster: 'aks-ml-hardened' },
    {
      enableInference: 'True',
      enableTraining: 'False',
      allowInsecureConnections: 'False',
      sslCname: 'scoring.ml.contoso.com',
      sslSecret: 'azureml-scoring-tls',
      inferenceRouterServiceType: 'LoadBalancer',
      internalLoadBalancerProvider: 'azure',
      inferenceRouterHA: 'True',
      clusterPurpose: 'FastProd',
    },
    { privateCluster: true, disableLocalAuth: true },
  );
  const deployment = (endpointId: string, computeType: 'Managed' | 'Kubernetes', environment = environmentId) =>
    onlineDeployment(env, endpointId, 'blue', {
      computeType,
      model,
      environmentId: environment,
      instanceType: computeType === 'Managed' ? 'Standard_DS3_v2' : 'defaultinstancetype',
      capacity: 2,
      egressPublicNetworkAccess: 'Disabled',
      appInsightsEnabled: true,
      dataCollector: dataCollector(wsId, 'blue', true),
      probes: true,
      requestSettings: { requestTimeout: 'PT5S', maxConcurrentRequestsPerInstance: 4, maxQueueWait: 'PT0.5S' },
      environmentVariables: { MODEL_LOG_LEVEL: 'INFO', AZUREML_MODEL_DIR: '/var/azureml-app/azureml-models/credit-risk/7' },
    });
  const managed = onlineEndpoint(env, rg, wsId, 'ep-credit-scoring', {
    authMode: 'AADToken',
    publicNetworkAccess: 'Disabled',
    identity: userAssigned(identity),
    traffic: { blue: 100 },
    description: 'Credit risk scoring (managed, private)',
  });
  // Kubernetes online endpoints take key or AML token auth; AML token is the stronger of the two.
  const onAks = onlineEndpoint(env, rg, wsId, 'ep-credit-scoring-aks', {
    authMode: 'AMLToken',
    publicNetworkAccess: 'Disabled',
    identity: userAssigned(identity),
    traffic: { blue: 100 },
    compute: k8s.compute.id,
    description: 'Credit risk scoring on the private AKS cluster',
  });
  const batch = batchEndpoint(env, rg, wsId, 'be-credit-batch', { identity: userAssigned(identity), defaultDeployment: 'nightly' });
  const invoker = customRoleDefinition(
    env,
    'ML Endpoint Invoker (custom)',
    'Calls one online endpoint and reads it; nothing else.',
    ['Microsoft.MachineLearningServices/workspaces/onlineEndpoints/read', 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/score/action'],
    [managed.id],
  );
  return [
    identity,
    k8s.cluster,
    k8s.extension,
    k8s.compute,
    managed,
    deployment(managed.id, 'Managed'),
    onAks,
    inline.container,
    inline.version,
    deployment(onAks.id, 'Kubernetes', inline.version.id),
    batch,
    batchDeployment(env, batch.id, 'nightly', { compute: `${wsId}/computes/cpu-cluster`, model, environmentId, instanceCount: 2 }),
    invoker,
    roleAssignment(env, managed.id, invoker.name as string, stableGuid('app/credit-decision-service'), 'ServicePrincipal'),
  ];
}

/** The four datastores every workspace gets, here identity-based (credentialsType None). */
function systemDatastores(wsId: string, storageId: string, account: string, wsGuid: string, identity: string, modelEndpoint = 'core.windows.net') {
  const common = { credentials: { credentialsType: 'None' }, accountName: account, endpoint: 'core.windows.net', protocol: 'https', serviceDataAccessAuthIdentity: identity, resourceGroup: storageId.split('/')[4], subscriptionId: storageId.split('/')[2] };
  return [
    // The model files' datastore: at Azurite when the emulator runs with it (its host is the endpoint).
    datastore(wsId, 'workspaceblobstore', { ...common, endpoint: modelEndpoint, datastoreType: 'AzureBlob', isDefault: true, containerName: `azureml-blobstore-${wsGuid}` }),
    datastore(wsId, 'workspaceartifactstore', { ...common, datastoreType: 'AzureBlob', containerName: `azureml-${wsGuid}` }),
    datastore(wsId, 'workspacefilestore', { ...common, datastoreType: 'AzureFile', fileShareName: `code-${wsGuid}` }),
    datastore(wsId, 'workspaceworkingdirectory', { ...common, datastoreType: 'AzureFile', fileShareName: `code-${wsGuid}` }),
  ];
}

