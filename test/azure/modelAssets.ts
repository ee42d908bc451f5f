/**
 * What Azure ML model assets do beyond the generic ARM store (arm.ts), for workspaces and registries:
 *
 * - version lists take `listViewType`, `version`, `tags`, `properties`, `$orderBy`, `$top`;
 * - PUT of a version creates its model container when missing, keeps `latestVersion`/`nextVersion` of the
 *   container current, refuses to change the `modelUri` of an existing version (assets are immutable), and in a
 *   registry checks that a `modelUri` naming another model version or an emulator blob folder resolves
 *   ("promote by reference" is recorded as given); registry PUTs answer as long-running operations that are
 *   already done (`Azure-AsyncOperation` pointing at a Succeeded status);
 * - POST `registries/{r}/models/{n}/versions/{v}/startPendingUpload` hands out a writable blob folder (SAS);
 * - POST `workspaces/{w}/models/{n}/versions/{v}/publish` (api-version 2023-10-01+) copies a workspace version
 *   and its files into a registry, answering 202 with a Location that reports completion.
 *
 * Data assets (`…/data/{n}/versions/{v}`) get the same container, list and immutability handling; their version
 * needs `dataUri` and a `dataType` (uri_file, uri_folder, mltable) instead of `modelUri`.
 *
 * Everything else on these paths (GET one, PATCH, DELETE) is the generic store's. Each request is first checked
 * by asking arm.ts for the owning workspace or registry with the caller's token and api-version, so auth,
 * api-version and registry-version errors are ARM's own.
 */
import { randomUUID } from 'node:crypto';
import type { ArmResource } from '../../shared/rules/types';
import { notFound, pageReply } from './armCommon';
import { joinPath, parseArmPath, splitPath, type ArmPath } from './armPaths';
import { apiDate, armView } from './armView';
import type { EmulatorContext } from './context';
import { armError, bearerToken, isPlainObject, json, jsonBody, type EmuRequest, type Reply, type Route } from './http';
import type { BlobClient, BlobLocation } from './modelBlobs';
import { applyAssetQuery, containerVersions, parseDatastorePath, parseModelReference } from './modelUris';

const ML = 'microsoft.machinelearningservices';
const REGISTRIES = `${ML}/registries`;
const WORKSPACES = `${ML}/workspaces`;
const PUBLISH_SINCE = '2023-10-01';
/** What a data version's `dataType` may be (DataType in the REST spec). */
const DATA_TYPES = ['uri_file', 'uri_folder', 'mltable'];

type Kind =
  | 'containers'
  | 'container'
  | 'versions'
  | 'version'
  | 'publish'
  | 'startPendingUpload'
  | 'operation';

interface Match {
  kind: Kind;
  p: ArmPath;
  inRegistry: boolean;
  /** Model or data asset: data versions carry `dataUri` and `dataType` instead of `modelUri`. */
  asset: 'models' | 'data';
  /** The workspace or registry the asset lives in (or the subscription, for operation results). */
  ownerPath: string;
}

/** Which model-asset request this is, or undefined when the path is not one. */
export function matchModelPath(path: string): Match | undefined {
  const p = parseArmPath(path);
  if (p.namespace.toLowerCase() !== ML) return undefined;
  const t = p.types.map((x) => x.toLowerCase());
  const segs = p.segments;
  const providers = segs.map((s) => s.toLowerCase()).lastIndexOf('providers');
  const ownerPath = joinPath(segs.slice(0, providers + 4));
  if (t[0] === 'locations' && (t[1] === 'mfeoperationsstatus' || t[1] === 'mfeoperationresults') && p.kind === 'resource') {
    return { kind: 'operation', p, inRegistry: false, asset: 'models', ownerPath: joinPath(segs.slice(0, 2)) };
  }
  if ((t[0] !== 'workspaces' && t[0] !== 'registries') || (t[1] !== 'models' && t[1] !== 'data')) return undefined;
  const inRegistry = t[0] === 'registries';
  const asset = t[1] === 'data' ? 'data' : 'models';
  const key = `${t.slice(2).join('/')}|${p.kind}`;
  const kind = (
    {
      '|collection': 'containers',
      '|resource': 'container',
      'versions|collection': 'versions',
      'versions|resource': 'version',
      'versions/publish|collection': inRegistry || asset === 'data' ? undefined : 'publish',
      'versions/startpendingupload|collection': inRegistry && asset === 'models' ? 'startPendingUpload' : undefined,
    } as Record<string, Kind | undefined>
  )[key];
  return kind ? { kind, p, inRegistry, asset, ownerPath } : undefined;
}

