/**
 * The local test CA and the certificates the emulator serves or hands out, made with the openssl CLI.
 *
 * Nothing here is committed: the first test run creates the CA under a cache folder and later runs reuse it,
 * so every Node process started with NODE_EXTRA_CA_CERTS=<ca.pem> trusts the emulator. Several processes may
 * start at once (mocha on Node 20 and 24, the demo), so creation is guarded by a lock directory and files
 * appear by rename: a reader that sees ca.pem sees a complete pair.
 *
 * Script use: `node build/test/azure/ca.js <dir>` prints the CA certificate path as its last line.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash, generateKeyPair, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export interface TestCa {
  caCertPath: string;
  caKeyPath: string;
}

export interface IssuedCert {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

/** A client certificate for the emulator's service principal: PEM text holding the certificate and its RSA key. */
export interface ClientCertificate {
  /** Certificate followed by its private key, the form @azure/identity and Azure DevOps connections take. */
  pem: string;
  certPem: string;
  x509: X509Certificate;
  /** base64url SHA-1 and SHA-256 of the DER certificate, as MSAL puts them in `x5t` / `x5t#S256`. */
  x5t: string;
  x5tS256: string;
}

const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = MLOps Gates local test CA
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
[v3_client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
`;

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Runs `fn` with a scratch folder holding the openssl config; the folder (and any key in it) is removed after. */
function withScratch<T>(parent: string, fn: (dir: string, cnf: string) => T): T {
  const dir = mkdtempSync(join(parent, '.scratch-'));
  try {
    const cnf = join(dir, 'openssl.cnf');
    writeFileSync(cnf, OPENSSL_CONFIG);
    return fn(dir, cnf);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `create` unless `done()` already holds, under a lock directory shared by every process using `dir`.
 * A lock older than 30 s is taken to belong to a crashed process and broken.
 */
function createOnce(dir: string, name: string, done: () => boolean, create: () => void): void {
  const lock = join(dir, `.${name}.lock`);
  const deadline = Date.now() + 60_000;
  while (!done()) {
    try {
      mkdirSync(lock);
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* the lock went away meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      sleepSync(50);
      continue;
    }
    try {
      if (!done()) create();
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Makes (or reuses) a self-signed P-256 CA in `dir`: ca.pem and ca-key.pem. */
export function ensureTestCa(dir: string): TestCa {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const caCertPath = join(root, 'ca.pem');
  const caKeyPath = join(root, 'ca-key.pem');
  const done = () => existsSync(caCertPath) && existsSync(caKeyPath);
  createOnce(root, 'ca', done, () =>
    withScratch(root, (tmp, cnf) => {
      const key = join(tmp, 'ca-key.pem');
      const cert = join(tmp, 'ca.pem');
      openssl(['req', '-x509', '-config', cnf, '-extensions', 'v3_ca', ...EC_KEY, '-keyout', key, '-out', cert, '-days', '3650']);
      // Key first, certificate last: ca.pem existing is the signal that the pair is complete.
      renameSync(key, caKeyPath);
      renameSync(cert, caCertPath);
    }),
  );
  return { caCertPath, caKeyPath };
}

/**
 * Issues (or reuses) the emulator's TLS certificate, SAN `IP:127.0.0.1, DNS:localhost`, signed by `ca`.
 * Reused while it is younger than the CA and valid for at least another day.
 */
export function issueServerCert(ca: TestCa, dir: string): IssuedCert {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const certPath = join(root, 'server.pem');
  const keyPath = join(root, 'server-key.pem');
  const caCert = new X509Certificate(readFileSync(ca.caCertPath));
  const usable = () => {
    if (!existsSync(certPath) || !existsSync(keyPath)) return false;
    try {
      const cert = new X509Certificate(readFileSync(certPath));
      return cert.checkIssued(caCert) && cert.verify(caCert.publicKey) && Date.parse(cert.validTo) - Date.now() > 86_400_000;
    } catch {
      return false;
    }
  };
  createOnce(root, 'server', usable, () =>
    withScratch(root, (tmp, cnf) => {
      const key = join(tmp, 'server-key.pem');
      const csr = join(tmp, 'server.csr');
      const cert = join(tmp, 'server.pem');
      openssl(['req', '-new', '-config', cnf, '-subj', '/CN=localhost', ...EC_KEY, '-keyout', key, '-out', csr]);
      openssl([
        'x509', '-req', '-in', csr, '-CA', ca.caCertPath, '-CAkey', ca.caKeyPath, '-set_serial', `0x${randomBytes(12).toString('hex')}`,
        '-days', '825', '-extfile', cnf, '-extensions', 'v3_server', '-out', cert,
      ]);
      renameSync(key, keyPath);
      renameSync(cert, certPath);
    }),
  );
  return { certPath, keyPath, certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
}

/**
 * A fresh self-signed RSA client certificate (MSAL signs client assertions with RS256/PS256, so RSA it is).
 * Made per emulator start and never written anywhere but a scratch folder that is removed at once.
 */
export async function makeClientCertificate(commonName: string): Promise<ClientCertificate> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certPem = withScratch(tmpdir(), (tmp, cnf) => {
    const key = join(tmp, 'client-key.pem');
    const cert = join(tmp, 'client.pem');
    writeFileSync(key, keyPem, { mode: 0o600 });
    openssl(['req', '-x509', '-new', '-config', cnf, '-extensions', 'v3_client', '-key', key, '-subj', `/CN=${commonName}`, '-days', '365', '-out', cert]);
    return readFileSync(cert, 'utf8');
  });
  const x509 = new X509Certificate(certPem);
  const digest = (alg: string) => createHash(alg).update(x509.raw).digest('base64url');
  return { pem: `${certPem.trim()}\n${keyPem.trim()}\n`, certPem, x509, x5t: digest('sha1'), x5tS256: digest('sha256') };
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node build/test/azure/ca.js <dir>\n');
    process.exit(2);
  }
  const ca = ensureTestCa(dir);
  issueServerCert(ca, dir);
  process.stdout.write(`${ca.caCertPath}\n`);
}
