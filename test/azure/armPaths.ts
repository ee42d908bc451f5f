/**
 * ARM path grammar: `/subscriptions/{s}/resourceGroups/{rg}/providers/{Namespace}/{type}/{name}/{childType}/{name}…`,
 * with extension resources (`{resourceId}/providers/{Namespace}/{type}/{name}`) nested on any resource.
 * A path ending in a name is a resource, one ending in a type is a collection.
 */

export interface ArmPath {
  kind: 'resource' | 'collection' | 'provider' | 'root';
  /** Segments as the client sent them (decoded). */
  segments: string[];
  /** Provider namespace of the last type, e.g. Microsoft.MachineLearningServices (Microsoft.Resources at the root). */
  namespace: string;
  /** Type segments since that namespace, e.g. ['workspaces', 'computes']. */
  types: string[];
  /** ARM resource type, e.g. Microsoft.MachineLearningServices/workspaces/computes (resourceGroups and subscriptions special-cased). */
  resourceType: string;
  /** Last segment for a resource. */
  name?: string;
  /** Path of the closest enclosing resource (the parent of a resource, the owner of a collection); '' at the top. */
  ownerPath: string;
  /** Paths of every enclosing resource, outermost first (scopes for role assignment inheritance). */
  ancestors: string[];
  subscriptionId?: string;
  resourceGroup?: string;
}

export function splitPath(path: string): string[] {
  return path.split('/').filter(Boolean);
}

export function joinPath(segments: string[]): string {
  return segments.length ? `/${segments.join('/')}` : '';
}

/** Lower-cased path without trailing slash: how the store keys ids (ARM ids are case-insensitive). */
export function armKey(path: string): string {
  return joinPath(splitPath(path)).toLowerCase();
}

export function parseArmPath(path: string): ArmPath {
  const segments = splitPath(path);
  let namespace = 'Microsoft.Resources';
  let types: string[] = [];
  let expectType = true;
  let name: string | undefined;
  const resourceEnds: number[] = [];
  let i = 0;
  while (i < segments.length) {
    if (expectType && segments[i].toLowerCase() === 'providers') {
      if (i + 1 >= segments.length) {
        return finish(segments, 'provider', namespace, [], undefined, resourceEnds);
      }
      namespace = segments[i + 1];
      types = [];
      i += 2;
      if (i === segments.length) return finish(segments, 'provider', namespace, [], undefined, resourceEnds);
      continue;
    }
    if (expectType) {
      types.push(segments[i]);
      name = undefined;
    } else {
      name = segments[i];
      resourceEnds.push(i + 1);
    }
    expectType = !expectType;
    i++;
  }
  if (segments.length === 0) return finish(segments, 'root', namespace, [], undefined, resourceEnds);
  return finish(segments, expectType ? 'resource' : 'collection', namespace, types, name, resourceEnds);
}

function finish(
  segments: string[],
  kind: ArmPath['kind'],
  namespace: string,
  types: string[],
  name: string | undefined,
  resourceEnds: number[],
): ArmPath {
  const own = kind === 'resource' ? resourceEnds.slice(0, -1) : resourceEnds;
  const ancestors = own.map((end) => joinPath(segments.slice(0, end)));
  const lower = segments.map((s) => s.toLowerCase());
  return {
    kind,
    segments,
    namespace,
    types,
    resourceType: typeName(namespace, types),
    name: kind === 'resource' ? name : undefined,
    ownerPath: ancestors[ancestors.length - 1] ?? '',
    ancestors,
    subscriptionId: lower[0] === 'subscriptions' ? segments[1] : undefined,
    resourceGroup: lower[0] === 'subscriptions' && lower[2] === 'resourcegroups' ? segments[3] : undefined,
  };
}

function typeName(namespace: string, types: string[]): string {
  if (namespace === 'Microsoft.Resources' && types[0]?.toLowerCase() === 'subscriptions') {
    const rest = types.slice(1);
    return rest.length ? `Microsoft.Resources/${rest.join('/')}` : 'Microsoft.Resources/subscriptions';
  }
  return `${namespace}/${types.join('/')}`;
}

/**
 * The RBAC action a request needs, as ARM names it in AuthorizationFailed errors:
 * GET → read, PUT/PATCH → write, DELETE → delete, POST → action.
 */
export function armActionOf(method: string, path: string): string {
  const p = parseArmPath(path);
  const verb = { GET: 'read', HEAD: 'read', PUT: 'write', PATCH: 'write', DELETE: 'delete', POST: 'action' }[method.toUpperCase()] ?? 'read';
  return `${p.namespace}/${p.types.join('/')}/${verb}`.replace(/\/\//g, '/');
}

/** True when `scope` is `path` or one of its ancestors (case-insensitive; '/' is everyone's ancestor). */
export function isAtOrAbove(scope: string, path: string): boolean {
  const s = armKey(scope);
  const p = armKey(path);
  return s === '' || s === p || p.startsWith(`${s}/`);
}
