/**
 * What the socket code saw, before any judgement. The socket modules produce these; the verdict modules turn them
 * into checks without touching the network, so every verdict is testable from a literal.
 */

/** A connection that ended without the answer the probe was waiting for. */
export interface NetFailure {
  kind: 'refused' | 'reset' | 'closed' | 'timeout' | 'dns' | 'unroutable' | 'error' | 'aborted';
  /** How far it got: TCP connect, TLS handshake, or waiting for the answer after sending. */
  phase: 'connect' | 'handshake' | 'response';
  /** Node/OpenSSL error code when there was one (ECONNREFUSED, ERR_SSL_…). */
  code?: string;
  timeoutMs?: number;
}

/** The anonymous request's answer: status, headers (lower-cased) and the first bytes of the body. */
export interface HttpAnswer {
  kind: 'response';
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body was longer than the probe reads (or stalled) and was cut. */
  bodyTruncated: boolean;
}

export type AnonymousObservation = HttpAnswer | NetFailure;

/** The plain-HTTP probe: an HTTP status line came back, something else came back, or nothing did. */
export type PlainHttpObservation =
  | { kind: 'http'; status: number; location?: string }
  | { kind: 'not-http' }
  | NetFailure;

/** The TLS 1.0/1.1-only handshake. */
export type LegacyTlsObservation =
  | { kind: 'accepted'; protocol: string; cipher: string }
  /** TCP connected, then the handshake failed: an alert, a reset or a close. */
  | { kind: 'declined'; code?: string }
  /** This Node's OpenSSL could not even offer TLS 1.0/1.1, so nothing was learned about the server. */
  | { kind: 'client-unsupported'; detail: string }
  | NetFailure;

/** The fields of the peer certificate the verdict uses (a subset of tls.PeerCertificate). */
export interface CertificateFacts {
  subject: Record<string, string | string[]>;
  issuer: Record<string, string | string[]>;
  subjectaltname?: string;
  valid_from: string;
  valid_to: string;
  fingerprint256?: string;
}

export type CertificateObservation =
  | {
      kind: 'certificate';
      /** Negotiated protocol (TLSv1.2, TLSv1.3). */
      protocol: string;
      /** OpenSSL's chain verdict against Node's roots plus NODE_EXTRA_CA_CERTS; hostname not included. */
      chainError?: string;
      cert: CertificateFacts;
    }
  | { kind: 'no-certificate'; protocol: string }
  | NetFailure;

/** Maps a Node socket error to a NetFailure kind. */
export function failureKind(code: string | undefined): NetFailure['kind'] {
  switch (code) {
    case 'ECONNREFUSED': return 'refused';
    case 'ECONNRESET':
    case 'EPIPE': return 'reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME': return 'dns';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL': return 'unroutable';
    default: return 'error';
  }
}

/** A short human phrase for a failure, for messages. */
export function describeFailure(f: NetFailure): string {
  const where = f.phase === 'connect' ? 'connecting' : f.phase === 'handshake' ? 'in the TLS handshake' : 'waiting for the answer';
  switch (f.kind) {
    case 'refused': return 'the connection was refused';
    case 'reset': return `the connection was reset ${where}`;
    case 'closed': return `the connection was closed ${where}`;
    case 'timeout': return `timed out after ${f.timeoutMs ?? '?'} ms ${where}`;
    case 'dns': return `the host name did not resolve (${f.code ?? 'DNS error'})`;
    case 'unroutable': return `no route to the host (${f.code ?? 'unreachable'})`;
    case 'aborted': return 'the probe was cancelled';
    case 'error': return `the connection failed ${where} (${f.code ?? 'unknown error'})`;
  }
}

export function isNetFailure(o: { kind: string }): o is NetFailure {
  return ['refused', 'reset', 'closed', 'timeout', 'dns', 'unroutable', 'error', 'aborted'].includes(o.kind);
}
