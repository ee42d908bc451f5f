/**
 * The anonymous request: an empty POST (Content-Length 0, no Authorization) to the scoring URI, the method a real
 * caller uses, with no model input. Certificate problems are AML-PRB-004's business, so this request does not
 * reject them: it must see what the server does for a stranger even when the certificate is wrong. Its handshake
 * is also what AML-PRB-004 judges (certificateOf), so each endpoint costs one modern TLS handshake, not two.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { runAttempt, type Attempt } from './attempt';
import { certificateOf } from './certificate';
import { modernContext } from './contexts';
import { failureKind, isNetFailure, type AnonymousObservation, type CertificateObservation, type HttpAnswer, type NetFailure } from './observations';
import type { ParsedTarget } from './target';

/** The body is read only this far: enough for a stack trace's head, bounded for a hostile server. */
export const BODY_LIMIT = 16 * 1024;

export const PROBE_USER_AGENT = 'mlops-gates-endpoint-probe';

export interface AnonymousAttempt extends Attempt<AnonymousObservation> {
  /** The handshake's certificate (https only): what the socket showed at secureConnect, or why it never got there. */
  certificate?: Attempt<CertificateObservation>;
}

export async function observeAnonymous(t: ParsedTarget, timeoutMs: number, signal?: AbortSignal): Promise<AnonymousAttempt> {
  // Set once the status line and headers are in: a deadline hit while the body trickles in still reports them.
  let seen: (() => HttpAnswer) | undefined;
  let certificate: Attempt<CertificateObservation> | undefined;
  const t0 = performance.now();
  const onEnd = (f: NetFailure): AnonymousObservation => (seen && f.kind !== 'aborted' ? { ...seen(), bodyTruncated: true } : f);
  const anon = await runAttempt<AnonymousObservation>(
    timeoutMs,
    signal,
    (ctl) => {
      const options = {
        host: t.host,
        port: t.port,
        path: t.requestPath,
        method: 'POST',
        agent: false as const,
        headers: { host: t.hostHeader, 'content-length': '0', 'user-agent': PROBE_USER_AGENT, accept: '*/*', connection: 'close' },
      };
      const req = t.https
        // secureContext is passed through to tls.connect (https's option type omits it).
        ? httpsRequest({ ...options, servername: t.servername, secureContext: modernContext(), rejectUnauthorized: false, checkServerIdentity: () => undefined } as RequestOptions)
        : httpRequest(options);
      req.on('socket', (socket) => {
        socket.once('connect', () => { ctl.phase = t.https ? 'handshake' : 'response'; });
        socket.once('secureConnect', () => {
          ctl.phase = 'response';
          certificate = { value: certificateOf(socket as TLSSocket), durationMs: Math.round(performance.now() - t0) };
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (seen) return ctl.settle({ ...seen(), bodyTruncated: true });
        // Node reports a close before any answer as ECONNRESET "socket hang up".
        const kind = /socket hang up/i.test(err.message) ? 'closed' : failureKind(err.code);
        ctl.settle({ kind, phase: ctl.phase, code: err.code });
      });
      req.on('response', (res) => {
        seen = collect(res, (answer) => ctl.settle(answer));
      });
      req.end();
      return req;
    },
    onEnd,
  );
  if (!t.https) return anon;
  // No secureConnect: the certificate check ends the way the handshake did.
  const v = anon.value;
  certificate ??= { value: isNetFailure(v) ? v : { kind: 'no-certificate', protocol: 'unknown' }, durationMs: anon.durationMs };
  return { ...anon, certificate };
}

/** Reads up to BODY_LIMIT bytes of the body; returns a snapshot function for what has arrived so far. */
function collect(res: IncomingMessage, done: (a: HttpAnswer) => void): () => HttpAnswer {
  const chunks: Buffer[] = [];
  let size = 0;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const snapshot = (): HttpAnswer => ({
    kind: 'response',
    status: res.statusCode ?? 0,
    headers,
    body: Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8'),
    bodyTruncated: size > BODY_LIMIT,
  });
  res.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size > BODY_LIMIT) done(snapshot());
  });
  res.on('end', () => done(snapshot()));
  res.on('error', () => done({ ...snapshot(), bodyTruncated: true }));
  return snapshot;
}
