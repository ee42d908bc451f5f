import * as assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addEnvelope, emptyBundle, serializeBundle, type EvidenceBundle } from '../../../shared/evidence/bundle';
import { digestModel, type FileDigest } from '../../../shared/evidence/digests';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope, type DsseEnvelope } from '../../../shared/evidence/dsse';
import type { Ed25519Signer, Verifier } from '../../../shared/evidence/keys';
import { sealEvidence } from '../../../shared/evidence/seal';
import { buildStatement, serializeStatement } from '../../../shared/evidence/statement';
import { factsOfEnvelope, modelTags } from '../../../shared/evidence/tags';
import { verifyBundle, type VerifyOptions, type VerifyResult } from '../../../shared/evidence/verify';
import type { EvidenceRecord } from '../../../shared/report/evidence';
import { recordOutput } from '../../agent/sweep';
import { ed25519Pair, makeModelDir, MODEL, record } from './fixtures';

const NOW = new Date('2026-06-10T12:00:00.000Z');
const SG_AT = '2026-06-09T10:00:00.000Z';
const EH_AT = '2026-06-09T11:00:00.000Z';
const REQUIRED = ['SecurityGate', 'EndpointHardeningCheck'];

function codes(r: VerifyResult): string[] {
  return r.failures.map((f) => f.code);
}

/** Records what the verifier said, for the secret sweep. */
function said(r: VerifyResult): VerifyResult {
  recordOutput('evidence verifier failures', JSON.stringify(r));
  return r;
}

