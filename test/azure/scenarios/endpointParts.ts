/**
 * Factories for what EndpointHardeningCheck reads: online and batch endpoints and their deployments (REST shape of
 * 2025-09-01: Workspace/OnlineEndpoint, OnlineDeployment, Workspace/BatchEndpoint, Workspace/BatchDeployment), and
 * the Kubernetes side of Kubernetes endpoints (attached compute, AKS cluster, AzureML cluster extension).
 * Scoring URIs point at the emulator itself (`/_scoring/<resourceGroup>/<endpoint>/…`, answered by scoring.ts).
 */
import type { ArmResource } from '../../../shared/rules/types';
import { compute, resourceId, stableGuid, systemData, type ScenarioEnv } from './common';

export const ONLINE_ENDPOINTS = 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints';
export const BATCH_ENDPOINTS = 'Microsoft.MachineLearningServices/workspaces/batchEndpoints';

/** `scoringUri`/`swaggerUri` served by the emulator; `plain` gives the http:// form (a Kubernetes endpoint without TLS). */
export function scoringUris(env: ScenarioEnv, rg: string, endpoint: string, kind: 'online' | 'batch', plain = false): { scoringUri: string; swaggerUri: string | null } {
  const base = plain ? env.emulatorPlainUrl ?? 'http://127.0.0.1/' : env.emulatorUrl ?? 'https://127.0.0.1/';
  const root = `${base}_scoring/${rg}/${endpoint}`;
  return kind === 'online' ? { scoringUri: `${root}/score`, swaggerUri: `${root}/swagger.json` } : { scoringUri: `${root}/jobs`, swaggerUri: null };
}

export interface OnlineEndpointSpec {
  authMode: 'Key' | 'AMLToken' | 'AADToken';
  publicNetworkAccess: 'Enabled' | 'Disabled';
  identity: Record<string, unknown>;
  traffic: Record<string, number>;
  mirrorTraffic?: Record<string, number>;
  /** ARM id of the Kubernetes compute; absent for managed endpoints. */
  compute?: string;
  /** The scoring URI is http:// (a Kubernetes cluster that allows insecure connections). */
  plainScoring?: boolean;
  description?: string;
  tags?: Record<string, string>;
}

export function onlineEndpoint(env: ScenarioEnv, rg: string, wsId: string, name: string, spec: OnlineEndpointSpec): ArmResource {
  const id = `${wsId}/onlineEndpoints/${name}`;
  return {
    id,
    location: env.location,
    tags: spec.tags ?? {},
    identity: spec.identity,
    properties: {
      description: spec.description ?? `Online endpoint ${name}`,
      properties: {
        'azureml.onlineendpointid': id.toLowerCase(),
        AzureAsyncOperationUri: `https://management.azure.com/subscriptions/${env.subscriptionId}/providers/Microsoft.MachineLearningServices/locations/${env.location}/mfeOperationsStatus/oe:${stableGuid(id)}?api-version=2025-09-01`,
      },
      authMode: spec.authMode,
      ...scoringUris(env, rg, name, 'online', spec.plainScoring),
      publicNetworkAccess: spec.publicNetworkAccess,
      traffic: spec.traffic,
      mirrorTraffic: spec.mirrorTraffic ?? {},
      ...(spec.compute ? { compute: spec.compute } : {}),
      provisioningState: 'Succeeded',
    },
    systemData: systemData(),
  };
}

const PROBE_DEFAULTS = { failureThreshold: 30, successThreshold: 1, timeout: 'PT2S', period: 'PT10S', initialDelay: 'PT10S' };

/** Probes as the service returns them; `null` when the deployment has none (the insecure shapes). */
export function probes(on: boolean): { livenessProbe: unknown; readinessProbe: unknown } {
  return on
    ? { livenessProbe: { ...PROBE_DEFAULTS, initialDelay: 'PT30S' }, readinessProbe: { ...PROBE_DEFAULTS, failureThreshold: 3 } }
    : { livenessProbe: null, readinessProbe: null };
}

/** Model data collection (`dataCollector`, since 2024-04-01) with model_inputs and model_outputs on or off. */
export function dataCollector(wsId: string, deployment: string, enabled: boolean): Record<string, unknown> {
  const collection = (what: string) => ({
    dataCollectionMode: enabled ? 'Enabled' : 'Disabled',
    dataId: `${wsId}/data/${deployment}-${what.replace('_', '-')}/versions/1`,
    samplingRate: 1,
  });
  return {
    collections: { model_inputs: collection('model_inputs'), model_outputs: collection('model_outputs') },
    requestLogging: { captureHeaders: ['x-ms-client-request-id'] },
    rollingRate: 'Hour',
  };
}

