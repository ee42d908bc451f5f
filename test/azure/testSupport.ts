/**
 * Helpers for the emulator's own tests: where the trusted CA lives, starting an emulator per suite, and
 * raw HTTP calls with an ARM token.
 */
import { dirname, resolve } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { startLocalAzure, type LocalAzure, type LocalAzureOptions } from './server';

/**
 * The CA folder the test process trusts. The launcher starts mocha with NODE_EXTRA_CA_CERTS=<dir>/ca.pem;
 * Node reads that variable only at start-up, so without it no TLS call to the emulator can succeed.
 */
export function trustedCaDir(): string {
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (!extra) {
    throw new Error(
      'NODE_EXTRA_CA_CERTS is not set: run the tests through scripts/test.mjs, or ' +
        '`node build/test/azure/ca.js .cache/test-ca && NODE_EXTRA_CA_CERTS=.cache/test-ca/ca.pem npx mocha ...`',
    );
  }
  return dirname(resolve(extra));
}

/** Starts an emulator before the suite's tests and closes it after. */
export function useLocalAzure(opts: Omit<LocalAzureOptions, 'caDir'> = {}): () => LocalAzure {
  let azure: LocalAzure | undefined;
  before(async function () {
    this.timeout(30_000);
    azure = await startLocalAzure({ caDir: trustedCaDir(), ...opts });
  });
  after(async () => {
    await azure?.close();
  });
  return () => {
    if (!azure) throw new Error('local Azure not started');
    return azure;
  };
}

export function secretCredential(azure: LocalAzure): ClientSecretCredential {
  return new ClientSecretCredential(azure.tenantId, azure.clientId, azure.clientSecret, { authorityHost: azure.authorityHost, disableInstanceDiscovery: true });
}

export async function armToken(azure: LocalAzure): Promise<string> {
  const t = await secretCredential(azure).getToken('https://management.azure.com/.default');
  return t.token;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** One HTTP call to the emulator; `path` may be absolute (a nextLink) or relative to the root. */
export async function raw(
  azure: LocalAzure,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const url = /^https:/.test(path) ? path : `${azure.armUrl}${path.replace(/^\//, '')}`;
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: parsed };
}

/** The JWT payload, undecoded signature aside. */
export function jwtClaims(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, any>;
}
