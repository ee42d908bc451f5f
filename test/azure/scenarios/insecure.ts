/**
 * `insecure`: rg-ml-insecure / mlw-insecure, the common defaults and shortcuts: public access, no private
 * endpoint or managed network, Microsoft-managed keys, key-based datastores, secret-bearing shared
 * connections over http, open computes and linked resources, no resource logs, and risky role assignments.
 * Secret values (account keys, SAS, passwords, PAT) are random per build and never returned on GET.
 * Endpoints: key auth, public access, no identity, a Kubernetes endpoint over plain HTTP, traffic that does not
 * add up, heavy mirroring, no monitoring, one instance, inline models, unpinned environments, a secret in an
 * environment variable (returned on GET, as the real service does), a retired SKU, and a batch endpoint
 * without a default deployment.
 */
import { ROLE_IDS } from '../roles';
import {
  compute,
  connection,
  customRoleDefinition,
  datastore,
  resourceGroup,
  resourceId,
  rgId,
  roleAssignment,
  runtimeSecret,
  stableGuid,
  systemAssigned,
  type Scenario,
  type ScenarioEnv,
} from './common';
import { anonymousEnvironment, batchDeployment, batchEndpoint, kubernetesCompute, onlineDeployment, onlineEndpoint } from './endpointParts';
import { applicationInsights, containerRegistry, keyVault, storageAccount, workspace } from './linked';
import { datastoreEndpoint, modelContainer, modelFile, modelVersion, onnxLikeBytes } from './models';

