/**
 * The certificate check (AML-PRB-004) reads the handshake of the anonymous request (anonymous.ts) rather than
 * making one of its own: it is the same handshake (Node's defaults, TLS 1.2+), and a second one per endpoint
 * doubled the probes' TLS cost. Trust comes from Node's bundled roots plus NODE_EXTRA_CA_CERTS, the same store the
 * agent's other HTTPS calls use; there is deliberately no option to pass other roots. Verification is recorded, not
 * enforced, so an untrusted certificate can still be described; the hostname is judged in the verdict.
 */
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { CertificateFacts, CertificateObservation } from './observations';

/** What the certificate check needs from a socket that has just completed its handshake. */
export function certificateOf(socket: TLSSocket): CertificateObservation {
  const protocol = socket.getProtocol() ?? 'unknown';
  const peer = socket.getPeerCertificate(false);
  if (!peer || Object.keys(peer).length === 0) return { kind: 'no-certificate', protocol };
  // checkServerIdentity is a no-op on the probe sockets, so authorizationError is the chain's alone.
  const chainError = socket.authorized ? undefined : String(socket.authorizationError ?? 'UNKNOWN');
  return { kind: 'certificate', protocol, chainError, cert: factsOf(peer) };
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
