/**
 * Entry of the OIDC worker thread (see oidcInWorker.ts): asks Azure DevOps for one OIDC token and posts it back.
 * Bundled as its own file next to the task's index.js. It builds the TaskApi alone rather than through WebApi,
 * which loads every Azure DevOps client (about 1 MB) first; WebApi's other work — the agent's proxy and client
 * certificate — does not apply here, since with those the request stays on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TaskApi } from 'azure-devops-node-api/TaskApi';
import { BearerCredentialHandler } from 'azure-devops-node-api/handlers/bearertoken';
import type { DevOpsJobContext } from './cloud';
import { OidcTokenError, requestOidcTokenWith } from './oidcRequest';

export interface OidcWorkerData {
  devops: DevOpsJobContext;
  connectionId: string;
  connectionLabel: string;
  retryDelaysMs?: readonly number[];
}

export type OidcWorkerResponse = { ok: true; token: string } | { ok: false; message: string; status?: number };

const job = workerData as OidcWorkerData | undefined;
if (parentPort && job) {
  const { devops } = job;
  // keepAlive as on the main thread (oidc.ts): the location lookup and the token request share one connection.
  const api = Promise.resolve(new TaskApi(devops.collectionUri, [new BearerCredentialHandler(devops.systemAccessToken)], { keepAlive: true, socketTimeout: 30_000 }));
  // The token is masked by the main thread when it arrives; nothing here prints.
  requestOidcTokenWith(() => api, devops, job.connectionId, () => undefined, { connectionLabel: job.connectionLabel, retryDelaysMs: job.retryDelaysMs }).then(
    (token) => parentPort!.postMessage({ ok: true, token } satisfies OidcWorkerResponse),
    (err: unknown) => parentPort!.postMessage({
      ok: false,
      message: (err as Error)?.message ?? String(err),
      status: err instanceof OidcTokenError ? err.status : undefined,
    } satisfies OidcWorkerResponse),
  );
}
