/**
 * Every probe against servers built to pass it and to fail it, all probed in one probeEndpoints call (so the
 * run is also concurrent, as in production). Certificates come from the test CA that NODE_EXTRA_CA_CERTS names.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { probeEndpoints, probeFindings, probeWorkerEntry, startProbeRunner, type ProbeCheck, type ProbeReport, type ProbeStatus } from '../../shared/probe';
import { PRB_ANONYMOUS as ANON, PRB_CERTIFICATE as CERT, PRB_LEAKS as LEAKS, PRB_LEGACY_TLS as LEGACY, PRB_PLAIN_HTTP as PLAIN } from '../../shared/probe/rules';
import { issueLeaf, selfSigned, type LeafCert } from './certs';
import { closedPort, startHttpServer, startSilentServer, startTlsServer, type ProbeServer } from './servers';
import { scratchDir, trustedTestCa } from './testCa';

const TIMEOUT_MS = 1500;

type Expect = Partial<Record<string, ProbeStatus>>;
const ALL_PASS: Expect = { [ANON]: 'pass', [PLAIN]: 'pass', [LEGACY]: 'pass', [CERT]: 'pass', [LEAKS]: 'pass' };

describe('probe: live servers', function () {
  this.timeout(60_000);
  const servers: ProbeServer[] = [];
  const uris = new Map<string, string>();
  let reports: ProbeReport[] = [];
  let wallMs = 0;
  let targets: { endpointId: string; scoringUri: string }[] = [];
  const NOW = new Date();
  let scratch: { dir: string; remove: () => void };

  const add = async (name: string, s: ProbeServer | Promise<ProbeServer>) => {
    const server = await s;
    servers.push(server);
    uris.set(name, server.uri);
  };
  const report = (name: string) => {
    const r = reports.find((x) => x.endpointId === `ep/${name}`);
    assert.ok(r, `no report for ${name}`);
    return r;
  };
  const check = (name: string, ruleId: string): ProbeCheck => {
    const c = report(name).checks.find((x) => x.ruleId === ruleId);
    assert.ok(c, `no ${ruleId} check for ${name}`);
    return c;
  };
  const expectStatuses = (name: string, expect: Expect) => {
    const got = Object.fromEntries(report(name).checks.map((c) => [c.ruleId, c.status]));
    const want = { ...ALL_PASS, ...expect };
    assert.deepEqual(got, want, JSON.stringify(report(name).checks, null, 1));
  };

  before(async function () {
    const ca = trustedTestCa();
    scratch = scratchDir('probe-certs-');
    const leaf = (name: string, san: string, fromDays: number, toDays: number): LeafCert => issueLeaf(ca, scratch.dir, name, { san, fromDays, toDays });
    const good = leaf('good', 'IP:127.0.0.1,DNS:localhost', -1, 400);

    await add('good', startTlsServer({ cert: good }));
    await add('anonymous-200', startTlsServer({ cert: good, answer: 'serve' }));
    await add('anonymous-500', startTlsServer({ cert: good, answer: 'error' }));
    await add('anonymous-404', startTlsServer({ cert: good, answer: 'not-found' }));
    await add('anonymous-302', startTlsServer({ cert: good, answer: 'redirect' }));
    await add('stalled-body', startTlsServer({ cert: good, answer: 'stall-body' }));
    await add('sniff-serves-http', startTlsServer({ cert: good, plain: 'serve' }));
    await add('sniff-redirects', startTlsServer({ cert: good, plain: 'redirect' }));
    await add('tls10', startTlsServer({ cert: good, legacyTls: true }));
    await add('other-host', startTlsServer({ cert: leaf('other', 'DNS:other.example.test', -1, 400) }));
    await add('expiring', startTlsServer({ cert: leaf('expiring', 'IP:127.0.0.1', -1, 10) }));
    await add('expired', startTlsServer({ cert: leaf('expired', 'IP:127.0.0.1', -40, -10) }));
    await add('self-signed', startTlsServer({ cert: selfSigned(scratch.dir, 'self', 'IP:127.0.0.1') }));
    await add('leaky', startTlsServer({ cert: good, answer: 'leaky' }));
    await add('silent', startSilentServer());
    await add('http-refuses', startHttpServer('refuse'));
    await add('http-leaky', startHttpServer('leaky'));
    uris.set('closed-port', `https://127.0.0.1:${await closedPort()}/score`);
    uris.set('not-a-url', 'not a url');

    targets = [...uris].map(([name, scoringUri]) => ({ endpointId: `ep/${name}`, scoringUri }));
    const t0 = performance.now();
    reports = await probeEndpoints(targets, { timeoutMs: TIMEOUT_MS, now: NOW });
    wallMs = performance.now() - t0;
  });

  it('gives the same judgements on the worker thread as in process', async () => {
    assert.ok(probeWorkerEntry(), 'the tsc build has the worker entry next to inWorker.js');
    const inWorker = await startProbeRunner().probe(targets, { timeoutMs: TIMEOUT_MS, now: NOW });
    const judged = (rs: ProbeReport[]) => rs.map((r) => ({ id: r.endpointId, checks: r.checks.map(({ ruleId, status, severity, message }) => ({ ruleId, status, severity, message })) }));
    assert.deepEqual(judged(inWorker), judged(reports));
  });

  it('a batch in flight keeps the process alive until it answers; an idle runner nobody closed does not', () => {
    const probe = JSON.stringify(path.join(__dirname, '..', '..', 'shared', 'probe'));
    const script = `require(${probe}).startProbeRunner().probe([{ endpointId: 'e', scoringUri: 'not a uri' }], { timeoutMs: 1000 }).then((r) => console.log('reports', r.length))`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000 });
    assert.equal(r.signal, null, 'exited by itself');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'reports 1');
  });

  it('one worker takes overlapping batches (a gate sends one per page of endpoints) and answers each with its own reports', async () => {
    const runner = startProbeRunner();
    try {
      const half = Math.ceil(targets.length / 2);
      const [a, b] = await Promise.all([
        runner.probe(targets.slice(0, half), { timeoutMs: TIMEOUT_MS, now: NOW }),
        runner.probe(targets.slice(half), { timeoutMs: TIMEOUT_MS, now: NOW }),
      ]);
      const judged = (rs: ProbeReport[]) => rs.map((r) => ({ id: r.endpointId, statuses: r.checks.map((c) => c.status) }));
      assert.deepEqual(judged([...a, ...b]), judged(reports));
    } finally {
      runner.close();
    }
    await assert.rejects(runner.probe(targets.slice(0, 1), { timeoutMs: TIMEOUT_MS }), /closed/, 'a closed runner takes no more batches');
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    scratch?.remove();
  });

  it('returns one report per target, in order, each with the five checks in rule order', () => {
    assert.deepEqual(reports.map((r) => r.endpointId), [...uris.keys()].map((n) => `ep/${n}`));
    for (const r of reports) assert.deepEqual(r.checks.map((c) => c.ruleId), [ANON, PLAIN, LEGACY, CERT, LEAKS]);
  });

  it('passes every probe on the hardened server (401, TLS >= 1.2 only, trusted certificate, no banners)', () => {
    expectStatuses('good', {});
    assert.match(check('good', ANON).message, /refused with HTTP 401/);
    assert.equal(check('good', CERT).evidence?.trusted, true);
    assert.ok(Number(check('good', CERT).evidence?.daysLeft) >= 398, 'days left reported');
  });

  describe('AML-PRB-001 anonymous request', () => {
    it('fails a server that answers 200 to an anonymous POST, as critical', () => {
      expectStatuses('anonymous-200', { [ANON]: 'fail' });
      assert.equal(check('anonymous-200', ANON).severity, 'critical');
    });
    it('fails a 5xx as a server error to an anonymous caller', () => {
      expectStatuses('anonymous-500', { [ANON]: 'fail' });
      assert.match(check('anonymous-500', ANON).message, /server error \(HTTP 500\)/);
      assert.equal(check('anonymous-500', ANON).severity, 'medium');
    });
    it('fails a 404 and a redirect (not followed)', () => {
      expectStatuses('anonymous-404', { [ANON]: 'fail' });
      expectStatuses('anonymous-302', { [ANON]: 'fail' });
      assert.match(check('anonymous-302', ANON).message, /redirected \(HTTP 302 to "https:\/\/login\.example\.test\/authorize"\).*not followed/);
    });
    it('judges the status already received when the body stalls until the deadline', () => {
      expectStatuses('stalled-body', {});
      assert.ok(check('stalled-body', ANON).durationMs >= TIMEOUT_MS - 1, 'waited for the body until the deadline');
    });
  });

  describe('AML-PRB-002 plain HTTP', () => {
    it('fails a port that serves TLS and plain HTTP by sniffing the first byte', () => {
      expectStatuses('sniff-serves-http', { [PLAIN]: 'fail' });
      assert.match(check('sniff-serves-http', PLAIN).message, /serves the scoring path over plain HTTP \(HTTP 200\)/);
    });
    it('passes a plain-HTTP answer that redirects to https', () => {
      expectStatuses('sniff-redirects', {});
      assert.match(check('sniff-redirects', PLAIN).message, /redirected to https/);
    });
    it('passes a TLS-only listener (the plain request gets no HTTP answer)', () => {
      assert.match(check('good', PLAIN).message, /not HTTP|closed|reset/);
    });
  });

  describe('AML-PRB-003 TLS below 1.2', () => {
    it(`fails a server that completes a TLS 1.0/1.1 handshake (Node ${process.versions.node})`, () => {
      expectStatuses('tls10', { [LEGACY]: 'fail' });
      assert.match(check('tls10', LEGACY).message, /completed a TLSv1\.1 handshake/);
    });
    it('passes servers whose minimum is TLS 1.2', () => {
      assert.equal(check('good', LEGACY).status, 'pass');
      assert.match(check('good', LEGACY).message, /refused a handshake offering only TLS 1\.0 and 1\.1/);
    });
  });

  describe('AML-PRB-004 certificate', () => {
    it('fails a trusted certificate issued for another host', () => {
      expectStatuses('other-host', { [CERT]: 'fail' });
      assert.match(check('other-host', CERT).message, /not valid for 127\.0\.0\.1 \(it names "DNS:other\.example\.test"\)/);
      assert.equal(check('other-host', CERT).evidence?.trusted, true);
    });
    it('fails a certificate expiring in 10 days, naming the days left', () => {
      expectStatuses('expiring', { [CERT]: 'fail' });
      const c = check('expiring', CERT);
      assert.equal(c.severity, 'medium');
      assert.ok([9, 10].includes(Number(c.evidence?.daysLeft)), `daysLeft ${c.evidence?.daysLeft}`);
      assert.match(c.message, /expires on \d{4}-\d\d-\d\d, in (9|10) days \(less than 30\)/);
    });
    it('passes the same certificate when certExpiryDays is below its days left', async () => {
      const [r] = await probeEndpoints([{ endpointId: 'x', scoringUri: uris.get('expiring')! }], { timeoutMs: TIMEOUT_MS, certExpiryDays: 7 });
      assert.equal(r.checks.find((c) => c.ruleId === CERT)?.status, 'pass');
    });
    it('fails an expired certificate', () => {
      expectStatuses('expired', { [CERT]: 'fail' });
      assert.match(check('expired', CERT).message, /expired on \d{4}-\d\d-\d\d \((10|11) days ago\)/);
      assert.equal(check('expired', CERT).severity, 'high');
    });
    it('fails a self-signed certificate the agent does not trust', () => {
      expectStatuses('self-signed', { [CERT]: 'fail' });
      assert.match(check('self-signed', CERT).message, /not trusted: it is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    });
  });

  describe('AML-PRB-005 server internals', () => {
    it('fails Server with a version, X-Powered-By and a stack trace in the body, showing what leaked', () => {
      expectStatuses('leaky', { [LEAKS]: 'fail' });
      const m = check('leaky', LEAKS).message;
      assert.match(m, /Server "nginx\/1\.18\.0"/);
      assert.match(m, /X-Powered-By "Express"/);
      assert.match(m, /stack trace "Traceback \(most recent call last\)"/);
      assert.match(m, /file path "\/var\/azureml-app\/score\.py"/);
      assert.equal(check('leaky', LEAKS).severity, 'medium');
    });
  });

  describe('unreachable and non-https targets', () => {
    it('reports a closed port as unreachable, plain HTTP as refused', () => {
      expectStatuses('closed-port', { [ANON]: 'unreachable', [LEGACY]: 'unreachable', [CERT]: 'unreachable', [LEAKS]: 'unreachable' });
      assert.match(check('closed-port', ANON).message, /connection was refused/);
    });
    it('gives up on a server that never answers at the timeout, not before and not much after', () => {
      expectStatuses('silent', { [ANON]: 'unreachable', [LEGACY]: 'unreachable', [CERT]: 'unreachable', [LEAKS]: 'unreachable' });
      for (const c of report('silent').checks) {
        assert.ok(c.durationMs >= TIMEOUT_MS - 1 && c.durationMs <= TIMEOUT_MS + 500, `${c.ruleId} took ${c.durationMs} ms`);
      }
      assert.match(check('silent', ANON).message, /timed out after 1500 ms in the TLS handshake/);
      // All targets were probed at once: the whole run is one timeout, not one per silent probe.
      assert.ok(wallMs <= TIMEOUT_MS + 500, `whole run took ${Math.round(wallMs)} ms`);
    });
    it('probes an http scoring URI anonymously and for leaks, the TLS probes being not applicable', () => {
      const na = { [PLAIN]: 'not-applicable', [LEGACY]: 'not-applicable', [CERT]: 'not-applicable' } as const;
      expectStatuses('http-refuses', na);
      expectStatuses('http-leaky', { ...na, [LEAKS]: 'fail' });
      assert.match(check('http-refuses', CERT).message, /^Not applicable: the scoring URI is http/);
    });
    it('reports an unparseable scoring URI as unreachable on every probe', () => {
      assert.ok(report('not-a-url').checks.every((c) => c.status === 'unreachable' && /not a valid URL/.test(c.message)));
    });
  });

  describe('findings from live reports', () => {
    it('fails closed on unreachable endpoints unless they are expected to be unreachable (then info)', () => {
      const findings = probeFindings(reports, (id) => id === 'ep/silent');
      const silent = findings.filter((f) => f.resourceId === 'ep/silent');
      const closed = findings.filter((f) => f.resourceId === 'ep/closed-port');
      assert.equal(silent.length, 4);
      assert.ok(silent.every((f) => f.severity === 'info'));
      assert.deepEqual(closed.map((f) => f.severity), ['critical', 'high', 'high', 'medium']);
      assert.equal(findings.filter((f) => f.resourceId === 'ep/good').length, 0);
      assert.deepEqual(findings.filter((f) => f.resourceId === 'ep/anonymous-200').map((f) => [f.ruleId, f.severity]), [[ANON, 'critical']]);
    });
  });
});
