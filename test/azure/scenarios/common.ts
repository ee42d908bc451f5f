/**
 * Building blocks for scenarios: ids, stable GUIDs, and one factory per resource kind in its REST shape
 * (the newest api-version; armView.ts drops what older versions lack). Secret values are random per build.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ArmResource } from '../../../shared/rules/types';
import { registerSecret } from '../../agent/sweep';
import type { VaultKeySpec } from '../keyVault';

export const ML = 'Microsoft.MachineLearningServices';

export interface ScenarioEnv {
  subscriptionId: string;
  tenantId: string;
  location: string;
  /** Object id of the service principal the pipeline signs in as (gets Reader on each scenario's resource group). */
  pipelinePrincipalId: string;
  /**
   * The emulator's own base URLs (trailing slash), over TLS and over plain HTTP on the same port: scoring URIs
   * point back at it. Absent when a scenario is built without a server; URIs then use port 443/80.
   */
  emulatorUrl?: string;
  emulatorPlainUrl?: string;
  /**
   * Azurite's base URL (`https://127.0.0.1:<port>`) when the emulator runs with blob storage: the datastores
   * holding model files then name its host as `endpoint` and the files are uploaded there at start.
   */
  blobUrl?: string;
}

export interface Scenario {
  name: string;
  resourceGroup: string;
  workspaceName: string;
  workspaceId: string;
  resources: ArmResource[];
  /** Files uploaded to Azurite at start (model files), when the emulator runs with it. */
  blobs?: ScenarioBlob[];
  /** The same files as the tests see them: where they are and their sha256. */
  modelFiles?: ScenarioModelFile[];
  /** Keys the emulator's Key Vault creates at start. */
  vaultKeys?: VaultKeySpec[];
}

export interface ScenarioBlob {
  account: string;
  container: string;
  path: string;
  data: Buffer;
}

export interface ScenarioModelFile {
  /** ARM id of the model version (workspace or registry) the file belongs to. */
  modelVersionId: string;
  /** File name inside the version's folder. */
  file: string;
  /** Blob URL (path-style at Azurite when the emulator runs with it; needs a storage token or a SAS). */
  url: string;
  sha256: string;
  size: number;
}

/** A GUID derived from `seed` (SHA-1, version/variant bits set like a v5 UUID): stable across runs. */
export function stableGuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * A random secret value, made when the scenario is built and never written to disk. Every value is registered
 * with the test secret sweep (test/agent/sweep.ts), so a product output that repeats one fails the suite.
 */
export function runtimeSecret(bytes = 32): string {
  const value = randomBytes(bytes).toString('base64');
  registerSecret(value);
  return value;
}

export function rgId(env: ScenarioEnv, rg: string): string {
  return `/subscriptions/${env.subscriptionId}/resourceGroups/${rg}`;
}

export function resourceId(env: ScenarioEnv, rg: string, type: string, name: string): string {
  return `${rgId(env, rg)}/providers/${type}/${name}`;
}

export function subscription(env: ScenarioEnv, displayName: string): ArmResource {
  return {
    id: `/subscriptions/${env.subscriptionId}`,
    type: 'Microsoft.Resources/subscriptions',
    subscriptionId: env.subscriptionId,
    displayName,
    state: 'Enabled',
    tenantId: env.tenantId,
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'EnterpriseAgreement_2014-09-01', spendingLimit: 'Off' },
    authorizationSource: 'RoleBased',
  };
}

export function resourceGroup(env: ScenarioEnv, name: string, tags: Record<string, string> = {}): ArmResource {
  return { id: rgId(env, name), name, type: 'Microsoft.Resources/resourceGroups', location: env.location, tags, properties: { provisioningState: 'Succeeded' } };
}

export function userAssignedIdentity(env: ScenarioEnv, rg: string, name: string): ArmResource {
  return {
    id: resourceId(env, rg, 'Microsoft.ManagedIdentity/userAssignedIdentities', name),
    location: env.location,
    properties: { tenantId: env.tenantId, principalId: stableGuid(`${rg}/${name}/principal`), clientId: stableGuid(`${rg}/${name}/client`) },
  };
}

