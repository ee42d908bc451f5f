/**
 * Pure helpers for model assets: the `azureml://` URI forms a model version's `modelUri` can take, and the
 * filters and ordering of the asset list APIs (`listViewType`, `version`, `tags`, `properties`, `$orderBy`, `$top`).
 */
import type { ArmResource } from '../../shared/rules/types';

/** A `modelUri` that names another model version (promote by reference). */
export type ModelReference =
  | { kind: 'workspace'; subscriptionId: string; resourceGroup: string; workspace: string; name: string; version: string }
  | { kind: 'workspaceGuid'; location: string; workspaceGuid: string; name: string; version: string }
  | { kind: 'registry'; registry: string; name: string; version: string };

/** A `modelUri` that names files in a workspace datastore. */
export interface DatastorePath {
  /** Absent for the short form `azureml://datastores/<ds>/paths/<p>` (relative to the model's own workspace). */
  workspace?: { subscriptionId: string; resourceGroup: string; name: string };
  datastore: string;
  path: string;
}

const SEG = '([^/]+)';
const VERSION_TAIL = `/models/${SEG}/versions/${SEG}/?$`;
const WS_PREFIX = `^azureml://subscriptions/${SEG}/resourcegroups/${SEG}/(?:providers/microsoft\\.machinelearningservices/)?workspaces/${SEG}`;
const WORKSPACE_REF = new RegExp(`${WS_PREFIX}${VERSION_TAIL}`, 'i');
const WORKSPACE_ARM_REF = new RegExp(`^/subscriptions/${SEG}/resourcegroups/${SEG}/providers/microsoft\\.machinelearningservices/workspaces/${SEG}${VERSION_TAIL}`, 'i');
const GUID_REF = new RegExp(`^azureml://locations/${SEG}/workspaces/${SEG}${VERSION_TAIL}`, 'i');
const REGISTRY_REF = new RegExp(`^azureml://registries/${SEG}${VERSION_TAIL}`, 'i');
const DATASTORE_LONG = new RegExp(`${WS_PREFIX}/datastores/${SEG}/paths/(.*)$`, 'i');
const DATASTORE_SHORT = new RegExp(`^azureml://datastores/${SEG}/paths/(.*)$`, 'i');

export function parseModelReference(uri: string): ModelReference | undefined {
  let m = WORKSPACE_REF.exec(uri) ?? WORKSPACE_ARM_REF.exec(uri);
  if (m) return { kind: 'workspace', subscriptionId: m[1], resourceGroup: m[2], workspace: m[3], name: m[4], version: m[5] };
  m = GUID_REF.exec(uri);
  if (m) return { kind: 'workspaceGuid', location: m[1], workspaceGuid: m[2], name: m[3], version: m[4] };
  m = REGISTRY_REF.exec(uri);
  if (m) return { kind: 'registry', registry: m[1], name: m[2], version: m[3] };
  return undefined;
}

export function parseDatastorePath(uri: string): DatastorePath | undefined {
  let m = DATASTORE_LONG.exec(uri);
  if (m) return { workspace: { subscriptionId: m[1], resourceGroup: m[2], name: m[3] }, datastore: m[4], path: m[5] };
  m = DATASTORE_SHORT.exec(uri);
  if (m) return { datastore: m[1], path: m[2] };
  return undefined;
}

/** Comparison of version strings: numeric when both are integers, else ordinal. */
export function compareVersions(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `latestVersion` (most recently created) and `nextVersion` (largest integer version + 1) of a model container. */
export function containerVersions(versions: ArmResource[]): { latestVersion: string | null; nextVersion: string | null } {
  if (!versions.length) return { latestVersion: null, nextVersion: '1' };
  const latest = [...versions].sort((a, b) => createdAt(a).localeCompare(createdAt(b)) || compareVersions(String(a.name), String(b.name))).pop();
  const ints = versions.map((v) => String(v.name)).filter((n) => /^\d+$/.test(n)).map(Number);
  return { latestVersion: String(latest?.name), nextVersion: ints.length ? String(Math.max(...ints) + 1) : null };
}

function createdAt(r: ArmResource): string {
  return String((r.systemData as Record<string, unknown> | undefined)?.createdAt ?? '');
}

export interface AssetListQuery {
  listViewType: string | null;
  version: string | null;
  tags: string | null;
  properties: string | null;
  orderBy: string | null;
  top: string | null;
}

/**
 * Applies an asset list query to versions (or containers). `listViewType` defaults to ActiveOnly (archived
 * ones hidden); `$orderBy` takes `createdtime` or `version` with `asc`/`desc` (default `createdtime desc`).
 * Returns an error message for a query the service would refuse.
 */
export function applyAssetQuery(items: ArmResource[], q: AssetListQuery): ArmResource[] | { error: string } {
  const view = (q.listViewType ?? 'ActiveOnly').toLowerCase();
  if (!['activeonly', 'archivedonly', 'all'].includes(view)) return { error: `listViewType '${q.listViewType}' is not one of ActiveOnly, ArchivedOnly, All.` };
  let out = items.filter((r) => {
    const archived = r.properties?.isArchived === true;
    return view === 'all' || (view === 'archivedonly' ? archived : !archived);
  });
  if (q.version) out = out.filter((r) => String(r.name) === q.version);
  if (q.tags) out = out.filter((r) => matchesPairs(r.properties?.tags, q.tags as string));
  if (q.properties) out = out.filter((r) => matchesPairs(r.properties?.properties, q.properties as string));
  const order = /^\s*(createdtime|version)\s*(asc|desc)?\s*$/i.exec(q.orderBy ?? 'createdtime desc');
  if (!order) return { error: `$orderBy '${q.orderBy}' is not supported (createdtime or version, asc or desc).` };
  const byVersion = order[1].toLowerCase() === 'version';
  const sign = (order[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
  out = [...out].sort((a, b) => sign * (byVersion ? compareVersions(String(a.name), String(b.name)) : createdAt(a).localeCompare(createdAt(b)) || compareVersions(String(a.name), String(b.name))));
  if (q.top !== null) {
    const top = Number(q.top);
    if (!Number.isInteger(top) || top < 0) return { error: `$top '${q.top}' must be a non-negative integer.` };
    out = out.slice(0, top);
  }
  return out;
}

/** `a,b=c`: key `a` present and key `b` equal to `c`. */
function matchesPairs(map: unknown, filter: string): boolean {
  const m = (typeof map === 'object' && map !== null ? map : {}) as Record<string, unknown>;
  return filter
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .every((pair) => {
      const i = pair.indexOf('=');
      if (i < 0) return Object.prototype.hasOwnProperty.call(m, pair);
      return String(m[pair.slice(0, i)]) === pair.slice(i + 1) && Object.prototype.hasOwnProperty.call(m, pair.slice(0, i));
    });
}
