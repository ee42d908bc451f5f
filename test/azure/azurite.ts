/**
 * Azurite, the blob service of the tests: started per suite (or reused from CI), HTTPS with the emulator's
 * certificate (SAN 127.0.0.1/localhost, signed by the test CA), `--oauth basic` so the local Entra's tokens for
 * https://storage.azure.com are accepted, path-style URLs `https://127.0.0.1:<port>/<account>/<container>/…`.
 *
 * Accounts are the scenarios' storage accounts plus any the caller names; their keys are random per start,
 * registered with the test secret sweep and never written anywhere (Azurite reads them from AZURITE_ACCOUNTS).
 * The emulator signs SAS tokens with them (sas.ts).
 *
 * CI (.ci/run) may start one Azurite for the whole run: it exports AZURITE_BLOB_URL and AZURITE_ACCOUNTS, and
 * startAzurite then reuses it (close() leaves it running).
 *
 * Script use: `node build/test/azure/azurite.js --ca-dir D --location L [--port N]` serves until SIGTERM and
 * prints `AZURITE_BLOB_URL=<url>` (keys stay in the process; CI passes them in AZURITE_ACCOUNTS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { registerSecret } from '../agent/sweep';
import { ensureTestCa, issueServerCert } from './ca';
import { registryStorageAccount } from './scenarios/models';
import { startLocalAzure, type LocalAzure, type LocalAzureOptions } from './server';
import { trustedCaDir } from './testSupport';

/** Storage accounts every scenario may use (hardened, insecure, the registry, benchmarks). */
export const AZURITE_ACCOUNT_NAMES: readonly string[] = [
  'stmlwhardened01',
  'stmlwinsecure01',
  'stmlwprod01',
  'stlandingpartner01',
  'stbenchsource01',
  'stbenchtarget01',
  'stbenchother01',
  'devstoreaccount1',
  registryStorageAccount('rg-ml-hardened', 'contoso-models'),
  registryStorageAccount('rg-bench-promote', 'bench-registry'),
];

export interface Azurite {
  /** `https://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  /** `127.0.0.1:<port>`: the `endpoint` a datastore at this Azurite carries. */
  host: string;
  /** Account name → base64 key. */
  keys: ReadonlyMap<string, string>;
  /** Process id when this helper started it. */
  pid?: number;
  /** Access log lines seen so far (only for an Azurite this helper started with `accessLog: true`). */
  accessLog(): string[];
  close(): Promise<void>;
}

export interface AzuriteOptions {
  caDir: string;
  /** Data folder; default a temp folder removed on close. */
  location?: string;
  port?: number;
  /** More account names (registry storage accounts are derived from their names). */
  accounts?: readonly string[];
  /** Keep Azurite's access log in memory (benchmarks count request bytes with it). */
  accessLog?: boolean;
  /** Ignore AZURITE_BLOB_URL (benchmarks want their own instance). */
  own?: boolean;
  /** Account keys to use instead of fresh ones (the CLI, given AZURITE_ACCOUNTS). */
  keys?: ReadonlyMap<string, string>;
}

const MAIN = resolve(__dirname, '../../../node_modules/azurite/dist/src/blob/main.js');

/** Parses `name:key;name:key` (Azurite's AZURITE_ACCOUNTS). */
export function parseAccounts(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(';')) {
    const i = part.indexOf(':');
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).split(':')[0].trim());
  }
  return out;
}

export function accountsEnv(keys: ReadonlyMap<string, string>): string {
  return [...keys].map(([n, k]) => `${n}:${k}`).join(';');
}

/** Random keys for the account names (deduplicated), each registered with the secret sweep. */
export function newAccountKeys(names: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const n of names) {
    if (keys.has(n)) continue;
    const k = randomBytes(64).toString('base64');
    registerSecret(k);
    keys.set(n, k);
  }
  return keys;
}

