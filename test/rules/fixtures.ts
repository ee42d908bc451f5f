import type { ArmResource, WorkspaceInventory } from '../../shared/rules/types';

export const SUB = '3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f';
export const RG = 'rg-ml-test';
export const WS_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/mlw-test`;

/** A child resource id under the test workspace, e.g. child('computes', 'cpu-cluster'). */
export function child(collection: string, name: string): string {
  return `${WS_ID}/${collection}/${name}`;
}

export function workspace(properties: Record<string, unknown> = {}, extra: Partial<ArmResource> = {}): ArmResource {
  return { id: WS_ID, name: 'mlw-test', type: 'Microsoft.MachineLearningServices/workspaces', properties, ...extra };
}

/** The smallest inventory rules can run on; case tables merge their own pieces over it. */
export function baseInventory(): WorkspaceInventory {
  return {
    workspace: workspace(),
    computes: [],
    datastores: [],
    connections: [],
    privateEndpointConnections: [],
    diagnosticSettings: [],
    roleAssignments: [],
    roleDefinitions: [],
  };
}

// ---- EndpointHardeningCheck resources (REST shapes of workspaces/onlineEndpoints, batchEndpoints and their deployments) ----

export const onlineEndpointId = (name: string): string => child('onlineEndpoints', name);
export const batchEndpointId = (name: string): string => child('batchEndpoints', name);

/** An online endpoint; `properties` merges over a hardened managed endpoint (AADToken, private, HTTPS URIs). */
export function onlineEndpoint(name: string, properties: Record<string, unknown> = {}, extra: Partial<ArmResource> = {}): ArmResource {
  return {
    id: onlineEndpointId(name),
    name,
    type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints',
    location: 'eastus2',
    kind: 'Managed',
    identity: { type: 'SystemAssigned' },
    properties: {
      authMode: 'AADToken',
      publicNetworkAccess: 'Disabled',
      scoringUri: `https://${name}.eastus2.inference.ml.azure.com/score`,
      swaggerUri: `https://${name}.eastus2.inference.ml.azure.com/swagger.json`,
      provisioningState: 'Succeeded',
      traffic: {},
      ...properties,
    },
    ...extra,
  };
}

/** A deployment under an online endpoint; `properties` merges over a minimal managed deployment. */
export function onlineDeployment(endpoint: string, name: string, properties: Record<string, unknown> = {}, extra: Partial<ArmResource> = {}): ArmResource {
  return {
    id: `${onlineEndpointId(endpoint)}/deployments/${name}`,
    name,
    type: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments',
    location: 'eastus2',
    kind: 'Managed',
    sku: { name: 'Default', capacity: 1 },
    properties: { endpointComputeType: 'Managed', instanceType: 'Standard_DS3_v2', provisioningState: 'Succeeded', ...properties },
    ...extra,
  };
}

export function batchEndpoint(name: string, properties: Record<string, unknown> = {}, extra: Partial<ArmResource> = {}): ArmResource {
  return {
    id: batchEndpointId(name),
    name,
    type: 'Microsoft.MachineLearningServices/workspaces/batchEndpoints',
    location: 'eastus2',
    identity: { type: 'SystemAssigned' },
    properties: { authMode: 'AADToken', scoringUri: `https://${name}.eastus2.inference.ml.azure.com/jobs`, provisioningState: 'Succeeded', ...properties },
    ...extra,
  };
}

export function batchDeployment(endpoint: string, name: string, properties: Record<string, unknown> = {}, extra: Partial<ArmResource> = {}): ArmResource {
  return {
    id: `${batchEndpointId(endpoint)}/deployments/${name}`,
    name,
    type: 'Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments',
    location: 'eastus2',
    properties: { provisioningState: 'Succeeded', ...properties },
    ...extra,
  };
}
