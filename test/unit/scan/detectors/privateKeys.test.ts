import * as assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { privateKeyDetector } from '../../../../shared/scan/detectors/privateKeys';
import { gcpDetector } from '../../../../shared/scan/detectors/gcp';
import { expectNone, expectOne, run, runAll } from './_helpers';

function rsa(type: 'pkcs1' | 'pkcs8', encrypted = false): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: encrypted ? { type, format: 'pem', cipher: 'aes-256-cbc', passphrase: 'test-only' } : { type, format: 'pem' },
  }).privateKey;
}

/** An OpenSSH private key container (openssh-key-v1) with the given cipher, random key material. */
function openssh(cipher: 'none' | 'aes256-ctr'): string {
  const str = (b: Buffer | string) => {
    const v = Buffer.isBuffer(b) ? b : Buffer.from(b);
    const n = Buffer.alloc(4);
    n.writeUInt32BE(v.length);
    return Buffer.concat([n, v]);
  };
  const one = Buffer.alloc(4);
  one.writeUInt32BE(1);
  const blob = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'), str(cipher), str(cipher === 'none' ? 'none' : 'bcrypt'), str(cipher === 'none' ? '' : randomBytes(24)), one,
    str(Buffer.concat([str('ssh-ed25519'), str(randomBytes(32))])), str(randomBytes(160)),
  ]);
  const b64 = blob.toString('base64').replace(/.{70}/gu, '$&\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

const trimmed = (pem: string) => pem.trimEnd();

describe('private keys', () => {
  it('PKCS#1 RSA, SEC1 EC, PKCS#8 and OpenSSH keys are critical', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'sec1', format: 'pem' } }).privateKey;
    const ed = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).privateKey;
    for (const [pem, label] of [[rsa('pkcs1'), 'RSA'], [rsa('pkcs8'), 'PKCS#8'], [ec, 'EC'], [ed, 'PKCS#8'], [openssh('none'), 'OpenSSH']] as const) {
      const text = `# deploy key\n${pem}\nmore text`;
      const m = expectOne(run(privateKeyDetector, text), text, trimmed(pem), 'SEC-PK-001');
      assert.ok(m.message.includes(label), m.message);
    }
  });

  it('encrypted keys (PKCS#8, traditional Proc-Type, OpenSSH with a cipher) are medium', () => {
    for (const pem of [rsa('pkcs8', true), rsa('pkcs1', true), openssh('aes256-ctr')]) {
      expectOne(run(privateKeyDetector, pem), pem, trimmed(pem), 'SEC-PK-002');
    }
  });

  it('keys inside JSON strings and code with \\n escapes', () => {
    const pem = rsa('pkcs8');
    const json = JSON.stringify({ name: 'signer', key: pem });
    const m = run(privateKeyDetector, json);
    assert.equal(m.length, 1);
    assert.equal(m[0].ruleId, 'SEC-PK-001');
    assert.ok(json.slice(m[0].start, m[0].end).startsWith('-----BEGIN PRIVATE KEY-----\\n'));
  });

  it('Google service-account JSON is reported once, as a GCP key', () => {
    const sa = JSON.stringify({ type: 'service_account', project_id: 'ml-proj', private_key_id: randomBytes(20).toString('hex'), private_key: rsa('pkcs8'), client_email: 'trainer@ml-proj.iam.gserviceaccount.com' }, null, 2);
    expectNone(run(privateKeyDetector, sa), 'left to gcp.ts');
    assert.equal(run(gcpDetector, sa).filter((m) => m.ruleId === 'SEC-GCP-001').length, 1);
    assert.deepEqual(runAll(sa).map((m) => m.ruleId), ['SEC-GCP-001']);
  });

  it('PuTTY key files', () => {
    const body = randomBytes(200).toString('base64').replace(/.{64}/gu, '$&\n');
    const ppk = (enc: string) => `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: ${enc}\nComment: ci\nPublic-Lines: 2\nAAAA\nBBBB\nPrivate-Lines: 4\n${body}\nPrivate-MAC: ${randomBytes(32).toString('hex')}\n`;
    assert.equal(run(privateKeyDetector, ppk('none'))[0].ruleId, 'SEC-PK-001');
    assert.equal(run(privateKeyDetector, ppk('aes256-cbc'))[0].ruleId, 'SEC-PK-002');
  });

  it('look-alikes: public keys, certificates, documentation stubs, headers without a body', () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    expectNone(run(privateKeyDetector, pair.publicKey), 'public key');
    expectNone(run(privateKeyDetector, '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----'), 'elided stub');
    expectNone(run(privateKeyDetector, '-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----'), 'placeholder');
    expectNone(run(privateKeyDetector, 'if (pem.startsWith("-----BEGIN PRIVATE KEY-----")) parse(pem); // "-----END PRIVATE KEY-----"'), 'code that parses keys');
    expectNone(run(privateKeyDetector, '-----BEGIN PRIVATE KEY-----\n' + 'A'.repeat(64 * 20) + '\n-----END PRIVATE KEY-----'), 'filler body');
    expectNone(run(privateKeyDetector, '-----BEGIN PRIVATE KEY-----\n' + randomBytes(600).toString('base64')), 'no END line');
  });
});
