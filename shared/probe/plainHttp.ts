/**
 * The plain-HTTP probe: a GET for the scoring path over an unencrypted TCP connection, to port 80 (URIs on https's
 * default port) or to the scoring port itself. Only the status line and Location header are read.
 */
import { connect } from 'node:net';
import { runAttempt, type Attempt } from './attempt';
import { PROBE_USER_AGENT } from './anonymous';
import { failureKind, type PlainHttpObservation } from './observations';
import type { ParsedTarget } from './target';

/** The head is read only this far. */
const HEAD_LIMIT = 8 * 1024;

export function observePlainHttp(t: ParsedTarget, timeoutMs: number, signal?: AbortSignal): Promise<Attempt<PlainHttpObservation>> {
  const hostHeader = t.plainPort === 80 ? t.hostHeader.replace(/:\d+$/, '') : t.hostHeader;
  return runAttempt<PlainHttpObservation>(
    timeoutMs,
    signal,
    (ctl) => {
      const socket = connect({ host: t.host, port: t.plainPort });
      let buf = Buffer.alloc(0);
      socket.once('connect', () => {
        ctl.phase = 'response';
        socket.write(
          `GET ${t.requestPath} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: ${PROBE_USER_AGENT}\r\nAccept: */*\r\nConnection: close\r\n\r\n`,
        );
      });
      socket.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        const parsed = parseHead(buf);
        if (parsed) ctl.settle(parsed);
        else if (buf.length >= HEAD_LIMIT) ctl.settle(parseHead(buf, true) ?? { kind: 'not-http' });
      });
      socket.on('end', () => ctl.settle(buf.length > 0 ? (parseHead(buf, true) ?? { kind: 'not-http' }) : { kind: 'closed', phase: ctl.phase }));
      socket.on('close', () => ctl.settle(buf.length > 0 ? (parseHead(buf, true) ?? { kind: 'not-http' }) : { kind: 'closed', phase: ctl.phase }));
      socket.on('error', (err: NodeJS.ErrnoException) => {
        if (buf.length > 0) return ctl.settle(parseHead(buf, true) ?? { kind: 'not-http' });
        ctl.settle({ kind: failureKind(err.code), phase: ctl.phase, code: err.code });
      });
      return socket;
    },
    (f) => f,
  );
}

/**
 * Parses what arrived. Undefined while more bytes could still make it an HTTP head; with `final`, the bytes
 * are all there will be. Anything not starting like `HTTP/1.x NNN` is not HTTP (a TLS alert, say).
 */
export function parseHead(buf: Buffer, final = false): PlainHttpObservation | undefined {
  const text = buf.subarray(0, HEAD_LIMIT).toString('latin1');
  const prefix = 'HTTP/';
  if (!text.startsWith(prefix.slice(0, Math.min(text.length, prefix.length)))) return { kind: 'not-http' };
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})(?:[ \r\n]|$)/.exec(text);
  const end = text.indexOf('\r\n\r\n');
  if (end < 0 && !final) {
    if (text.length > 12 && !status) return { kind: 'not-http' };
    return undefined;
  }
  if (!status) return { kind: 'not-http' };
  const head = end < 0 ? text : text.slice(0, end);
  const location = /\r\nlocation:[ \t]*([^\r\n]*)/i.exec(head)?.[1]?.trim();
  return { kind: 'http', status: Number(status[1]), ...(location ? { location } : {}) };
}
