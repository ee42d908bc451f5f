/**
 * The OIDC token request of workload identity federation (Oidctoken - Create), whatever builds the TaskApi it
 * goes through: azure-devops-node-api's WebApi on the main thread (oidc.ts), the TaskApi alone on the request's
 * own thread (oidcWorker.ts). Retries, errors and masking live here, once.
 */
import type { ITaskApi } from 'azure-devops-node-api/TaskApi';
import { AuthError, type DevOpsJobContext } from './cloud';

export interface OidcRequestOptions {
  /** How messages name the connection; defaults to its id. */
  connectionLabel?: string;
  /** Waits before each retry of a transient failure; its length is the number of retries. */
  retryDelaysMs?: readonly number[];
}

/** The token request failed; `status` is the HTTP status when the server answered. Its name stays 'AuthError'. */
export class OidcTokenError extends AuthError {
  constructor(message: string, status?: number) {
    super(message, undefined, status);
  }
}

const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000] as const;
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);

function statusOf(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

function isTransient(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined) return TRANSIENT_STATUS.has(status);
  // No HTTP answer at all: socket errors carry a code (ECONNRESET, ETIMEDOUT...), timeouts a message.
  const e = err as { code?: unknown; message?: unknown };
  return typeof e?.code === 'string' || /timeout/i.test(String(e?.message ?? ''));
}

/** One line for a failed request. Exported for tests. */
export function describeOidcFailure(err: unknown, label: string, collectionUri: string): OidcTokenError {
  const status = statusOf(err);
  const head = `Could not get an OIDC token from Azure DevOps for service connection ${label}`;
  if (status === 401) {
    return new OidcTokenError(`${head} (HTTP 401): the job access token was refused; check that the job's `
      + `System.AccessToken belongs to this job (System.CollectionUri ${collectionUri}) and that the project's `
      + `build service identity is enabled.`, status);
  }
  if (status === 403) {
    return new OidcTokenError(`${head} (HTTP 403): the job is not allowed to use this connection; grant this `
      + `pipeline access to the service connection (Project settings > Service connections > Security).`, status);
  }
  if (status === 400 || status === 404) {
    return new OidcTokenError(`${head} (HTTP ${status}): check that the connection exists in this project and `
      + `uses workload identity federation.`, status);
  }
  const msg = firstLine((err as { message?: unknown })?.message);
  if (status !== undefined) return new OidcTokenError(`${head} (HTTP ${status}): ${msg}`, status);
  if (/Failed to find api location/i.test(msg)) {
    return new OidcTokenError(`${head}: ${collectionUri} does not offer the OIDC token API; `
      + `workload identity federation needs Azure DevOps Services or a Server version that supports it.`);
  }
  return new OidcTokenError(`${head}: ${msg || 'no response'} (could not reach ${collectionUri}).`);
}

function firstLine(m: unknown): string {
  return String(m ?? '').split(/\r?\n/)[0].trim().slice(0, 300);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Requests a fresh OIDC token for `connectionId`, passes it to `mask` before returning it, and retries
 * transient failures (no answer, 408/429/5xx) with a short backoff.
 * @throws OidcTokenError with a one-line message naming the connection and the HTTP status
 */
export async function requestOidcTokenWith(
  api: () => Promise<ITaskApi>,
  devops: DevOpsJobContext,
  connectionId: string,
  mask: (secret: string) => void,
  options: OidcRequestOptions = {},
): Promise<string> {
  const label = options.connectionLabel ?? `'${connectionId}'`;
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  let lastError: unknown;
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (attempt > 0) await sleep(delays[attempt - 1]);
    try {
      const res = await (await api()).createOidcToken({}, devops.projectId, devops.hostType, devops.planId, devops.jobId, connectionId);
      const token = res?.oidcToken;
      if (token) {
        mask(token);
        return token;
      }
      // typed-rest-client turns a 404 into an empty result rather than an error.
      lastError = Object.assign(new Error('empty response'), { statusCode: 404 });
      break;
    } catch (err) {
      lastError = err;
      if (!isTransient(err)) break;
    }
  }
  throw describeOidcFailure(lastError, label, devops.collectionUri);
}