describe('evidence verifier', () => {
  let model: { dir: string; cleanup: () => Promise<void> };
  let files: FileDigest[];
  let signerA: Ed25519Signer;
  let signerB: Ed25519Signer;
  let trusted: Verifier;

  async function seal(evidence: EvidenceRecord, signer: Ed25519Signer = signerA, over: { files?: FileDigest[] } = {}): Promise<DsseEnvelope> {
    return sealEvidence({ files: over.files ?? files, evidence, model: MODEL, lineage: { commit: 'c0ffee0', pipelineRunUrl: 'https://dev.azure.com/demo-org/mlops-gates/_build/results?buildId=7' }, signers: [signer] });
  }

  function bundleOf(envelopes: DsseEnvelope[]): EvidenceBundle {
    return envelopes.reduce(addEnvelope, emptyBundle(MODEL));
  }

  function tagsOf(bundle: EvidenceBundle): Record<string, string> {
    // The newest envelope per gate is the last one added in these tests.
    const facts = new Map(bundle.envelopes.map((e) => factsOfEnvelope(e)).map((f) => [f.gate, f]));
    return { ...modelTags([...facts.values()][0].modelDigest, [...facts.values()], 'https://store.example/credit-risk-2.evidence.json'), owner: 'ml-team' };
  }

  let good: EvidenceBundle;
  let goodText: string;
  let goodTags: Record<string, string>;

  function opts(over: Partial<VerifyOptions> = {}): VerifyOptions {
    return { files, trustedKeys: [trusted], requiredGates: REQUIRED, maxAgeDays: 30, now: NOW, tags: goodTags, ...over };
  }

  before(async () => {
    model = await makeModelDir();
    files = await digestModel(model.dir);
    signerA = ed25519Pair().signer;
    signerB = ed25519Pair().signer;
    trusted = signerA.verifier();
    good = bundleOf([await seal(record('SecurityGate', 'passed', SG_AT)), await seal(record('EndpointHardeningCheck', 'passed', EH_AT))]);
    goodText = serializeBundle(good);
    goodTags = tagsOf(good);
    recordOutput('evidence bundle', goodText);
  });
  after(async () => {
    await model.cleanup();
  });

  it('passes untouched evidence, given as an object, as text or as bytes', async () => {
    for (const input of [good, goodText, Buffer.from(goodText)]) {
      const r = said(await verifyBundle(input, opts()));
      assert.deepEqual(r.failures, []);
      assert.equal(r.ok, true);
      assert.deepEqual(Object.keys(r.gates), ['EndpointHardeningCheck', 'SecurityGate']);
      assert.deepEqual(
        { ...r.gates.SecurityGate, envelopeDigest: undefined, modelDigest: undefined },
        { verdict: 'passed', finishedAt: SG_AT, keyid: signerA.keyid, envelope: 1, envelopeDigest: undefined, modelDigest: undefined },
      );
      assert.equal(r.gates.SecurityGate.envelopeDigest, goodTags['mlops-gates.security-gate.envelope']);
    }
    // Required gates may be named in kebab case, as tags and the release gate name them.
    assert.equal((await verifyBundle(good, opts({ requiredGates: ['security-gate', 'endpoint-hardening-check'] }))).ok, true);
    // Without tags, only the bundle and the files are judged.
    assert.equal((await verifyBundle(good, opts({ tags: undefined }))).ok, true);
  });

  describe('tampering', () => {
    it('one changed byte in a model file: digest-mismatch naming the file and both digests', async () => {
      const path = join(model.dir, 'model', 'weights.onnx');
      const original = await readFile(path);
      const changed = Buffer.from(original);
      changed[25_000] ^= 0x01;
      await writeFile(path, changed);
      try {
        const now = await digestModel(model.dir);
        const r = said(await verifyBundle(good, opts({ files: now })));
        assert.deepEqual(codes(r), ['digest-mismatch']);
        const before = files.find((f) => f.name === 'model/weights.onnx')!.sha256;
        const after = now.find((f) => f.name === 'model/weights.onnx')!.sha256;
        assert.equal(r.failures[0].file, 'model/weights.onnx');
        assert.equal(r.failures[0].message, `model/weights.onnx: sha256 is ${after} on disk, ${before} in the evidence of SecurityGate, EndpointHardeningCheck`);
      } finally {
        await writeFile(path, original);
      }
    });

    it('one changed byte in a signed payload: bad-signature naming the gate and the key', async () => {
      const at = goodText.indexOf('"payload":"') + 11 + 400;
      const c = goodText[at];
      const text = goodText.slice(0, at) + (c === 'A' ? 'B' : 'A') + goodText.slice(at + 1);
      const r = said(await verifyBundle(text, opts()));
      assert.deepEqual(codes(r), ['bad-signature']);
      assert.equal(r.failures[0].keyid, signerA.keyid);
      assert.match(r.failures[0].message, new RegExp(`^envelope 1 \\(SecurityGate\\): the signature by key ${signerA.keyid} does not verify`));
      assert.deepEqual(Object.keys(r.gates), ['EndpointHardeningCheck'], 'nothing of the damaged envelope is believed');
    });

    it('one changed byte in the bundle\'s model: model-mismatch naming both versions', async () => {
      const text = goodText.replace('"version":"2"', '"version":"3"');
      const r = said(await verifyBundle(text, opts()));
      assert.deepEqual(codes(r), ['model-mismatch', 'model-mismatch']);
      assert.match(r.failures[0].message, /^envelope 1 \(SecurityGate\): the evidence is about credit-risk:2 \(.*\/versions\/2\), the bundle is for credit-risk:3 \(/);
    });

    it('any one changed byte anywhere in the bundle file is refused', async function () {
      this.timeout(120_000);
      const seen = new Set<string>();
      for (let i = 0; i < goodText.length; i++) {
        const text = goodText.slice(0, i) + String.fromCharCode(goodText.charCodeAt(i) ^ 0x01) + goodText.slice(i + 1);
        const r = await verifyBundle(text, opts());
        if (r.ok) assert.fail(`a change at byte ${i} (${JSON.stringify(goodText.slice(Math.max(0, i - 20), i + 20))}) passed`);
        for (const f of r.failures) seen.add(f.code);
      }
      // The refusals come from every layer, not one catch-all.
      for (const code of ['bad-bundle', 'bad-signature', 'unknown-key', 'bad-envelope', 'model-mismatch']) assert.ok(seen.has(code), `no ${code} among ${[...seen]}`);
    });

    it('one changed byte in a signature: bad-signature, and the gate is not also reported missing', async () => {
      const bent = structuredClone(good);
      const sig = Buffer.from(bent.envelopes[1].signatures[0].sig, 'base64');
      sig[10] ^= 0x80;
      bent.envelopes[1].signatures[0].sig = sig.toString('base64');
      const r = said(await verifyBundle(bent, opts()));
      assert.deepEqual(codes(r), ['bad-signature']);
      assert.equal(r.failures[0].gate, 'EndpointHardeningCheck');
      assert.match(r.failures[0].message, /^envelope 2 \(EndpointHardeningCheck\): the signature by key [0-9a-f]{32} does not verify/);
    });

    it('one changed byte in a tag: tag-mismatch naming the tag and both values', async () => {
      const tag = 'mlops-gates.security-gate.digest';
      const value = goodTags[tag];
      const changed = (value[0] === 'a' ? 'b' : 'a') + value.slice(1);
      const r = said(await verifyBundle(good, opts({ tags: { ...goodTags, [tag]: changed } })));
      assert.deepEqual(codes(r), ['tag-mismatch']);
      assert.equal(r.failures[0].tag, tag);
      assert.equal(r.failures[0].message, `tag ${tag} is "${changed}"; the bundle says "${value}"`);
      const passedCase = said(await verifyBundle(good, opts({ tags: { ...goodTags, 'mlops-gates.security-gate': 'Passed' } })));
      assert.deepEqual(passedCase.failures, [{ code: 'tag-mismatch', tag: 'mlops-gates.security-gate', message: 'tag mlops-gates.security-gate is "Passed"; the bundle says "passed"' }]);
    });

    it('a missing gate: gate-missing naming it and the gates that are there', async () => {
      const r = said(await verifyBundle(good, opts({ requiredGates: [...REQUIRED, 'ExplainabilityReport'] })));
      assert.deepEqual(r.failures, [
        { code: 'gate-missing', gate: 'ExplainabilityReport', message: 'required gate ExplainabilityReport has no evidence in the bundle (verified gates: EndpointHardeningCheck, SecurityGate)' },
      ]);
      const empty = said(await verifyBundle(emptyBundle(MODEL), opts({ tags: undefined })));
      assert.deepEqual(codes(empty), ['gate-missing', 'gate-missing']);
      assert.match(empty.failures[0].message, /verified gates: none/);
    });

    it('a stale record: stale naming the gate, its time, its age and the limit', async () => {
      const old = bundleOf([await seal(record('SecurityGate', 'passed', '2026-04-26T12:00:00.000Z')), await seal(record('EndpointHardeningCheck', 'passed', EH_AT))]);
      const r = said(await verifyBundle(old, opts({ tags: tagsOf(old) })));
      assert.deepEqual(r.failures, [
        { code: 'stale', gate: 'SecurityGate', message: 'SecurityGate evidence finished 2026-04-26T12:00:00.000Z, 45.0 days before 2026-06-10T12:00:00.000Z; the policy allows 30 days' },
      ]);
      assert.equal((await verifyBundle(old, opts({ tags: tagsOf(old), maxAgeDays: 46 }))).ok, true);
      assert.equal((await verifyBundle(old, opts({ tags: tagsOf(old), maxAgeDays: Infinity }))).ok, true);
    });

    it('a different key: unknown-key naming the signing key and the trusted ones', async () => {
      const r = said(await verifyBundle(good, opts({ trustedKeys: [signerB.verifier()] })));
      assert.deepEqual(codes(r), ['unknown-key', 'unknown-key']);
      assert.equal(r.failures[0].message, `envelope 1 (SecurityGate): signed only by untrusted key ${signerA.keyid}; trusted keys: ${signerB.keyid}`);
      assert.equal(r.failures[1].keyid, signerA.keyid);
      // Signed by B but labelled with A's key id: A's key refuses the signature.
      const relabelled = structuredClone(good);
      const byB = await seal(record('SecurityGate', 'passed', SG_AT), signerB);
      relabelled.envelopes[0] = { ...byB, signatures: [{ keyid: signerA.keyid, sig: byB.signatures[0].sig }] };
      assert.deepEqual(codes(said(await verifyBundle(relabelled, opts()))), ['bad-signature']);
    });
  });

  it('a failed gate: gate-failed naming the gate and its findings', async () => {
    const b = bundleOf([await seal(record('SecurityGate', 'passed', SG_AT)), await seal(record('EndpointHardeningCheck', 'failed', EH_AT, { critical: 1, high: 2 }))]);
    const r = said(await verifyBundle(b, opts({ tags: tagsOf(b) })));
    assert.deepEqual(r.failures, [
      { code: 'gate-failed', gate: 'EndpointHardeningCheck', message: 'required gate EndpointHardeningCheck failed in its newest run (finished 2026-06-09T11:00:00.000Z; active findings: critical 1, high 2)' },
    ]);
    assert.equal(r.gates.EndpointHardeningCheck.verdict, 'failed');
    // Not required: reported in gates, not a failure.
    assert.equal((await verifyBundle(b, opts({ tags: tagsOf(b), requiredGates: ['SecurityGate'] }))).ok, true);
  });

  it('the newest run of a gate wins by its signed finish time, not by its place in the bundle', async () => {
    const failedEarly = await seal(record('SecurityGate', 'failed', '2026-06-08T09:00:00.000Z', { high: 1 }));
    const passedLater = await seal(record('SecurityGate', 'passed', SG_AT));
    const eh = await seal(record('EndpointHardeningCheck', 'passed', EH_AT));
    const fixed = bundleOf([failedEarly, eh, passedLater]);
    const r1 = said(await verifyBundle(fixed, opts({ tags: tagsOf(fixed) })));
    assert.deepEqual(r1.failures, []);
    assert.equal(r1.gates.SecurityGate.envelope, 3);
    // Appended later but finished earlier: the passing run is still the newest.
    const late = bundleOf([passedLater, eh, failedEarly]);
    const r2 = said(await verifyBundle(late, opts({ tags: undefined })));
    assert.deepEqual(r2.failures, []);
    assert.equal(r2.gates.SecurityGate.envelope, 1);
    // A newer failing run overrides an older pass.
    const regressed = bundleOf([passedLater, eh, await seal(record('SecurityGate', 'failed', '2026-06-10T08:00:00.000Z', { critical: 1 }))]);
    assert.deepEqual(codes(said(await verifyBundle(regressed, opts({ tags: undefined })))), ['gate-failed']);
  });

  it('files added or removed since signing: extra-file and missing-file', async () => {
    const extra = [...files, { name: 'model/backdoor.py', sha256: 'e'.repeat(64), size: 10 }];
    const r1 = said(await verifyBundle(good, opts({ files: extra })));
    assert.deepEqual(r1.failures, [
      { code: 'extra-file', file: 'model/backdoor.py', message: `model/backdoor.py: (sha256 ${'e'.repeat(64)}) is among the model files but not in the evidence of SecurityGate, EndpointHardeningCheck` },
    ]);
    const fewer = files.filter((f) => f.name !== 'conda.yaml');
    const r2 = said(await verifyBundle(good, opts({ files: fewer })));
    assert.deepEqual(codes(r2), ['missing-file']);
    assert.match(r2.failures[0].message, /^conda\.yaml: signed with sha256 [0-9a-f]{64}, not among the model files of SecurityGate, EndpointHardeningCheck$/);
  });

  it('evidence from the future: future-record', async () => {
    const b = bundleOf([await seal(record('SecurityGate', 'passed', '2026-06-10T13:00:00.000Z')), await seal(record('EndpointHardeningCheck', 'passed', EH_AT))]);
    const r = said(await verifyBundle(b, opts({ tags: tagsOf(b) })));
    assert.deepEqual(codes(r), ['future-record']);
    assert.match(r.failures[0].message, /^SecurityGate evidence finished 2026-06-10T13:00:00\.000Z, after now \(2026-06-10T12:00:00\.000Z\)/);
    assert.equal((await verifyBundle(b, opts({ tags: tagsOf(b), clockSkewMinutes: 61 }))).ok, true);
  });

  it('signed, but not our statement: bad-statement; another payload type: bad-envelope', async () => {
    const statement = buildStatement(files, { evidence: record('SecurityGate', 'passed', SG_AT), model: MODEL, lineage: {} });
    const foreign = await signEnvelope(serializeStatement({ ...statement, predicateType: 'https://slsa.dev/provenance/v1' as never }), IN_TOTO_PAYLOAD_TYPE, [signerA]);
    const b1 = { ...good, envelopes: [...good.envelopes, foreign] };
    const r1 = said(await verifyBundle(b1, opts()));
    assert.deepEqual(codes(r1), ['bad-statement']);
    assert.match(r1.failures[0].message, new RegExp(`^envelope 3 \\(SecurityGate\\): signed by ${signerA.keyid} but not an evidence statement: predicateType is "https://slsa.dev/provenance/v1"`));
    const typed = await signEnvelope(serializeStatement(statement), 'application/json', [signerA]);
    const r2 = said(await verifyBundle({ ...good, envelopes: [...good.envelopes, typed] }, opts()));
    assert.deepEqual(r2.failures, [{ code: 'bad-envelope', gate: 'SecurityGate', message: 'envelope 3 (SecurityGate): payloadType is "application/json", expected application/vnd.in-toto+json' }]);
  });

  it('a verifier that cannot answer: verifier-error, never a pass', async () => {
    const down: Verifier = { keyid: signerA.keyid, algorithm: 'Ed25519', verify: async () => { throw new Error('connect ECONNREFUSED 127.0.0.1:1'); } };
    const r = said(await verifyBundle(good, opts({ trustedKeys: [down], tags: undefined })));
    assert.deepEqual(codes(r), ['verifier-error', 'verifier-error']);
    assert.match(r.failures[0].message, /key [0-9a-f]{32} could not verify the signature: connect ECONNREFUSED/);
  });

  it('a garbled bundle: one bad-bundle failure, not an exception', async () => {
    const r = said(await verifyBundle('{"schema":', opts()));
    assert.deepEqual(codes(r), ['bad-bundle']);
    assert.match(r.failures[0].message, /^the bundle is not JSON/);
    const weird = said(await verifyBundle({ ...good, model: new Date() as never }, opts()));
    assert.deepEqual(codes(weird), ['bad-bundle']);
  });

  it('refuses a configuration that could not fail', async () => {
    await assert.rejects(verifyBundle(good, opts({ trustedKeys: [] })), /at least one trusted key/);
    await assert.rejects(verifyBundle(good, opts({ maxAgeDays: 0 })), /maxAgeDays must be positive, got 0/);
    await assert.rejects(verifyBundle(good, opts({ maxAgeDays: Number.NaN })), /maxAgeDays must be positive/);
  });
});
