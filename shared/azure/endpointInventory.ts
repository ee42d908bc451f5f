/**
 * Reads what EndpointHardeningCheck judges about one workspace: its online and batch endpoints (all, or the one
 * named) with every deployment, the computes they run on plus the workspace's Kubernetes computes, the AzureML
 * extensions of those clusters, the workspace's container registry, the role assignments that reach the
 * endpoints, and the anonymous environment versions (inline images) the deployments run. Raw REST at API.mlLatest: the rules read fields the 2022-10-01 SDK lacks (mirrorTraffic,
 * dataCollector). Never calls listKeys, getToken or any other action.
 *
 * ARM requests, with P(n) = max(1, ceil(n / pageSize)) pages for a list of n items:
 *   1 workspace + P(online endpoints) + P(batch endpoints)       (endpointName set: 2 GETs instead of the two lists)
 *   + Σ over endpoints P(deployments of that endpoint)           (one list per endpoint, never one GET per deployment)
 *   + P(computes) + Σ over kept Kubernetes clusters P(extensions)
 *   + 1 container registry (when the workspace links one)
 *   + P(role assignments at, above and below the workspace) + 1 per distinct role definition kept
 *   + 1 per distinct anonymous environment version the deployments reference (CliV2AnonymousEnvironment: where an
 *     inline image lives); named environments are judged by their reference alone and cost nothing
 * With the default page size (50) and fewer than 50 deployments per endpoint, deployments cost one request per endpoint.
 */
import type { ArmResource, WorkspaceInventory } from '../rules/types';
import { API } from './apiVersions';
import type { ArmReader } from './armReader';
import { Limiter, mapLimit } from './concurrency';
import { CollectionError } from './errors';
import { workspaceId, type WorkspaceRef } from './inventory';

export interface EndpointCollectOptions {
  /** Only this endpoint (online or batch) and its deployments. */
  endpointName?: string;
  /** Lists and reads in flight at once (deployment lists, extensions, environment versions). Default 64. */
  concurrency?: number;
  /**
   * Called with each page of online endpoints as it arrives (the named endpoint: once), so that work needing only
   * the endpoints (probes, metrics) starts while the next page and the deployments are read. When a later page
   * fails, earlier pages have been handed out already; the collection then rejects.
   */
  onOnlineEndpoints?: (page: ArmResource[]) => void;
}

/**
 * 64: with 200 endpoints, 220 deployment lists take 4 round trips instead of 7 at 32. ARM's read throttling is a
 * token bucket per principal and subscription, so a larger burst does not spend more of it than a longer one.
 */
export const DEFAULT_ENDPOINT_CONCURRENCY = 64;

export interface Endpoints {
  online: ArmResource[];
  batch: ArmResource[];
}

