import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addEnvelope, BUNDLE_SCHEMA, emptyBundle, envelopeDigest, parseBundle, readBundle, serializeBundle, writeBundle, type EvidenceBundle } from '../../../shared/evidence/bundle';
import { sealEvidence } from '../../../shared/evidence/seal';
import type { FileDigest } from '../../../shared/evidence/digests';
import { canonicalJson } from '../../../shared/report/canonicalJson';
import { evidenceBundleValidator, schemaProblems } from '../../schemas/validators';
import { ed25519Pair, MODEL, record } from './fixtures';
import { createHash } from 'node:crypto';

const FILES: FileDigest[] = [{ name: 'model.onnx', sha256: 'c'.repeat(64), size: 1 }];

function reversed<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reversed) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) as T;
  return v;
}

describe('evidence bundle', () => {
  const { signer } = ed25519Pair();
  let bundle: EvidenceBundle;
  before(async () => {
    bundle = emptyBundle(MODEL);
    for (const [gate, at] of [['SecurityGate', '2026-06-01T10:00:00.000Z'], ['EndpointHardeningCheck', '2026-06-01T11:00:00.000Z']]) {
      bundle = addEnvelope(bundle, await sealEvidence({ files: FILES, evidence: record(gate, 'passed', at), model: MODEL, lineage: { commit: 'abc1234' }, signers: [signer] }));
    }
  });

  it('appends envelopes, keeping earlier ones', async () => {
    assert.equal(bundle.schema, BUNDLE_SCHEMA);
    assert.equal(bundle.envelopes.length, 2);
    const again = addEnvelope(bundle, bundle.envelopes[0]);
    assert.equal(again.envelopes.length, 3);
    assert.equal(bundle.envelopes.length, 2, 'addEnvelope returns a new bundle');
  });

  it('refuses an envelope about another model version', async () => {
    const other = await sealEvidence({ files: FILES, evidence: record('SecurityGate', 'passed', '2026-06-01T10:00:00.000Z'), model: { ...MODEL, version: '3', assetId: MODEL.assetId.replace(/2$/, '3') }, signers: [signer] });
    assert.throws(() => addEnvelope(bundle, other), /the envelope is about credit-risk:3 \(.*versions\/3\), the bundle about credit-risk:2/);
  });

  it('matches its JSON Schema, which rejects what the parser rejects', () => {
    const validate = evidenceBundleValidator();
    assert.deepEqual(schemaProblems(validate as never, bundle), []);
    const bad: Array<[string, unknown]> = [
      ['other schema', { ...bundle, schema: 'mlops-gates.evidence-bundle/2' }],
      ['extra member', { ...bundle, signedBy: 'x' }],
      ['model without assetId', { ...bundle, model: { name: 'm', version: '1' } }],
      ['no signatures', { ...bundle, envelopes: [{ ...bundle.envelopes[0], signatures: [] }] }],
      ['other payload type', { ...bundle, envelopes: [{ ...bundle.envelopes[0], payloadType: 'application/json' }] }],
      ['bad keyid', { ...bundle, envelopes: [{ ...bundle.envelopes[0], signatures: [{ keyid: 'KEY', sig: 'AA==' }] }] }],
      ['payload not base64', { ...bundle, envelopes: [{ ...bundle.envelopes[0], payload: 'not base64!' }] }],
    ];
    for (const [what, value] of bad) assert.notDeepEqual(schemaProblems(validate as never, value), [], what);
    const kvKeyid = { ...bundle, envelopes: [{ ...bundle.envelopes[0], signatures: [{ keyid: 'https://kv-mlw-hardened-01.vault.azure.net/keys/evidence-signing/0123abcd', sig: 'AA==' }] }] };
    assert.deepEqual(schemaProblems(validate as never, kvKeyid), []);
  });

  it('writes canonical JSON: the same bytes whatever the key order', () => {
    const text = serializeBundle(bundle);
    assert.equal(serializeBundle(reversed(bundle)), text);
    assert.equal(text, canonicalJson(JSON.parse(text)));
    assert.ok(text.startsWith('{"envelopes":[{"payload":"'));
    assert.deepEqual(parseBundle(text), bundle);
    assert.deepEqual(parseBundle(Buffer.from(text)), bundle);
  });

  it('reads only the canonical form, and says what is wrong otherwise', () => {
    const text = serializeBundle(bundle);
    const cases: Array<[string, RegExp]> = [
      [JSON.stringify(bundle, null, 2), /not in canonical JSON form/],
      [text + '\n', /not in canonical JSON form/],
      [text.replace('{"envelopes"', '{"x":1,"envelopes"'), /unknown members "x"/],
      [text.replace(BUNDLE_SCHEMA, 'mlops-gates.evidence-bundle/0'), /schema is "mlops-gates.evidence-bundle\/0", expected mlops-gates.evidence-bundle\/1/],
      [text.replace('"keyid"', '"keyId"'), /envelopes\[0\]\.signatures\[0\] has unknown member "keyId"/],
      [text.slice(0, -1), /not JSON/],
      ['[]', /not a JSON object/],
      [text.replace('"version":"2"', '"version":""'), /model must be exactly \{ name, version, assetId \}/],
    ];
    for (const [t, message] of cases) assert.throws(() => parseBundle(t), message);
  });

  it('writes atomically and reads back the same bundle', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-bundle-'));
    try {
      const path = join(dir, 'credit-risk-2.evidence.json');
      await writeBundle(path, bundle);
      assert.deepEqual(await readBundle(path), bundle);
      assert.deepEqual(await readdir(dir), ['credit-risk-2.evidence.json'], 'no temporary file left');
      assert.equal(await readFile(path, 'utf8'), serializeBundle(bundle));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('envelope digest: SHA-256 of the envelope as canonical JSON', () => {
    const env = bundle.envelopes[0];
    const byHand = `{"payload":"${env.payload}","payloadType":"application/vnd.in-toto+json","signatures":[{"keyid":"${env.signatures[0].keyid}","sig":"${env.signatures[0].sig}"}]}`;
    assert.equal(envelopeDigest(env), createHash('sha256').update(byHand).digest('hex'));
    assert.equal(envelopeDigest(reversed(env)), envelopeDigest(env));
  });
});
