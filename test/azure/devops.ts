/**
 * Azure DevOps, as far as a pipeline task needs it for workload identity federation:
 *  - OPTIONS {collection}/_apis/distributedtask: resource-location discovery (azure-devops-node-api asks first);
 *  - POST {collection}{project}/_apis/distributedtask/hubs/{hub}/plans/{plan}/jobs/{job}/oidctoken?serviceConnectionId=…
 *    with the job's System.AccessToken (Bearer, or Basic with the token as password) → `{ oidcToken }`.
 * Project, plan and job ids in the path are not checked (test harnesses pick their own); the token's subject
 * is always the emulator's federated credential subject, sc://<org>/<project name>/<connection name>.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { EmulatorContext } from './context';
import { adoError, json, type EmuRequest, type Reply, type Route } from './http';

/** The oidctoken resource as TaskApi.createOidcToken looks it up (location id from azure-devops-node-api TaskApi.js). */
export const OIDC_TOKEN_LOCATION = {
  id: '69a319f4-28c1-4bfd-93e6-ea0ff5c6f1a2',
  area: 'distributedtask',
  resourceName: 'oidctoken',
  routeTemplate: '{scopeIdentifier}/_apis/{area}/hubs/{hubName}/plans/{planId}/jobs/{jobId}/{resource}',
  resourceVersion: 1,
  minVersion: '7.1',
  maxVersion: '7.2',
  releasedVersion: '7.1',
};

export function devopsRoute(ctx: EmulatorContext): Route {
  return (req) => {
    const d = ctx.dir.devops;
    const s = req.segments;
    if (s[0]?.toLowerCase() !== d.orgName.toLowerCase()) return undefined;
    const lower = s.map((x) => x.toLowerCase());
    if (req.method === 'OPTIONS' && lower[1] === '_apis' && s.length === 3) {
      const value = lower[2] === OIDC_TOKEN_LOCATION.area ? [OIDC_TOKEN_LOCATION] : [];
      return json(200, { count: value.length, value });
    }
    // /{org}/{project}/_apis/distributedtask/hubs/{hub}/plans/{plan}/jobs/{job}/oidctoken
    if (s.length === 11 && lower[2] === '_apis' && lower[3] === 'distributedtask' && lower[4] === 'hubs' && lower[6] === 'plans' && lower[8] === 'jobs' && lower[10] === 'oidctoken') {
      if (req.method !== 'POST') return adoError(405, 'The requested resource does not support http method ' + req.method + '.', 'VssResourceNotFoundException');
      return createOidcToken(ctx, req);
    }
    return adoError(404, `API resource location not found for ${req.path}.`, 'VssResourceNotFoundException');
  };
}

function createOidcToken(ctx: EmulatorContext, req: EmuRequest): Reply {
  const d = ctx.dir.devops;
  if (!authorized(req, d.systemAccessToken)) {
    const reply = adoError(401, 'TF400813: The user is not authorized to access this resource.', 'UnauthorizedRequestException');
    reply.headers = { ...reply.headers, 'www-authenticate': 'Bearer authorization_uri=https://login.microsoftonline.com/common' };
    return reply;
  }
  const connectionId = req.query.get('serviceConnectionId');
  if (!connectionId) return adoError(400, 'The serviceConnectionId query parameter is required.', 'ArgumentNullException');
  if (connectionId.toLowerCase() !== d.serviceConnectionId) {
    return adoError(
      404,
      `Service connection '${connectionId}' could not be found, or it is not configured for workload identity federation.`,
      'ServiceEndpointNotFoundException',
    );
  }
  const now = ctx.clock.nowSec();
  const oidcToken = ctx.devopsKey.sign({
    jti: randomUUID(),
    sub: d.federationSubject,
    aud: 'api://AzureADTokenExchange',
    iss: d.oidcIssuer,
    nbf: now,
    iat: now,
    exp: now + ctx.settings.oidcTokenLifetimeSec,
  });
  ctx.stats.oidcTokens++;
  return json(200, { oidcToken }, { 'x-vss-e2eid': randomUUID() });
}

/** Bearer <token>, or Basic base64(<any user>:<token>) as azure-devops-node-api sends PAT-shaped tokens. */
function authorized(req: EmuRequest, token: string): boolean {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return false;
  let presented: string | undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(h);
  const basic = /^Basic\s+(\S+)$/i.exec(h);
  if (bearer) presented = bearer[1];
  else if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    presented = decoded.slice(decoded.indexOf(':') + 1);
  }
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
