/**
 * Activity log events (REST EventData, api-version 2015-04-01) folded into operations, and the operations
 * sorted into the kinds the monitoring checks judge. Pure: the collector feeds it what ARM returned.
 */
import type { ActivityOperation, EventKind } from './types';

/** The parts of EventData this module reads; everything is optional because the schema is not enforced. */
export interface RawEvent {
  eventDataId?: string;
  operationId?: string;
  correlationId?: string;
  eventTimestamp?: string;
  operationName?: { value?: string; localizedValue?: string } | string;
  resourceId?: string;
  caller?: string;
  claims?: Record<string, unknown>;
  status?: { value?: string; localizedValue?: string } | string;
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

const OBJECT_ID_CLAIM = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'cancelled']);

/**
 * Request body fields worth reporting, by lower-cased key (at any depth, since role assignment bodies are
 * PascalCase and endpoint bodies camelCase), with the name the report uses. None of them holds a secret.
 */
const REQUEST_FIELDS: Record<string, string> = {
  authmode: 'authMode',
  publicnetworkaccess: 'publicNetworkAccess',
  isolationmode: 'isolationMode',
  allowpublicaccesswhenbehindvnet: 'allowPublicAccessWhenBehindVnet',
  defaultaction: 'defaultAction',
  principalid: 'principalId',
  principaltype: 'principalType',
  roledefinitionid: 'roleDefinitionId',
};

function text(x: { value?: string } | string | undefined): string {
  return typeof x === 'string' ? x : (x?.value ?? '');
}

/** Known fields of a logged request body; undefined when no body was logged or it is not JSON. */
export function requestFields(properties: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!properties) return undefined;
  const key = Object.keys(properties).find((k) => k.toLowerCase() === 'requestbody');
  const body = key === undefined ? undefined : properties[key];
  if (typeof body !== 'string' || !body.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const out: Record<string, string> = {};
  const walk = (node: unknown, depth: number): void => {
    if (depth > 5 || node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const name = REQUEST_FIELDS[k.toLowerCase()];
      if (name && (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') && out[name] === undefined) out[name] = String(v);
      else if (typeof v === 'object') walk(v, depth + 1);
    }
  };
  walk(parsed, 0);
  return out;
}

function claim(claims: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!claims) return undefined;
  const key = Object.keys(claims).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : claims[key];
  return typeof v === 'string' && v ? v : undefined;
}

/**
 * Folds the Started/Accepted/Succeeded events of each operation into one ActivityOperation, newest first.
 * The status is the last terminal one (Succeeded, Failed, Canceled) when there is one, else the last seen.
 */
export function foldOperations(events: RawEvent[]): ActivityOperation[] {
  const groups = new Map<string, RawEvent[]>();
  for (const e of events) {
    const name = text(e.operationName);
    const resourceId = e.resourceId ?? '';
    if (!name || !resourceId) continue;
    const op = e.operationId || e.eventDataId || `${e.eventTimestamp ?? ''}`;
    const key = `${op}|${name.toLowerCase()}|${resourceId.toLowerCase()}`;
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  const out: ActivityOperation[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => Date.parse(a.eventTimestamp ?? '') - Date.parse(b.eventTimestamp ?? ''));
    const terminal = list.filter((e) => TERMINAL.has(text(e.status).toLowerCase()));
    const last = terminal[terminal.length - 1] ?? list[list.length - 1];
    const withCaller = list.find((e) => e.caller) ?? last;
    const withClaims = list.find((e) => e.claims && typeof e.claims === 'object');
    let request: Record<string, string> | undefined;
    for (const e of list) {
      const fields = requestFields(e.properties);
      if (fields) request = { ...fields, ...request };
    }
    out.push({
      operationId: last.operationId || last.eventDataId || '',
      time: last.eventTimestamp ?? '',
      operationName: text(last.operationName),
      resourceId: last.resourceId ?? '',
      caller: withCaller.caller || undefined,
      appId: claim(withClaims?.claims, 'appid'),
      objectId: claim(withClaims?.claims, OBJECT_ID_CLAIM) ?? claim(withClaims?.claims, 'oid'),
      status: text(last.status) || 'Unknown',
      request,
      requestLogged: request !== undefined,
    });
  }
  return out.sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || a.operationId.localeCompare(b.operationId));
}

