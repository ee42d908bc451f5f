/** The probes' pure side: URI parsing, every verdict from literal observations, leak detection, findings. */
import * as assert from 'node:assert/strict';
import { PROBE_ORDER, PROBE_RULES, probeEndpoints, probeFindings, type ProbeReport } from '../../shared/probe';
import type { CertificateObservation } from '../../shared/probe/observations';
import { checkSync } from 'recheck';
import { BODY_PATTERNS, VERSIONED, bodyLeaks, cap, describeLeaks, headerLeaks } from '../../shared/probe/leaks';
import { parseHead } from '../../shared/probe/plainHttp';
import { PRB_ANONYMOUS, PRB_CERTIFICATE, PRB_LEAKS, PRB_PLAIN_HTTP } from '../../shared/probe/rules';
import { parseScoringUri } from '../../shared/probe/target';
import { judgeAnonymous } from '../../shared/probe/verdicts/anonymous';
import { judgeCertificate } from '../../shared/probe/verdicts/certificate';
import { judgeLeaks } from '../../shared/probe/verdicts/leaks';
import { judgeLegacyTls } from '../../shared/probe/verdicts/legacyTls';
import { judgePlainHttp } from '../../shared/probe/verdicts/plainHttp';
import { fingerprintOf } from '../../shared/rules/engine';
import { SEVERITIES } from '../../shared/rules/types';

const URI = 'https://ep.westeurope.inference.ml.azure.com/score';
const response = (status: number, headers: Record<string, string> = {}, body = '') => ({ kind: 'response' as const, status, headers, body, bodyTruncated: false });

describe('probe: scoring URI parsing', () => {
  it('probes plain HTTP on port 80 when the URI uses https default port, written or not', () => {
    for (const uri of [URI, 'https://ep.westeurope.inference.ml.azure.com:443/score']) {
      const p = parseScoringUri(uri);
      assert.ok(p.ok);
      assert.deepEqual([p.target.port, p.target.plainPort, p.target.servername, p.target.hostHeader], [443, 80, 'ep.westeurope.inference.ml.azure.com', 'ep.westeurope.inference.ml.azure.com']);
    }
  });
  it('probes plain HTTP on the same port when the URI names another one', () => {
    const p = parseScoringUri('https://10.0.0.4:8443/api/v1/endpoint/x/score?verbose=1');
    assert.ok(p.ok);
    assert.deepEqual([p.target.port, p.target.plainPort, p.target.requestPath], [8443, 8443, '/api/v1/endpoint/x/score?verbose=1']);
    assert.equal(p.target.servername, undefined, 'no SNI for an IP address');
  });
  it('strips IPv6 brackets for connecting and keeps them in the Host header', () => {
    const p = parseScoringUri('https://[::1]:9443/score');
    assert.ok(p.ok);
    assert.deepEqual([p.target.host, p.target.hostHeader, p.target.servername], ['::1', '[::1]:9443', undefined]);
  });
  it('keeps user info and query out of what messages show', () => {
    const p = parseScoringUri('https://user:pw@ep.example.test/score?x=1');
    assert.ok(p.ok);
    assert.equal(p.target.display, 'https://ep.example.test/score');
  });
  it('rejects what is not an http(s) URL', () => {
    assert.equal(parseScoringUri('ftp://ep.example.test/score').ok, false);
    assert.equal(parseScoringUri('').ok, false);
  });
});

describe('probe: AML-PRB-001 verdict', () => {
  const judge = (s: number, h: Record<string, string> = {}) => judgeAnonymous(response(s, h), URI);
  it('passes 401 and 403 only', () => {
    assert.equal(judge(401).status, 'pass');
    assert.equal(judge(403).status, 'pass');
  });
  it('grades what else can come back', () => {
    const table: Array<[number, string, string | undefined]> = [
      [200, 'fail', 'critical'], [204, 'fail', 'critical'], [301, 'fail', 'high'], [302, 'fail', 'high'], [400, 'fail', 'high'],
      [405, 'fail', 'high'], [415, 'fail', 'high'], [404, 'fail', 'medium'], [500, 'fail', 'medium'], [503, 'fail', 'medium'],
      [407, 'unreachable', undefined], [408, 'unreachable', undefined], [429, 'unreachable', undefined],
    ];
    for (const [s, status, severity] of table) {
      const v = judge(s);
      assert.deepEqual([s, v.status, v.severity], [s, status, severity]);
      assert.equal(v.evidence?.httpStatus, s);
    }
  });
  it('shows where a redirect pointed, capped', () => {
    assert.match(judge(302, { location: `https://login.example.test/${'a'.repeat(300)}` }).message, /to "https:\/\/login\.example\.test\/a+…"/);
  });
  it('is unreachable when no answer came, saying why', () => {
    const v = judgeAnonymous({ kind: 'timeout', phase: 'handshake', timeoutMs: 5000 }, URI);
    assert.equal(v.status, 'unreachable');
    assert.match(v.message, /timed out after 5000 ms in the TLS handshake/);
  });
});

