/**
 * The emulator playing the scoring hosts of online and batch endpoints: `/_scoring/<resourceGroup>/<endpoint>/…`
 * (what the scenarios put in `scoringUri`/`swaggerUri`). How an endpoint answers follows its stored resource:
 *
 * - protected (token auth — AADToken or AMLToken — and public network access not Enabled): 401 with
 *   `WWW-Authenticate: Bearer` unless the request carries a valid Entra token for https://ml.azure.com; over plain
 *   HTTP the connection is closed without an answer (plainHttp.ts asks `servesPlainHttp`).
 * - exposed (key auth, or public network access Enabled): answers anonymous requests, over plain HTTP too, with
 *   version-revealing `Server` and `X-Powered-By` headers, and a Python traceback in the 500 body of a GET.
 *
 * Batch endpoints only take Entra tokens and have no public access switch, so they are always protected.
 */
import { randomUUID } from 'node:crypto';
import type { ArmResource } from '../../shared/rules/types';
import { stsIssuer } from './accessTokens';
import { parseArmPath } from './armPaths';
import type { EmulatorContext } from './context';
import { bearerToken, json, type EmuRequest, type Reply, type Route } from './http';
import { BATCH_ENDPOINTS, ONLINE_ENDPOINTS } from './scenarios/endpointParts';

export const SCORING_PREFIX = '_scoring';
/** Audience of data-plane tokens for Azure Machine Learning endpoints. */
export const ML_AUDIENCE = 'https://ml.azure.com';

export type ScoringPosture = 'protected' | 'exposed';

/** Pure: how the emulator serves an endpoint, from its authMode and publicNetworkAccess. */
export function scoringPosture(endpoint: ArmResource): ScoringPosture {
  const auth = String(endpoint.properties?.authMode ?? '').toLowerCase();
  const publicAccess = String(endpoint.properties?.publicNetworkAccess ?? '').toLowerCase();
  const tokenAuth = auth === 'aadtoken' || auth === 'amltoken';
  return tokenAuth && publicAccess !== 'enabled' ? 'protected' : 'exposed';
}