export async function collectEndpointInventory(reader: ArmReader, ref: WorkspaceRef, opts: EndpointCollectOptions = {}): Promise<WorkspaceInventory> {
  const wsId = workspaceId(ref);
  const ws = `workspace ${ref.workspace}`;
  const limit = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_ENDPOINT_CONCURRENCY));

  // Deployment lists start page by page, as the endpoints come in, rather than after the last page.
  const limiter = new Limiter(limit);
  const deploymentLists: Record<'online' | 'batch', Array<Promise<ArmResource[]>>> = { online: [], batch: [] };
  const readDeployments = (kind: 'online' | 'batch', page: ArmResource[]) => {
    for (const e of page) {
      const p = limiter.run(() => reader.list(`${e.id}/deployments`, API.mlLatest, `deployments of ${kind} endpoint ${nameOf(e)}`));
      // Observed through deploymentsP below; a list still running when the endpoint reads fail must not go unhandled.
      p.catch(() => undefined);
      deploymentLists[kind].push(p);
    }
  };
  const onPage = (kind: 'online' | 'batch') => (page: ArmResource[]) => {
    if (!page.length) return;
    if (kind === 'online') opts.onOnlineEndpoints?.(page);
    readDeployments(kind, page);
  };

  const workspaceP = reader.get(wsId, API.mlLatest, ws) as Promise<ArmResource>;
  const endpointsP = opts.endpointName === undefined
    ? listEndpoints(reader, wsId, ws, onPage)
    : namedEndpoint(reader, wsId, ws, opts.endpointName).then((found) => {
        onPage('online')(found.online);
        onPage('batch')(found.batch);
        return found;
      });
  const computesP = reader.list(`${wsId}/computes`, API.mlLatest, `computes of ${ws}`);
  // No atScope() filter: ARM then also returns assignments below the workspace, which is where endpoint-scoped ones live.
  const assignmentsP = reader.list(`${wsId}/providers/Microsoft.Authorization/roleAssignments`, API.authorization, `role assignments of ${ws} and its endpoints`);

  const registryP = workspaceP.then((w) => {
    const id = w.properties?.containerRegistry;
    return typeof id === 'string' && id ? (reader.get(id, API.containerRegistry, `container registry linked to ${ws}`) as Promise<ArmResource>) : undefined;
  });

  // Lists come back in endpoint order whatever order they finish in.
  const deploymentsP = endpointsP.then(async () => ({
    online: (await Promise.all(deploymentLists.online)).flat(),
    batch: (await Promise.all(deploymentLists.batch)).flat(),
  }));

  const keptComputesP = Promise.all([computesP, endpointsP, deploymentsP]).then(([computes, endpoints, deployments]) =>
    keepComputes(computes, [...endpoints.online, ...endpoints.batch, ...deployments.online, ...deployments.batch], opts.endpointName === undefined));

  // TLS and load balancer of Kubernetes inference live in the cluster's AzureML extension (another provider). A
  // whole-workspace audit keeps every Kubernetes compute, so their extensions need not wait for the deployments.
  const clustersP = opts.endpointName === undefined ? computesP.then((c) => keepComputes(c, [], true)) : keptComputesP;
  const extensionsP = clustersP.then(async (computes) => {
    const clusters = uniqueCaseInsensitive(
      computes
        .filter((c) => String(c.properties?.computeType ?? '').toLowerCase() === 'kubernetes')
        .map((c) => c.properties?.resourceId)
        .filter((x): x is string => typeof x === 'string' && x.length > 0),
    );
    const lists = await mapLimit(clusters, limit, (id) =>
      reader.list(`${id}/providers/Microsoft.KubernetesConfiguration/extensions`, API.kubernetesConfiguration, `extensions of cluster ${id.split('/').pop()}`));
    return lists.flat();
  });

  const keptAssignmentsP = Promise.all([assignmentsP, endpointsP]).then(([assignments, { online, batch }]) =>
    keepAssignments(assignments, wsId, [...online, ...batch].map((e) => e.id)));

  // Role definitions are read for the assignments that can be kept (scope at or above the workspace, or under an
  // endpoint path) as soon as the assignments are listed, not after the last page of endpoints; a kept assignment
  // missed that way (none, unless the filters drift apart) is read after.
  const definitionReads = new Map<string, Promise<ArmResource>>();
  const readDefinition = (id: string) => {
    const key = id.toLowerCase();
    let p = definitionReads.get(key);
    if (!p) {
      p = reader.get(id, API.authorization, `role definition ${id.split('/').pop()}`) as Promise<ArmResource>;
      p.catch(() => undefined);
      definitionReads.set(key, p);
    }
    return p;
  };
  const roleIds = (assignments: ArmResource[]) =>
    uniqueCaseInsensitive(assignments.map((a) => a.properties?.roleDefinitionId).filter((x): x is string => typeof x === 'string' && x.length > 0));
  assignmentsP.then((assignments) => roleIds(mayApplyToEndpoints(assignments, wsId)).forEach(readDefinition), () => undefined);
  const definitionsP = keptAssignmentsP.then((assignments) => Promise.all(roleIds(assignments).map(readDefinition)));

  // An inline image is visible only on its anonymous environment version. One GET per distinct version; a version
  // gone since (404) leaves nothing to judge beyond the reference itself.
  const environmentsP = deploymentsP.then(({ online, batch }) => {
    const ids = anonymousEnvironmentIds([...online, ...batch]);
    return mapLimit(ids, limit, (id) => reader.get(id, API.mlLatest, `environment ${id.split('/').slice(-3).join('/')}`, true)).then((vs) =>
      vs.filter((v): v is ArmResource => v !== undefined));
  });

  // allSettled so that no rejection goes unobserved; the first failure in this order wins (the workspace first:
  // a missing workspace also makes the endpoint reads 404, and its own message is the useful one).
  const settled = await Promise.allSettled([workspaceP, endpointsP, computesP, assignmentsP, registryP, deploymentsP, keptComputesP, extensionsP, keptAssignmentsP, definitionsP, environmentsP]);
  const failed = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
  const value = <T>(i: number) => (settled[i] as PromiseFulfilledResult<T>).value;
  const endpoints = value<Endpoints>(1);
  const deployments = value<Endpoints>(5);
  return {
    workspace: value<ArmResource>(0),
    computes: value<ArmResource[]>(6),
    // Not read for endpoints: SecurityGate judges these.
    datastores: [],
    connections: [],
    privateEndpointConnections: [],
    diagnosticSettings: [],
    containerRegistry: value<ArmResource | undefined>(4),
    roleAssignments: value<ArmResource[]>(8),
    roleDefinitions: value<ArmResource[]>(9),
    kubernetesExtensions: value<ArmResource[]>(7),
    onlineEndpoints: endpoints.online,
    onlineDeployments: deployments.online,
    batchEndpoints: endpoints.batch,
    batchDeployments: deployments.batch,
    environmentVersions: value<ArmResource[]>(10),
  };
}

async function listEndpoints(reader: ArmReader, wsId: string, ws: string, onPage: (kind: 'online' | 'batch') => (page: ArmResource[]) => void): Promise<Endpoints> {
  const [online, batch] = await Promise.all([
    reader.list(`${wsId}/onlineEndpoints`, API.mlLatest, `online endpoints of ${ws}`, '', onPage('online')),
    reader.list(`${wsId}/batchEndpoints`, API.mlLatest, `batch endpoints of ${ws}`, '', onPage('batch')),
  ]);
  return { online, batch };
}