describe('probe: AML-PRB-002 verdict and HTTP head parsing', () => {
  const judge = (o: Parameters<typeof judgePlainHttp>[0]) => judgePlainHttp(o, 'ep.example.test', 80, '/score');
  it('passes when nothing answers in HTTP', () => {
    for (const o of [
      { kind: 'refused', phase: 'connect' },
      { kind: 'reset', phase: 'response' },
      { kind: 'closed', phase: 'response' },
      { kind: 'timeout', phase: 'connect', timeoutMs: 100 },
      { kind: 'not-http' },
    ] as const) assert.equal(judge(o).status, 'pass', o.kind);
  });
  it('passes a redirect to https and fails one that stays on http (relative Location included)', () => {
    assert.equal(judge({ kind: 'http', status: 301, location: 'https://ep.example.test/score' }).status, 'pass');
    assert.equal(judge({ kind: 'http', status: 308, location: '/elsewhere' }).status, 'fail');
    assert.equal(judge({ kind: 'http', status: 302, location: 'http://other.example.test/' }).status, 'fail');
    assert.equal(judge({ kind: 'http', status: 302 }).status, 'fail');
  });
  it('fails any other HTTP answer: served is high, refused in clear is medium', () => {
    assert.deepEqual([judge({ kind: 'http', status: 200 }).status, judge({ kind: 'http', status: 200 }).severity], ['fail', 'high']);
    assert.deepEqual([judge({ kind: 'http', status: 400 }).status, judge({ kind: 'http', status: 400 }).severity], ['fail', 'medium']);
  });
  it('cannot judge a host that does not resolve', () => {
    assert.equal(judge({ kind: 'dns', phase: 'connect', code: 'ENOTFOUND' }).status, 'unreachable');
  });
  it('parses a status line and Location, and tells non-HTTP bytes apart', () => {
    assert.deepEqual(parseHead(Buffer.from('HTTP/1.1 301 Moved\r\nlocation:  https://x.test/score \r\n\r\n')), { kind: 'http', status: 301, location: 'https://x.test/score' });
    assert.deepEqual(parseHead(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])), { kind: 'not-http' }, 'a TLS alert');
    assert.equal(parseHead(Buffer.from('HTT')), undefined, 'too early to tell');
    assert.deepEqual(parseHead(Buffer.from('HTTP/1.0 200 OK\r\n'), true), { kind: 'http', status: 200 });
    assert.deepEqual(parseHead(Buffer.from('HTTP/1.1 OK whatever\r\n\r\n')), { kind: 'not-http' });
  });
});