export function buildInsecure(env: ScenarioEnv): Scenario {
  const rg = 'rg-ml-insecure';
  const name = 'mlw-insecure';
  const loc = env.location;
  const st = storageAccount(env, rg, 'stmlwinsecure01', 'Standard_LRS', {
    allowBlobPublicAccess: true,
    supportsHttpsTrafficOnly: true,
    minimumTlsVersion: 'TLS1_0',
    publicNetworkAccess: 'Enabled',
    allowSharedKeyAccess: true,
    networkAcls: { bypass: 'AzureServices', defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] },
  });
  const kv = keyVault(env, rg, 'kv-mlw-insecure-01', {
    enableSoftDelete: true,
    enableRbacAuthorization: false,
    publicNetworkAccess: 'Enabled',
    networkAcls: { bypass: 'AzureServices', defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] },
    accessPolicies: [
      {
        tenantId: env.tenantId,
        objectId: stableGuid(`${rg}/${name}/system-identity`),
        permissions: { keys: ['all'], secrets: ['all'], certificates: ['all'], storage: [] },
      },
      {
        tenantId: env.tenantId,
        objectId: stableGuid('user/devon.ops@contoso.com'),
        permissions: { keys: ['get', 'list'], secrets: ['get', 'list', 'set', 'delete'], certificates: ['get', 'list'], storage: [] },
      },
    ],
  });
  const acr = containerRegistry(env, rg, 'crmlwinsecure01', 'Basic', {
    adminUserEnabled: true,
    anonymousPullEnabled: false,
    publicNetworkAccess: 'Enabled',
    networkRuleBypassOptions: 'AzureServices',
    policies: { quarantinePolicy: { status: 'disabled' }, trustPolicy: { type: 'Notary', status: 'disabled' }, retentionPolicy: { days: 7, status: 'disabled' }, exportPolicy: { status: 'enabled' } },
  });
  const appi = applicationInsights(env, rg, 'appi-mlw-insecure', { DisableLocalAuth: false, IngestionMode: 'ApplicationInsights', publicNetworkAccessForIngestion: 'Enabled', publicNetworkAccessForQuery: 'Enabled' });
  const ws = workspace(env, rg, name, { storageAccount: st.id, keyVault: kv.id, containerRegistry: acr.id, applicationInsights: appi.id }, systemAssigned(env, `${rg}/${name}`), {
    publicNetworkAccess: 'Enabled',
    allowPublicAccessWhenBehindVnet: true,
    hbiWorkspace: false,
    imageBuildCompute: null,
    managedNetwork: { isolationMode: 'Disabled', outboundRules: {}, status: { status: 'Inactive', sparkReady: false } },
    serverlessComputeSettings: { serverlessComputeCustomSubnet: null, serverlessComputeNoPublicIP: false },
    systemDatastoresAuthMode: 'AccessKey',
    networkAcls: { defaultAction: 'Allow', ipRules: [] },
    ipAllowlist: [],
  });
  const owner = stableGuid('user/devon.ops@contoso.com');
  const experimenter = stableGuid('user/sam.quickfix@contoso.com');
  const deleted = stableGuid('user/former.employee@contoso.com');
  const customRole = customRoleDefinition(env, 'ML Workspace Operator (custom)', 'Full control of Azure Machine Learning resources in the team resource group.', ['Microsoft.MachineLearningServices/*'], [rgId(env, rg)]);
  const wsGuid = ws.properties?.workspaceId as string;
  const accountKey = { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key: runtimeSecret(64) } };
  const children = [
    compute(
      ws.id,
      'ci-shared-01',
      loc,
      'ComputeInstance',
      { description: 'Shared team notebook VM', disableLocalAuth: false },
      {
        vmSize: 'STANDARD_NC6S_V3',
        subnet: null,
        enableNodePublicIp: true,
        applicationSharingPolicy: 'Shared',
        computeInstanceAuthorizationType: 'personal',
        sshSettings: { sshPublicAccess: 'Enabled', adminUserName: 'azureuser', sshPort: 22, adminPublicKey: null },
        osImageMetadata: { currentImageVersion: '23.11.27', latestImageVersion: '25.05.12', isLatestOsImageVersion: false },
        enableRootAccess: true,
        enableOSPatching: false,
        enableSSO: false,
        connectivityEndpoints: { publicIpAddress: '20.61.14.77', privateIpAddress: '10.0.0.4' },
        state: 'Running',
      },
      { type: 'None' },
    ),
    compute(
      ws.id,
      'gpu-cluster',
      loc,
      'AmlCompute',
      { description: 'GPU training cluster', disableLocalAuth: false },
      {
        vmSize: 'STANDARD_NC24ADS_A100_V4',
        vmPriority: 'Dedicated',
        osType: 'Linux',
        subnet: null,
        enableNodePublicIp: true,
        remoteLoginPortPublicAccess: 'Enabled',
        isolatedNetwork: false,
        scaleSettings: { minNodeCount: 2, maxNodeCount: 8, nodeIdleTimeBeforeScaleDown: 'PT1800S' },
        userAccountCredentials: { adminUserName: 'azureuser', adminUserSshPublicKey: null, adminUserPassword: null },
        allocationState: 'Steady',
        currentNodeCount: 2,
        targetNodeCount: 2,
      },
      { type: 'None' },
    ),
    compute(
        ws.id,
        'vm-dsvm-attached',
        loc,
        'VirtualMachine',
        { description: 'Attached data science VM', disableLocalAuth: false, isAttachedCompute: true, resourceId: resourceId(env, rg, 'Microsoft.Compute/virtualMachines', 'vm-dsvm-01') },
        {
          virtualMachineSize: 'Standard_D8s_v3',
          sshPort: 22,
          address: '52.166.10.20',
          isNotebookInstanceCompute: false,
          administratorAccount: { username: 'azureuser', password: runtimeSecret(18), publicKeyData: null, privateKeyData: null },
        },
      ),
    datastore(ws.id, 'workspaceblobstore', {
      datastoreType: 'AzureBlob',
      isDefault: true,
      credentials: accountKey,
      accountName: 'stmlwinsecure01',
      containerName: `azureml-blobstore-${wsGuid}`,
      endpoint: datastoreEndpoint(env),
      protocol: 'https',
      serviceDataAccessAuthIdentity: 'None',
    }),
    datastore(ws.id, 'workspacefilestore', {
      datastoreType: 'AzureFile',
      credentials: { credentialsType: 'AccountKey', secrets: { secretsType: 'AccountKey', key: runtimeSecret(64) } },
      accountName: 'stmlwinsecure01',
      fileShareName: `code-${wsGuid}`,
      endpoint: 'core.windows.net',
      protocol: 'https',
      serviceDataAccessAuthIdentity: 'None',
    }),
    datastore(ws.id, 'landing_sas', {
      datastoreType: 'AzureBlob',
      credentials: { credentialsType: 'Sas', secrets: { secretsType: 'Sas', sasToken: `sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2030-01-01T00:00:00Z&sig=${encodeURIComponent(runtimeSecret(32))}` } },
      accountName: 'stlandingpartner01',
      containerName: 'incoming',
      endpoint: 'core.windows.net',
      protocol: 'https',
      serviceDataAccessAuthIdentity: 'None',
    }),
    datastore(ws.id, 'curated_adls', {
      datastoreType: 'AzureDataLakeGen2',
      credentials: {
        credentialsType: 'ServicePrincipal',
        clientId: stableGuid('app/sp-ml-datalake-reader'),
        tenantId: env.tenantId,
        authorityUrl: 'https://login.microsoftonline.com',
        resourceUrl: 'https://storage.azure.com/',
        secrets: { secretsType: 'ServicePrincipal', clientSecret: runtimeSecret(30) },
      },
      accountName: 'stdatalakecurated01',
      filesystem: 'curated',
      endpoint: 'core.windows.net',
      protocol: 'http',
      serviceDataAccessAuthIdentity: 'None',
    }),
    connection(ws.id, 'git-features-pat', {
      category: 'Git',
      target: 'http://git.contoso.com/ml-team/feature-store.git',
      authType: 'PAT',
      credentials: { pat: runtimeSecret(39) },
      isSharedToAll: true,
    }),
    connection(ws.id, 'pypi-mirror-basic', {
      category: 'PythonFeed',
      target: 'http://pypi.contoso.com/simple',
      authType: 'UsernamePassword',
      credentials: { username: 'svc-ml-feed', password: runtimeSecret(18) },
      isSharedToAll: true,
    }),
    customRole,
    roleAssignment(env, ws.id, ROLE_IDS.owner, owner, 'User'),
    roleAssignment(env, rgId(env, rg), customRole.name as string, experimenter, 'User'),
    roleAssignment(env, ws.id, ROLE_IDS.contributor, deleted, 'Unknown'),
    roleAssignment(env, rgId(env, rg), ROLE_IDS.reader, env.pipelinePrincipalId, 'ServicePrincipal'),
  ];
  const endpoints = insecureEndpoints(env, rg, ws.id, experimenter);
  // `churn-model` 1: registered from a local folder upload, no training job, no description or tags; its files
  // are the folder the inline-model deployments point at.
  const churn = modelVersion(ws.id, 'churn-model', '1', '2025-03-14T11:05:09.0937215+00:00', { modelUri: churnModelUri(ws.id) });
  const churnFile = modelFile(
    env,
    churn.id,
    { account: 'stmlwinsecure01', container: `azureml-blobstore-${wsGuid}`, folder: churnModelUri(ws.id).replace(/^azureml:\/\/datastores\/workspaceblobstore\/paths\//, '') },
    'model.onnx',
    onnxLikeBytes('churn-model/1/model.onnx', 2048),
  );
  return {
    name: 'insecure',
    resourceGroup: rg,
    workspaceName: name,
    workspaceId: ws.id,
    resources: [resourceGroup(env, rg, { environment: 'dev' }), st, kv, acr, appi, ws, ...children, ...endpoints, modelContainer(ws.id, 'churn-model', {}, ['1']), churn],
    blobs: [churnFile.blob],
    modelFiles: [churnFile.info],
  };
}

/** What `az ml online-deployment create` leaves when the YAML names a local model folder. */
function churnModelUri(wsId: string): string {
  return `azureml://datastores/workspaceblobstore/paths/LocalUpload/${stableGuid(`${wsId}/churn-model`).replace(/-/g, '')}/model/`;
}

function insecureEndpoints(env: ScenarioEnv, rg: string, wsId: string, experimenter: string) {
  const k8s = kubernetesCompute(
    env,
    rg,
    wsId,
    { compute: 'k8s-inference', cluster: 'aks-ml-insecure' },
    { enableInference: 'True', enableTraining: 'True', allowInsecureConnections: 'True', inferenceRouterServiceType: 'LoadBalancer', inferenceRouterHA: 'False', clusterPurpose: 'DevTest' },
    { privateCluster: false, disableLocalAuth: false },
  );
  const inlineModel = churnModelUri(wsId);
  const unpinned = `${wsId}/environments/churn-inference`;
  const latest = 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest';
  // An inline image in the deployment YAML, from Docker Hub by a tag that moves.
  const inline = anonymousEnvironment(wsId, 'python:3.11-slim');
  const storageKey = runtimeSecret(64);
  const exposed = {
    computeType: 'Managed' as const,
    model: inlineModel,
    capacity: 1,
    egressPublicNetworkAccess: 'Enabled' as const,
    appInsightsEnabled: false,
    probes: false,
    requestSettings: null,
  };
  const publicEp = onlineEndpoint(env, rg, wsId, 'ep-churn-public', {
    authMode: 'Key',
    publicNetworkAccess: 'Enabled',
    identity: { type: 'None' },
    traffic: { blue: 60, green: 30 },
    mirrorTraffic: { shadow: 80 },
    description: 'Churn model, quick demo endpoint',
  });
  const onAks = onlineEndpoint(env, rg, wsId, 'ep-churn-aks', {
    authMode: 'Key',
    publicNetworkAccess: 'Enabled',
    identity: { type: 'None' },
    traffic: { blue: 100 },
    compute: k8s.compute.id,
    plainScoring: true,
    description: 'Churn model on the dev AKS cluster',
  });
  const batch = batchEndpoint(env, rg, wsId, 'be-churn-batch', { identity: { type: 'None' } });
  return [
    k8s.cluster,
    k8s.extension,
    k8s.compute,
    publicEp,
    onlineDeployment(env, publicEp.id, 'blue', {
      ...exposed,
      environmentId: unpinned,
      // Standard_NC6 (K80) was retired in 2023.
      instanceType: 'Standard_NC6',
      environmentVariables: {
        AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=https;AccountName=stmlwinsecure01;AccountKey=${storageKey};EndpointSuffix=core.windows.net`,
        LOG_LEVEL: 'DEBUG',
      },
    }),
    inline.container,
    inline.version,
    onlineDeployment(env, publicEp.id, 'green', { ...exposed, environmentId: inline.version.id, instanceType: 'Standard_DS2_v2' }),
    onlineDeployment(env, publicEp.id, 'shadow', { ...exposed, environmentId: latest, instanceType: 'Standard_DS2_v2', capacity: 1 }),
    onAks,
    onlineDeployment(env, onAks.id, 'blue', { ...exposed, computeType: 'Kubernetes', environmentId: unpinned, instanceType: 'defaultinstancetype' }),
    batch,
    batchDeployment(env, batch.id, 'nightly', { compute: `${wsId}/computes/gpu-cluster`, model: inlineModel, environmentId: latest, instanceCount: 1 }),
    roleAssignment(env, publicEp.id, ROLE_IDS.contributor, experimenter, 'User'),
  ];
}
