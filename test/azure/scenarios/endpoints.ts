/**
 * `endpoints[:N]`: rg-ml-endpoints / mlw-endpoints with N online endpoints of 3 deployments each and N/10 batch
 * endpoints of one deployment (default N = 200), for EndpointHardeningCheck's benchmarks and paging. Every setting
 * a rule judges varies deterministically by index, so the audit finds a realistic mix of passes and failures.
 * Besides what the endpoints reference, the workspace holds computes no endpoint uses (the collector must drop
 * them) and role assignments at endpoint and compute scopes (it must keep the first and drop the second).
 */
import type { ArmResource } from '../../../shared/rules/types';
import { ROLE_IDS } from '../roles';
import {
  compute,
  resourceGroup,
  roleAssignment,
  runtimeSecret,
  stableGuid,
  systemAssigned,
  userAssigned,
  userAssignedIdentity,
  type Scenario,
  type ScenarioEnv,
} from './common';
import { batchDeployment, batchEndpoint, dataCollector, kubernetesCompute, onlineDeployment, onlineEndpoint } from './endpointParts';
import { applicationInsights, containerRegistry, keyVault, logAnalyticsWorkspace, storageAccount, workspace } from './linked';

export const ENDPOINTS_DEFAULT_SIZE = 200;
export const DEPLOYMENTS_PER_ONLINE_ENDPOINT = 3;

/** How many of each kind `endpoints:N` holds. */
export function endpointCounts(n: number): { online: number; onlineDeployments: number; batch: number; batchDeployments: number } {
  const batch = Math.floor(n / 10);
  return { online: n, onlineDeployments: n * DEPLOYMENTS_PER_ONLINE_ENDPOINT, batch, batchDeployments: batch };
}

const BATCH_CLUSTERS = 3;
const DEPLOYMENT_NAMES = ['blue', 'green', 'shadow'] as const;
const INSTANCE_TYPES = ['Standard_DS3_v2', 'Standard_F4s_v2', 'Standard_E4s_v3'];
const AUTH_MODES = ['AADToken', 'AMLToken', 'Key', 'AADToken'] as const;