/** Pattern, kind, verb phrase for finding messages (followed by the resource), label for the summary table. */
const KINDS: Array<[RegExp, EventKind, string, string]> = [
  [/\/workspaces\/(online|batch)endpoints\/listkeys\/action$/, 'keys', 'listed the keys of', 'listed endpoint keys'],
  [/\/workspaces\/(online|batch)endpoints\/regeneratekeys\/action$/, 'keys', 'regenerated the keys of', 'regenerated endpoint keys'],
  [/\/workspaces\/(online|batch)endpoints\/write$/, 'endpointWrite', 'created or updated', 'created or updated endpoint'],
  [/\/workspaces\/(online|batch)endpoints\/delete$/, 'endpointDelete', 'deleted', 'deleted endpoint'],
  [/\/workspaces\/(online|batch)endpoints\/deployments\/write$/, 'deployment', 'created or replaced a deployment of', 'created or replaced deployment'],
  [/\/workspaces\/(online|batch)endpoints\/deployments\/delete$/, 'deployment', 'deleted a deployment of', 'deleted deployment'],
  [/^microsoft\.machinelearningservices\/workspaces\/write$/, 'workspaceWrite', 'created or updated', 'created or updated workspace'],
  [/^microsoft\.authorization\/roleassignments\/write$/, 'roleAssignment', 'added a role assignment at', 'added role assignment'],
  [/^microsoft\.authorization\/roleassignments\/delete$/, 'roleAssignment', 'removed a role assignment at', 'removed role assignment'],
];

/** The kind of a relevant operation, a verb phrase and a table label for it; undefined for operations the checks ignore. */
export function classify(operationName: string): { kind: EventKind; verb: string; label: string } | undefined {
  const op = operationName.toLowerCase();
  const hit = KINDS.find(([re]) => re.test(op));
  return hit ? { kind: hit[1], verb: hit[2], label: hit[3] } : undefined;
}

/** `properties` and friends that ARM logs for writes of the auth mode or network access. */
const AUTH_OR_NETWORK = ['authMode', 'publicNetworkAccess', 'isolationMode', 'allowPublicAccessWhenBehindVnet', 'defaultAction'];

/**
 * Whether a write may have changed auth mode or network access: always when ARM logged no request body (the
 * activity log has no diff), otherwise only when the body names one of those fields (a tags-only PATCH does not).
 */
export function mayChangeAuthOrNetwork(op: ActivityOperation): boolean {
  if (!op.requestLogged) return true;
  return AUTH_OR_NETWORK.some((f) => op.request?.[f] !== undefined);
}

/** The resource an operation is about, for the finding: the endpoint when under one, else the workspace. */
export function scopeOf(resourceId: string, workspaceId: string): { id: string; kind: 'onlineEndpoint' | 'batchEndpoint' | 'workspace' } {
  const scope = resourceId.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, '');
  const m = /^(.*?\/workspaces\/[^/]+\/(onlineendpoints|batchendpoints)\/[^/]+)/i.exec(scope);
  if (m) return { id: m[1], kind: m[2].toLowerCase() === 'onlineendpoints' ? 'onlineEndpoint' : 'batchEndpoint' };
  return { id: workspaceId, kind: 'workspace' };
}

/** True when `resourceId` is the workspace or anything under it (children, role assignments at those scopes). */
export function isUnderWorkspace(resourceId: string, workspaceId: string): boolean {
  const r = resourceId.toLowerCase().replace(/\/+$/, '');
  const w = workspaceId.toLowerCase().replace(/\/+$/, '');
  return r === w || r.startsWith(`${w}/`);
}