/** The stored online or batch endpoint a `/_scoring/<rg>/<endpoint>` path names (names are case-insensitive). */
export function findScoredEndpoint(ctx: EmulatorContext, segments: string[]): ArmResource | undefined {
  if (segments[0] !== SCORING_PREFIX || segments.length < 3) return undefined;
  const rg = segments[1].toLowerCase();
  const name = segments[2].toLowerCase();
  for (const type of [ONLINE_ENDPOINTS, BATCH_ENDPOINTS]) {
    const hit = ctx.store.ofType(type).find((e) => String(e.name).toLowerCase() === name && parseArmPath(e.id).resourceGroup?.toLowerCase() === rg);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Which plain-HTTP requests the emulator answers at all: the control API, and the scoring paths of exposed
 * endpoints. Everything else over plain HTTP gets its connection closed, as a TLS-only host would.
 */
export function servesPlainHttp(ctx: EmulatorContext): (path: string) => boolean {
  return (path) => {
    const segments = path.split('?')[0].split('/').filter(Boolean).map(safeDecode);
    if (segments[0] === '_emulator') return true;
    const endpoint = findScoredEndpoint(ctx, segments);
    return endpoint !== undefined && scoringPosture(endpoint) === 'exposed';
  };
}

export function scoringRoute(ctx: EmulatorContext): Route {
  return (req) => {
    if (req.segments[0] !== SCORING_PREFIX) return undefined;
    const endpoint = findScoredEndpoint(ctx, req.segments);
    if (!endpoint) return json(404, { error: { code: 'EndpointNotFound', message: `No endpoint answers at ${req.path}.` } });
    const rest = req.segments.slice(3).join('/').toLowerCase();
    return scoringPosture(endpoint) === 'protected' ? protectedReply(ctx, req, endpoint, rest) : exposedReply(req, endpoint, rest);
  };
}

function protectedReply(ctx: EmulatorContext, req: EmuRequest, endpoint: ArmResource, rest: string): Reply {
  const problem = tokenProblem(ctx, req);
  if (problem) {
    return json(401, { message: problem }, { 'www-authenticate': `Bearer error="invalid_token", error_description="${problem}"`, 'x-request-id': randomUUID() });
  }
  return answer(req, endpoint, rest, {});
}

/** Why the request's token would not do for a data-plane call, or undefined when it would. */
function tokenProblem(ctx: EmulatorContext, req: EmuRequest): string | undefined {
  const token = bearerToken(req);
  if (!token) return 'An authorization header with a bearer token is required.';
  const jwt = ctx.entraKey.verify(token);
  if (!jwt) return 'The token is not valid.';
  const c = jwt.payload;
  if (c.iss !== stsIssuer(ctx.dir.tenantId)) return 'The token was issued by another tenant.';
  if (typeof c.aud !== 'string' || c.aud.replace(/\/+$/, '').toLowerCase() !== ML_AUDIENCE) return `The token audience must be ${ML_AUDIENCE}.`;
  if (typeof c.exp !== 'number' || c.exp <= ctx.clock.nowSec()) return 'The token has expired.';
  return undefined;
}

const LEAKY_HEADERS = { server: 'uvicorn/0.22.0', 'x-powered-by': 'azureml-inference-server-http/1.0.0 (Python/3.9.18)' };

function exposedReply(req: EmuRequest, endpoint: ArmResource, rest: string): Reply {
  if (req.method === 'GET' && rest !== 'swagger.json') {
    return { status: 500, text: traceback(), headers: { ...LEAKY_HEADERS, 'content-type': 'text/plain; charset=utf-8' } };
  }
  return answer(req, endpoint, rest, LEAKY_HEADERS);
}

function answer(req: EmuRequest, endpoint: ArmResource, rest: string, headers: Record<string, string>): Reply {
  const deployment = liveDeployment(endpoint);
  const common = { ...headers, 'x-request-id': randomUUID(), ...(deployment ? { 'azureml-model-deployment': deployment } : {}) };
  if (req.method === 'GET' && rest === 'swagger.json') return json(200, swagger(String(endpoint.name)), common);
  return json(200, { detail: 'ok' }, common);
}

/** The deployment with the largest live traffic share (online) or the default one (batch). */
function liveDeployment(endpoint: ArmResource): string | undefined {
  const traffic = endpoint.properties?.traffic as Record<string, number> | undefined;
  if (traffic && Object.keys(traffic).length > 0) return Object.entries(traffic).sort((a, b) => b[1] - a[1])[0][0];
  const batchDefault = endpoint.properties?.defaults?.deploymentName;
  return typeof batchDefault === 'string' ? batchDefault : undefined;
}

function swagger(name: string): Record<string, unknown> {
  return {
    swagger: '2.0',
    info: { title: name, description: `API specification for the Azure Machine Learning endpoint ${name}`, version: '1.0' },
    schemes: ['https'],
    consumes: ['application/json'],
    produces: ['application/json'],
    paths: { '/score': { post: { operationId: 'RunMLService', responses: { '200': { description: 'Success' } } } } },
  };
}

/** What a scoring script that assumes a JSON body prints when a GET arrives, debug mode on. */
function traceback(): string {
  return [
    'Traceback (most recent call last):',
    '  File "/opt/miniconda/envs/amlenv/lib/python3.9/site-packages/azureml_inference_server_http/server/routes.py", line 143, in score_realtime',
    '    response = app.user_script.invoke_run(request, timeout_ms=config.scoring_timeout)',
    '  File "/opt/miniconda/envs/amlenv/lib/python3.9/site-packages/azureml_inference_server_http/server/user_script.py", line 139, in invoke_run',
    '    run_output = self._wrapped_user_run(**run_parameters, request_headers=dict(request.headers))',
    '  File "/var/azureml-app/score.py", line 31, in run',
    '    data = json.loads(raw_data)["data"]',
    '  File "/opt/miniconda/envs/amlenv/lib/python3.9/json/__init__.py", line 339, in loads',
    "    raise TypeError(f'the JSON object must be str, bytes or bytearray, '",
    'TypeError: the JSON object must be str, bytes or bytearray, not NoneType',
    '',
  ].join('\n');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