interface Operation {
  id: string;
  location: string;
  startTime: string;
}

export function modelAssetsRoute(ctx: EmulatorContext, blobs: BlobClient | undefined, arm: Route): Route {
  const operations = new Map<string, Operation>();
  const pendingUploads = new Map<string, BlobLocation>();

  return async (req) => {
    if (req.segments[0]?.toLowerCase() !== 'subscriptions') return undefined;
    const m = matchModelPath(req.path);
    if (!m) return undefined;
    // GET of one container or version, and PATCH, are the generic store's.
    if ((m.kind === 'container' || m.kind === 'version') && req.method !== 'PUT' && req.method !== 'DELETE') return undefined;
    const denied = await preflight(ctx, arm, req, m.ownerPath);
    if (denied) return denied;
    const apiVersion = req.query.get('api-version') as string;
    const reply = await dispatch();
    return withArmHeaders(req, reply);

    async function dispatch(): Promise<Reply> {
      switch (m!.kind) {
        case 'containers':
        case 'versions':
          return req.method === 'GET' ? list(ctx, req, m!.p, apiVersion) : methodNotAllowed(req);
        case 'container':
          return req.method === 'PUT' ? putContainer(m!) : deleteAndSync(m!);
        case 'version':
          return req.method === 'PUT' ? await putVersion(m!) : deleteAndSync(m!);
        case 'publish':
          return req.method === 'POST' ? await publish(m!) : methodNotAllowed(req);
        case 'startPendingUpload':
          return req.method === 'POST' ? await startPendingUpload(m!) : methodNotAllowed(req);
        case 'operation':
          return req.method === 'GET' ? operationReply(m!) : methodNotAllowed(req);
      }
    }

    async function putContainer(match: Match): Promise<Reply> {
      const r = await arm(req);
      if (!r || r.status >= 300) return r ?? armError(500, 'EmulatorError', 'no reply');
      syncContainer(ctx, match.p.segments);
      const body = armView(ctx.store.get(req.path) as ArmResource, apiVersion);
      return json(r.status, body, match.inRegistry ? asyncHeaders(match) : {});
    }

    async function deleteAndSync(match: Match): Promise<Reply> {
      const r = (await arm(req)) ?? armError(500, 'EmulatorError', 'no reply');
      if (match.kind === 'version' && r.status < 300) syncContainer(ctx, splitPath(match.p.ownerPath));
      return r;
    }

    async function putVersion(match: Match): Promise<Reply> {
      const read = readBody(req);
      if ('error' in read) return read.error;
      const props = isPlainObject(read.body.properties) ? read.body.properties : undefined;
      const data = match.asset === 'data';
      const uriKey = data ? 'dataUri' : 'modelUri';
      const modelUri = props?.[uriKey];
      if (!props || typeof modelUri !== 'string' || !modelUri) return userError(400, `The ${data ? 'data' : 'model'} version needs 'properties.${uriKey}'.`);
      if (data && !DATA_TYPES.includes(String(props.dataType))) return userError(400, `The data version needs 'properties.dataType', one of ${DATA_TYPES.join(', ')}.`);
      const existing = ctx.store.get(req.path);
      if (existing && existing.properties?.[uriKey] !== modelUri) {
        return userError(409, `${data ? 'Data' : 'Model'} version ${match.p.segments.slice(-3, -2)[0]}:${match.p.name} already exists with another ${uriKey}; asset versions are immutable.`);
      }
      if (match.inRegistry && !existing && !data) {
        const problem = await checkRegistrySource(ctx, blobs, modelUri);
        if (problem) return userError(400, problem);
      }
      ensureContainer(ctx, match.p.ownerPath, caller(ctx, req));
      const now = new Date(ctx.clock.nowSec() * 1000).toISOString();
      const who = caller(ctx, req);
      const resource: ArmResource = {
        id: existing?.id ?? joinPath(match.p.segments),
        name: existing?.name ?? match.p.name,
        type: existing?.type ?? match.p.resourceType,
        properties: { description: null, tags: {}, properties: {}, isAnonymous: false, isArchived: false, ...props, provisioningState: 'Succeeded' },
        systemData: existing?.systemData ? { ...existing.systemData, lastModifiedAt: now, lastModifiedBy: who, lastModifiedByType: 'Application' } : systemData(who, now),
      };
      const created = ctx.store.put(resource);
      syncContainer(ctx, splitPath(match.p.ownerPath));
      return json(created ? 201 : 200, armView(resource, apiVersion), match.inRegistry ? asyncHeaders(match) : {});
    }

    async function startPendingUpload(match: Match): Promise<Reply> {
      const read = req.body.length ? readBody(req) : { body: {} as ArmResource };
      if ('error' in read) return read.error;
      const type = read.body.pendingUploadType ?? 'TemporaryBlobReference';
      if (type !== 'TemporaryBlobReference' && type !== 'None') return userError(400, `pendingUploadType '${String(type)}' is not one of None, TemporaryBlobReference.`);
      const id = typeof read.body.pendingUploadId === 'string' && read.body.pendingUploadId ? read.body.pendingUploadId : randomUUID();
      if (!blobs) return armError(501, 'NotImplemented', 'This local Azure runs without blob storage: start it with Azurite (test/azure/azurite.ts) for pending uploads.');
      const registry = ctx.store.get(match.ownerPath) as ArmResource;
      const storage = registryStorage(registry);
      const loc = pendingUploads.get(id) ?? { account: storage.account, container: randomUUID(), path: '' };
      pendingUploads.set(id, loc);
      await blobs.ensureContainer(loc.account, loc.container);
      const blobUri = blobs.url(loc);
      const sas = blobs.grant(loc.account, loc.container, 'rcwl', ctx.clock.nowSec() + 3600);
      return json(200, {
        blobReferenceForConsumption: { blobUri, storageAccountArmId: storage.armId, credential: { credentialType: 'SAS', sasUri: `${blobUri}?${sas}` } },
        pendingUploadId: id,
        pendingUploadType: 'TemporaryBlobReference',
      });
    }

    async function publish(match: Match): Promise<Reply> {
      if (apiDate(apiVersion) < PUBLISH_SINCE) {
        return armError(400, 'NoRegisteredProviderFound', `No registered resource provider found for location 'westeurope' and API version '${apiVersion}' for type 'workspaces/models/versions/publish'.`);
      }
      const sourcePath = match.p.ownerPath;
      const source = ctx.store.get(sourcePath);
      if (!source) return notFound(ctx.store, sourcePath);
      const read = readBody(req);
      if ('error' in read) return read.error;
      const b = read.body as Record<string, unknown>;
      if (typeof b.registryName !== 'string' || !b.registryName) return userError(400, "The publish request needs 'registryName'.");
      const registry = findRegistry(ctx, String(match.p.subscriptionId), b.registryName);
      if (!registry) return armError(404, 'ResourceNotFound', `The registry '${b.registryName}' was not found in subscription '${match.p.subscriptionId}'.`);
      const name = typeof b.destinationName === 'string' && b.destinationName ? b.destinationName : String(source.id.split('/').slice(-3)[0]);
      const version = typeof b.destinationVersion === 'string' && b.destinationVersion ? b.destinationVersion : String(source.name);
      const destId = `${registry.id}/models/${name}/versions/${version}`;
      if (ctx.store.has(destId)) return userError(409, `Model version ${name}:${version} already exists in registry ${registry.name}.`);
      const from = modelFilesLocation(ctx, blobs, source);
      let modelUri = String(source.properties?.modelUri ?? '');
      if (from && blobs) {
        const to: BlobLocation = { account: registryStorage(registry).account, container: randomUUID(), path: '' };
        if ((await blobs.copyFolder(from, to)) > 0) modelUri = `${blobs.url(to)}/`;
      }
      const who = caller(ctx, req);
      const now = new Date(ctx.clock.nowSec() * 1000).toISOString();
      const keep = ['description', 'tags', 'properties', 'flavors', 'modelType', 'jobName', 'stage'];
      const props = Object.fromEntries(keep.filter((k) => source.properties?.[k] !== undefined).map((k) => [k, structuredClone(source.properties?.[k])]));
      ensureContainer(ctx, `${registry.id}/models/${name}`, who);
      ctx.store.put({
        id: destId,
        properties: { isAnonymous: false, isArchived: false, ...props, modelUri, provisioningState: 'Succeeded' },
        systemData: systemData(who, now),
      });
      syncContainer(ctx, splitPath(`${registry.id}/models/${name}`));
      const op = newOperation(String(registry.location ?? 'westeurope'));
      return { status: 202, headers: { location: operationUrl(req, match, op, 'mfeOperationResults') } };
    }

    function operationReply(match: Match): Reply {
      const op = operations.get(String(match.p.name).toLowerCase());
      if (!op) return armError(404, 'ResourceNotFound', `The operation '${match.p.name}' was not found.`);
      if (match.p.types[1].toLowerCase() === 'mfeoperationresults') return { status: 200 };
      const endTime = new Date(ctx.clock.nowSec() * 1000).toISOString();
      return json(200, { id: joinPath(match.p.segments), name: op.id, status: 'Succeeded', startTime: op.startTime, endTime, percentComplete: 100 });
    }

    function newOperation(location: string): Operation {
      const op = { id: randomUUID(), location, startTime: new Date(ctx.clock.nowSec() * 1000).toISOString() };
      operations.set(op.id, op);
      return op;
    }

    function asyncHeaders(match: Match): Record<string, string> {
      const registry = ctx.store.get(match.ownerPath);
      const op = newOperation(String(registry?.location ?? 'westeurope'));
      return { 'azure-asyncoperation': operationUrl(req, match, op, 'mfeOperationsStatus'), 'x-ms-async-operation-timeout': 'PT1H' };
    }
  };
}

