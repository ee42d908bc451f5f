/**
 * The legacy-TLS probe: a handshake offering only TLS 1.0 and 1.1 (legacyContext); the socket carries no request
 * and is destroyed as soon as the handshake settles.
 */
import { connect, type TLSSocket } from 'node:tls';
import { runAttempt, type Attempt } from './attempt';
import { legacyContext } from './contexts';
import { failureKind, type LegacyTlsObservation } from './observations';
import type { ParsedTarget } from './target';

/** Errors raised by our own OpenSSL before it sends anything: they say nothing about the server. */
const LOCAL_TLS_ERRORS = new Set(['ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_NO_CIPHERS_AVAILABLE', 'ERR_SSL_NO_CIPHER_MATCH']);

export function observeLegacyTls(t: ParsedTarget, timeoutMs: number, signal?: AbortSignal): Promise<Attempt<LegacyTlsObservation>> {
  return runAttempt<LegacyTlsObservation>(
    timeoutMs,
    signal,
    (ctl) => {
      let socket: TLSSocket;
      try {
        socket = connect({
          host: t.host,
          port: t.port,
          servername: t.servername,
          secureContext: legacyContext(),
          rejectUnauthorized: false,
          checkServerIdentity: () => undefined,
        });
      } catch (err) {
        ctl.settle({ kind: 'client-unsupported', detail: (err as NodeJS.ErrnoException).code ?? (err as Error).message });
        return { destroy: () => undefined };
      }
      socket.once('connect', () => { ctl.phase = 'handshake'; });
      socket.once('secureConnect', () => {
        ctl.settle({ kind: 'accepted', protocol: socket.getProtocol() ?? 'unknown', cipher: socket.getCipher()?.name ?? 'unknown' });
      });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code && LOCAL_TLS_ERRORS.has(err.code)) return ctl.settle({ kind: 'client-unsupported', detail: err.code });
        // Once TCP is up, any failure before secureConnect is the server declining the old versions.
        if (ctl.phase === 'handshake') return ctl.settle({ kind: 'declined', code: err.code });
        ctl.settle({ kind: failureKind(err.code), phase: ctl.phase, code: err.code });
      });
      socket.on('close', () => {
        if (ctl.phase === 'handshake') ctl.settle({ kind: 'declined', code: 'closed' });
        else ctl.settle({ kind: 'closed', phase: ctl.phase });
      });
      return socket;
    },
    (f) => f,
  );
}
