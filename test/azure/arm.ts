/**
 * Azure Resource Manager over the resource store: bearer-token check, api-version check, then GET (resource or
 * paged collection), PUT (create/replace), PATCH (merge properties and tags), DELETE (with everything nested).
 * Microsoft.Authorization reads are special-cased in armRbac.ts.
 */
import { randomUUID } from 'node:crypto';
import type { ArmResource } from '../../shared/rules/types';
import { checkArmToken } from './accessTokens';
import { notFound, pageReply } from './armCommon';
import { joinPath, parseArmPath, splitPath, type ArmPath } from './armPaths';
import { getRoleDefinitions, isRbacType, listRoleAssignments, prepareRoleAssignment } from './armRbac';
import { armView, typeKnownAt } from './armView';
import type { EmulatorContext } from './context';
import { armError, bearerToken, isPlainObject, json, jsonBody, type EmuRequest, type Reply, type Route } from './http';

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i;
const ML_WORKSPACES = 'microsoft.machinelearningservices/workspaces';

/** Object id of the caller of an ARM request, when it presented a valid token (for AuthorizationFailed messages). */
export function callerObjectId(ctx: EmulatorContext, req: EmuRequest): string | undefined {
  const check = checkArmToken(ctx, bearerToken(req), req.headers.authorization, req.origin);
  return check.ok ? String(check.claims.oid) : undefined;
}

export function isArmPath(segments: string[]): boolean {
  const first = segments[0]?.toLowerCase();
  return first === 'subscriptions' || first === 'providers';
}

export function armRoute(ctx: EmulatorContext): Route {
  return (req) => {
    if (!isArmPath(req.segments)) return undefined;
    return withArmHeaders(req, handle(ctx, req));
  };
}

function handle(ctx: EmulatorContext, req: EmuRequest): Reply {
  const check = checkArmToken(ctx, bearerToken(req), req.headers.authorization, req.origin);
  if (!check.ok) {
    const challenge = `Bearer authorization_uri="${req.origin}/${ctx.dir.tenantId}", error="invalid_token", error_description="${check.message.replace(/"/g, "'")}"`;
    return armError(401, check.code, check.message, { 'www-authenticate': challenge });
  }
  const apiVersion = req.query.get('api-version');
  if (!apiVersion) return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  if (!API_VERSION.test(apiVersion)) {
    return armError(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are dates such as '2025-09-01'.`);
  }
  const p = parseArmPath(req.path);
  if (p.kind !== 'provider' && p.kind !== 'root' && !typeKnownAt(p.resourceType, apiVersion)) {
    return armError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location 'westeurope' and API version '${apiVersion}' for type '${p.types.join('/')}'.`,
    );
  }
  switch (req.method) {
    case 'GET':
      return get(ctx, req, p, apiVersion);
    case 'PUT':
      return put(ctx, req, p, apiVersion);
    case 'PATCH':
      return patch(ctx, req, p, apiVersion);
    case 'DELETE':
      return remove(ctx, p);
    case 'POST':
      return armError(400, 'NotSupported', 'The local Azure emulator does not implement POST actions (listKeys, listSecrets, …).');
    default:
      return armError(405, 'MethodNotAllowed', `The method ${req.method} is not allowed.`);
  }
}

function withArmHeaders(req: EmuRequest, reply: Reply): Reply {
  const correlation = typeof req.headers['x-ms-correlation-request-id'] === 'string' ? req.headers['x-ms-correlation-request-id'] : randomUUID();
  reply.headers = {
    'x-ms-request-id': randomUUID(),
    'x-ms-correlation-request-id': correlation,
    'x-ms-ratelimit-remaining-subscription-reads': '11999',
    'cache-control': 'no-cache',
    ...reply.headers,
  };
  return reply;
}

/** The response shape of a stored resource; a workspace carries its private endpoint connections inline, as ARM's does. */
function view(ctx: EmulatorContext, r: ArmResource, apiVersion: string): ArmResource {
  const v = armView(r, apiVersion);
  if (String(r.type).toLowerCase() === ML_WORKSPACES && isPlainObject(v.properties)) {
    const pecs = ctx.store.children(`${r.id}/privateEndpointConnections`).map((c) => armView(c, apiVersion));
    v.properties.privateEndpointConnections = pecs;
    v.properties.privateLinkCount = pecs.length;
  }
  return v;
}

function get(ctx: EmulatorContext, req: EmuRequest, p: ArmPath, apiVersion: string): Reply {
  if (isRbacType(p, 'roleAssignments') && p.kind === 'collection') return listRoleAssignments(ctx, req, p, apiVersion);
  if (isRbacType(p, 'roleDefinitions')) return getRoleDefinitions(ctx, req, p, apiVersion);
  if (p.kind === 'provider') return providerInfo(p);
  if (p.kind === 'resource') {
    const r = ctx.store.get(req.path);
    return r ? json(200, view(ctx, r, apiVersion)) : notFound(ctx.store, req.path);
  }
  if (p.kind !== 'collection') return armError(404, 'NotFound', `No route for ${req.path}.`);
  if (p.ownerPath && !ctx.store.has(p.ownerPath)) return notFound(ctx.store, p.ownerPath);
  const items = collectionItems(ctx, req, p).map((r) => view(ctx, r, apiVersion));
  return pageReply(req, items, ctx.settings.pageSize);
}

