/**
 * Certificates for the probe test servers, made with the openssl CLI into a temp folder that the caller removes.
 * Trusted ones are issued by the project's test CA (the one NODE_EXTRA_CA_CERTS names), so the probe trusts them
 * the way production trusts a real CA; the untrusted one is self-signed. `openssl ca` is used because it takes
 * explicit start and end dates, which is how an already expired certificate is made.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCa } from '../azure/ca';

export interface LeafCert {
  cert: string;
  key: string;
}

export interface LeafSpec {
  /** subjectAltName, e.g. `IP:127.0.0.1` or `DNS:other.example.test`. */
  san: string;
  /** Validity window relative to now, in days (negative: in the past). */
  fromDays: number;
  toDays: number;
}

const DAY_MS = 86_400_000;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** YYYYMMDDHHMMSSZ, the form `openssl ca -startdate/-enddate` takes. */
function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

function config(dir: string, san: string): string {
  return `
[ca]
default_ca = probe_ca
[probe_ca]
database = ${join(dir, 'index.txt')}
new_certs_dir = ${dir}
serial = ${join(dir, 'serial')}
default_md = sha256
policy = policy_any
unique_subject = no
[policy_any]
commonName = supplied
[req]
distinguished_name = dn
prompt = no
[dn]
CN = probe test server
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = ${san}
`;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A leaf certificate signed by `ca`, valid from now+fromDays to now+toDays. */
export function issueLeaf(ca: TestCa, dir: string, name: string, spec: LeafSpec): LeafCert {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  const cnf = join(d, 'openssl.cnf');
  writeFileSync(cnf, config(d, spec.san));
  writeFileSync(join(d, 'index.txt'), '');
  writeFileSync(join(d, 'serial'), `${randomBytes(8).toString('hex')}\n`);
  openssl(['req', '-new', '-config', cnf, ...EC_KEY, '-keyout', 'key.pem', '-out', 'req.csr'], d);
  const now = Date.now();
  openssl([
    'ca', '-batch', '-config', cnf, '-cert', ca.caCertPath, '-keyfile', ca.caKeyPath, '-in', 'req.csr', '-out', 'cert.pem',
    '-extensions', 'leaf', '-notext',
    '-startdate', asn1Time(new Date(now + spec.fromDays * DAY_MS)), '-enddate', asn1Time(new Date(now + spec.toDays * DAY_MS)),
  ], d);
  return { cert: readFileSync(join(d, 'cert.pem'), 'utf8'), key: readFileSync(join(d, 'key.pem'), 'utf8') };
}

/** A self-signed certificate for `san`: right name and dates, but no trusted issuer. */
export function selfSigned(dir: string, name: string, san: string): LeafCert {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  const cnf = join(d, 'openssl.cnf');
  writeFileSync(cnf, config(d, san));
  openssl(['req', '-x509', '-config', cnf, '-extensions', 'leaf', ...EC_KEY, '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '365'], d);
  return { cert: readFileSync(join(d, 'cert.pem'), 'utf8'), key: readFileSync(join(d, 'key.pem'), 'utf8') };
}
