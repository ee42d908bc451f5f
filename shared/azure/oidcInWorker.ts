/**
 * The OIDC token request of workload identity federation on its own thread. Sign-in is a chain of round trips
 * (Azure DevOps' API location, the OIDC token, Entra's metadata, the token exchange) while loading the Azure SDKs
 * is the task's biggest synchronous step: on one thread the first request waited for the load. On a worker, the
 * Azure DevOps half of the chain runs while the main thread loads identity and the ARM client.
 * Without the worker file (a caller that is not a bundled task nor the tsc build) the request runs here, and so it
 * does when the agent has a proxy or client certificate: task-lib hands those to azure-devops-node-api through
 * globals of the main thread, which a worker does not have. The worker speaks with a bearer token; the rare access
 * token shaped like a PAT (which WebApi would send as basic auth) stays here too.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DevOpsJobContext } from './cloud';
import { requestOidcToken } from './oidc';
import { OidcTokenError, type OidcRequestOptions } from './oidcRequest';
import type { OidcWorkerData, OidcWorkerResponse } from './oidcWorker';

/** The worker's file name in a task bundle (scripts/bundle.mjs writes it next to index.js) and in the tsc build. */
export const OIDC_WORKER_FILE = 'oidcWorker.js';

export function oidcWorkerEntry(): string | undefined {
  const f = path.join(__dirname, OIDC_WORKER_FILE);
  return existsSync(f) ? f : undefined;
}

/** requestOidcToken, on a worker thread when the worker file is there. Same token, same errors, same masking. */
export function requestOidcTokenOffThread(
  devops: DevOpsJobContext,
  connectionId: string,
  mask: (secret: string) => void,
  options: OidcRequestOptions & { connectionLabel: string },
  entry = oidcWorkerEntry(),
): Promise<string> {
  if (!entry || agentNetworkSettings() || looksLikePat(devops.systemAccessToken)) return requestOidcToken(devops, connectionId, mask, options);
  const data: OidcWorkerData = { devops, connectionId, connectionLabel: options.connectionLabel, retryDelaysMs: options.retryDelaysMs };
  return new Promise<string>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(entry, { workerData: data });
    } catch {
      // A thread that cannot start: ask from here.
      requestOidcToken(devops, connectionId, mask, options).then(resolve, reject);
      return;
    }
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      // The worker's kept-alive socket would hold its thread open.
      void worker.terminate();
      fn();
    };
    worker.once('message', (m: OidcWorkerResponse) =>
      settle(() => {
        if (!m.ok) return reject(new OidcTokenError(m.message, m.status));
        mask(m.token);
        resolve(m.token);
      }),
    );
    const lost = (why: string) => settle(() => reject(new OidcTokenError(`Could not get an OIDC token from Azure DevOps for service connection ${options.connectionLabel}: ${why}.`)));
    worker.once('error', (e) => lost(`the request's thread failed (${e.message.split('\n')[0]})`));
    worker.once('exit', (code) => lost(`the request's thread ended (code ${code}) before it answered`));
  });
}

/** task-lib's proxy or client-certificate settings for azure-devops-node-api (set when the agent has them). */
function agentNetworkSettings(): boolean {
  const g = globalThis as Record<string, unknown>;
  return Boolean(g._vsts_task_lib_proxy || g._vsts_task_lib_cert);
}

/** What azure-devops-node-api's getHandlerFromToken treats as a personal access token. */
function looksLikePat(token: string): boolean {
  return token.length === 52 || /^.{76}AZDO.{4}$/u.test(token);
}
