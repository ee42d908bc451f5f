import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { decodeBase64Strict } from '../../../shared/evidence/base64';
import { checkSignatures, IN_TOTO_PAYLOAD_TYPE, pae, parseEnvelope, signEnvelope } from '../../../shared/evidence/dsse';
import { jwkVerifier } from '../../../shared/evidence/keyVault';
import { publicKeyVerifier, type Verifier } from '../../../shared/evidence/keys';
import { ed25519Pair } from './fixtures';

/** A decimal integer as a 32-byte big-endian base64url string (a JWK coordinate). */
function coord(decimal: string): string {
  return Buffer.from(BigInt(decimal).toString(16).padStart(64, '0'), 'hex').toString('base64url');
}

describe('DSSE', () => {
  describe('PAE', () => {
    it('matches the specification\'s test vector', () => {
      assert.equal(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString('latin1'), 'DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    });

    it('counts bytes, not characters, and frames arbitrary bodies', () => {
      // Worked by hand: "application/vnd.in-toto+json" is 28 bytes, "{}" is 2.
      assert.equal(pae(IN_TOTO_PAYLOAD_TYPE, Buffer.from('{}')).toString('latin1'), 'DSSEv1 28 application/vnd.in-toto+json 2 {}');
      assert.equal(pae('t', Buffer.alloc(0)).toString('latin1'), 'DSSEv1 1 t 0 ');
      // "é" is two bytes in UTF-8; a body of 3 bytes containing a space and a newline.
      assert.deepEqual(pae('é', Buffer.from([0x20, 0x0a, 0xff])), Buffer.concat([Buffer.from('DSSEv1 2 '), Buffer.from([0xc3, 0xa9]), Buffer.from(' 3 '), Buffer.from([0x20, 0x0a, 0xff])]));
      // Lengths make the framing unambiguous: moving a space between type and body changes the bytes.
      assert.notDeepEqual(pae('a b', Buffer.from('c')), pae('a', Buffer.from('b c')));
      assert.equal(pae('x', Buffer.alloc(1000)).subarray(0, 16).toString('latin1'), 'DSSEv1 1 x 1000 ');
    });

    it('verifies the specification\'s ECDSA P-256 envelope with a local ES256 verifier (r || s signatures)', async () => {
      const verifier = jwkVerifier(
        {
          kty: 'EC',
          crv: 'P-256',
          x: coord('46950820868899156662930047687818585632848591499744589407958293238635476079160'),
          y: coord('5640078356564379163099075877009565129882514886557779369047442380624545832820'),
        },
        'spec-key',
      );
      const sig = Buffer.from('A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==', 'base64');
      const message = pae('http://example.com/HelloWorld', Buffer.from('hello world'));
      assert.equal(await verifier.verify(message, sig), true);
      assert.equal(await verifier.verify(pae('http://example.com/HelloWorld', Buffer.from('hello worle')), sig), false);
      const bent = Buffer.from(sig);
      bent[40] ^= 1;
      assert.equal(await verifier.verify(message, bent), false);
      assert.equal(await verifier.verify(message, sig.subarray(0, 63)), false, 'a short signature is false, not an exception');
    });
  });

  describe('strict base64', () => {
    it('takes canonical standard and URL-safe base64, padded or not, and nothing else', () => {
      const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x68, 0x69]);
      assert.deepEqual(decodeBase64Strict(bytes.toString('base64')), bytes);
      assert.deepEqual(decodeBase64Strict(bytes.toString('base64url')), bytes);
      assert.deepEqual(decodeBase64Strict('-_-_aGk='), Buffer.from('-_-_aGk=', 'base64url'));
      assert.deepEqual(decodeBase64Strict(''), Buffer.alloc(0));
      for (const bad of [
        'aGVsbG8gd29ybGR=', // unused bits set: decodes like aGVsbG8gd29ybGQ= in Node
        'aGVs bG8=', // whitespace
        '+/-_', // mixed alphabets
        'aGk==', // wrong padding
      ]) {
        assert.equal(decodeBase64Strict(bad), undefined, bad);
      }
      assert.deepEqual(decodeBase64Strict('aGk'), Buffer.from('hi'));
      assert.equal(decodeBase64Strict('a'), undefined);
      assert.equal(decodeBase64Strict('aGk=\n'), undefined);
    });
  });

  describe('envelope', () => {
    const good = () => ({ payload: Buffer.from('{}').toString('base64'), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ keyid: 'k1', sig: Buffer.alloc(64, 1).toString('base64') }] });

    it('parses a well-formed envelope, URL-safe base64 included', () => {
      assert.deepEqual(parseEnvelope(good()), good());
      const urlSafe = { ...good(), payload: Buffer.from([0xfb, 0xff]).toString('base64url') };
      assert.equal(parseEnvelope(urlSafe).payload, '-_8');
    });

    it('refuses malformed envelopes naming the member at fault', () => {
      const cases: Array<[unknown, RegExp]> = [
        [[], /envelope is not a JSON object/],
        [{ ...good(), payload: undefined }, /envelope\.payload is missing/],
        [{ ...good(), payload: 'e31=' }, /envelope\.payload is not canonical base64/],
        [{ ...good(), payloadType: '' }, /payloadType is missing or empty/],
        [{ ...good(), signatures: [] }, /signatures is missing or empty/],
        [{ ...good(), signatures: [{ sig: 'AA==' }] }, /signatures\[0\]\.keyid is missing/],
        [{ ...good(), signatures: [{ keyid: 'k1', sig: 'AB==' }] }, /signatures\[0\]\.sig \(key k1\) is not canonical base64/],
        [{ ...good(), signature: [] }, /envelope has unknown member "signature"/],
        [{ ...good(), signatures: [{ keyid: 'k1', sig: 'AA==', cert: 'x' }] }, /signatures\[0\] has unknown member "cert"/],
      ];
      for (const [value, message] of cases) assert.throws(() => parseEnvelope(value), message);
    });
  });

  describe('signatures', () => {
    it('signs with several keys and checks each: valid, invalid, unknown key, verifier failure', async () => {
      const a = ed25519Pair().signer;
      const b = ed25519Pair().signer;
      const env = await signEnvelope(Buffer.from('{"a":1}'), IN_TOTO_PAYLOAD_TYPE, [a, b]);
      assert.deepEqual(env.signatures.map((s) => s.keyid), [a.keyid, b.keyid]);
      assert.equal(Buffer.from(env.payload, 'base64').toString(), '{"a":1}');
      assert.deepEqual(await checkSignatures(env, [a.verifier(), b.verifier()]), [{ keyid: a.keyid, status: 'valid' }, { keyid: b.keyid, status: 'valid' }]);
      assert.deepEqual((await checkSignatures(env, [a.verifier()])).map((c) => c.status), ['valid', 'unknown-key']);
      // A verifier that claims a's key id but holds another key: the signature is invalid, never "valid by another key".
      const impostor: Verifier = { ...b.verifier(), keyid: a.keyid, verify: b.verifier().verify };
      assert.deepEqual((await checkSignatures(env, [impostor])).map((c) => c.status), ['invalid', 'unknown-key']);
      const down: Verifier = { keyid: a.keyid, algorithm: 'Ed25519', verify: async () => { throw new Error('vault unreachable'); } };
      assert.deepEqual(await checkSignatures({ ...env, signatures: [env.signatures[0]] }, [down]), [{ keyid: a.keyid, status: 'error', detail: 'vault unreachable' }]);
      // The payload type is signed: changing it invalidates the signature.
      assert.deepEqual((await checkSignatures({ ...env, payloadType: 'application/json' }, [a.verifier()])).map((c) => c.status), ['invalid', 'unknown-key']);
      await assert.rejects(signEnvelope(Buffer.alloc(1), 't', []), /no signing key/);
      await assert.rejects(signEnvelope(Buffer.alloc(1), 't', [a, a]), /share one key id/);
    });

    it('verifies ES256, PS256 and RS256 over the SHA-256 of the PAE, as Key Vault signs', async () => {
      const { createSign, constants } = await import('node:crypto');
      const message = pae(IN_TOTO_PAYLOAD_TYPE, Buffer.from('{"x":true}'));
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const es = createSign('sha256').update(message).sign({ key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
      const ps = createSign('sha256').update(message).sign({ key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
      const rs = createSign('sha256').update(message).sign(rsa.privateKey);
      assert.equal(await publicKeyVerifier(ec.publicKey, 'ES256').verify(message, es), true);
      assert.equal(await publicKeyVerifier(rsa.publicKey, 'PS256').verify(message, ps), true);
      assert.equal(await publicKeyVerifier(rsa.publicKey, 'RS256').verify(message, rs), true);
      // Each algorithm refuses the other's signature and a DER-encoded ECDSA signature.
      assert.equal(await publicKeyVerifier(rsa.publicKey, 'RS256').verify(message, ps), false);
      assert.equal(await publicKeyVerifier(rsa.publicKey, 'PS256').verify(message, rs), false);
      const der = createSign('sha256').update(message).sign(ec.privateKey);
      assert.equal(await publicKeyVerifier(ec.publicKey, 'ES256').verify(message, der), false);
      assert.throws(() => publicKeyVerifier(ec.publicKey, 'PS256'), /PS256 needs an RSA key of 2048 bits or more; the key is an EC key on prime256v1/);
      assert.throws(() => publicKeyVerifier(rsa.publicKey, 'Ed25519'), /Ed25519 needs an Ed25519 key; the key is a key of type rsa of 2048 bits/);
      const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
      assert.throws(() => publicKeyVerifier(small.publicKey, 'RS256'), /of 1024 bits/);
    });
  });
});
