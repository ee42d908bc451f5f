import * as assert from 'node:assert/strict';
import { addEnvelope, emptyBundle } from '../../../shared/evidence/bundle';
import { sealEvidence } from '../../../shared/evidence/seal';
import { modelDigest } from '../../../shared/evidence/statement';
import { MODEL_DIGEST_TAG } from '../../../shared/evidence/tags';
import { claimedFiles } from '../../../shared/gates/promote/claimed';
import { ed25519Pair, MODEL, record } from '../evidence/fixtures';

const FILES = [
  { name: 'MLmodel', sha256: 'a'.repeat(64), size: 10 },
  { name: 'model.onnx', sha256: 'b'.repeat(64), size: 20 },
];
const SRC = 'credit-risk:2 in workspace w';

async function bundleOver(files: typeof FILES) {
  const { signer } = ed25519Pair();
  const env = await sealEvidence({ files, evidence: record('SecurityGate', 'passed', '2026-01-01T00:00:00Z'), model: MODEL, signers: [signer] });
  return addEnvelope(emptyBundle(MODEL), env);
}

describe('promote without reading the files (claimedFiles)', () => {
  it('the tagged evidence gives each listed file its signed sha256; the listing gives sizes', async () => {
    const listed = [{ name: 'model.onnx', size: 21 }, { name: 'MLmodel', size: 10 }];
    const c = claimedFiles(listed, { [MODEL_DIGEST_TAG]: modelDigest(FILES) }, await bundleOver(FILES), SRC);
    assert.deepEqual(c.failures, []);
    assert.deepEqual(c.files, [{ name: 'MLmodel', sha256: 'a'.repeat(64), size: 10 }, { name: 'model.onnx', sha256: 'b'.repeat(64), size: 21 }]);
    assert.equal(modelDigest(c.files!), c.tagDigest);
  });

  it('refuses a missing tag, and a tag no evidence judged, naming both digests', async () => {
    const bundle = await bundleOver(FILES);
    const none = claimedFiles([{ name: 'MLmodel', size: 1 }], {}, bundle, SRC);
    assert.equal(none.files, undefined);
    assert.match(none.failures[0].message, /credit-risk:2 in workspace w has no mlops-gates\.model-digest tag.*verifyFileDigests: true/);
    const other = claimedFiles([{ name: 'MLmodel', size: 1 }], { [MODEL_DIGEST_TAG]: 'c'.repeat(64) }, bundle, SRC);
    assert.equal(other.files, undefined);
    assert.equal(other.failures[0].code, 'tag-mismatch');
    assert.match(other.failures[0].message, new RegExp(`is ${'c'.repeat(64)}; the evidence judged model digest ${modelDigest(FILES)}`));
  });

  it('refuses a signed file that is not listed and a listed file that is not signed', async () => {
    const c = claimedFiles([{ name: 'MLmodel', size: 10 }, { name: 'extra.bin', size: 5 }], { [MODEL_DIGEST_TAG]: modelDigest(FILES) }, await bundleOver(FILES), SRC);
    assert.deepEqual(c.failures.map((f) => f.code), ['missing-file', 'extra-file']);
    assert.match(c.failures[0].message, /^model\.onnx: signed in the evidence/);
    assert.match(c.failures[1].message, /^extra\.bin: among the source files \(5 bytes\), not in the evidence/);
  });
});
