/**
 * The tab's pure parts in Node (no browser): SARIF reading, filter and sort, the REST URLs, the evidence
 * checks against bundles the project's own sealing code writes, and endpoint grouping.
 */
import assert from 'node:assert/strict';
import { canonicalJson as sharedCanonical } from '../../shared/report/canonicalJson';
import { modelDigest } from '../../shared/evidence/statement';
import { canonicalJson, decodeBase64Strict } from '../../tab/src/canonical';
import { loadTabData, gateOf } from '../../tab/src/data';
import { groupEndpoints } from '../../tab/src/endpoints';
import { checkBundle, modelDigestOf } from '../../tab/src/evidence';
import { assignRanks, filterRows, sortRows, type FindingRow } from '../../tab/src/findings';
import { attachmentRefs, listUrls, AttachmentClient, releaseRun, type RunRef } from '../../tab/src/rest';
import { markdownLinks, parseSarif } from '../../tab/src/sarif';
import { endpointCheck, fixtureRule, HOSTILE, runAttachments, securityGate, type Attachment } from './fixtures';

function source(attachments: Attachment[]) {
  return {
    list: async (type: string) => ({ refs: attachments.filter((a) => a.type === type).map((a) => ({ type, name: a.name, url: `https://x.invalid/${a.name}` })), refused: [] }),
    text: async (ref: { name: string }) => attachments.find((a) => a.name === ref.name)!.content,
  };
}

