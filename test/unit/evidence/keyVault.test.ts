/**
 * The Key Vault signer and verifiers against the local Azure's vault (real @azure/keyvault-keys clients over
 * HTTPS, challenge auth with an Entra token): ES256 on `evidence-signing` (EC P-256), PS256 and RS256 on
 * `evidence-rsa` (RSA 3072), both keys of kv-mlw-hardened-01 in the hardened scenario.
 */
import * as assert from 'node:assert/strict';
import { addEnvelope, emptyBundle, serializeBundle, type EvidenceBundle } from '../../../shared/evidence/bundle';
import type { FileDigest } from '../../../shared/evidence/digests';
import { KeyError, type Signer, type Verifier } from '../../../shared/evidence/keys';
import { getKeyVaultKey, jwkVerifier, keyVaultLocalVerifier, keyVaultSigner, keyVaultVerifier, type KeyVaultKeyOptions } from '../../../shared/evidence/keyVault';
import { sealEvidence } from '../../../shared/evidence/seal';
import { verifyBundle, type VerifyResult } from '../../../shared/evidence/verify';
import { secretCredential, useLocalAzure } from '../../azure/testSupport';
import { recordOutput } from '../../agent/sweep';
import { ed25519Pair, MODEL, record } from './fixtures';

const FILES: FileDigest[] = [
  { name: 'MLmodel', sha256: '1'.repeat(64), size: 10 },
  { name: 'model/weights.onnx', sha256: '2'.repeat(64), size: 2000 },
];
const NOW = new Date('2026-06-10T12:00:00.000Z');

function said(r: VerifyResult): VerifyResult {
  recordOutput('evidence verifier failures (Key Vault)', JSON.stringify(r));
  return r;
}