/** Asks arm.ts for the owner with the caller's credentials; its error, if any, is this request's error. */
async function preflight(ctx: EmulatorContext, arm: Route, req: EmuRequest, ownerPath: string): Promise<Reply | undefined> {
  const url = new URL(`${ownerPath}${req.url.search}`, req.origin);
  const probe = await arm({ ...req, method: 'GET', url, path: ownerPath, segments: splitPath(ownerPath), query: url.searchParams, body: Buffer.alloc(0) });
  if (!probe || probe.status === 200) return undefined;
  return probe.status === 404 ? withArmHeaders(req, notFound(ctx.store, req.path)) : probe;
}

function list(ctx: EmulatorContext, req: EmuRequest, p: ArmPath, apiVersion: string): Reply {
  if (p.ownerPath && !ctx.store.has(p.ownerPath)) return notFound(ctx.store, p.ownerPath);
  const q = req.query;
  const items = applyAssetQuery(ctx.store.children(req.path), {
    listViewType: q.get('listViewType'),
    version: q.get('version'),
    tags: q.get('tags'),
    properties: q.get('properties'),
    orderBy: q.get('$orderBy') ?? q.get('$orderby'),
    top: q.get('$top'),
  });
  if ('error' in items) return userError(400, items.error);
  return pageReply(req, items.map((r) => armView(r, apiVersion)), ctx.settings.pageSize);
}