describe('results tab logic', () => {
  let run: Awaited<ReturnType<typeof runAttachments>>;
  before(async () => {
    run = await runAttachments(2000);
  });

  describe('SARIF', () => {
    it('reads severity, location, waiver, remediation and references of every result', () => {
      const { sarif, findings } = securityGate(50);
      const { rows, run: r } = parseSarif(sarif, 'SecurityGate.sarif', 'SecurityGate');
      assert.equal(rows.length, 50);
      assert.equal(r.rules.size, 7);
      const waived = rows.filter((x) => x.waived);
      assert.equal(waived.length, findings.filter((f) => f.waiver).length);
      assert.match(waived[0].waiver!.reason, /^Accepted risk/);
      const file = rows.find((x) => x.ruleId === 'SEC-AZ-STORAGE-001')!;
      assert.match(file.location, /^src\/pipeline\/module_\d+\/step_\d+\.py:\d+:5$/);
      const meta = fixtureRule('SEC-AZ-STORAGE-001');
      assert.equal(file.remediation, meta.remediation);
      assert.deepEqual(file.references, meta.references.map(({ title, url }) => ({ title, url })));
      const arm = rows.find((x) => x.ruleId === 'AML-WS-001')!;
      assert.match(arm.location, /^\/subscriptions\/.*\/computes\/cpu-cluster-\d+$/);
      // A hostile file name survives as text, percent-decoded.
      const hostile = parseSarif(securityGate(10).sarif, 'a', 'g').rows.find((x) => x.location.includes('<img'));
      assert.ok(hostile?.location.includes(HOSTILE));
    });

    it('refuses what is not SARIF 2.1.0, naming the attachment', () => {
      assert.throws(() => parseSarif('{"version":"2.0.0","runs":[]}', 'X.sarif', 'X'), /X\.sarif is not a SARIF 2\.1\.0 log/);
      assert.throws(() => parseSarif('nope', 'Y.sarif', 'Y'), /Y\.sarif is not JSON/);
    });

    it('unescapes Markdown link titles', () => {
      assert.deepEqual(markdownLinks('- [a \\[b\\]](https://e.x/1)\n- [c](https://e.x/2)'), [{ title: 'a [b]', url: 'https://e.x/1' }, { title: 'c', url: 'https://e.x/2' }]);
    });
  });

  describe('filter and sort', () => {
    let rows: FindingRow[];
    before(() => {
      rows = parseSarif(securityGate(10_000).sarif, 's', 'SecurityGate').rows;
      assignRanks(rows);
    });

    it('combines text words, severity, waiver and gate', () => {
      const all = { text: '', severity: 'all', waiver: 'all', gate: 'all' } as const;
      assert.equal(filterRows(rows, all).length, 10_000);
      const a = filterRows(rows, { ...all, text: 'SEC-AZ-STORAGE  module_7/' });
      assert.ok(a.length > 0 && a.every((r) => r.ruleId === 'SEC-AZ-STORAGE-001' && r.location.includes('module_7/')));
      const b = filterRows(rows, { ...all, severity: 'critical', waiver: 'waived' });
      assert.ok(b.length > 0 && b.every((r) => r.severity === 'critical' && r.waived));
      assert.equal(filterRows(rows, { ...all, gate: 'Other' }).length, 0);
    });

    it('sorts worst first by default, every column both ways, stably, in a few ms', () => {
      const t0 = process.hrtime.bigint();
      const bySev = sortRows(rows, { key: 'severity', descending: false });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.equal(bySev[0].severity, 'critical');
      assert.equal(bySev[bySev.length - 1].severity, 'info');
      for (const key of ['ruleId', 'location', 'message', 'gate'] as const) {
        const asc = sortRows(rows, { key, descending: false });
        const desc = sortRows(rows, { key, descending: true });
        const val = (r: FindingRow) => (key === 'location' || key === 'message' ? r[key].toLowerCase() : r[key]);
        for (let i = 1; i < asc.length; i++) assert.ok(val(asc[i - 1]) <= val(asc[i]), `${key} ascending at ${i}`);
        assert.ok(val(desc[0]) >= val(desc[desc.length - 1]));
      }
      const again = sortRows(rows, { key: 'ruleId', descending: false });
      assert.deepEqual(again.map((r) => r.id), sortRows([...rows].reverse(), { key: 'ruleId', descending: false }).map((r) => r.id), 'ties broken by position: same order from any input order');
      assert.ok(ms < 100, `severity sort took ${ms} ms`);
    });
  });

  describe('REST', () => {
    const build: RunRef = { kind: 'build', project: 'p 1', buildId: 42 };
    const release: RunRef = { kind: 'release', project: 'p', releaseId: 7, environmentId: 12, attempt: 2, planIds: ['plan-a', 'plan-b'] };

    it('builds the documented list URLs', () => {
      assert.deepEqual(listUrls('https://dev.azure.com/org', build, 'mlops-gates.sarif'), ['https://dev.azure.com/org/p%201/_apis/build/builds/42/attachments/mlops-gates.sarif?api-version=7.1']);
      assert.deepEqual(listUrls('https://vsrm.dev.azure.com/org/', release, 't'), [
        'https://vsrm.dev.azure.com/org/p/_apis/release/releases/7/environments/12/attempts/2/plan/plan-a/attachments/t?api-version=7.1',
        'https://vsrm.dev.azure.com/org/p/_apis/release/releases/7/environments/12/attempts/2/plan/plan-b/attachments/t?api-version=7.1',
      ]);
    });

    it('follows content links on the area origin only', () => {
      const answer = { value: [
        { name: 'a.sarif', _links: { self: { href: 'https://dev.azure.com/org/p/_apis/build/builds/42/t/r/attachments/x/a.sarif' } } },
        { name: 'evil.sarif', _links: { self: { href: 'https://attacker.example/steal' } } },
      ] };
      const r = attachmentRefs('https://dev.azure.com/org/', build, 'x', answer);
      assert.deepEqual(r.refs.map((x) => x.name), ['a.sarif']);
      assert.deepEqual(r.refused, ['evil.sarif']);
      const rel = attachmentRefs('https://vsrm.dev.azure.com/org/', release, 'x', { value: [{ name: 'n', timelineId: 'tl', recordId: 'rc' }] }, 'plan-b');
      assert.equal(rel.refs[0].url, 'https://vsrm.dev.azure.com/org/p/_apis/release/releases/7/environments/12/attempts/2/plan/plan-b/timelines/tl/records/rc/attachments/x/n?api-version=7.1');
    });

    it('sends the token with each call, and never to another origin', async () => {
      const seen: Array<{ url: string; auth: string }> = [];
      const client = new AttachmentClient('https://dev.azure.com/org/', build, async () => 't0k', async (url, init) => {
        seen.push({ url, auth: (init.headers as Record<string, string>).Authorization });
        return new Response(JSON.stringify({ value: [] }), { status: 200 });
      });
      await client.list('x');
      assert.deepEqual(seen, [{ url: 'https://dev.azure.com/org/p%201/_apis/build/builds/42/attachments/x?api-version=7.1', auth: 'Bearer t0k' }]);
      await assert.rejects(client.text({ type: 'x', name: 'n', url: 'https://attacker.example/n' }), /refused to send the access token to https:\/\/attacker\.example/);
      const denied = new AttachmentClient('https://dev.azure.com/org/', build, async () => 't', async () => new Response('', { status: 403 }));
      await assert.rejects(denied.list('x'), /HTTP 403 .*vso\.build/);
    });

    it('takes a release stage\'s latest attempt and its plans', () => {
      const env = { releaseId: 7, id: 12, deploySteps: [{ attempt: 2, releaseDeployPhases: [{ runPlanId: 'b' }, { runPlanId: 'c' }] }, { attempt: 1, releaseDeployPhases: [{ runPlanId: 'a' }] }] };
      assert.deepEqual(releaseRun('p', env), { kind: 'release', project: 'p', releaseId: 7, environmentId: 12, attempt: 2, planIds: ['b', 'c'] });
      assert.equal(releaseRun('p', { id: 1 }), undefined);
    });
  });

  describe('evidence', () => {
    it('writes canonical JSON and decodes base64 exactly as the shared code does', () => {
      const v = { b: [1, 'x', { z: null, a: true }], a: 'é<>', c: 1.5e-7 };
      assert.equal(canonicalJson(v), sharedCanonical(v));
      assert.deepEqual(decodeBase64Strict('aGk='), new Uint8Array([104, 105]));
      assert.equal(decodeBase64Strict('aGl='), undefined, 'non-zero padding bits');
      assert.equal(decodeBase64Strict('aGk'), undefined);
    });

    it('checks a sealed bundle: form, envelopes, statement, model digest, records', async () => {
      const data = await loadTabData(source(run.attachments));
      const b = data.bundle!;
      assert.deepEqual(b.checks.map((c) => c.state), ['ok', 'ok', 'ok']);
      assert.equal(b.envelopes.length, 2);
      assert.deepEqual(b.envelopes.map((e) => e.gate), ['SecurityGate', 'EndpointHardeningCheck']);
      for (const e of b.envelopes) {
        assert.deepEqual(e.checks.map((c) => c.state), ['ok', 'ok', 'ok', 'not-checked'], JSON.stringify(e.checks));
        assert.match(e.checks[3].detail!, /signature not verified here/);
      }
      const subjects = b.envelopes[0].subjects.map((s) => ({ name: s.name, digest: { sha256: s.sha256 } }));
      assert.equal(b.envelopes[0].modelDigest, modelDigest(subjects));
      assert.equal(await modelDigestOf(b.envelopes[0].subjects), modelDigest(subjects));
      assert.equal(data.bundleNotes.length, 1);
      assert.match(data.bundleNotes[0], /SecurityGate\.evidence\.bundle\.json: an earlier state/);
      assert.deepEqual(data.problems, []);
    });

    it('fails the form check for an edited bundle and the record check for a forged record', async () => {
      const edited = run.bundleText.replace('"credit-model"', '"credit-model" ');
      const v = await checkBundle(edited, 'b', new Map());
      assert.equal(v.checks.find((c) => c.what.startsWith('Bundle unedited'))!.state, 'failed');
      const text = JSON.parse(run.bundleText);
      text.envelopes[0].payloadType = 'text/plain';
      const w = await checkBundle(canonicalJson(text), 'b', new Map());
      assert.equal(w.envelopes[0].checks[0].state, 'failed');
      assert.match(w.envelopes[0].checks[0].detail!, /payloadType/);
      const forged = await checkBundle(run.bundleText, 'b', new Map([['SecurityGate', '0'.repeat(64)]]));
      assert.equal(forged.envelopes[0].checks[2].state, 'not-checked');
      assert.equal((await checkBundle('{', 'b', new Map())).checks[0].state, 'failed');
    });
  });

  describe('attachments', () => {
    it('keeps going when one attachment is broken, and says which', async () => {
      const broken = run.attachments.map((a) => (a.name === 'EndpointHardeningCheck.sarif' ? { ...a, content: '{"version":"1"}' } : a));
      const data = await loadTabData(source(broken));
      assert.deepEqual(data.problems, ['EndpointHardeningCheck.sarif is not a SARIF 2.1.0 log (no version "2.1.0" and runs list)']);
      assert.equal(data.rows.length, 2000);
      assert.equal(data.records.size, 2);
      assert.ok(data.explanation && data.modelCard);
    });

    it('names gates after their attachments', () => {
      assert.equal(gateOf('SecurityGate.sarif'), 'SecurityGate');
      assert.equal(gateOf('SecurityGate.evidence.bundle.json'), 'SecurityGate');
      assert.equal(gateOf('EndpointHardeningCheck.evidence.json'), 'EndpointHardeningCheck');
    });

    it('groups endpoint findings by endpoint, worst first, clean endpoints kept', () => {
      const { sarif, record } = endpointCheck();
      const rows = parseSarif(sarif, 'e', 'EndpointHardeningCheck').rows;
      const groups = groupEndpoints(rows, record.targets);
      assert.deepEqual(groups.map((g) => [g.name, g.rows.length]), [['credit-score', 3], ['fraud-detect', 2], ['nightly-batch', 1], ['churn-v2', 0], ['Workspace and monitoring', 1]]);
    });
  });
});
