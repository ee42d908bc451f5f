/**
 * How long probing many endpoints takes when half of them never answer: n local HTTPS servers, every second one
 * silent, all probed in one probeEndpoints call. The goal is one probe timeout plus a margin for the whole run,
 * which holds only if every probe of every endpoint runs at the same time. The silent servers also count the
 * connections they hold open at once: equal to all they received means nothing waited for anything else.
 *
 * CLI: `node build/bench/probeConcurrency.js [n] [timeoutMs]` prints the result as JSON.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { probeEndpoints, type ProbeStatus } from '../shared/probe';
import { ensureTestCa, issueServerCert, type TestCa } from '../test/azure/ca';
import { ConnectionTracker, startSilentServer, startTlsServer, type ProbeServer } from '../test/probe/servers';

/**
 * Sockets each endpoint opens: the anonymous request (whose handshake the certificate check reads), plain HTTP
 * (same port here) and legacy TLS.
 */
export const SOCKETS_PER_ENDPOINT = 3;
export const WALL_MARGIN_MS = 500;

export interface ProbeBenchResult {
  n: number;
  timeoutMs: number;
  wallMs: number;
  /** timeoutMs + WALL_MARGIN_MS. */
  goalMs: number;
  metGoal: boolean;
  answeringServers: number;
  silentServers: number;
  /** Connections the silent servers received in all, and the most they held open at once. */
  silentConnections: number;
  maxOpenSilent: number;
  /** Checks by status over all reports. */
  statuses: Record<ProbeStatus, number>;
}

/** The project's test CA when NODE_EXTRA_CA_CERTS names it (certificates then verify), else a throw-away one. */
function benchCa(): { ca: TestCa; certDir: string; cleanup: () => void } {
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra && basename(extra) === 'ca.pem' && existsSync(join(dirname(resolve(extra)), 'ca-key.pem'))) {
    const dir = dirname(resolve(extra));
    return { ca: ensureTestCa(dir), certDir: dir, cleanup: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'probe-bench-'));
  return { ca: ensureTestCa(dir), certDir: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function benchProbes(n = 50, timeoutMs = 2000): Promise<ProbeBenchResult> {
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`n must be an integer >= 2, got ${n}`);
  const { ca, certDir, cleanup } = benchCa();
  const servers: ProbeServer[] = [];
  const silent = new ConnectionTracker();
  try {
    const cert = issueServerCert(ca, certDir);
    for (let i = 0; i < n; i++) {
      servers.push(i % 2 === 0 ? await startTlsServer({ cert: { cert: cert.certPem, key: cert.keyPem } }) : await startSilentServer(silent));
    }
    const targets = servers.map((s, i) => ({ endpointId: `bench/ep-${i}`, scoringUri: s.uri }));
    const t0 = performance.now();
    // All endpoints at once, whatever n: the bench measures the fan-out, not the default bound of 64.
    const reports = await probeEndpoints(targets, { timeoutMs, concurrency: n });
    const wallMs = Math.round(performance.now() - t0);
    const statuses: Record<ProbeStatus, number> = { pass: 0, fail: 0, unreachable: 0, 'not-applicable': 0 };
    for (const r of reports) for (const c of r.checks) statuses[c.status]++;
    const goalMs = timeoutMs + WALL_MARGIN_MS;
    return {
      n,
      timeoutMs,
      wallMs,
      goalMs,
      metGoal: wallMs <= goalMs,
      answeringServers: Math.ceil(n / 2),
      silentServers: Math.floor(n / 2),
      silentConnections: silent.total,
      maxOpenSilent: silent.maxOpen,
      statuses,
    };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    cleanup();
  }
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? 50);
  const timeoutMs = Number(process.argv[3] ?? 2000);
  benchProbes(n, timeoutMs).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