describe('evidence signed with Key Vault keys (local Azure)', function () {
  this.timeout(30_000);
  const azure = useLocalAzure({ scenarios: ['hardened'] });

  function key(name: string, over: Partial<KeyVaultKeyOptions> = {}): KeyVaultKeyOptions {
    return {
      keyId: `${azure().keyVaultUrl}keys/${name}`,
      credential: secretCredential(azure()),
      clientOptions: { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } },
      ...over,
    };
  }

  async function bundleSignedBy(signers: Signer[]): Promise<EvidenceBundle> {
    let b = emptyBundle(MODEL);
    for (const [gate, at] of [['SecurityGate', '2026-06-09T10:00:00.000Z'], ['EndpointHardeningCheck', '2026-06-09T11:00:00.000Z']]) {
      b = addEnvelope(b, await sealEvidence({ files: FILES, evidence: record(gate, 'passed', at), model: MODEL, lineage: { commit: 'c0ffee0' }, signers }));
    }
    recordOutput('evidence bundle (Key Vault)', serializeBundle(b));
    return b;
  }

  function verify(bundle: EvidenceBundle | string, trustedKeys: Verifier[]): Promise<VerifyResult> {
    return verifyBundle(bundle, { files: FILES, trustedKeys, requiredGates: ['SecurityGate', 'EndpointHardeningCheck'], maxAgeDays: 30, now: NOW });
  }

  it('ES256 on an EC P-256 key: the key id is the versioned key URL; verified through Key Vault and locally', async () => {
    const signer = await keyVaultSigner(key('evidence-signing'));
    assert.equal(signer.algorithm, 'ES256');
    assert.match(signer.keyid, new RegExp(`^${azure().keyVaultUrl}keys/evidence-signing/[0-9a-f]{32}$`));
    const bundle = await bundleSignedBy([signer]);
    const sig = Buffer.from(bundle.envelopes[0].signatures[0].sig, 'base64');
    assert.equal(sig.length, 64, 'r || s, not DER');
    const remote = await keyVaultVerifier(key('evidence-signing'));
    const local = await keyVaultLocalVerifier(key('evidence-signing'));
    assert.equal(remote.keyid, signer.keyid);
    assert.equal(local.keyid, signer.keyid);
    for (const v of [remote, local]) {
      const r = said(await verify(bundle, [v]));
      assert.deepEqual(r.failures, []);
      assert.equal(r.gates.SecurityGate.keyid, signer.keyid);
    }
    // Configured with the versioned URL, the verifier is pinned to that version.
    assert.equal((await keyVaultVerifier(key('evidence-signing', { keyId: signer.keyid }))).keyid, signer.keyid);
  });

  it('PS256 (default) and RS256 on an RSA key, each verified through Key Vault and locally', async () => {
    for (const algorithm of [undefined, 'RS256'] as const) {
      const signer = await keyVaultSigner(key('evidence-rsa', { algorithm }));
      assert.equal(signer.algorithm, algorithm ?? 'PS256');
      const bundle = await bundleSignedBy([signer]);
      assert.equal(Buffer.from(bundle.envelopes[0].signatures[0].sig, 'base64').length, 384, 'RSA 3072');
      const verifiers = { remote: await keyVaultVerifier(key('evidence-rsa', { algorithm })), local: await keyVaultLocalVerifier(key('evidence-rsa', { algorithm })) };
      for (const [how, v] of Object.entries(verifiers)) {
        assert.equal(v.algorithm, signer.algorithm);
        assert.deepEqual(said(await verify(bundle, [v])).failures, [], `${signer.algorithm}, ${how}`);
      }
      // The same key with the other padding refuses the signature.
      const other = algorithm === 'RS256' ? 'PS256' : 'RS256';
      const wrong = await keyVaultVerifier(key('evidence-rsa', { algorithm: other }));
      const r = said(await verify(bundle, [wrong]));
      assert.deepEqual(r.failures.map((f) => f.code), ['bad-signature', 'bad-signature']);
    }
  });

  it('a Key Vault key and an Ed25519 key co-sign one envelope; either alone is enough to verify', async () => {
    const kv = await keyVaultSigner(key('evidence-signing'));
    const ed = ed25519Pair().signer;
    const bundle = await bundleSignedBy([kv, ed]);
    assert.deepEqual(bundle.envelopes[0].signatures.map((s) => s.keyid), [kv.keyid, ed.keyid]);
    assert.deepEqual(said(await verify(bundle, [ed.verifier()])).failures, []);
    assert.deepEqual(said(await verify(bundle, [await keyVaultLocalVerifier(key('evidence-signing'))])).failures, []);
  });

  it('refuses tampering through the Key Vault verify operation: a changed payload byte, a different key', async () => {
    const signer = await keyVaultSigner(key('evidence-signing'));
    const bundle = await bundleSignedBy([signer]);
    const text = serializeBundle(bundle);
    const at = text.indexOf('"payload":"') + 11 + 300;
    const tampered = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const remote = await keyVaultVerifier(key('evidence-signing'));
    const r1 = said(await verify(tampered, [remote]));
    assert.deepEqual(r1.failures.map((f) => f.code), ['bad-signature']);
    assert.match(r1.failures[0].message, new RegExp(`the signature by key ${signer.keyid.replace(/[.:/]/g, '\\$&')} does not verify`));
    const r2 = said(await verify(bundle, [await keyVaultVerifier(key('evidence-rsa'))]));
    assert.deepEqual(r2.failures.map((f) => f.code), ['unknown-key', 'unknown-key']);
    assert.match(r2.failures[0].message, /signed only by untrusted key https:\/\/127\.0\.0\.1:\d+\/keys\/evidence-signing\/[0-9a-f]{32}; trusted keys: https:\/\/127\.0\.0\.1:\d+\/keys\/evidence-rsa\//);
  });

  it('verifies locally once the public key is read, and reports a vault that refuses to verify', async () => {
    const bundle = await bundleSignedBy([await keyVaultSigner(key('evidence-signing'))]);
    const local = await keyVaultLocalVerifier(key('evidence-signing'));
    const remote = await keyVaultVerifier(key('evidence-signing'));
    const jwk = (await getKeyVaultKey(key('evidence-signing'))).key!;
    const offline = jwkVerifier({ kty: 'EC', crv: 'P-256', x: Buffer.from(jwk.x!).toString('base64url'), y: Buffer.from(jwk.y!).toString('base64url') }, local.keyid);
    azure().faults.add({ match: { path: '/keys/' }, kind: 'status', status: 403 });
    try {
      assert.deepEqual(said(await verify(bundle, [local])).failures, []);
      assert.deepEqual(said(await verify(bundle, [offline])).failures, []);
      const r = said(await verify(bundle, [remote]));
      assert.deepEqual(r.failures.map((f) => f.code), ['verifier-error', 'verifier-error']);
      assert.equal(r.ok, false);
      assert.match(r.failures[0].message, /key https:\/\/127\.0\.0\.1:\d+\/keys\/evidence-signing\/[0-9a-f]{32} could not verify the signature: /);
    } finally {
      azure().faults.clear();
    }
  });

  it('names the key and the problem when a key cannot sign as asked', async () => {
    await assert.rejects(keyVaultSigner(key('evidence-signing', { algorithm: 'PS256' })), (e: Error) => e instanceof KeyError && /keys\/evidence-signing\/[0-9a-f]{32} is an EC key: it signs ES256, not PS256/.test(e.message));
    await assert.rejects(keyVaultSigner(key('evidence-rsa', { algorithm: 'ES256' })), /is an RSA key: it signs PS256 or RS256, not ES256/);
    await assert.rejects(keyVaultSigner(key('x', { keyId: 'https://127.0.0.1:1/keyvault/kv/keys/evidence-signing' })), /is not a Key Vault key id \(expected https:\/\/<vault>\.vault\.azure\.net\/keys\/<name>\[\/<version>\]\)/);
    await assert.rejects(keyVaultSigner(key('no-such-key')), (e: Error & { statusCode?: number }) => e.statusCode === 404);
  });
});