export interface OnlineDeploymentSpec {
  computeType: 'Managed' | 'Kubernetes';
  model: string;
  environmentId: string;
  instanceType: string;
  capacity: number;
  egressPublicNetworkAccess: 'Enabled' | 'Disabled';
  appInsightsEnabled: boolean;
  /** Omitted: no `dataCollector` block at all. */
  dataCollector?: Record<string, unknown>;
  probes: boolean;
  requestSettings?: Record<string, unknown> | null;
  environmentVariables?: Record<string, string>;
  description?: string;
}

export function onlineDeployment(env: ScenarioEnv, endpointId: string, name: string, spec: OnlineDeploymentSpec): ArmResource {
  const wsId = endpointId.slice(0, endpointId.toLowerCase().indexOf('/onlineendpoints/'));
  return {
    id: `${endpointId}/deployments/${name}`,
    location: env.location,
    tags: {},
    sku: { name: 'Default', tier: 'Standard', capacity: spec.capacity },
    properties: {
      description: spec.description ?? `Deployment ${name}`,
      properties: { AzureAsyncOperationUri: `https://management.azure.com/subscriptions/${env.subscriptionId}/providers/Microsoft.MachineLearningServices/locations/${env.location}/mfeOperationsStatus/od:${stableGuid(`${endpointId}/${name}`)}?api-version=2025-09-01` },
      endpointComputeType: spec.computeType,
      model: spec.model,
      environmentId: spec.environmentId,
      codeConfiguration: { codeId: `${wsId}/codes/${stableGuid(`${endpointId}/${name}/code`)}/versions/1`, scoringScript: 'score.py' },
      environmentVariables: spec.environmentVariables ?? {},
      instanceType: spec.instanceType,
      scaleSettings: { scaleType: 'Default' },
      requestSettings: spec.requestSettings === undefined ? { requestTimeout: 'PT5S', maxConcurrentRequestsPerInstance: 1, maxQueueWait: 'PT0.5S' } : spec.requestSettings,
      appInsightsEnabled: spec.appInsightsEnabled,
      egressPublicNetworkAccess: spec.egressPublicNetworkAccess,
      ...probes(spec.probes),
      ...(spec.dataCollector ? { dataCollector: spec.dataCollector } : {}),
      ...(spec.computeType === 'Kubernetes'
        ? { containerResourceRequirements: { containerResourceRequests: { cpu: '1', memory: '2Gi' }, containerResourceLimits: { cpu: '2', memory: '4Gi' } } }
        : { modelMountPath: '/var/azureml-app/azureml-models' }),
      provisioningState: 'Succeeded',
    },
    systemData: systemData(),
  };
}

export interface BatchEndpointSpec {
  identity: Record<string, unknown>;
  /** Undefined: no default deployment. */
  defaultDeployment?: string;
  description?: string;
}

export function batchEndpoint(env: ScenarioEnv, rg: string, wsId: string, name: string, spec: BatchEndpointSpec): ArmResource {
  return {
    id: `${wsId}/batchEndpoints/${name}`,
    location: env.location,
    tags: {},
    identity: spec.identity,
    properties: {
      description: spec.description ?? `Batch endpoint ${name}`,
      properties: { BatchEndpointCreationApiVersion: '2025-09-01' },
      // Batch endpoints only support Microsoft Entra tokens.
      authMode: 'AADToken',
      ...scoringUris(env, rg, name, 'batch'),
      defaults: { deploymentName: spec.defaultDeployment ?? null },
      provisioningState: 'Succeeded',
    },
    systemData: systemData(),
  };
}

export interface BatchDeploymentSpec {
  compute: string;
  model: string;
  environmentId: string;
  instanceCount: number;
  environmentVariables?: Record<string, string>;
  description?: string;
}

export function batchDeployment(env: ScenarioEnv, endpointId: string, name: string, spec: BatchDeploymentSpec): ArmResource {
  const wsId = endpointId.slice(0, endpointId.toLowerCase().indexOf('/batchendpoints/'));
  return {
    id: `${endpointId}/deployments/${name}`,
    location: env.location,
    tags: {},
    properties: {
      description: spec.description ?? `Batch deployment ${name}`,
      properties: {},
      codeConfiguration: { codeId: `${wsId}/codes/${stableGuid(`${endpointId}/${name}/code`)}/versions/1`, scoringScript: 'batch_driver.py' },
      environmentId: spec.environmentId,
      environmentVariables: spec.environmentVariables ?? {},
      compute: spec.compute,
      model: { referenceType: 'Id', assetId: spec.model },
      errorThreshold: -1,
      retrySettings: { maxRetries: 3, timeout: 'PT30S' },
      miniBatchSize: 10,
      loggingLevel: 'Info',
      maxConcurrencyPerInstance: 2,
      outputAction: 'AppendRow',
      outputFileName: 'predictions.csv',
      resources: { instanceCount: spec.instanceCount, properties: {} },
      provisioningState: 'Succeeded',
    },
    systemData: systemData(),
  };
}