export function buildEndpoints(env: ScenarioEnv, size = ENDPOINTS_DEFAULT_SIZE): Scenario {
  const rg = 'rg-ml-endpoints';
  const name = 'mlw-endpoints';
  const loc = env.location;
  const subnet = `/subscriptions/${env.subscriptionId}/resourceGroups/rg-network-hub/providers/Microsoft.Network/virtualNetworks/vnet-ml-prod/subnets/snet-ml-inference`;
  const law = logAnalyticsWorkspace(env, rg, 'log-ml-endpoints');
  const st = storageAccount(env, rg, 'stmlwendpoints01', 'Standard_ZRS', { allowBlobPublicAccess: false, supportsHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2', publicNetworkAccess: 'Disabled', allowSharedKeyAccess: false });
  const kv = keyVault(env, rg, 'kv-mlw-endpoints-01', { enablePurgeProtection: true, enableSoftDelete: true, enableRbacAuthorization: true, publicNetworkAccess: 'Disabled' });
  const acr = containerRegistry(env, rg, 'crmlwendpoints01', 'Premium', { adminUserEnabled: false, anonymousPullEnabled: false, publicNetworkAccess: 'Disabled' });
  const appi = applicationInsights(env, rg, 'appi-mlw-endpoints', { DisableLocalAuth: true, WorkspaceResourceId: law.id, IngestionMode: 'LogAnalytics' });
  const uai = userAssignedIdentity(env, rg, 'id-mlw-endpoints');
  const ws = workspace(env, rg, name, { storageAccount: st.id, keyVault: kv.id, containerRegistry: acr.id, applicationInsights: appi.id }, userAssigned(uai), {
    publicNetworkAccess: 'Disabled',
    allowPublicAccessWhenBehindVnet: false,
    hbiWorkspace: false,
    primaryUserAssignedIdentity: uai.id,
    managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound', outboundRules: {}, status: { status: 'Active', sparkReady: false } },
    systemDatastoresAuthMode: 'Identity',
  });
  const wsId = ws.id;
  const pad = (i: number) => String(i + 1).padStart(4, '0');

  const aksProd = kubernetesCompute(env, rg, wsId, { compute: 'k8s-prod', cluster: 'aks-ml-prod' }, {
    enableInference: 'True', allowInsecureConnections: 'False', sslCname: 'scoring.prod.ml.contoso.com', sslSecret: 'azureml-tls',
    inferenceRouterServiceType: 'LoadBalancer', internalLoadBalancerProvider: 'azure', inferenceRouterHA: 'True', clusterPurpose: 'FastProd',
  }, { privateCluster: true, disableLocalAuth: true });
  const aksDev = kubernetesCompute(env, rg, wsId, { compute: 'k8s-dev', cluster: 'aks-ml-dev' }, {
    enableInference: 'True', allowInsecureConnections: 'True', inferenceRouterServiceType: 'LoadBalancer', inferenceRouterHA: 'False', clusterPurpose: 'DevTest',
  }, { privateCluster: false, disableLocalAuth: false });

  const clusters = Array.from({ length: BATCH_CLUSTERS }, (_, k) =>
    compute(wsId, `batch-cluster-${String(k + 1).padStart(2, '0')}`, loc, 'AmlCompute', { disableLocalAuth: k !== 2 }, {
      vmSize: 'STANDARD_D4S_V3',
      vmPriority: k === 1 ? 'LowPriority' : 'Dedicated',
      osType: 'Linux',
      subnet: k === 2 ? null : { id: subnet },
      enableNodePublicIp: k === 2,
      remoteLoginPortPublicAccess: 'Disabled',
      scaleSettings: { minNodeCount: 0, maxNodeCount: 8, nodeIdleTimeBeforeScaleDown: 'PT120S' },
      allocationState: 'Steady',
      currentNodeCount: 0,
      targetNodeCount: 0,
    }, k === 2 ? { type: 'None' } : userAssigned(uai)));
  // Computes no endpoint references: in the workspace, not in the endpoint inventory.
  const unrelated = [
    ...[1, 2, 3, 4].map((k) => compute(wsId, `ci-dev-${String(k).padStart(2, '0')}`, loc, 'ComputeInstance', { disableLocalAuth: true }, {
      vmSize: 'STANDARD_DS11_V2',
      subnet: { id: subnet },
      enableNodePublicIp: false,
      applicationSharingPolicy: 'Personal',
      personalComputeInstanceSettings: { assignedUser: { objectId: stableGuid(`endpoints/user/${k}`), tenantId: env.tenantId } },
      state: 'Stopped',
    }, systemAssigned(env, `endpoints/ci/${k}`))),
    compute(wsId, 'train-cluster', loc, 'AmlCompute', { disableLocalAuth: true }, { vmSize: 'STANDARD_NC24ADS_A100_V4', vmPriority: 'Dedicated', osType: 'Linux', subnet: { id: subnet }, enableNodePublicIp: false, scaleSettings: { minNodeCount: 0, maxNodeCount: 4 } }, userAssigned(uai)),
  ];

  const counts = endpointCounts(size);
  const endpoints: ArmResource[] = [];
  for (let i = 0; i < counts.online; i++) {
    const onK8s = i % 10 === 9;
    const dev = onK8s && i % 20 === 19;
    const ep = onlineEndpoint(env, rg, wsId, `ep-${pad(i)}`, {
      authMode: onK8s ? (dev ? 'Key' : 'AMLToken') : AUTH_MODES[i % AUTH_MODES.length],
      publicNetworkAccess: i % 3 === 0 ? 'Enabled' : 'Disabled',
      identity: i % 5 === 0 ? { type: 'None' } : i % 5 < 3 ? systemAssigned(env, `endpoints/ep/${i}`) : userAssigned(uai),
      traffic: i % 7 === 0 ? { blue: 60, green: 30, shadow: 0 } : { blue: 90, green: 10, shadow: 0 },
      mirrorTraffic: { shadow: i % 6 === 0 ? 80 : 10 },
      ...(onK8s ? { compute: (dev ? aksDev : aksProd).compute.id, plainScoring: dev } : {}),
      tags: { team: `team-${i % 8}`, costCenter: `cc-${1000 + (i % 13)}` },
    });
    endpoints.push(ep);
    DEPLOYMENT_NAMES.forEach((d, k) => {
      const j = i * DEPLOYMENT_NAMES.length + k;
      endpoints.push(onlineDeployment(env, ep.id, d, {
        computeType: onK8s ? 'Kubernetes' : 'Managed',
        model: modelRef(wsId, i, k, j),
        environmentId: environmentRef(wsId, i, j),
        instanceType: onK8s ? 'defaultinstancetype' : j % 17 === 0 ? 'Standard_NC6' : INSTANCE_TYPES[j % INSTANCE_TYPES.length],
        capacity: 1 + (j % 3),
        egressPublicNetworkAccess: j % 4 === 0 ? 'Enabled' : 'Disabled',
        appInsightsEnabled: j % 5 !== 0,
        ...(j % 3 === 0 ? {} : { dataCollector: dataCollector(wsId, `${ep.name}-${d}`, j % 3 === 1) }),
        probes: j % 6 !== 0,
        ...(j % 8 === 0 ? { requestSettings: null } : {}),
        environmentVariables: environmentVariables(j),
        description: `${d} deployment of endpoint ${pad(i)}`,
      }));
    });
  }
  for (let k = 0; k < counts.batch; k++) {
    const ep = batchEndpoint(env, rg, wsId, `batch-${pad(k)}`, {
      identity: k % 2 === 0 ? userAssigned(uai) : systemAssigned(env, `endpoints/batch/${k}`),
      ...(k % 4 === 3 ? {} : { defaultDeployment: 'main' }),
    });
    endpoints.push(ep, batchDeployment(env, ep.id, 'main', {
      compute: clusters[k % BATCH_CLUSTERS].id,
      model: modelRef(wsId, k, 0, k),
      environmentId: environmentRef(wsId, k, k),
      instanceCount: 1 + (k % 4),
    }));
  }

  const assignments: ArmResource[] = [
    roleAssignment(env, wsId, ROLE_IDS.reader, env.pipelinePrincipalId, 'ServicePrincipal'),
    roleAssignment(env, wsId, ROLE_IDS.azureMlDataScientist, stableGuid('group/grp-ml-endpoint-owners'), 'Group'),
    roleAssignment(env, `/subscriptions/${env.subscriptionId}/resourceGroups/${rg}`, ROLE_IDS.contributor, stableGuid('group/grp-ml-platform-admins'), 'Group'),
    // Below the workspace but on a compute: an endpoint audit has no business with it.
    roleAssignment(env, clusters[0].id, ROLE_IDS.contributor, stableGuid('user/batch.operator@contoso.com'), 'User'),
  ];
  for (let i = 0; i < counts.online; i += 10) {
    const user = i % 20 === 0;
    assignments.push(roleAssignment(env, `${wsId}/onlineEndpoints/ep-${pad(i)}`, user ? ROLE_IDS.contributor : ROLE_IDS.azureMlDataScientist,
      stableGuid(`endpoints/caller/${i}`), user ? 'User' : 'ServicePrincipal'));
  }

  return {
    name: 'endpoints',
    resourceGroup: rg,
    workspaceName: name,
    workspaceId: wsId,
    resources: [
      resourceGroup(env, rg, { environment: 'bench' }), law, st, kv, acr, appi, uai, ws,
      aksProd.cluster, aksProd.extension, aksProd.compute, aksDev.cluster, aksDev.extension, aksDev.compute,
      ...clusters, ...unrelated, ...endpoints, ...assignments,
    ],
  };
}

/** Registry model (allowed registry or not), workspace model, or an inline upload path. */
function modelRef(wsId: string, i: number, k: number, j: number): string {
  switch (j % 4) {
    case 0: return `azureml://registries/mlreg-contoso-prod/models/model-${i % 40}/versions/${1 + (i % 9)}`;
    case 1: return `azureml://registries/community-models/models/model-${i % 40}/versions/1`;
    case 2: return `${wsId}/models/model-${i % 40}/versions/${k + 1}`;
    default: return `azureml://datastores/workspaceblobstore/paths/LocalUpload/${stableGuid(`${wsId}/upload/${j}`).replace(/-/g, '')}/model/`;
  }
}

/** Pinned version, a bare name (no version) or the `latest` label. */
function environmentRef(wsId: string, i: number, j: number): string {
  switch (j % 5) {
    case 0: return `${wsId}/environments/inference-env-${i % 12}`;
    case 1: return 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest';
    default: return `${wsId}/environments/inference-env-${i % 12}/versions/${3 + (j % 7)}`;
  }
}

/** A few settings; one deployment in 25 carries a storage connection string with a real-looking key. */
function environmentVariables(j: number): Record<string, string> {
  const vars: Record<string, string> = { LOG_LEVEL: j % 2 === 0 ? 'INFO' : 'WARNING', WORKER_COUNT: String(1 + (j % 4)), AZUREML_ENTRY_SCRIPT: 'score.py' };
  if (j % 25 === 0) {
    vars.AZURE_STORAGE_CONNECTION_STRING = `DefaultEndpointsProtocol=https;AccountName=stmlfeatures${String(j % 100).padStart(2, '0')};AccountKey=${runtimeSecret(64)};EndpointSuffix=core.windows.net`;
  }
  return vars;
}
