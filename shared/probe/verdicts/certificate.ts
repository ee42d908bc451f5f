/**
 * AML-PRB-004 from the certificate handshake: the chain verifies (OpenSSL, real clock), the certificate names the
 * host (tls.checkServerIdentity), and it is not expired or expiring within `expiryDays` of `now`. Every problem
 * found is reported in one message; the worst one sets the severity.
 */
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { Severity } from '../../rules/types';
import { severityRank } from '../../rules/types';
import { PRB_CERTIFICATE } from '../rules';
import type { CertificateFacts, CertificateObservation } from '../observations';
import { cap, quote } from '../leaks';
import { unreachable, type Verdict } from './verdict';

const DAY_MS = 86_400_000;

/** OpenSSL verify codes people hit, in words. */
const CHAIN_WORDS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in an untrusted self-signed root',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not trusted (or the server does not send the intermediate)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not trusted (or the server does not send the intermediate)',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer could not be found',
  CERT_HAS_EXPIRED: 'a certificate in its chain has expired',
  CERT_NOT_YET_VALID: 'a certificate in its chain is not yet valid',
  CERT_REVOKED: 'it is revoked',
  CERT_SIGNATURE_FAILURE: 'its signature does not verify',
};

export function judgeCertificate(o: CertificateObservation, host: string, where: string, now: Date, expiryDays: number): Verdict {
  if (o.kind === 'no-certificate') {
    return { ruleId: PRB_CERTIFICATE, status: 'fail', message: `${where} completed a TLS handshake without presenting a certificate.`, evidence: { protocol: o.protocol } };
  }
  if (o.kind !== 'certificate') return unreachable(PRB_CERTIFICATE, o, `read the certificate of ${where}`);
  const c = o.cert;
  const validTo = Date.parse(c.valid_to);
  const validFrom = Date.parse(c.valid_from);
  const daysLeft = Math.floor((validTo - now.getTime()) / DAY_MS);
  const problems: Array<{ text: string; severity: Severity }> = [];

  if (Number.isNaN(validTo)) problems.push({ text: `its expiry date ${quote(cap(c.valid_to))} cannot be read`, severity: 'high' });
  else if (validTo <= now.getTime()) problems.push({ text: `it expired on ${isoDay(validTo)} (${-daysLeft} days ago)`, severity: 'high' });
  else if (!Number.isNaN(validFrom) && validFrom > now.getTime()) problems.push({ text: `it is not valid before ${isoDay(validFrom)}`, severity: 'high' });

  // OpenSSL's own expiry verdict repeats the one above; keep it only when our clock did not already say so.
  const expiredAlready = problems.length > 0;
  if (o.chainError && !(expiredAlready && (o.chainError === 'CERT_HAS_EXPIRED' || o.chainError === 'CERT_NOT_YET_VALID'))) {
    problems.push({ text: `it is not trusted: ${CHAIN_WORDS[o.chainError] ?? cap(o.chainError, 60)} (${cap(o.chainError, 60)})`, severity: 'high' });
  }

  const identityError = checkServerIdentity(host, c as unknown as PeerCertificate);
  if (identityError) problems.push({ text: `it is not valid for ${host} (it names ${names(c)})`, severity: 'high' });

  if (!Number.isNaN(validTo) && validTo > now.getTime() && daysLeft < expiryDays) {
    problems.push({ text: `it expires on ${isoDay(validTo)}, in ${daysLeft} days (less than ${expiryDays})`, severity: 'medium' });
  }

  const evidence = {
    protocol: o.protocol,
    daysLeft: Number.isNaN(validTo) ? -1 : daysLeft,
    validTo: Number.isNaN(validTo) ? cap(c.valid_to) : new Date(validTo).toISOString(),
    trusted: !o.chainError,
    hostnameMatches: !identityError,
    issuer: cap(commonName(c.issuer) ?? 'unknown', 80),
  };
  if (problems.length === 0) {
    return {
      ruleId: PRB_CERTIFICATE,
      status: 'pass',
      evidence,
      message: `${where} presents a trusted certificate for ${host} issued by ${quote(evidence.issuer)}, valid for ${daysLeft} more days (${o.protocol}).`,
    };
  }
  const worst = problems.reduce((a, b) => (severityRank(b.severity) > severityRank(a.severity) ? b : a));
  return {
    ruleId: PRB_CERTIFICATE,
    status: 'fail',
    severity: worst.severity,
    evidence,
    message: `The certificate of ${where} fails: ${problems.map((p) => p.text).join('; ')}.`,
  };
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function commonName(name: Record<string, string | string[]>): string | undefined {
  const cn = name.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}

/** What the certificate is for: its subjectAltName, else its CN. */
function names(c: CertificateFacts): string {
  return quote(cap(c.subjectaltname ?? `CN=${commonName(c.subject) ?? '?'}`, 120));
}
