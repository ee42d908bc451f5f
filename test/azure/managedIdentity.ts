/**
 * The App Service style managed identity endpoint (what MSAL's AppService source calls when IDENTITY_ENDPOINT
 * and IDENTITY_HEADER are set): GET <endpoint>?api-version=2019-08-01&resource=<r>[&client_id=…|&mi_res_id=…|&object_id=…]
 * with header X-IDENTITY-HEADER. One user-assigned identity exists; it also answers requests that name no identity.
 */
import { randomUUID } from 'node:crypto';
import { issueAccessToken } from './accessTokens';
import type { EmulatorContext } from './context';
import { json, type EmuRequest, type Reply, type Route } from './http';

export const MANAGED_IDENTITY_PATH = '/msi/token';

function miError(status: number, message: string): Reply {
  return json(status, { statusCode: status, message, error: status === 401 ? 'unauthorized_client' : 'invalid_request', correlationId: randomUUID() });
}

export function managedIdentityRoute(ctx: EmulatorContext): Route {
  return (req: EmuRequest) => {
    if (req.path.toLowerCase() !== MANAGED_IDENTITY_PATH) return undefined;
    if (req.method !== 'GET') return miError(405, 'Only GET is supported.');
    const mi = ctx.dir.managedIdentity;
    const header = req.headers['x-identity-header'];
    if (header !== mi.identityHeader) return miError(401, 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.');
    const q = req.query;
    if (q.get('api-version') !== '2019-08-01') return miError(400, `Unsupported api-version '${q.get('api-version') ?? ''}'; use 2019-08-01.`);
    const resource = q.get('resource');
    if (!resource) return miError(400, "Required query parameter 'resource' is missing.");
    const wanted: Array<[string, string]> = [
      ['client_id', mi.clientId],
      ['object_id', mi.principalId],
      ['principal_id', mi.principalId],
      ['mi_res_id', mi.resourceId],
    ];
    for (const [param, value] of wanted) {
      const given = q.get(param);
      if (given !== null && given.toLowerCase() !== value.toLowerCase()) return miError(400, `No managed identity found for specified ${param} '${given}'.`);
    }
    const audience = resource.replace(/\/\.default$/, '');
    const t = issueAccessToken(ctx, { audience, appId: mi.clientId, objectId: mi.principalId, appidacr: '2', miResourceId: mi.resourceId });
    ctx.stats.managedIdentityTokens++;
    return json(200, { access_token: t.accessToken, expires_on: String(t.expiresOn), resource, token_type: 'Bearer', client_id: mi.clientId });
  };
}
