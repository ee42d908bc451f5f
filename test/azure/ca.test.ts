import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureTestCa, issueServerCert, makeClientCertificate } from './ca';

describe('local Azure: test CA', function () {
  this.timeout(30_000);
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlops-ca-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a CA once and reuses it', () => {
    const first = ensureTestCa(dir);
    const pem = readFileSync(first.caCertPath, 'utf8');
    const ca = new X509Certificate(pem);
    assert.equal(ca.ca, true);
    assert.equal(statSync(first.caKeyPath).mode & 0o077, 0, 'the CA key is readable by its owner only');
    const again = ensureTestCa(dir);
    assert.equal(readFileSync(again.caCertPath, 'utf8'), pem);
  });

  it('issues a server certificate for 127.0.0.1 and localhost, signed by the CA', () => {
    const ca = ensureTestCa(dir);
    const server = issueServerCert(ca, dir);
    const cert = new X509Certificate(server.certPem);
    const caCert = new X509Certificate(readFileSync(ca.caCertPath));
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.ok(cert.checkIssued(caCert) && cert.verify(caCert.publicKey));
    assert.equal(cert.ca, false);
    assert.equal(issueServerCert(ca, dir).certPem, server.certPem, 'reused while valid');
  });

  it('gives one CA to processes that start at the same time (script form prints its path)', async () => {
    const script = join(__dirname, 'ca.js');
    const runs = await Promise.all([1, 2, 3].map(() => promisify(execFile)(process.execPath, [script, dir])));
    const printed = runs.map((r) => r.stdout.trim().split('\n').pop());
    assert.deepEqual(new Set(printed), new Set([join(dir, 'ca.pem')]));
    const ca = new X509Certificate(readFileSync(join(dir, 'ca.pem')));
    const server = new X509Certificate(readFileSync(join(dir, 'server.pem')));
    assert.ok(server.checkIssued(ca) && server.verify(ca.publicKey), 'the server certificate matches the CA that stayed');
  });

  it('makes RSA client certificates with the thumbprints MSAL sends', async () => {
    const a = await makeClientCertificate('sp-test');
    const b = await makeClientCertificate('sp-test');
    assert.match(a.pem, /BEGIN CERTIFICATE[\s\S]+BEGIN PRIVATE KEY/);
    assert.equal(a.x509.publicKey.asymmetricKeyType, 'rsa');
    assert.equal(Buffer.from(a.x5tS256, 'base64url').length, 32);
    assert.equal(Buffer.from(a.x5t, 'base64url').length, 20);
    assert.notEqual(a.x5tS256, b.x5tS256, 'a fresh key and certificate every time');
  });
});