describe('probe: AML-PRB-003 verdict', () => {
  it('fails an accepted legacy handshake, passes a declined one, cannot judge without trying', () => {
    assert.equal(judgeLegacyTls({ kind: 'accepted', protocol: 'TLSv1', cipher: 'ECDHE-RSA-AES128-SHA' }, 'h:443').status, 'fail');
    assert.equal(judgeLegacyTls({ kind: 'declined', code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' }, 'h:443').status, 'pass');
    assert.equal(judgeLegacyTls({ kind: 'client-unsupported', detail: 'ERR_SSL_NO_PROTOCOLS_AVAILABLE' }, 'h:443').status, 'unreachable');
    assert.equal(judgeLegacyTls({ kind: 'refused', phase: 'connect', code: 'ECONNREFUSED' }, 'h:443').status, 'unreachable');
  });
});

describe('probe: AML-PRB-004 verdict', () => {
  const NOW = new Date('2026-03-01T00:00:00Z');
  const obs = (over: Partial<{ san: string; from: string; to: string; chainError: string }> = {}): CertificateObservation => ({
    kind: 'certificate',
    protocol: 'TLSv1.3',
    chainError: over.chainError,
    cert: {
      subject: { CN: 'ep' },
      issuer: { CN: 'Microsoft Azure RSA TLS Issuing CA 03' },
      subjectaltname: over.san ?? 'DNS:*.westeurope.inference.ml.azure.com',
      valid_from: over.from ?? 'Jan  1 00:00:00 2026 GMT',
      valid_to: over.to ?? 'Jul  1 00:00:00 2026 GMT',
    },
  });
  const judge = (o: CertificateObservation, host = 'ep.westeurope.inference.ml.azure.com') => judgeCertificate(o, host, `${host}:443`, NOW, 30);

  it('passes a trusted wildcard certificate for the host and reports days left and protocol', () => {
    const v = judge(obs());
    assert.equal(v.status, 'pass');
    assert.equal(v.evidence?.daysLeft, 122);
    assert.match(v.message, /valid for 122 more days \(TLSv1\.3\)/);
  });
  it('fails a name mismatch (the wildcard covers one label only)', () => {
    const v = judge(obs(), 'a.ep.westeurope.inference.ml.azure.com');
    assert.equal(v.status, 'fail');
    assert.match(v.message, /not valid for a\.ep\.westeurope/);
    assert.equal(v.evidence?.hostnameMatches, false);
  });
  it('matches IP addresses against IP SANs, not DNS ones', () => {
    assert.equal(judge(obs({ san: 'IP Address:10.0.0.4' }), '10.0.0.4').status, 'pass');
    assert.equal(judge(obs({ san: 'DNS:10.0.0.4' }), '10.0.0.4').status, 'fail');
  });
  it('fails expired and not-yet-valid certificates by the given clock, reporting the date once', () => {
    const expired = judge(obs({ to: 'Feb 19 00:00:00 2026 GMT', chainError: 'CERT_HAS_EXPIRED' }));
    assert.equal(expired.status, 'fail');
    assert.match(expired.message, /^The certificate of .* fails: it expired on 2026-02-19 \(10 days ago\)\.$/);
    assert.equal(judge(obs({ from: 'Apr  1 00:00:00 2026 GMT' })).status, 'fail');
  });
  it('fails an expiring certificate as medium, inside certExpiryDays only', () => {
    const soon = judge(obs({ to: 'Mar 11 12:00:00 2026 GMT' }));
    assert.deepEqual([soon.status, soon.severity, soon.evidence?.daysLeft], ['fail', 'medium', 10]);
    assert.equal(judgeCertificate(obs({ to: 'Mar 11 12:00:00 2026 GMT' }), 'ep.westeurope.inference.ml.azure.com', 'x', NOW, 7).status, 'pass');
  });
  it('names the chain error in words and lists every problem, worst severity first', () => {
    const v = judge(obs({ chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', to: 'Mar 11 12:00:00 2026 GMT' }), 'other.example.test');
    assert.equal(v.severity, 'high');
    assert.match(v.message, /issuer is not trusted .*UNABLE_TO_VERIFY_LEAF_SIGNATURE.*; it is not valid for other\.example\.test.*; it expires on 2026-03-11/);
  });
  it('fails a handshake without a certificate and cannot judge without a handshake', () => {
    assert.equal(judge({ kind: 'no-certificate', protocol: 'TLSv1.2' }).status, 'fail');
    assert.equal(judge({ kind: 'reset', phase: 'handshake', code: 'ECONNRESET' }).status, 'unreachable');
  });
});

describe('probe: AML-PRB-005 leaks', () => {
  it('flags Server only with a version, and framework headers whatever their value', () => {
    assert.deepEqual(headerLeaks({ server: 'nginx' }), []);
    assert.deepEqual(headerLeaks({ server: 'Kestrel' }), []);
    assert.deepEqual(headerLeaks({ server: 'azureml-frontdoor' }), []);
    for (const v of ['nginx/1.18.0', 'Microsoft-IIS/10.0', 'Apache/2.4.41 (Ubuntu)', 'gunicorn/20.1.0', 'Werkzeug/2.0.1 Python/3.9.7']) {
      assert.deepEqual(headerLeaks({ server: v }).map((l) => l.label), ['Server'], v);
    }
    const labels = headerLeaks({ 'x-powered-by': 'ASP.NET', 'x-aspnet-version': '4.0.30319', 'x-aspnetmvc-version': '5.2', 'x-sourcefiles': '=?UTF-8?B?Qzpc?=' }).map((l) => l.label);
    assert.deepEqual(labels, ['X-Powered-By', 'X-AspNet-Version', 'X-AspNetMvc-Version', 'X-SourceFiles']);
  });
  it('finds stack traces, exception types and source paths of the usual runtimes', () => {
    const cases: Array<[string, string[]]> = [
      ['Traceback (most recent call last):\n  File "/app/score.py", line 3, in run\nKeyError: \'x\'', ['stack trace', 'stack trace', 'exception type', 'file path']],
      ['java.lang.NullPointerException\n\tat com.example.Scorer.run(Scorer.java:17)', ['stack trace', 'exception type']],
      ['System.InvalidOperationException: bad\n   at Scoring.Api.Run(String body) in C:\\src\\Scoring\\Api.cs:line 42', ['stack trace', 'exception type', 'file path']],
      ['TypeError: x is undefined\n    at Object.<anonymous> (/srv/app/server.js:10:5)', ['stack trace', 'exception type', 'file path']],
      ['panic: boom\n\ngoroutine 1 [running]:\nmain.main()', ['stack trace']],
    ];
    for (const [body, labels] of cases) assert.deepEqual(bodyLeaks(body).map((l) => l.label), labels, body);
  });
  it('matches untrusted bodies in linear time only (recheck)', function () {
    this.timeout(120_000); // recheck takes a second or more per pattern
    for (const re of [VERSIONED, ...BODY_PATTERNS.map((p) => p.re)]) assert.equal(checkSync(re.source, re.flags).status, 'safe', re.source);
  });
  it('stays quiet on ordinary error bodies and URLs', () => {
    for (const body of [
      '{"error":{"code":"Unauthorized","message":"Authentication failed. Provide a valid key or token."}}',
      'See https://learn.microsoft.com/azure/machine-learning/score.py for details.',
      '<html><body>401 Authorization Required</body></html>',
    ]) assert.deepEqual(bodyLeaks(body), [], body);
  });
  it('shows only the matched text, single-line and capped, one of each kind first', () => {
    assert.equal(cap(`a\r\nb${'c'.repeat(200)}`).length, 100);
    assert.ok(!/[\r\n]/.test(cap('a\r\nb')));
    const leaks = [...headerLeaks({ server: 'nginx/1.18.0' }), ...bodyLeaks('Traceback (most recent call last):\n  File "/a/b.py", line 1')];
    assert.match(describeLeaks(leaks, 2), /^Server "nginx\/1\.18\.0"; stack trace "Traceback \(most recent call last\)"; and 2 more$/);
    const v = judgeLeaks(response(401, { server: 'nginx/1.18.0' }, 'Error: token abc123 expired'), URI);
    assert.equal(v.severity, 'low', 'headers alone are low');
    assert.ok(!v.message.includes('abc123'), 'body text around a match is never shown');
  });
});

describe('probe: findings', () => {
  const ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/onlineEndpoints/ep';
  const reports: ProbeReport[] = [{
    endpointId: ID,
    scoringUri: URI,
    checks: [
      { ruleId: PRB_ANONYMOUS, status: 'fail', severity: 'medium', message: 'answered 500', durationMs: 1 },
      { ruleId: PRB_PLAIN_HTTP, status: 'pass', message: 'refused', durationMs: 1 },
      { ruleId: PRB_CERTIFICATE, status: 'unreachable', message: 'Could not read the certificate.', durationMs: 1 },
      { ruleId: PRB_LEAKS, status: 'not-applicable', message: 'n/a', durationMs: 0 },
    ],
  }];
  it('turns fails and unreachables into findings on the online endpoint, failing closed', () => {
    const f = probeFindings(reports, () => false);
    assert.deepEqual(f.map((x) => [x.ruleId, x.severity, x.resourceKind]), [[PRB_ANONYMOUS, 'medium', 'onlineEndpoint'], [PRB_CERTIFICATE, 'high', 'onlineEndpoint']]);
    assert.equal(f[0].fingerprint, fingerprintOf(PRB_ANONYMOUS, ID, 'properties.scoringUri'));
    assert.equal(f[0].fingerprint, probeFindings([{ ...reports[0], endpointId: ID.toUpperCase() }], () => false)[0].fingerprint, 'id case does not matter');
    assert.equal(f[0].title, PROBE_RULES[0].title);
  });
  it('reports an expected unreachable endpoint at info, and still fails what it did answer', () => {
    const f = probeFindings(reports, (id) => id === ID);
    assert.deepEqual(f.map((x) => x.severity), ['medium', 'info']);
    assert.match(f[1].message, /Could not read the certificate\. Expected/);
  });
});

describe('probe: rule metadata and options', () => {
  it('has five rules AML-PRB-001..005 in report order, each with rationale, remediation and https references', () => {
    assert.deepEqual(PROBE_RULES.map((r) => r.id), ['AML-PRB-001', 'AML-PRB-002', 'AML-PRB-003', 'AML-PRB-004', 'AML-PRB-005']);
    assert.deepEqual([...PROBE_ORDER], PROBE_RULES.map((r) => r.id));
    for (const r of PROBE_RULES) {
      assert.ok(SEVERITIES.includes(r.severity) && r.rationale.length > 40 && r.remediation.length > 40, r.id);
      assert.ok(r.references.length > 0 && r.references.every((x) => /^https:\/\/[^/]+\//.test(x.url) && x.title), r.id);
    }
  });
  it('rejects nonsense options before opening any socket', async () => {
    await assert.rejects(probeEndpoints([], { concurrency: 0 }), RangeError);
    await assert.rejects(probeEndpoints([], { timeoutMs: -1 }), RangeError);
    await assert.rejects(probeEndpoints([{ endpointId: 'x', scoringUri: URI }], { signal: AbortSignal.abort() }), { name: 'AbortError' });
  });
});