/** The named endpoint, looked up as online and as batch endpoint at once (names are unique across both). */
async function namedEndpoint(reader: ArmReader, wsId: string, ws: string, name: string): Promise<Endpoints> {
  // An empty name would read the endpoint list as if it were one endpoint.
  if (!name.trim()) throw new CollectionError(`the endpoint of ${ws}`, wsId, 'the endpoint name is empty');
  const segment = encodeURIComponent(name);
  const [online, batch] = await Promise.all([
    reader.get(`${wsId}/onlineEndpoints/${segment}`, API.mlLatest, `online endpoint ${name} of ${ws}`, true),
    reader.get(`${wsId}/batchEndpoints/${segment}`, API.mlLatest, `batch endpoint ${name} of ${ws}`, true),
  ]);
  if (!online && !batch) {
    throw new CollectionError(
      `endpoint ${name} of ${ws}`,
      `${wsId}/onlineEndpoints/${segment}`,
      `it exists neither as an online endpoint nor as a batch endpoint; check the endpoint name and the workspace`,
      404,
      'ResourceNotFound',
    );
  }
  return { online: online ? [online] : [], batch: batch ? [batch] : [] };
}

/** The name the Azure ML CLI and SDK v2 give the environment an inline `environment: image:` becomes. */
export const ANONYMOUS_ENVIRONMENT_NAME = 'CliV2AnonymousEnvironment';

const ANONYMOUS_VERSION_ID = new RegExp(`^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.MachineLearningServices/workspaces/[^/]+/environments/${ANONYMOUS_ENVIRONMENT_NAME}/versions/[^/]+$`, 'i');

/**
 * Pure: the ARM ids of the anonymous environment versions `deployments` reference (`properties.environmentId`),
 * each once (ids compare case-insensitively; the first spelling is kept). Other references — named environments,
 * registry URIs, short forms — are left out: the reference alone judges them, or they are no ARM id to read.
 */
export function anonymousEnvironmentIds(deployments: ArmResource[]): string[] {
  return uniqueCaseInsensitive(
    deployments.map((d) => d.properties?.environmentId).filter((x): x is string => typeof x === 'string' && ANONYMOUS_VERSION_ID.test(x.trim())).map((x) => x.trim()),
  );
}

/**
 * Pure: the computes an endpoint inventory keeps — those an endpoint or deployment names in `properties.compute`
 * (an ARM id, or a bare or `azureml:` name), plus, for a whole-workspace audit, every Kubernetes compute (their
 * inference router serves any endpoint put on them later).
 */
export function keepComputes(computes: ArmResource[], users: ArmResource[], allKubernetes: boolean): ArmResource[] {
  const refs = new Set<string>();
  for (const r of users) {
    const c = r.properties?.compute;
    if (typeof c === 'string' && c) refs.add(c.replace(/^azureml:/i, '').toLowerCase());
  }
  return computes.filter((c) => {
    if (allKubernetes && String(c.properties?.computeType ?? '').toLowerCase() === 'kubernetes') return true;
    return refs.has(c.id.toLowerCase()) || refs.has(nameOf(c).toLowerCase());
  });
}

/**
 * Pure: the role assignments that apply to the endpoints — scoped at the workspace or above it (inherited), or at
 * one of the endpoints or below it. Assignments elsewhere below the workspace (a compute, a datastore) are dropped.
 */
export function keepAssignments(assignments: ArmResource[], wsId: string, endpointIds: string[]): ArmResource[] {
  const ws = trimSlash(wsId.toLowerCase());
  const endpoints = endpointIds.map((id) => trimSlash(id.toLowerCase()));
  return assignments.filter((a) => {
    const scope = trimSlash(String(a.properties?.scope ?? '').toLowerCase());
    return isAtOrAbove(scope, ws) || endpoints.some((e) => scope === e || scope.startsWith(`${e}/`));
  });
}

/**
 * Pure: the assignments keepAssignments can keep, judged before the endpoints are known — at or above the
 * workspace, or under any online or batch endpoint of it.
 */
export function mayApplyToEndpoints(assignments: ArmResource[], wsId: string): ArmResource[] {
  const ws = trimSlash(wsId.toLowerCase());
  return assignments.filter((a) => {
    const scope = trimSlash(String(a.properties?.scope ?? '').toLowerCase());
    return isAtOrAbove(scope, ws) || scope.startsWith(`${ws}/onlineendpoints/`) || scope.startsWith(`${ws}/batchendpoints/`);
  });
}

function isAtOrAbove(scope: string, ws: string): boolean {
  // Management groups sit above every subscription, but their ids are not prefixes of it.
  return scope === '' || ws === scope || ws.startsWith(`${scope}/`) || scope.startsWith('/providers/microsoft.management/managementgroups/');
}

function nameOf(r: ArmResource): string {
  return r.name ?? r.id.split('/').pop() ?? r.id;
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

function uniqueCaseInsensitive(xs: string[]): string[] {
  const seen = new Map<string, string>();
  for (const x of xs) if (!seen.has(x.toLowerCase())) seen.set(x.toLowerCase(), x);
  return [...seen.values()];
}