/**
 * What an inline `environment: image:` in a deployment YAML becomes: a version of the workspace's anonymous
 * environment `CliV2AnonymousEnvironment` (REST shape of Workspace/EnvironmentContainer and EnvironmentVersion),
 * whose version is a hash of the spec. The deployment's `environmentId` names the version; only the version shows
 * the image. Returns the container and the version.
 */
export function anonymousEnvironment(wsId: string, image: string): { container: ArmResource; version: ArmResource } {
  const name = 'CliV2AnonymousEnvironment';
  const containerId = `${wsId}/environments/${name}`;
  // The CLI names the version after a hash of the environment's spec; 32 hex digits like it.
  const version = stableGuid(`${containerId}/${image}`).replace(/-/g, '');
  const container: ArmResource = {
    id: containerId,
    properties: { description: null, tags: {}, properties: {}, isArchived: false, latestVersion: version, nextVersion: null, provisioningState: 'Succeeded' },
    systemData: systemData(),
  };
  const v: ArmResource = {
    id: `${containerId}/versions/${version}`,
    properties: {
      description: null,
      tags: {},
      properties: {},
      isAnonymous: true,
      isArchived: false,
      environmentType: 'UserCreated',
      image,
      autoRebuild: 'Disabled',
      osType: 'Linux',
      stage: 'Development',
      provisioningState: 'Succeeded',
    },
    systemData: systemData(),
  };
  return { container, version: v };
}

/** An AKS cluster with the AzureML extension, attached to the workspace as a Kubernetes compute. */
export interface KubernetesParts {
  cluster: ArmResource;
  extension: ArmResource;
  compute: ArmResource;
}

export function kubernetesCompute(
  env: ScenarioEnv,
  rg: string,
  wsId: string,
  names: { compute: string; cluster: string },
  settings: Record<string, string>,
  options: { privateCluster: boolean; disableLocalAuth: boolean },
): KubernetesParts {
  const clusterId = resourceId(env, rg, 'Microsoft.ContainerService/managedClusters', names.cluster);
  const cluster: ArmResource = {
    id: clusterId,
    location: env.location,
    sku: { name: 'Base', tier: 'Standard' },
    identity: { type: 'SystemAssigned', principalId: stableGuid(`${clusterId}/identity`), tenantId: env.tenantId },
    properties: {
      kubernetesVersion: '1.30.6',
      dnsPrefix: names.cluster,
      ...(options.privateCluster ? { privateFQDN: `${names.cluster}-dns.privatelink.${env.location}.azmk8s.io` } : { fqdn: `${names.cluster}-dns.hcp.${env.location}.azmk8s.io` }),
      apiServerAccessProfile: { enablePrivateCluster: options.privateCluster },
      enableRBAC: true,
      networkProfile: { networkPlugin: 'azure', loadBalancerSku: 'standard', outboundType: options.privateCluster ? 'userDefinedRouting' : 'loadBalancer' },
      provisioningState: 'Succeeded',
    },
  };
  const extension: ArmResource = {
    id: `${clusterId}/providers/Microsoft.KubernetesConfiguration/extensions/azureml`,
    identity: { type: 'SystemAssigned', principalId: stableGuid(`${clusterId}/azureml-extension`) },
    properties: {
      extensionType: 'microsoft.azureml.kubernetes',
      autoUpgradeMinorVersion: true,
      releaseTrain: 'stable',
      version: '1.1.64',
      scope: { cluster: { releaseNamespace: 'azureml' } },
      configurationSettings: settings,
      // ARM never returns protected setting values.
      configurationProtectedSettings: {},
      provisioningState: 'Succeeded',
    },
    systemData: systemData(),
  };
  const k8s = compute(
    wsId,
    names.compute,
    env.location,
    'Kubernetes',
    { description: 'Kubernetes inference compute', resourceId: clusterId, isAttachedCompute: true, disableLocalAuth: options.disableLocalAuth },
    {
      relayConnectionString: null,
      serviceBusConnectionString: null,
      extensionPrincipalId: null,
      extensionInstanceReleaseTrain: 'stable',
      vcName: null,
      namespace: 'azureml',
      defaultInstanceType: 'defaultinstancetype',
      instanceTypes: { defaultinstancetype: { nodeSelector: null, resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '8Gi' } } } },
    },
  );
  return { cluster, extension, compute: k8s };
}