/** Creates the model container of a version when it does not exist yet, as the service does. */
function ensureContainer(ctx: EmulatorContext, containerPath: string, who: string): void {
  if (ctx.store.has(containerPath)) return;
  const now = new Date(ctx.clock.nowSec() * 1000).toISOString();
  ctx.store.put({ id: joinPath(splitPath(containerPath)), properties: { description: null, tags: {}, properties: {}, isArchived: false, provisioningState: 'Succeeded' }, systemData: systemData(who, now) });
}

/** Recomputes latestVersion/nextVersion of the container at `segments` from its stored versions. */
function syncContainer(ctx: EmulatorContext, segments: string[]): void {
  const container = ctx.store.get(joinPath(segments));
  if (!container) return;
  container.properties = { ...container.properties, ...containerVersions(ctx.store.children(`${container.id}/versions`)) };
}

/** Why a registry version's modelUri cannot be used, or undefined. Only emulator-known targets are checked. */
async function checkRegistrySource(ctx: EmulatorContext, blobs: BlobClient | undefined, modelUri: string): Promise<string | undefined> {
  const ref = parseModelReference(modelUri);
  if (ref) return resolveReference(ctx, ref) ? undefined : `The model version '${modelUri}' referenced by modelUri does not exist.`;
  const blob = blobs?.parse(modelUri);
  if (blob && /[?&]sig=/.test(modelUri)) return 'modelUri must name the uploaded folder (blobUri), not the SAS URI.';
  if (blob && (await blobs!.list(blob.account, blob.container, blob.path)).length === 0) return `No files were uploaded to '${modelUri}'.`;
  return undefined;
}

function resolveReference(ctx: EmulatorContext, ref: NonNullable<ReturnType<typeof parseModelReference>>): ArmResource | undefined {
  if (ref.kind === 'workspace') {
    return ctx.store.get(`/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ref.workspace}/models/${ref.name}/versions/${ref.version}`);
  }
  if (ref.kind === 'workspaceGuid') {
    const ws = ctx.store.ofType(WORKSPACES).find((w) => String(w.properties?.workspaceId ?? '').toLowerCase() === ref.workspaceGuid.toLowerCase());
    return ws ? ctx.store.get(`${ws.id}/models/${ref.name}/versions/${ref.version}`) : undefined;
  }
  const registry = ctx.store.ofType(REGISTRIES).find((r) => String(r.name).toLowerCase() === ref.registry.toLowerCase());
  return registry ? ctx.store.get(`${registry.id}/models/${ref.name}/versions/${ref.version}`) : undefined;
}

