/**
 * The request and reply shapes every emulator route shares, and the error bodies of the three services
 * (ARM, Entra ID, Azure DevOps), so a fault can be dressed as the service the path belongs to.
 *
 * Routes return a Reply instead of writing to the socket: the server applies faults (bad JSON, truncation,
 * endless nextLink) to the reply before it goes out.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface EmuRequest {
  method: string;
  url: URL;
  /** Decoded path without a trailing slash ("/" for the root). */
  path: string;
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Origin the client used, e.g. https://127.0.0.1:PORT (no trailing slash). */
  origin: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; ignored when `text` is set. */
  body?: unknown;
  text?: string;
}

export type Route = (req: EmuRequest) => Reply | undefined | Promise<Reply | undefined>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}

/** ARM's error envelope: `{ error: { code, message } }`. */
export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  return json(status, { error: { code, message } }, headers);
}

/** Entra ID's OAuth error body, with the AADSTS code in front of the description as the real service does. */
export function entraError(status: number, error: string, aadsts: number, description: string): Reply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return json(status, {
    error,
    error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  });
}

/** Azure DevOps' error body (VssServiceException shape). */
export function adoError(status: number, message: string, typeKey: string): Reply {
  return json(
    status,
    { $id: '1', innerException: null, message, typeName: `Microsoft.TeamFoundation.Framework.Server.${typeKey}, Microsoft.TeamFoundation.Framework.Server`, typeKey, errorCode: 0, eventId: 3000 },
    { 'x-vss-e2eid': randomUUID() },
  );
}

export function formBody(req: EmuRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

/** The parsed JSON body; undefined for an empty body; throws SyntaxError for invalid JSON. */
export function jsonBody(req: EmuRequest): unknown {
  const text = req.body.toString('utf8').trim();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** The bearer token of an `Authorization: Bearer x` header, or undefined. */
export function bearerToken(req: EmuRequest): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