export async function startAzurite(opts: AzuriteOptions): Promise<Azurite> {
  const reuse = process.env.AZURITE_BLOB_URL;
  if (reuse && !opts.own) {
    const keys = parseAccounts(process.env.AZURITE_ACCOUNTS ?? '');
    for (const k of keys.values()) registerSecret(k);
    const missing = [...AZURITE_ACCOUNT_NAMES, ...(opts.accounts ?? [])].filter((n) => !keys.has(n));
    if (missing.length) throw new Error(`AZURITE_BLOB_URL is set but AZURITE_ACCOUNTS lacks ${missing.join(', ')}: start Azurite with build/test/azure/azurite.js`);
    const url = reuse.replace(/\/+$/, '');
    return { url, host: new URL(url).host, keys, accessLog: () => [], close: async () => undefined };
  }
  const ca = ensureTestCa(opts.caDir);
  const cert = issueServerCert(ca, opts.caDir);
  const keys = opts.keys ?? newAccountKeys([...AZURITE_ACCOUNT_NAMES, ...(opts.accounts ?? [])]);
  const temp = opts.location ? undefined : mkdtempSync(join(tmpdir(), 'mlops-azurite-'));
  const location = opts.location ?? (temp as string);
  mkdirSync(location, { recursive: true });
  const args = [
    MAIN, '--blobHost', '127.0.0.1', '--blobPort', String(opts.port ?? 0), '--cert', cert.certPath, '--key', cert.keyPath,
    '--oauth', 'basic', '--skipApiVersionCheck', '--loose', '--disableTelemetry', '--location', location,
    ...(opts.accessLog ? [] : ['--silent']),
  ];
  const child = spawn(process.execPath, args, { env: { ...process.env, AZURITE_ACCOUNTS: accountsEnv(keys) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within 30 s: ${err.slice(0, 500)}`)), 30_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listens on (https:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1].replace(/\/+$/, ''));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Azurite exited (${code}) before listening: ${err.slice(0, 500)}`));
    });
  });
  if (opts.accessLog) {
    let rest = '';
    child.stdout!.on('data', (c: Buffer) => {
      const lines = (rest + c.toString()).split('\n');
      rest = lines.pop() ?? '';
      log.push(...lines.filter((l) => /"(GET|PUT|HEAD|POST|DELETE) /.test(l)));
    });
  } else {
    child.stdout!.resume();
  }
  child.stderr!.resume();
  return {
    url,
    host: new URL(url).host,
    keys,
    pid: child.pid,
    accessLog: () => log.slice(),
    close: () => stop(child, temp),
  };
}

/** Starts Azurite, then the local Azure on it, before the suite's tests; closes both after. */
export function useLocalAzureWithBlobs(opts: Omit<LocalAzureOptions, 'caDir' | 'azurite'> = {}): () => { azure: LocalAzure; azurite: Azurite } {
  let azurite: Azurite | undefined;
  let azure: LocalAzure | undefined;
  before(async function () {
    this.timeout(60_000);
    azurite = await startAzurite({ caDir: trustedCaDir() });
    azure = await startLocalAzure({ caDir: trustedCaDir(), ...opts, azurite });
  });
  after(async () => {
    await azure?.close();
    await azurite?.close();
  });
  return () => {
    if (!azure || !azurite) throw new Error('local Azure with Azurite not started');
    return { azure, azurite };
  };
}

function stop(child: ChildProcess, temp: string | undefined): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      if (temp) rmSync(temp, { recursive: true, force: true });
      done();
    };
    if (child.exitCode !== null || child.signalCode !== null) return finish();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      finish();
    });
    child.kill('SIGTERM');
  });
}

if (require.main === module) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const caDir = arg('--ca-dir') ?? '.cache/test-ca';
  const location = arg('--location') ?? '.cache/azurite';
  const port = Number(arg('--port') ?? 0);
  // CI hands the keys in (AZURITE_ACCOUNTS) so that test processes can sign SAS tokens with them too.
  const given = process.env.AZURITE_ACCOUNTS;
  void (async () => {
    const az = await startAzurite({ caDir, location, port, own: true, ...(given ? { keys: parseAccounts(given) } : {}) });
    process.stdout.write(`AZURITE_BLOB_URL=${az.url}\n`);
    const bye = () => void az.close().then(() => process.exit(0));
    process.on('SIGTERM', bye);
    process.on('SIGINT', bye);
  })().catch((e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
}
