/**
 * The certificate probe: a normal TLS handshake (Node's defaults, TLS 1.2+) that records the peer certificate and
 * OpenSSL's chain verdict. Trust comes from Node's bundled roots plus NODE_EXTRA_CA_CERTS, the same store the
 * agent's other HTTPS calls use; there is deliberately no option to pass other roots. Verification is recorded,
 * not enforced, so an untrusted certificate can still be described; the hostname is judged in the verdict.
 */
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { runAttempt, type Attempt } from './attempt';
import { failureKind, type CertificateFacts, type CertificateObservation } from './observations';
import type { ParsedTarget } from './target';

export function observeCertificate(t: ParsedTarget, timeoutMs: number, signal?: AbortSignal): Promise<Attempt<CertificateObservation>> {
  return runAttempt<CertificateObservation>(
    timeoutMs,
    signal,
    (ctl) => {
      const socket: TLSSocket = connect({
        host: t.host,
        port: t.port,
        servername: t.servername,
        rejectUnauthorized: false,
        // Hostname is checked separately (verdict), so authorizationError below is the chain's alone.
        checkServerIdentity: () => undefined,
      });
      socket.once('connect', () => { ctl.phase = 'handshake'; });
      socket.once('secureConnect', () => {
        const protocol = socket.getProtocol() ?? 'unknown';
        const peer = socket.getPeerCertificate(false);
        if (!peer || Object.keys(peer).length === 0) return ctl.settle({ kind: 'no-certificate', protocol });
        const chainError = socket.authorized ? undefined : String(socket.authorizationError ?? 'UNKNOWN');
        ctl.settle({ kind: 'certificate', protocol, chainError, cert: factsOf(peer) });
      });
      socket.on('error', (err: NodeJS.ErrnoException) => ctl.settle({ kind: failureKind(err.code), phase: ctl.phase, code: err.code }));
      socket.on('close', () => ctl.settle({ kind: 'closed', phase: ctl.phase }));
      return socket;
    },
    (f) => f,
  );
}

function factsOf(p: PeerCertificate): CertificateFacts {
  return {
    subject: { ...(p.subject as unknown as Record<string, string | string[]>) },
    issuer: { ...(p.issuer as unknown as Record<string, string | string[]>) },
    subjectaltname: p.subjectaltname,
    valid_from: p.valid_from,
    valid_to: p.valid_to,
    fingerprint256: p.fingerprint256,
  };
}
