/**
 * Reads an AzureRM service connection from what the agent hands the task (ENDPOINT_* and job variables)
 * into an `AzureRmConnection`. The parsing is pure over an `EndpointReader`; `taskLibReader` binds it to
 * azure-pipelines-task-lib.
 *
 * Every secret read (service principal key, certificate private key, job access token) goes to the
 * reader's `setSecret` the moment it is read, before anything can fail or log, so a caller cannot forget
 * to mask it.
 */
import * as tl from 'azure-pipelines-task-lib/task';
import {
  AZURE_RM_SCHEMES,
  ConfigError,
  scopeForResource,
  withTrailingSlash,
  type AzureRmConnection,
  type AzureRmScheme,
  type ConnectionSecret,
  type DevOpsJobContext,
} from '../azure/cloud';

/** The task-lib calls the parser needs; a fake in tests. */
export interface EndpointReader {
  url(id: string): string | undefined;
  scheme(id: string): string | undefined;
  authParam(id: string, key: string): string | undefined;
  dataParam(id: string, key: string): string | undefined;
  variable(name: string): string | undefined;
  /** Registers a single-line value with the log masker (`##vso[task.setsecret]`). */
  setSecret(value: string): void;
}

/** The job's own connection; its `AccessToken` parameter is System.AccessToken. */
export const JOB_CONNECTION_ID = 'SYSTEMVSSCONNECTION';
export const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com/';

/**
 * Auth parameters are read from the ENDPOINT_AUTH_<id> JSON rather than with
 * tl.getEndpointAuthorizationParameter, because that call writes the value (the key, the PEM) to the debug
 * log before the task could mask it. Keys match case-insensitively, as task-lib upper-cases them.
 */
function authParamFromTaskLib(id: string, key: string): string | undefined {
  try {
    const auth = tl.getEndpointAuthorization(id, true);
    if (auth?.parameters) {
      const wanted = key.toLowerCase();
      for (const [k, v] of Object.entries(auth.parameters)) if (k.toLowerCase() === wanted) return v;
      return undefined;
    }
  } catch {
    // Unparseable ENDPOINT_AUTH JSON: task-lib's error message would contain it; fall through.
  }
  return tl.getEndpointAuthorizationParameter(id, key, true);
}

export const taskLibReader: EndpointReader = {
  url: (id) => tl.getEndpointUrl(id, true),
  scheme: (id) => tl.getEndpointAuthorizationScheme(id, true) ?? safeAuthScheme(id),
  authParam: authParamFromTaskLib,
  dataParam: (id, key) => tl.getEndpointDataParameter(id, key, true),
  variable: (name) => tl.getVariable(name),
  setSecret: (value) => tl.setSecret(value),
};

/** For callers outside this file that hold a secret (tokens): the task-lib masker. */
export function maskSecret(value: string): void {
  tl.setSecret(value);
}

function safeAuthScheme(id: string): string | undefined {
  try {
    return tl.getEndpointAuthorization(id, true)?.scheme;
  } catch {
    return undefined;
  }
}

/**
 * Masks a PEM line by line: task-lib refuses multi-line secrets, and the agent masks log lines one at a
 * time, so only the lines of the private key block can ever match. Certificate blocks are public.
 */
export function maskPrivateKeyLines(pem: string, setSecret: (v: string) => void): number {
  let inKey = false;
  let masked = 0;
  for (const raw of pem.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----$/.test(line)) { inKey = true; continue; }
    if (/^-----END [A-Z0-9 ]*PRIVATE KEY-----$/.test(line)) { inKey = false; continue; }
    // Skip RFC 1421 headers (Proc-Type:, DEK-Info:) and short lines that would mask ordinary text.
    if (inKey && line.length >= 16 && !line.includes(':')) {
      setSecret(line);
      masked++;
    }
  }
  return masked;
}

