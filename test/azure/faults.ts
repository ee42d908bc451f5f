/**
 * Fault injection: tests (in-process or over HTTP) register specs matched against each request's method and
 * path; the first matching spec that still has uses left shapes the reply.
 */
import { randomUUID } from 'node:crypto';
import { armActionOf } from './armPaths';
import { armError, entraError, adoError, type EmuRequest, type Reply, isPlainObject } from './http';

export const FAULT_KINDS = ['status', 'slow', 'badJson', 'truncated', 'endlessNextLink', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  /** `path` is a case-insensitive substring of the request path, or a regular expression source (either may match). */
  match: { method?: string; path: string };
  kind: FaultKind;
  /** For kind 'status': the HTTP status to answer with (default 500). */
  status?: number;
  /** Adds `Retry-After: <n>` to a 'status' reply. */
  retryAfterSec?: number;
  /** For kind 'slow': how long to wait before answering normally (default 2000 ms). */
  delayMs?: number;
  /** How many matching requests the fault applies to; every one when omitted. */
  times?: number;
}

export interface ActiveFault {
  id: string;
  spec: FaultSpec;
  /** Requests the fault has been applied to so far. */
  hits: number;
}

export interface FaultController {
  add(spec: FaultSpec): string;
  remove(id: string): boolean;
  clear(): void;
  list(): ActiveFault[];
}

/** Which service a path belongs to decides the shape of an injected error body. */
export type Service = 'arm' | 'entra' | 'devops' | 'other';

/** Throws an Error naming the problem when `x` is not a usable FaultSpec. */
export function parseFaultSpec(x: unknown): FaultSpec {
  if (!isPlainObject(x)) throw new Error('a fault spec must be a JSON object');
  const match = x.match;
  if (!isPlainObject(match) || typeof match.path !== 'string' || !match.path) throw new Error('fault spec needs match.path (a non-empty string)');
  if (match.method !== undefined && typeof match.method !== 'string') throw new Error('match.method must be a string');
  if (!FAULT_KINDS.includes(x.kind as FaultKind)) throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  for (const k of ['status', 'retryAfterSec', 'delayMs', 'times'] as const) {
    const v = x[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) throw new Error(`${k} must be a non-negative integer`);
  }
  if (x.status !== undefined && ((x.status as number) < 100 || (x.status as number) > 599)) throw new Error('status must be an HTTP status code');
  return x as unknown as FaultSpec;
}

interface Entry extends ActiveFault {
  remaining: number;
  regex?: RegExp;
}

export class Faults implements FaultController {
  private entries: Entry[] = [];

  add(spec: FaultSpec): string {
    const checked = parseFaultSpec(spec);
    let regex: RegExp | undefined;
    try {
      regex = new RegExp(checked.match.path, 'i');
    } catch {
      regex = undefined; // not a valid pattern: substring matching only
    }
    const id = randomUUID();
    this.entries.push({ id, spec: checked, hits: 0, remaining: checked.times ?? Infinity, regex });
    return id;
  }

  remove(id: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.id !== id);
    return this.entries.length !== before;
  }

  clear(): void {
    this.entries = [];
  }

  list(): ActiveFault[] {
    return this.entries.map(({ id, spec, hits }) => ({ id, spec, hits }));
  }

  /** The first fault matching the request, with one use consumed. Used-up faults stay listed (with their hits) until cleared. */
  take(method: string, path: string): FaultSpec | undefined {
    const lower = path.toLowerCase();
    const entry = this.entries.find(
      (e) =>
        e.remaining > 0 &&
        (!e.spec.match.method || e.spec.match.method.toUpperCase() === method.toUpperCase()) &&
        (lower.includes(e.spec.match.path.toLowerCase()) || (e.regex?.test(path) ?? false)),
    );
    if (!entry) return undefined;
    entry.hits++;
    entry.remaining--;
    return entry.spec;
  }
}

const ARM_CODES: Record<number, [string, string]> = {
  400: ['BadRequest', 'The request is invalid.'],
  401: ['InvalidAuthenticationToken', 'The access token is invalid.'],
  404: ['ResourceNotFound', 'The requested resource was not found.'],
  409: ['Conflict', 'The request conflicts with the current state of the resource.'],
  429: ['TooManyRequests', 'The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00.'],
  500: ['InternalServerError', 'Encountered internal server error. Diagnostic information: timestamp, MSRequestId, correlationId.'],
  502: ['BadGateway', 'The gateway did not receive a response from the resource provider in time.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable. Please try again later.'],
  504: ['GatewayTimeout', 'The gateway did not receive a response from the resource provider within the specified time period.'],
};

/** The reply for a 'status' fault, in the error shape of the service the path belongs to. */
export function statusFaultReply(spec: FaultSpec, req: EmuRequest, service: Service, callerObjectId: string | undefined): Reply {
  const status = spec.status ?? 500;
  let reply: Reply;
  if (service === 'entra') {
    const error = status === 401 ? 'invalid_client' : status >= 500 || status === 429 ? 'temporarily_unavailable' : 'invalid_request';
    reply = entraError(status, error, status === 429 ? 90055 : 50000, `Injected fault: the token service answered ${status}.`);
  } else if (service === 'devops') {
    reply = adoError(status, `Injected fault: Azure DevOps answered ${status}.`, status === 401 ? 'UnauthorizedRequestException' : 'VssServiceException');
  } else if (status === 403) {
    const who = callerObjectId ?? '00000000-0000-0000-0000-000000000000';
    reply = armError(
      403,
      'AuthorizationFailed',
      `The client '${who}' with object id '${who}' does not have authorization to perform action '${armActionOf(req.method, req.path)}' ` +
        `over scope '${req.path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  } else {
    const [code, message] = ARM_CODES[status] ?? ['InjectedFault', `Injected fault: status ${status}.`];
    reply = armError(status, code, message);
  }
  reply.headers = { ...reply.headers };
  if (spec.retryAfterSec !== undefined) reply.headers['retry-after'] = String(spec.retryAfterSec);
  return reply;
}
