/**
 * What an AzureRM service connection resolves to, and the pure cloud arithmetic around it (URLs, token
 * scope, which authority hosts are public clouds). No task-lib here: `shared/pipeline/serviceConnection.ts`
 * fills this shape from the agent's environment; tests fill it by hand.
 */

/** A setting the user must fix (service connection, input, pipeline option). Its message says what and how. */
export class ConfigError extends Error {
  constructor(
    message: string,
    /** The task input the setting belongs to, e.g. `azureSubscription`. */
    public readonly input?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Signing in failed (Entra refused, Azure DevOps gave no OIDC token). One line naming the connection, the
 * code (`AADSTS7000215`) or HTTP status, and what to check. The name is what the task runner shows as is.
 */
export class AuthError extends Error {
  constructor(
    message: string,
    /** Entra error code, e.g. `AADSTS7000215`, when there is one. */
    public readonly code?: string,
    /** HTTP status, when a server answered. */
    public readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AuthError';
  }
}

/** The authentication schemes of an Azure DevOps AzureRM service connection (what an agent job may carry). */
export const AZURE_RM_SCHEMES = ['WorkloadIdentityFederation', 'ServicePrincipal', 'ManagedServiceIdentity'] as const;
export type ServiceConnectionScheme = (typeof AZURE_RM_SCHEMES)[number];
/**
 * How a run signs in: a service connection's scheme, or `AzureCli`, the developer's own `az login` on a command
 * line (never read from a service connection: an agent job cannot select it).
 */
export type AzureRmScheme = ServiceConnectionScheme | 'AzureCli';

/** The job facts workload identity federation needs to ask Azure DevOps for an OIDC token. */
export interface DevOpsJobContext {
  /** System.CollectionUri, ends with '/'. */
  collectionUri: string;
  projectId: string;
  /** System.HostType: the hub name ('build', 'release', ...). */
  hostType: string;
  planId: string;
  jobId: string;
  /** The job access token (System.AccessToken). Secret. */
  systemAccessToken: string;
  /** System.OidcRequestUri, when the agent sets it. */
  oidcRequestUri?: string;
}

export type ConnectionSecret = { kind: 'key'; value: string } | { kind: 'certificate'; pem: string };

export interface AzureRmConnection {
  /** The connection's GUID (the value of the task input). */
  id: string;
  name?: string;
  scheme: AzureRmScheme;
  tenantId: string;
  /** Service principal / app registration client id. Absent for managed identity and the Azure CLI login. */
  clientId?: string;
  subscriptionId: string;
  /** ARM endpoint, ends with '/'. */
  managementUrl: string;
  /** Entra authority host, ends with '/' (no tenant in it). */
  authorityHost: string;
  /** The scope to ask Entra for when calling ARM, e.g. `https://management.azure.com//.default`. */
  armScope: string;
  /** Cloud name from the connection (`AzureCloud`, `AzureChinaCloud`, `AzureUSGovernment`, `AzureStack`...). */
  environment?: string;
  secret?: ConnectionSecret;
  /** User-assigned managed identity client id (data `msiclientId`). */
  msiClientId?: string;
  /** Present for WorkloadIdentityFederation only. */
  devops?: DevOpsJobContext;
}

/** How messages name a connection. */
export function connectionLabel(conn: Pick<AzureRmConnection, 'id' | 'name'>): string {
  return conn.name ? `'${conn.name}' (${conn.id})` : `'${conn.id}'`;
}

/** Who signs in, for messages: `service connection '<name>' (<id>)`, or the Azure CLI login. */
export function signInLabel(conn: Pick<AzureRmConnection, 'id' | 'name' | 'scheme'>): string {
  return conn.scheme === 'AzureCli' ? 'your Azure CLI login (az login)' : `service connection ${connectionLabel(conn)}`;
}

export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * The v2 scope for a v1 resource id: `<resource>/.default`, keeping the resource exactly as given.
 * `https://management.azure.com/` therefore becomes `https://management.azure.com//.default` (what
 * Microsoft's tasks and the Azure CLI send); stripping the slash would ask for a different audience, and
 * Azure Stack audiences (`https://management.<tenant>/<guid>`) have no slash to add.
 */
export function scopeForResource(resource: string): string {
  return `${resource}/.default`;
}

/**
 * Authority hosts of the public clouds (MSAL's own list of hosts it can discover). Anything else is an
 * Azure Stack / ADFS style authority that the public instance discovery endpoint does not know.
 */
export const PUBLIC_AUTHORITY_HOSTS: readonly string[] = [
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
  'login.partner.microsoftonline.cn',
  'login.chinacloudapi.cn',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
  'login.microsoftonline.de',
  'login.sovcloud-identity.fr',
  'login.sovcloud-identity.de',
  'login.sovcloud-identity.sg',
];

export function isPublicAuthorityHost(authorityHost: string): boolean {
  let host: string;
  try {
    host = new URL(authorityHost).hostname.toLowerCase();
  } catch {
    return false;
  }
  return PUBLIC_AUTHORITY_HOSTS.includes(host);
}

/** ADFS authorities (Azure Stack Hub disconnected) take no tenant: the tenant segment is literally `adfs`. */
export function isAdfsAuthority(authorityHost: string): boolean {
  try {
    return /\/adfs\/?$/i.test(new URL(authorityHost).pathname);
  } catch {
    return false;
  }
}