/** Masks a value that should be one line; should it hold several, each line is masked (task-lib rejects the whole). */
function maskValue(value: string, setSecret: (v: string) => void): void {
  for (const line of value.split(/\r?\n/)) if (line.trim()) setSecret(line.trim());
}

const SCHEME_BY_LOWER = new Map<string, AzureRmScheme>(AZURE_RM_SCHEMES.map((s) => [s.toLowerCase(), s]));

/**
 * @param inputName the task input that named the connection (for messages), e.g. `azureSubscription`
 * @param connectionId the input's value: the connection GUID
 * @throws ConfigError for anything missing or unsupported, naming the input, the connection and the fix
 */
export function readAzureRmConnection(inputName: string, connectionId: string, r: EndpointReader): AzureRmConnection {
  const id = (connectionId ?? '').trim();
  const fail: Fail = (what, fix) => {
    throw new ConfigError(`Input '${inputName}': the service connection '${id}' ${what}; ${fix}.`, inputName);
  };
  if (!id) {
    throw new ConfigError(`Input '${inputName}' is empty; choose an Azure Resource Manager service connection.`, inputName);
  }

  const rawScheme = r.scheme(id)?.trim();
  const url = r.url(id)?.trim();
  const tenantId = r.authParam(id, 'tenantid')?.trim();
  if (!rawScheme && !url && !tenantId) {
    fail('was not found in this job', 'check the input value and that this pipeline is authorized to use the connection');
  }

  // The agent treats a connection without a scheme as a service principal; so do we.
  const scheme = rawScheme ? SCHEME_BY_LOWER.get(rawScheme.toLowerCase()) : 'ServicePrincipal';
  if (!scheme) {
    fail(`uses the authentication scheme '${rawScheme}', which is not supported`,
      `use one of ${AZURE_RM_SCHEMES.join(', ')}`);
  }

  // Secrets first: mask before any check below can throw or anything can log.
  let secret: ConnectionSecret | undefined;
  if (scheme === 'ServicePrincipal') secret = readSpSecret(id, r, fail);
  const devops = scheme === 'WorkloadIdentityFederation' ? readJobContext(r, fail) : undefined;

  if (!tenantId) fail('has no tenant id', 'edit the connection or recreate it');
  const clientId = r.authParam(id, 'serviceprincipalid')?.trim() || undefined;
  if (!clientId && scheme !== 'ManagedServiceIdentity') {
    fail('has no service principal (client) id', 'edit the connection or recreate it');
  }

  const subscriptionId = r.dataParam(id, 'subscriptionId')?.trim();
  if (!subscriptionId) {
    const level = r.dataParam(id, 'scopeLevel')?.trim();
    if (level && level.toLowerCase() !== 'subscription') {
      fail(`is scoped to a ${level}, not a subscription`, 'use a connection scoped to the subscription that holds the workspace');
    }
    fail('has no subscription id', 'edit the connection and select a subscription, or recreate it');
  }

  const cloud = readCloud(id, url, r, fail);
  const msiClientId = scheme === 'ManagedServiceIdentity' ? r.dataParam(id, 'msiclientId')?.trim() || undefined : undefined;

  return {
    id,
    scheme,
    tenantId,
    clientId,
    subscriptionId,
    ...cloud,
    ...(secret ? { secret } : {}),
    ...(msiClientId ? { msiClientId } : {}),
    ...(devops ? { devops } : {}),
  };
}

type Fail = (what: string, fix: string) => never;

function readSpSecret(id: string, r: EndpointReader, fail: Fail): ConnectionSecret {
  const authType = r.authParam(id, 'authenticationType')?.trim().toLowerCase();
  if (authType === 'spncertificate') {
    const pem = r.authParam(id, 'servicePrincipalCertificate');
    if (pem) maskPrivateKeyLines(pem, r.setSecret);
    if (!pem?.trim()) fail('has no certificate', 'upload the certificate (PEM with its private key) to the connection, or recreate it');
    if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem!)) {
      fail('has a certificate without a private key', 'upload a PEM file that holds both the certificate and its private key');
    }
    return { kind: 'certificate', pem: pem! };
  }
  const key = r.authParam(id, 'serviceprincipalkey');
  if (key) maskValue(key, r.setSecret);
  if (!key?.trim()) fail('has no service principal key', 'edit the connection and enter the key, or recreate it');
  return { kind: 'key', value: key! };
}

