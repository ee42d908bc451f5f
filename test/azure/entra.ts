/**
 * Entra ID as MSAL Node calls it for confidential clients: OpenID discovery, JWKS, instance discovery and
 * the client-credentials token endpoint (v2, and v1 with `resource=`). Client authentication by secret,
 * by certificate assertion (RS256/PS256 signed with the registered certificate's key) or by federated
 * assertion (an Azure DevOps OIDC token from devops.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import { issueAccessToken } from './accessTokens';
import type { EmulatorContext } from './context';
import { entraError, formBody, json, type EmuRequest, type Reply, type Route } from './http';
import { decodeJwt, verifySignature, type DecodedJwt } from './tokens';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access']);

export function entraRoute(ctx: EmulatorContext): Route {
  return (req) => {
    const s = req.segments;
    const lower = s.map((x) => x.toLowerCase());
    if (req.method === 'GET' && lower[1] === 'discovery' && lower[2] === 'instance' && s.length === 3) return instanceDiscovery(req);
    if (s.length < 2) return undefined;
    const tenant = s[0];
    const rest = lower.slice(1).join('/');
    const known = ['v2.0/.well-known/openid-configuration', '.well-known/openid-configuration', 'discovery/v2.0/keys', 'discovery/keys', 'oauth2/v2.0/token', 'oauth2/token'];
    if (!known.includes(rest)) return undefined;
    if (tenant.toLowerCase() !== ctx.dir.tenantId) {
      return entraError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    if (rest.endsWith('openid-configuration') && req.method === 'GET') return openIdConfiguration(ctx, req);
    if (rest.endsWith('keys') && req.method === 'GET') return json(200, { keys: [ctx.entraKey.jwk()] });
    if (rest === 'oauth2/v2.0/token' && req.method === 'POST') return tokenEndpoint(ctx, req, 'v2');
    if (rest === 'oauth2/token' && req.method === 'POST') return tokenEndpoint(ctx, req, 'v1');
    return entraError(405, 'invalid_request', 900561, `The endpoint only accepts ${rest.includes('token') ? 'POST' : 'GET'} requests.`);
  };
}

function instanceDiscovery(req: EmuRequest): Reply {
  const host = new URL(req.origin).host;
  const authorize = req.query.get('authorization_endpoint') ?? `${req.origin}/common/oauth2/v2.0/authorize`;
  const tenant = new URL(authorize, req.origin).pathname.split('/').filter(Boolean)[0] ?? 'common';
  return json(200, {
    tenant_discovery_endpoint: `${req.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

function openIdConfiguration(ctx: EmulatorContext, req: EmuRequest): Reply {
  const base = `${req.origin}/${ctx.dir.tenantId}`;
  return json(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${req.origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid'],
    tenant_region_scope: 'EU',
    cloud_instance_name: 'localhost',
    cloud_graph_host_name: 'localhost',
    msgraph_host: 'localhost',
  });
}

function tokenEndpoint(ctx: EmulatorContext, req: EmuRequest, version: 'v1' | 'v2'): Reply {
  const form = formBody(req);
  const sp = ctx.dir.servicePrincipal;
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') {
    return entraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
  }
  const clientId = form.get('client_id') ?? '';
  if (clientId.toLowerCase() !== sp.clientId) {
    return entraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${ctx.dir.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const resource = version === 'v1' ? form.get('resource') : resourceOfScope(form.get('scope'));
  if (typeof resource !== 'string') return resource ?? entraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'resource'.");

  const auth = authenticateClient(ctx, req, form);
  if (auth) return auth;

  const t = issueAccessToken(ctx, { audience: resource, appId: sp.clientId, objectId: sp.objectId, appidacr: form.has('client_secret') ? '1' : '2' });
  ctx.stats.entraTokens++;
  const body: Record<string, unknown> = { token_type: 'Bearer', expires_in: t.expiresIn, ext_expires_in: t.expiresIn, access_token: t.accessToken };
  if (version === 'v1') Object.assign(body, { expires_on: String(t.expiresOn), not_before: String(t.expiresOn - t.expiresIn), resource });
  return json(200, body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
}

/** The single resource of a client-credentials `scope` (which must be `<resource>/.default`), or an error reply. */
function resourceOfScope(scope: string | null): string | Reply {
  if (!scope) return entraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  const scopes = scope.split(/\s+/).filter((x) => x && !OIDC_SCOPES.has(x));
  if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
    return entraError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  return scopes[0].slice(0, -'/.default'.length);
}

