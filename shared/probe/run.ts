/**
 * probeEndpoints: every endpoint's probes, all at once. Up to `concurrency` endpoints are in flight; each one's
 * probes run side by side (one anonymous request, whose response is judged for AML-PRB-001 and -005 and whose
 * handshake for AML-PRB-004, plus the plain-HTTP request and the legacy-TLS handshake), so the whole run takes about one probe timeout per `concurrency` endpoints.
 */
import { setMaxListeners } from 'node:events';
import { observeAnonymous } from './anonymous';
import { observePlainHttp } from './plainHttp';
import { PRB_ANONYMOUS, PRB_CERTIFICATE, PRB_LEAKS, PRB_LEGACY_TLS, PRB_PLAIN_HTTP } from './rules';
import { parseScoringUri, hostPort } from './target';
import { observeLegacyTls } from './tls';
import {
  DEFAULT_CERT_EXPIRY_DAYS,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  type ProbeCheck,
  type ProbeOptions,
  type ProbeReport,
  type ProbeTarget,
} from './types';
import { judgeAnonymous } from './verdicts/anonymous';
import { judgeCertificate } from './verdicts/certificate';
import { judgeLeaks } from './verdicts/leaks';
import { judgeLegacyTls } from './verdicts/legacyTls';
import { judgePlainHttp } from './verdicts/plainHttp';

/** Check order in every report. */
export const PROBE_ORDER = [PRB_ANONYMOUS, PRB_PLAIN_HTTP, PRB_LEGACY_TLS, PRB_CERTIFICATE, PRB_LEAKS] as const;

interface Resolved {
  timeoutMs: number;
  certExpiryDays: number;
  now: Date;
  concurrency: number;
  signal?: AbortSignal;
}

function resolveOptions(o: ProbeOptions): Resolved {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY;
  const certExpiryDays = o.certExpiryDays ?? DEFAULT_CERT_EXPIRY_DAYS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError(`timeoutMs must be a positive number, got ${timeoutMs}`);
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  if (!(Number.isFinite(certExpiryDays) && certExpiryDays >= 0)) throw new RangeError(`certExpiryDays must be >= 0, got ${certExpiryDays}`);
  return { timeoutMs, concurrency, certExpiryDays, now: o.now ?? new Date(), signal: o.signal };
}

export async function probeEndpoints(targets: ProbeTarget[], opts: ProbeOptions = {}): Promise<ProbeReport[]> {
  const o = resolveOptions(opts);
  const outer = o.signal;
  outer?.throwIfAborted();
  // Every open socket listens for abort; one inner signal (no listener cap) keeps the caller's signal at one
  // listener, so hundreds of sockets do not trip Node's MaxListenersExceededWarning on it.
  const inner = new AbortController();
  setMaxListeners(0, inner.signal);
  const relay = () => inner.abort(outer?.reason);
  outer?.addEventListener('abort', relay, { once: true });
  const reports: ProbeReport[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length && !inner.signal.aborted) {
      const i = next++;
      reports[i] = await probeOne(targets[i], { ...o, signal: inner.signal }).catch((err: unknown) => crashed(targets[i], err));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(o.concurrency, targets.length) }, worker));
  } finally {
    outer?.removeEventListener('abort', relay);
  }
  outer?.throwIfAborted();
  return reports;
}

async function probeOne(target: ProbeTarget, o: Resolved): Promise<ProbeReport> {
  const report = (checks: ProbeCheck[]): ProbeReport => ({ endpointId: target.endpointId, scoringUri: target.scoringUri, checks });
  const parsed = parseScoringUri(target.scoringUri);
  if (!parsed.ok) {
    return report(PROBE_ORDER.map((ruleId) => ({ ruleId, status: 'unreachable', message: parsed.reason, durationMs: 0 })));
  }
  const t = parsed.target;
  const where = hostPort(t.host, t.port);
  const { timeoutMs, signal } = o;
  const [anon, plain, legacy] = await Promise.all([
    observeAnonymous(t, timeoutMs, signal),
    t.https ? observePlainHttp(t, timeoutMs, signal) : undefined,
    t.https ? observeLegacyTls(t, timeoutMs, signal) : undefined,
  ]);
  const cert = anon.certificate;
  const notHttps = (ruleId: string, what: string): ProbeCheck => ({
    ruleId,
    status: 'not-applicable',
    message: `Not applicable: the scoring URI is http, so there is no ${what} to test (AML-OE-003 reports the URI itself).`,
    durationMs: 0,
  });
  return report([
    { ...judgeAnonymous(anon.value, t.display), durationMs: anon.durationMs },
    plain ? { ...judgePlainHttp(plain.value, t.host, t.plainPort, t.requestPath), durationMs: plain.durationMs } : notHttps(PRB_PLAIN_HTTP, 'HTTPS listener whose plain-HTTP side'),
    legacy ? { ...judgeLegacyTls(legacy.value, where), durationMs: legacy.durationMs } : notHttps(PRB_LEGACY_TLS, 'TLS'),
    cert ? { ...judgeCertificate(cert.value, t.host, where, o.now, o.certExpiryDays), durationMs: cert.durationMs } : notHttps(PRB_CERTIFICATE, 'certificate'),
    { ...judgeLeaks(anon.value, t.display), durationMs: anon.durationMs },
  ]);
}

/** A bug in a probe must not pass silently: every check of that endpoint becomes unreachable (a finding). */
function crashed(target: ProbeTarget, err: unknown): ProbeReport {
  const message = `The probe failed unexpectedly (${(err as Error)?.message ?? String(err)}), so nothing was judged.`;
  return { endpointId: target.endpointId, scoringUri: target.scoringUri, checks: PROBE_ORDER.map((ruleId) => ({ ruleId, status: 'unreachable', message, durationMs: 0 })) };
}