function readJobContext(r: EndpointReader, fail: Fail): DevOpsJobContext {
  const systemAccessToken = r.authParam(JOB_CONNECTION_ID, 'AccessToken');
  if (systemAccessToken) maskValue(systemAccessToken, r.setSecret);
  if (!systemAccessToken) {
    fail('uses workload identity federation, but the job access token (System.AccessToken) is not available to the task',
      "the task needs it to request the OIDC token: run it in an Azure Pipelines agent job and, in a classic pipeline, enable 'Allow scripts to access the OAuth token' on the agent job");
  }
  const need = (name: string): string => {
    const v = r.variable(name)?.trim();
    if (!v) fail(`uses workload identity federation, but the pipeline variable ${name} is not set`, 'run the task inside an Azure Pipelines agent job');
    return v!;
  };
  const collection = r.variable('System.CollectionUri')?.trim() || r.variable('System.TeamFoundationCollectionUri')?.trim();
  if (!collection) fail('uses workload identity federation, but the pipeline variable System.CollectionUri is not set', 'run the task inside an Azure Pipelines agent job');
  const oidcRequestUri = r.variable('System.OidcRequestUri')?.trim() || undefined;
  return {
    collectionUri: withTrailingSlash(collection!),
    projectId: need('System.TeamProjectId'),
    hostType: need('System.HostType'),
    planId: need('System.PlanId'),
    jobId: need('System.JobId'),
    systemAccessToken: systemAccessToken!,
    ...(oidcRequestUri ? { oidcRequestUri } : {}),
  };
}

function httpsUrl(value: string, what: string, fail: Fail): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return fail(`has an invalid ${what} '${value}'`, 'edit the connection or recreate it');
  }
  if (u.protocol !== 'https:') fail(`has a ${what} that is not https ('${value}')`, 'credentials are only sent over https; fix the connection');
  return withTrailingSlash(value);
}

function readCloud(id: string, url: string | undefined, r: EndpointReader, fail: Fail) {
  const environment = r.dataParam(id, 'environment')?.trim() || undefined;
  const isStack = environment?.toLowerCase() === 'azurestack';

  const mgmt = url || r.dataParam(id, 'resourceManagerUrl')?.trim();
  if (!mgmt) fail('has no Azure Resource Manager URL', 'edit the connection or recreate it');
  const managementUrl = httpsUrl(mgmt!, 'Resource Manager URL', fail);

  const authorityData = r.dataParam(id, 'activeDirectoryAuthority')?.trim() || r.dataParam(id, 'environmentAuthorityUrl')?.trim();
  // Azure Stack has its own Entra/ADFS authority; guessing the public one would fail sign-in confusingly.
  if (!authorityData && isStack) {
    fail('is an Azure Stack connection without its authority URL (data activeDirectoryAuthority)', 'recreate the connection so Azure DevOps records the Azure Stack endpoints');
  }
  const authorityHost = httpsUrl(authorityData || PUBLIC_AUTHORITY, 'authority URL', fail);

  const resourceId = r.dataParam(id, 'activeDirectoryServiceEndpointResourceId')?.trim();
  if (!resourceId && isStack) {
    fail('is an Azure Stack connection without its token audience (data activeDirectoryServiceEndpointResourceId)', 'recreate the connection so Azure DevOps records the Azure Stack endpoints');
  }
  const armScope = scopeForResource(resourceId || managementUrl);

  return { managementUrl, authorityHost, armScope, ...(environment ? { environment } : {}) };
}
