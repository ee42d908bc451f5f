/**
 * What ARM returns for a stored resource: a copy without secret values (ARM never returns x-ms-secret
 * fields on GET) and without properties the requested api-version does not know yet.
 */
import type { ArmResource } from '../../shared/rules/types';
import { isPlainObject } from './http';

const ML = 'Microsoft.MachineLearningServices';

/** First stable api-version that returns a property; older versions drop it, as ARM does. */
export const PROPERTY_SINCE: ReadonlyArray<{ type: string; path: string; since: string }> = [
  { type: `${ML}/workspaces`, path: 'properties.managedNetwork', since: '2023-10-01' },
  { type: `${ML}/workspaces`, path: 'properties.serverlessComputeSettings', since: '2023-10-01' },
  { type: `${ML}/workspaces`, path: 'properties.systemDatastoresAuthMode', since: '2025-06-01' },
  { type: `${ML}/workspaces`, path: 'properties.networkAcls', since: '2025-06-01' },
  { type: `${ML}/workspaces`, path: 'properties.ipAllowlist', since: '2025-06-01' },
  { type: `${ML}/workspaces/computes`, path: 'properties.properties.osImageMetadata', since: '2023-04-01' },
  { type: `${ML}/workspaces/computes`, path: 'properties.properties.idleTimeBeforeShutdown', since: '2025-06-01' },
  { type: `${ML}/workspaces/computes`, path: 'properties.properties.enableRootAccess', since: '2025-06-01' },
  { type: `${ML}/workspaces/computes`, path: 'properties.properties.enableOSPatching', since: '2025-06-01' },
  { type: `${ML}/workspaces/computes`, path: 'properties.properties.enableSSO', since: '2025-06-01' },
  { type: `${ML}/workspaces/connections`, path: 'properties.expiryTime', since: '2024-10-01' },
  { type: `${ML}/workspaces/connections`, path: 'properties.isSharedToAll', since: '2024-10-01' },
  { type: `${ML}/workspaces/connections`, path: 'properties.sharedUserList', since: '2024-10-01' },
  // 2022-10-01 dropped mirrorTraffic (previews had it); stable again from 2023-04-01. dataCollector: stable from 2024-04-01.
  { type: `${ML}/workspaces/onlineEndpoints`, path: 'properties.mirrorTraffic', since: '2023-04-01' },
  { type: `${ML}/workspaces/onlineEndpoints/deployments`, path: 'properties.dataCollector', since: '2024-04-01' },
];

/** First stable api-version that knows a resource type at all (older ones get NoRegisteredProviderFound). */
export const TYPE_SINCE: Readonly<Record<string, string>> = {
  [`${ML}/registries`.toLowerCase()]: '2023-04-01',
  [`${ML}/registries/models`.toLowerCase()]: '2023-04-01',
  [`${ML}/registries/models/versions`.toLowerCase()]: '2023-04-01',
};

/** Values of these keys under a connection's `properties.credentials` are secrets. */
const CONNECTION_SECRET_KEYS = ['pat', 'password', 'sas', 'key', 'keys', 'clientSecret', 'secretAccessKey', 'accessToken', 'refreshToken', 'developerToken', 'securityToken'];

/** `YYYY-MM-DD` part of an api-version such as 2024-10-01-preview. */
export function apiDate(apiVersion: string): string {
  return apiVersion.slice(0, 10);
}

export function typeKnownAt(resourceType: string, apiVersion: string): boolean {
  const since = TYPE_SINCE[resourceType.toLowerCase()];
  return !since || apiDate(apiVersion) >= since;
}

/** A deep copy of `resource` as a GET at `apiVersion` returns it. */
export function armView(resource: ArmResource, apiVersion: string): ArmResource {
  const copy = structuredClone(resource);
  redactSecrets(copy);
  const type = String(copy.type ?? '').toLowerCase();
  const date = apiDate(apiVersion);
  for (const rule of PROPERTY_SINCE) {
    if (rule.type.toLowerCase() === type && date < rule.since) deletePath(copy, rule.path);
  }
  return copy;
}

function redactSecrets(r: ArmResource): void {
  const type = String(r.type ?? '').toLowerCase();
  const p = r.properties;
  if (!isPlainObject(p)) return;
  if (type === `${ML}/workspaces/datastores`.toLowerCase() && isPlainObject(p.credentials) && isPlainObject(p.credentials.secrets)) {
    // The REST examples show GET keeping only the kind of secret: `secrets: { secretsType: "AccountKey" }`.
    p.credentials.secrets = { secretsType: p.credentials.secrets.secretsType };
  }
  if (type === `${ML}/workspaces/connections`.toLowerCase() && isPlainObject(p.credentials)) {
    for (const k of Object.keys(p.credentials)) {
      if (CONNECTION_SECRET_KEYS.some((s) => s.toLowerCase() === k.toLowerCase())) delete p.credentials[k];
    }
  }
  if (type === `${ML}/workspaces/computes`.toLowerCase() && isPlainObject(p.properties)) {
    const inner = p.properties;
    if (isPlainObject(inner.administratorAccount)) {
      delete inner.administratorAccount.password;
      delete inner.administratorAccount.privateKeyData;
    }
    delete inner.databricksAccessToken;
  }
}

function deletePath(obj: Record<string, unknown>, path: string): void {
  const parts = path.split('.');
  let cur: unknown = obj;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(cur)) return;
    cur = cur[part];
  }
  if (isPlainObject(cur)) delete cur[parts[parts.length - 1]];
}