/** `identity` block naming user-assigned identities, with their principal and client ids. */
export function userAssigned(...identities: ArmResource[]): Record<string, unknown> {
  return {
    type: 'UserAssigned',
    userAssignedIdentities: Object.fromEntries(identities.map((i) => [i.id, { principalId: i.properties?.principalId, clientId: i.properties?.clientId }])),
  };
}

export function systemAssigned(env: ScenarioEnv, seed: string): Record<string, unknown> {
  return { type: 'SystemAssigned', principalId: stableGuid(`${seed}/system-identity`), tenantId: env.tenantId };
}

const CREATED = '2025-02-11T08:41:17.4382911+00:00';
const MODIFIED = '2025-05-20T14:03:52.1195634+00:00';

export function systemData(createdBy = 'mlplatform@contoso.com', createdByType = 'User'): Record<string, unknown> {
  return { createdAt: CREATED, createdBy, createdByType, lastModifiedAt: MODIFIED, lastModifiedBy: createdBy, lastModifiedByType: createdByType };
}

export function compute(
  wsId: string,
  name: string,
  location: string,
  computeType: string,
  common: Record<string, unknown>,
  inner: Record<string, unknown>,
  identity?: Record<string, unknown>,
): ArmResource {
  return {
    id: `${wsId}/computes/${name}`,
    location,
    ...(identity ? { identity } : {}),
    properties: {
      computeType,
      computeLocation: location,
      provisioningState: 'Succeeded',
      createdOn: CREATED,
      modifiedOn: MODIFIED,
      isAttachedCompute: false,
      provisioningErrors: null,
      ...common,
      properties: inner,
    },
    systemData: systemData(),
  };
}

export function datastore(wsId: string, name: string, props: Record<string, unknown>): ArmResource {
  return {
    id: `${wsId}/datastores/${name}`,
    properties: { description: null, tags: {}, properties: {}, isDefault: false, ...props },
    systemData: systemData(),
  };
}

export function connection(wsId: string, name: string, props: Record<string, unknown>): ArmResource {
  return { id: `${wsId}/connections/${name}`, properties: { isSharedToAll: false, sharedUserList: [], metadata: {}, ...props }, systemData: systemData() };
}

export function privateEndpointConnection(env: ScenarioEnv, rg: string, wsId: string, peName: string, status: 'Approved' | 'Pending' | 'Rejected'): ArmResource {
  return {
    id: `${wsId}/privateEndpointConnections/${peName}.${stableGuid(`${wsId}/${peName}`)}`,
    location: env.location,
    properties: {
      provisioningState: 'Succeeded',
      privateEndpoint: { id: resourceId(env, rg, 'Microsoft.Network/privateEndpoints', peName) },
      privateLinkServiceConnectionState: { status, description: status === 'Approved' ? 'Auto-Approved' : '', actionsRequired: 'None' },
    },
  };
}

export function diagnosticSetting(targetId: string, name: string, props: Record<string, unknown>): ArmResource {
  return { id: `${targetId}/providers/Microsoft.Insights/diagnosticSettings/${name}`, properties: props };
}

export function roleAssignment(
  env: ScenarioEnv,
  scope: string,
  roleGuid: string,
  principalId: string,
  principalType: 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device' | 'Unknown',
): ArmResource {
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${stableGuid(`${scope}|${roleGuid}|${principalId}`)}`,
    properties: {
      roleDefinitionId: `/subscriptions/${env.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
      principalId,
      principalType,
      scope,
      condition: null,
      conditionVersion: null,
      createdOn: CREATED,
      updatedOn: CREATED,
      createdBy: stableGuid('mlplatform-admin'),
      updatedBy: stableGuid('mlplatform-admin'),
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
  };
}

export function customRoleDefinition(env: ScenarioEnv, roleName: string, description: string, actions: string[], assignableScopes: string[]): ArmResource {
  const guid = stableGuid(`custom-role/${roleName}`);
  return {
    id: `/subscriptions/${env.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    name: guid,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName,
      type: 'CustomRole',
      description,
      assignableScopes,
      permissions: [{ actions, notActions: [], dataActions: [], notDataActions: [] }],
      createdOn: CREATED,
      updatedOn: MODIFIED,
      createdBy: stableGuid('mlplatform-admin'),
      updatedBy: stableGuid('mlplatform-admin'),
    },
  };
}
