/**
 * Asks Azure DevOps for an OIDC token for a workload-identity-federation service connection
 * (Oidctoken - Create), the token that is then exchanged with Entra for an ARM token.
 *
 * Goes through azure-devops-node-api's TaskApi, as Microsoft's AzureCLI task and azure-arm-rest do, so the
 * api-version is negotiated with the server (OPTIONS location discovery) instead of being hard-coded.
 */
import { WebApi, getHandlerFromToken } from 'azure-devops-node-api';
import type { ITaskApi } from 'azure-devops-node-api/TaskApi';
import type { DevOpsJobContext } from './cloud';
import { requestOidcTokenWith, type OidcRequestOptions } from './oidcRequest';

export { OidcTokenError, describeOidcFailure, type OidcRequestOptions } from './oidcRequest';

// One TaskApi per job context: it caches the location lookup, so later tokens cost one request.
const apis = new WeakMap<DevOpsJobContext, Promise<ITaskApi>>();

function taskApi(devops: DevOpsJobContext): Promise<ITaskApi> {
  let api = apis.get(devops);
  if (!api) {
    // keepAlive as Microsoft's AzureCLI task does: Node 19+ agents otherwise time sockets out at 5 s.
    const web = new WebApi(devops.collectionUri, getHandlerFromToken(devops.systemAccessToken), {
      keepAlive: true,
      socketTimeout: 30_000,
    });
    api = web.getTaskApi();
    apis.set(devops, api);
    api.catch(() => apis.delete(devops));
  }
  return api;
}

/**
 * Requests a fresh OIDC token for `connectionId` through WebApi, which applies the agent's proxy and client
 * certificate as task-lib left them; see requestOidcTokenWith.
 * @throws OidcTokenError with a one-line message naming the connection and the HTTP status
 */
export function requestOidcToken(devops: DevOpsJobContext, connectionId: string, mask: (secret: string) => void, options: OidcRequestOptions = {}): Promise<string> {
  return requestOidcTokenWith(() => taskApi(devops), devops, connectionId, mask, options);
}