/** Where a model version's files are in the emulator's blob store, following references; undefined if nowhere. */
export function modelFilesLocation(ctx: EmulatorContext, blobs: BlobClient | undefined, version: ArmResource, depth = 0): BlobLocation | undefined {
  const uri = String(version.properties?.modelUri ?? '');
  const blob = blobs?.parse(uri);
  if (blob) return blob;
  const ref = parseModelReference(uri);
  if (ref) {
    const target = depth < 5 ? resolveReference(ctx, ref) : undefined;
    return target ? modelFilesLocation(ctx, blobs, target, depth + 1) : undefined;
  }
  const ds = parseDatastorePath(uri);
  if (!ds) return undefined;
  const wsId = ds.workspace
    ? `/subscriptions/${ds.workspace.subscriptionId}/resourceGroups/${ds.workspace.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ds.workspace.name}`
    : parseArmPath(version.id).ancestors.find((a) => parseArmPath(a).resourceType.toLowerCase() === WORKSPACES);
  const datastore = wsId ? ctx.store.get(`${wsId}/datastores/${ds.datastore}`) : undefined;
  const account = datastore?.properties?.accountName;
  const container = datastore?.properties?.containerName;
  return typeof account === 'string' && typeof container === 'string' ? { account, container, path: ds.path } : undefined;
}

function findRegistry(ctx: EmulatorContext, subscriptionId: string, name: string): ArmResource | undefined {
  return ctx.store
    .ofType(REGISTRIES)
    .find((r) => String(r.name).toLowerCase() === name.toLowerCase() && parseArmPath(r.id).subscriptionId?.toLowerCase() === subscriptionId.toLowerCase());
}

/** The registry's system-created storage account (name and ARM id), from its first region. */
function registryStorage(registry: ArmResource): { account: string; armId: string } {
  const regions = registry.properties?.regionDetails as Array<Record<string, any>> | undefined;
  const sa = regions?.[0]?.storageAccountDetails?.[0]?.systemCreatedStorageAccount as Record<string, any> | undefined;
  const account = typeof sa?.storageAccountName === 'string' ? sa.storageAccountName : `${String(registry.name).replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}store`;
  return { account, armId: String(sa?.armResourceId?.resourceId ?? '') };
}

function operationUrl(req: EmuRequest, match: Match, op: Operation, kind: 'mfeOperationsStatus' | 'mfeOperationResults'): string {
  const sub = match.p.subscriptionId ?? '';
  return `${req.origin}/subscriptions/${sub}/providers/Microsoft.MachineLearningServices/locations/${op.location}/${kind}/${op.id}?api-version=${encodeURIComponent(req.query.get('api-version') ?? '')}`;
}

/** The caller's application id, for systemData (createdByType Application). */
function caller(ctx: EmulatorContext, req: EmuRequest): string {
  const token = bearerToken(req);
  const jwt = token ? ctx.entraKey.verify(token) : undefined;
  return String(jwt?.payload.appid ?? jwt?.payload.oid ?? 'unknown');
}

function systemData(who: string, at: string): Record<string, unknown> {
  return { createdAt: at, createdBy: who, createdByType: 'Application', lastModifiedAt: at, lastModifiedBy: who, lastModifiedByType: 'Application' };
}

function readBody(req: EmuRequest): { body: ArmResource } | { error: Reply } {
  try {
    const body = jsonBody(req);
    if (isPlainObject(body)) return { body: body as ArmResource };
    return { error: armError(400, 'InvalidRequestContent', 'The request content must be a JSON object.') };
  } catch (e) {
    return { error: armError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: '${(e as Error).message}'.`) };
  }
}

/** Azure ML's validation errors come as code UserError. */
function userError(status: number, message: string): Reply {
  return armError(status, 'UserError', message);
}

function methodNotAllowed(req: EmuRequest): Reply {
  return armError(405, 'MethodNotAllowed', `The method ${req.method} is not allowed on ${req.path}.`);
}

function withArmHeaders(req: EmuRequest, reply: Reply): Reply {
  const correlation = typeof req.headers['x-ms-correlation-request-id'] === 'string' ? req.headers['x-ms-correlation-request-id'] : randomUUID();
  reply.headers = { 'x-ms-request-id': randomUUID(), 'x-ms-correlation-request-id': correlation, 'cache-control': 'no-cache', ...reply.headers };
  return reply;
}