/** undefined when the client proved who it is, else the error reply. */
function authenticateClient(ctx: EmulatorContext, req: EmuRequest, form: URLSearchParams): Reply | undefined {
  const sp = ctx.dir.servicePrincipal;
  const secret = form.get('client_secret');
  if (secret !== null) {
    if (!safeEqual(secret, sp.clientSecret)) {
      return entraError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${sp.clientId}'.`,
      );
    }
    return undefined;
  }
  const assertion = form.get('client_assertion');
  if (assertion === null || form.get('client_assertion_type') !== JWT_BEARER) {
    return entraError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  const jwt = decodeJwt(assertion);
  if (!jwt) return entraError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
  return jwt.payload.iss === sp.clientId ? checkCertificateAssertion(ctx, req, jwt) : checkFederatedAssertion(ctx, assertion, jwt);
}

/** A client assertion the app signed itself with its registered certificate (iss = sub = client id). */
function checkCertificateAssertion(ctx: EmulatorContext, req: EmuRequest, jwt: DecodedJwt): Reply | undefined {
  const sp = ctx.dir.servicePrincipal;
  const cert = sp.certificate;
  const thumb = jwt.header['x5t#S256'] ?? jwt.header.x5t;
  if (thumb !== cert.x5tS256 && thumb !== cert.x5t) {
    return entraError(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${String(thumb)}']`,
    );
  }
  if (!verifySignature(jwt, cert.x509.publicKey)) {
    return entraError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
  }
  const c = jwt.payload;
  if (c.sub !== sp.clientId) {
    return entraError(401, 'invalid_client', 700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
  }
  const base = `${req.origin}/${ctx.dir.tenantId}`.toLowerCase();
  const audiences = [`${base}/oauth2/v2.0/token`, `${base}/oauth2/token`, `${base}/v2.0`, base];
  const aud = typeof c.aud === 'string' ? c.aud.toLowerCase().replace(/\/+$/, '') : '';
  if (!audiences.includes(aud)) {
    return entraError(401, 'invalid_client', 50013, `Assertion audience claim does not match the required value. The provided audience was '${String(c.aud)}'.`);
  }
  return checkTimes(ctx, c);
}

/** A federated credential: an Azure DevOps OIDC token for the expected subject and audience. */
function checkFederatedAssertion(ctx: EmulatorContext, token: string, jwt: DecodedJwt): Reply | undefined {
  const d = ctx.dir.devops;
  const c = jwt.payload;
  const hint = 'Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.';
  if (c.iss !== d.oidcIssuer) {
    return entraError(400, 'invalid_request', 700211, `No matching federated identity record found for presented assertion issuer '${String(c.iss)}'. ${hint}`);
  }
  if (!ctx.devopsKey.verify(token)) {
    return entraError(401, 'invalid_client', 50013, 'Assertion failed signature validation. [Reason - The key was not found.]');
  }
  if (c.aud !== 'api://AzureADTokenExchange') {
    return entraError(400, 'invalid_request', 700212, `No matching federated identity record found for presented assertion audience '${String(c.aud)}'. ${hint}`);
  }
  if (c.sub !== d.federationSubject) {
    return entraError(400, 'invalid_request', 700213, `No matching federated identity record found for presented assertion subject '${String(c.sub)}'. ${hint}`);
  }
  return checkTimes(ctx, c);
}

function checkTimes(ctx: EmulatorContext, c: Record<string, unknown>): Reply | undefined {
  const now = ctx.clock.nowSec();
  const exp = Number(c.exp);
  const nbf = c.nbf === undefined ? now : Number(c.nbf);
  if (!Number.isFinite(exp) || exp <= now || !Number.isFinite(nbf) || nbf > now + 300) {
    const iso = (s: number) => (Number.isFinite(s) ? new Date(s * 1000).toISOString() : 'unknown');
    return entraError(
      400,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${iso(now)}, assertion valid from ${iso(nbf)}, expiry time of assertion ${iso(exp)}.`,
    );
  }
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
