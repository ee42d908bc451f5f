/**
 * Reading the emulator's request log: which ARM requests were list pages and which were single GETs,
 * what the `large` scenario should cost, and where a run's wall time went. Pure functions over the log.
 */
import type { RequestRecord } from '../test/azure/control';
import { largeShares } from '../test/azure/scenarios/large';

/**
 * True when an ARM path names a collection rather than one resource. ARM ids alternate type/name after
 * each `providers/<namespace>`, so a type without a name after it is a list.
 */
export function isCollectionPath(path: string): boolean {
  const segs = path.split('/').filter(Boolean);
  let i = 0;
  while (i < segs.length) {
    if (segs[i].toLowerCase() === 'providers') {
      i += 2;
      continue;
    }
    if (i + 1 >= segs.length) return true;
    i += 2;
  }
  return false;
}

/** The resource type a request is about: the collection's type for lists, the resource's type for GETs. */
export function requestKind(path: string): string {
  const segs = path.split('/').filter(Boolean);
  if (isCollectionPath(path)) return segs[segs.length - 1] ?? '';
  return segs[segs.length - 2] ?? '';
}

export interface KindCount {
  requests: number;
  /** Milliseconds from the first arrival to the last answer of this kind (since `origin`). */
  firstMs: number;
  lastMs: number;
}

export interface ArmCount {
  total: number;
  listPages: number;
  singleGets: number;
  /** Anything but GET (a read-only audit should have none). */
  other: number;
  lists: Record<string, KindCount>;
  gets: Record<string, KindCount>;
}

function arrival(r: RequestRecord): number {
  return Date.parse(r.time);
}

/** Counts the ARM requests of one run; times are relative to `origin` (epoch ms, e.g. the spawn). */
export function countArm(log: readonly RequestRecord[], origin = 0): ArmCount {
  const out: ArmCount = { total: 0, listPages: 0, singleGets: 0, other: 0, lists: {}, gets: {} };
  const note = (into: Record<string, KindCount>, kind: string, r: RequestRecord) => {
    const start = arrival(r) - origin;
    const end = start + r.durationMs;
    const k = (into[kind] ??= { requests: 0, firstMs: start, lastMs: end });
    k.requests++;
    k.firstMs = Math.min(k.firstMs, start);
    k.lastMs = Math.max(k.lastMs, end);
  };
  for (const r of log) {
    if (r.service !== 'arm') continue;
    out.total++;
    if (r.method !== 'GET') out.other++;
    else if (isCollectionPath(r.path)) {
      out.listPages++;
      note(out.lists, requestKind(r.path), r);
    } else {
      out.singleGets++;
      note(out.gets, requestKind(r.path), r);
    }
  }
  return out;
}

export interface ExpectedRequests {
  /** Items per list the collector reads, as the scenario lays them out. */
  listItems: Record<string, number>;
  pages: number;
  /** Single GETs that do not grow with the workspace: the workspace, its 4 linked resources, distinct role definitions. */
  constant: number;
  total: number;
}

/** An empty list still costs one page. */
export function pagesFor(items: number, pageSize: number): number {
  return Math.max(1, Math.ceil(items / pageSize));
}

/**
 * What SecurityGate should ask ARM for on `large:<size>` (see test/azure/scenarios/large.ts): every list
 * paged to the end, and no per-item GET. The scenario has one diagnostic setting, no private endpoint, and
 * two distinct roles among its assignments (Reader, AzureML Data Scientist) once it has two or more.
 */
export function expectedLarge(size: number, pageSize: number): ExpectedRequests {
  const s = largeShares(size);
  const listItems: Record<string, number> = {
    computes: s.computes,
    datastores: s.datastores,
    connections: s.connections,
    roleAssignments: s.roleAssignments,
    privateEndpointConnections: 0,
    diagnosticSettings: 1,
  };
  const pages = Object.values(listItems).reduce((n, items) => n + pagesFor(items, pageSize), 0);
  const roleDefinitions = Math.min(2, s.roleAssignments);
  const constant = 1 + 4 + roleDefinitions;
  return { listItems, pages, constant, total: pages + constant };
}

export interface Timeline {
  /** Spawn to the first request the task sent (process start, module load, input parsing). */
  startupMs: number;
  /** First request to the first ARM request: OIDC token from Azure DevOps, Entra discovery and token. */
  signInMs: number;
  /** First ARM request to the last ARM answer. */
  armMs: number;
  /** Last ARM answer to process exit: rules, reports, exit. */
  tailMs: number;
  /** Requests before the first ARM request, in order, as `service method kind`. */
  signInRequests: string[];
  /** Longest chain of ARM round trips implied by armMs at the emulator's latency. */
  armRoundTrips: number;
}

/** Splits one task run's wall time using the request log (the emulator's clock is this machine's clock). */
export function timeline(log: readonly RequestRecord[], spawnAt: number, exitAt: number, latencyMs: number): Timeline {
  const sorted = [...log].sort((a, b) => arrival(a) - arrival(b));
  const arm = sorted.filter((r) => r.service === 'arm');
  const first = sorted[0];
  const firstArm = arm[0];
  const lastArmEnd = arm.length ? Math.max(...arm.map((r) => arrival(r) + r.durationMs)) : undefined;
  const startupMs = first ? arrival(first) - spawnAt : exitAt - spawnAt;
  const signInEnd = firstArm ? arrival(firstArm) : first ? Math.max(...sorted.map((r) => arrival(r) + r.durationMs)) : spawnAt + startupMs;
  const armMs = firstArm && lastArmEnd !== undefined ? lastArmEnd - arrival(firstArm) : 0;
  return {
    startupMs,
    signInMs: first ? signInEnd - arrival(first) : 0,
    armMs,
    tailMs: exitAt - (lastArmEnd ?? signInEnd),
    signInRequests: sorted.filter((r) => !firstArm || arrival(r) < arrival(firstArm)).map((r) => `${r.service} ${r.method} ${lastSegments(r.path)}`),
    armRoundTrips: latencyMs > 0 ? Math.round(armMs / latencyMs) : 0,
  };
}

function lastSegments(path: string): string {
  const segs = path.split('/').filter(Boolean);
  return segs.length <= 2 ? `/${segs.join('/')}` : `…/${segs.slice(-2).join('/')}`;
}