function collectionItems(ctx: EmulatorContext, req: EmuRequest, p: ArmPath): ArmResource[] {
  const lastType = p.types[p.types.length - 1]?.toLowerCase();
  const ownerDepth = splitPath(p.ownerPath).length;
  // Generic resource lists: /subscriptions/{s}/resources and /subscriptions/{s}/resourceGroups/{rg}/resources.
  if (p.namespace === 'Microsoft.Resources' && lastType === 'resources') {
    const prefix = `${p.ownerPath}/`.toLowerCase();
    const wanted = /resourceType\s+eq\s+'([^']+)'/i.exec(req.query.get('$filter') ?? '')?.[1]?.toLowerCase();
    return ctx.store
      .all()
      .filter((r) => r.id.toLowerCase().startsWith(prefix) && parseArmPath(r.id).ancestors.length === 2 && !String(r.type).startsWith('Microsoft.Resources/'))
      .filter((r) => !wanted || String(r.type).toLowerCase() === wanted);
  }
  // A top-level type listed for a whole subscription: every resource group's items.
  if (ownerDepth === 2 && p.types.length === 1 && p.namespace !== 'Microsoft.Resources') {
    const prefix = `${p.ownerPath}/resourcegroups/`.toLowerCase();
    const type = p.resourceType.toLowerCase();
    return ctx.store.all().filter((r) => String(r.type).toLowerCase() === type && r.id.toLowerCase().startsWith(prefix));
  }
  let items = ctx.store.children(req.path);
  // Workspace connections accept ?category= and ?target= filters.
  for (const key of ['category', 'target']) {
    const wanted = req.query.get(key);
    if (wanted) items = items.filter((r) => String(r.properties?.[key] ?? '').toLowerCase() === wanted.toLowerCase());
  }
  return items;
}

function providerInfo(p: ArmPath): Reply {
  const namespaces = ['Microsoft.MachineLearningServices', 'Microsoft.Storage', 'Microsoft.KeyVault', 'Microsoft.ContainerRegistry', 'Microsoft.Insights', 'Microsoft.Authorization'];
  const entry = (ns: string) => ({ id: `/subscriptions/${p.subscriptionId ?? ''}/providers/${ns}`, namespace: ns, registrationState: 'Registered', registrationPolicy: 'RegistrationRequired', resourceTypes: [] });
  const last = p.segments[p.segments.length - 1];
  if (last.toLowerCase() === 'providers') return json(200, { value: namespaces.map(entry) });
  return json(200, entry(namespaces.find((n) => n.toLowerCase() === last.toLowerCase()) ?? last));
}

function readBody(req: EmuRequest): { body: ArmResource } | { error: Reply } {
  let body: unknown;
  try {
    body = jsonBody(req);
  } catch (e) {
    return { error: armError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: '${(e as Error).message}'.`) };
  }
  if (!isPlainObject(body)) return { error: armError(400, 'InvalidRequestContent', 'The request content must be a JSON object.') };
  return { body: body as ArmResource };
}

function put(ctx: EmulatorContext, req: EmuRequest, p: ArmPath, apiVersion: string): Reply {
  if (p.kind !== 'resource' || p.resourceType === 'Microsoft.Resources/subscriptions') {
    return armError(405, 'MethodNotAllowed', `PUT is not allowed on ${req.path}.`);
  }
  for (const ancestor of p.ancestors) if (!ctx.store.has(ancestor)) return notFound(ctx.store, req.path);
  const read = readBody(req);
  if ('error' in read) return read.error;
  const body = read.body;
  const existing = ctx.store.get(req.path);
  const id = existing?.id ?? joinPath(splitPath(req.path));
  const resource: ArmResource = { ...body, id, name: existing?.name ?? p.name, type: existing?.type ?? p.resourceType };
  if (isRbacType(p, 'roleAssignments')) {
    const err = prepareRoleAssignment(ctx, req.path, resource);
    if (err) return err;
  } else if (isRbacType(p, 'roleDefinitions')) {
    resource.properties = { type: 'CustomRole', ...resource.properties };
  } else if (isPlainObject(resource.properties) && !/^microsoft\.(authorization|insights\/diagnosticsettings)/i.test(String(resource.type))) {
    resource.properties.provisioningState = 'Succeeded';
  }
  const created = ctx.store.put(resource);
  return json(created ? 201 : 200, view(ctx, ctx.store.get(id) as ArmResource, apiVersion));
}

function patch(ctx: EmulatorContext, req: EmuRequest, p: ArmPath, apiVersion: string): Reply {
  const existing = p.kind === 'resource' ? ctx.store.get(req.path) : undefined;
  if (!existing) return notFound(ctx.store, req.path);
  const read = readBody(req);
  if ('error' in read) return read.error;
  const body = read.body;
  if (isPlainObject(body.properties)) existing.properties = mergeDeep(existing.properties ?? {}, body.properties);
  if (isPlainObject(body.tags)) existing.tags = mergeDeep(existing.tags ?? {}, body.tags) as Record<string, string>;
  for (const key of ['identity', 'sku', 'kind', 'location'] as const) {
    if (body[key] !== undefined) (existing as Record<string, unknown>)[key] = body[key];
  }
  return json(200, view(ctx, existing, apiVersion));
}

function remove(ctx: EmulatorContext, p: ArmPath): Reply {
  if (p.kind !== 'resource') return armError(405, 'MethodNotAllowed', 'DELETE needs a resource id.');
  return ctx.store.delete(joinPath(p.segments)) ? { status: 200 } : { status: 204 };
}

/** Objects merge key by key, `null` deletes, anything else (arrays included) replaces. */
function mergeDeep(target: Record<string, unknown>, patchValue: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(patchValue)) {
    if (v === null) delete target[k];
    else if (isPlainObject(v) && isPlainObject(target[k])) mergeDeep(target[k] as Record<string, unknown>, v);
    else target[k] = structuredClone(v);
  }
  return target;
}
