import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { ed25519SignerFromSecret, ed25519Verifier, keyIdOf, KeyError } from '../../../shared/evidence/keys';
import { registerSecret } from '../../agent/sweep';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('Ed25519 keys', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const rawPublic = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  registerSecret(der.toString('base64'), seed.toString('base64'), seed.toString('base64url'));
  // Independent of keys.ts: SHA-256 over the SPKI DER, first 16 bytes, hex.
  const expectedId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest().subarray(0, 16).toString('hex');

  it('takes every form of the same secret and derives the documented key id', async () => {
    const forms: Record<string, string> = {
      'PKCS#8 PEM': pem,
      'PEM on one line, newlines as spaces': pem.replace(/\n/g, ' '),
      'PEM with literal \\n': pem.replace(/\n/g, '\\n'),
      'base64 PKCS#8 DER': der.toString('base64'),
      'base64url PKCS#8 DER': der.toString('base64url'),
      'base64 raw 32-byte key': seed.toString('base64'),
      'base64 64-byte seed and public key': Buffer.concat([seed, rawPublic]).toString('base64'),
    };
    const message = Buffer.from('DSSEv1 1 t 2 {}');
    for (const [form, secret] of Object.entries(forms)) {
      const signer = ed25519SignerFromSecret(secret);
      assert.equal(signer.keyid, expectedId, form);
      assert.equal(signer.keyid.length, 32);
      const sig = await signer.sign(message);
      assert.equal(sig.length, 64, form);
      assert.equal(await ed25519Verifier(publicKey).verify(message, sig), true, form);
    }
  });

  it('hands verifiers a public key in any of its forms, with the same key id', async () => {
    const signer = ed25519SignerFromSecret(pem);
    const pub = signer.publicKeyPem();
    assert.match(pub, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.doesNotMatch(pub, /PRIVATE/);
    const message = Buffer.from('hello');
    const sig = await signer.sign(message);
    for (const form of [pub, pub.replace(/\n/g, ' '), publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), rawPublic.toString('base64'), rawPublic.toString('base64url')]) {
      const v = ed25519Verifier(form);
      assert.equal(v.keyid, expectedId);
      assert.equal(await v.verify(message, sig), true);
      assert.equal(await v.verify(Buffer.from('hellp'), sig), false);
    }
    assert.equal(keyIdOf(createPublicKey(pub)), expectedId);
    assert.equal(await signer.verifier().verify(message, sig), true);
  });

  it('reads what `openssl genpkey -algorithm ed25519` writes, with the key id openssl computes', async function () {
    if (!hasOpenssl()) this.skip();
    const opensslPem = execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519'], { encoding: 'utf8' });
    registerSecret(opensslPem.replace(/-----[A-Z ]+-----|\s/g, ''));
    const spki = execFileSync('openssl', ['pkey', '-pubout', '-outform', 'DER'], { input: opensslPem });
    const signer = ed25519SignerFromSecret(opensslPem);
    assert.equal(signer.keyid, createHash('sha256').update(spki).digest('hex').slice(0, 32));
    const publicPem = execFileSync('openssl', ['pkey', '-pubout'], { input: opensslPem, encoding: 'utf8' });
    assert.equal(signer.publicKeyPem(), publicPem);
  });

  it('refuses what is not an unencrypted Ed25519 key, without repeating the secret', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const rsaPkcs8 = rsa.export({ type: 'pkcs8', format: 'pem' }).toString();
    const rsaPkcs1 = rsa.export({ type: 'pkcs1', format: 'pem' }).toString();
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'not-a-real-pass' }).toString();
    const otherSeed = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }).d!;
    const mismatched = Buffer.concat([Buffer.from(otherSeed, 'base64url'), rawPublic]).toString('base64');
    registerSecret(rsaPkcs8.replace(/-----[A-Z ]+-----|\s/g, ''), encrypted.replace(/-----[A-Z ]+-----|\s/g, ''), mismatched);
    const cases: Array<[string, RegExp]> = [
      ['', /the Ed25519 secret is empty/],
      ['   ', /the Ed25519 secret is empty/],
      ['not base64 at all!', /neither a PEM nor base64 \(18 characters\)/],
      [Buffer.alloc(20, 7).toString('base64'), /not an Ed25519 key: expected a PKCS#8 PEM.*got 20 bytes/],
      [rsaPkcs8, /the secret is a key of type rsa, not an Ed25519 key/],
      [rsaPkcs1, /the PEM is a "RSA PRIVATE KEY"; expected PKCS#8/],
      [encrypted, /encrypted private key; store it without a passphrase/],
      [mismatched, /does not end with the public key of its first 32 bytes/],
      ['-----BEGIN PRIVATE KEY----- abc', /no complete BEGIN\/END PRIVATE KEY block/],
    ];
    for (const [secret, message] of cases) {
      assert.throws(() => ed25519SignerFromSecret(secret), (e: Error) => {
        assert.ok(e instanceof KeyError, `${e.name}: ${e.message}`);
        assert.match(e.message, message);
        const body = secret.replace(/-----[A-Z ]+-----|\s/g, '');
        if (body.length >= 16) assert.ok(!e.message.includes(body.slice(0, 16)), 'the message repeats the secret');
        return true;
      });
    }
  });

  it('keeps the private key out of JSON', () => {
    const signer = ed25519SignerFromSecret(pem);
    const json = JSON.stringify(signer);
    assert.deepEqual(JSON.parse(json), { algorithm: 'Ed25519', keyid: expectedId });
    assert.ok(!json.includes(seed.toString('base64url')));
  });

  it('refuses public keys that are not Ed25519', () => {
    const ecPub = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.throws(() => ed25519Verifier(ecPub), /Ed25519 needs an Ed25519 key; the key is an EC key on prime256v1/);
    assert.throws(() => ed25519Verifier(Buffer.alloc(31).toString('base64')), /got 31 bytes/);
    assert.throws(() => ed25519Verifier(pem), /no complete BEGIN\/END PUBLIC KEY block/);
  });
});
