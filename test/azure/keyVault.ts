/**
 * Key Vault keys data plane, as @azure/keyvault-keys 4.10 calls it: the vault is served at the root of the
 * emulator's own origin (`/keys/...`), because the client derives a key's vault from its id as
 * `<protocol>//<host>` and cannot keep a path prefix. One vault per emulator, holding the keys of
 * `kv-mlw-hardened-01` when that scenario is loaded.
 *
 * Auth is Key Vault's challenge: a request without a valid token for https://vault.azure.net gets 401 with
 * `WWW-Authenticate: Bearer authorization="<authority>/<tenant>", resource="https://vault.azure.net"`.
 * The host is 127.0.0.1, not *.vault.azure.net, so clients need `disableChallengeResourceVerification: true`.
 * Private keys never leave this process: reads return the public JWK only.
 */
import { generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { stsIssuer } from './accessTokens';
import type { EmulatorContext } from './context';
import { bearerToken, isPlainObject, json, jsonBody, type EmuRequest, type Reply, type Route } from './http';
import type { Clock } from './tokens';
import { digestLength, isSignatureAlgorithm, keyFamilyOf, signDigest, verifyDigest } from './vaultSigning';

export const VAULT_AUDIENCE = 'https://vault.azure.net';
/** First path segments the vault answers. */
const VAULT_ROOTS = new Set(['keys']);
const KEY_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const API_VERSION = /^(\d+\.\d+|\d{4}-\d{2}-\d{2})(-preview(\.\d+)?)?$/i;
const KEY_OPS = ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey', 'import', 'export'];
const RSA_SIZES = [2048, 3072, 4096];

export interface VaultKeySpec {
  name: string;
  kty: 'EC' | 'EC-HSM' | 'RSA' | 'RSA-HSM';
  /** EC only; P-256 when omitted. */
  crv?: 'P-256' | 'P-384';
  /** RSA only; 2048 when omitted. */
  size?: number;
  keyOps?: string[];
  tags?: Record<string, string>;
}

interface KeyVersion {
  name: string;
  version: string;
  kty: string;
  crv?: string;
  keyOps: string[];
  privateKey: KeyObject;
  publicKey: KeyObject;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  tags?: Record<string, string>;
}

/** An error the vault answers with: HTTP status and Key Vault's `{ error: { code, message } }`. */
export class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The vault's keys: every version of every key, oldest version first. Names are case-insensitive. */
export class VaultKeys {
  private readonly byName = new Map<string, KeyVersion[]>();
  private pending: VaultKeySpec[] = [];
  private seeding: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    /** Recoverable when the vault has purge protection (kv-mlw-hardened-01 does). */
    readonly recoveryLevel = 'Recoverable',
  ) {}

  /**
   * Scenario keys: made on the vault's first request (RSA 3072 costs a few hundred ms of CPU, which emulators
   * that never see a vault request should not pay), so to clients they exist from the start.
   */
  seed(specs: VaultKeySpec[]): void {
    this.pending.push(...specs);
  }

  /** Resolves once every seeded key exists. */
  ready(): Promise<void> {
    if (this.pending.length) {
      const specs = this.pending.splice(0);
      this.seeding = this.seeding.then(async () => {
        await Promise.all(specs.map((s) => this.create(s)));
      });
    }
    return this.seeding;
  }

  /** Creates a key, or a new version of an existing one. Throws VaultError on bad parameters. */
  async create(spec: VaultKeySpec & { enabled?: boolean; nbf?: number; exp?: number }): Promise<KeyVersion> {
    if (!KEY_NAME.test(spec.name)) throw new VaultError(400, 'BadParameter', `The key name '${spec.name}' is invalid: use 1-127 letters, digits and dashes.`);
    const isRsa = spec.kty === 'RSA' || spec.kty === 'RSA-HSM';
    const isEc = spec.kty === 'EC' || spec.kty === 'EC-HSM';
    if (!isRsa && !isEc) throw new VaultError(400, 'BadParameter', `Key type '${String(spec.kty)}' is not supported by this vault (RSA, RSA-HSM, EC, EC-HSM).`);
    const ops = spec.keyOps ?? (isRsa ? ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'] : ['sign', 'verify']);
    const unknown = ops.filter((o) => !KEY_OPS.includes(o));
    if (unknown.length) throw new VaultError(400, 'BadParameter', `Invalid key operation(s): ${unknown.join(', ')}.`);
    let pair: { privateKey: KeyObject; publicKey: KeyObject };
    let crv: string | undefined;
    if (isRsa) {
      const size = spec.size ?? 2048;
      if (!RSA_SIZES.includes(size)) throw new VaultError(400, 'BadParameter', `RSA key size ${size} is not supported (${RSA_SIZES.join(', ')}).`);
      pair = await promisify(generateKeyPair)('rsa', { modulusLength: size });
    } else {
      crv = spec.crv ?? 'P-256';
      if (crv !== 'P-256' && crv !== 'P-384') throw new VaultError(400, 'BadParameter', `Curve '${crv}' is not supported by the local vault (P-256, P-384).`);
      pair = await promisify(generateKeyPair)('ec', { namedCurve: crv });
    }
    const now = this.clock.nowSec();
    const key: KeyVersion = {
      name: this.versionsOf(spec.name)[0]?.name ?? spec.name,
      version: randomUUID().replace(/-/g, ''),
      kty: spec.kty,
      crv,
      keyOps: ops,
      privateKey: pair.privateKey,
      publicKey: pair.publicKey,
      enabled: spec.enabled ?? true,
      nbf: spec.nbf,
      exp: spec.exp,
      created: now,
      updated: now,
      tags: spec.tags,
    };
    const lower = spec.name.toLowerCase();
    this.byName.set(lower, [...(this.byName.get(lower) ?? []), key]);
    return key;
  }

  now(): number {
    return this.clock.nowSec();
  }

  versionsOf(name: string): KeyVersion[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }

  /** A version, or the newest one when `version` is empty. */
  find(name: string, version = ''): KeyVersion | undefined {
    const all = this.versionsOf(name);
    return version ? all.find((k) => k.version === version.toLowerCase()) : all[all.length - 1];
  }

  /** The newest version of every key. */
  latest(): KeyVersion[] {
    return [...this.byName.values()].map((v) => v[v.length - 1]);
  }

  sign(key: KeyVersion, alg: unknown, digest: Buffer): Buffer {
    this.usable(key, 'sign', alg, digest);
    return signDigest(alg as never, key.privateKey, digest);
  }

  verify(key: KeyVersion, alg: unknown, digest: Buffer, signature: Buffer): boolean {
    this.usable(key, 'verify', alg, digest);
    return verifyDigest(alg as never, key.publicKey, digest, signature);
  }

  private usable(key: KeyVersion, op: 'sign' | 'verify', alg: unknown, digest: Buffer): void {
    const now = this.clock.nowSec();
    if (!key.enabled) throw new VaultError(403, 'Forbidden', `Operation ${op} is not allowed on a disabled key.`);
    if ((key.nbf !== undefined && now < key.nbf) || (key.exp !== undefined && now > key.exp)) {
      throw new VaultError(403, 'Forbidden', `Operation ${op} is not allowed on a key that is not yet valid or has expired.`);
    }
    if (!key.keyOps.includes(op)) throw new VaultError(403, 'Forbidden', `Operation ${op} is not permitted on this key.`);
    if (!isSignatureAlgorithm(alg)) throw new VaultError(400, 'BadParameter', `Invalid algorithm '${String(alg)}'.`);
    const family = keyFamilyOf(alg);
    const fits = family === 'RSA' ? key.kty.startsWith('RSA') : key.kty.startsWith('EC') && key.crv === family;
    if (!fits) throw new VaultError(400, 'BadParameter', `Algorithm ${alg} does not match the key type ${key.kty}${key.crv ? ` ${key.crv}` : ''}.`);
    if (digest.length !== digestLength(alg)) throw new VaultError(400, 'BadParameter', `Invalid length of digest for ${alg}: ${digest.length} bytes, expected ${digestLength(alg)}.`);
  }
}

/** Pure: the public JWK of a key version, as Key Vault returns it in a key bundle. */
export function publicJwk(key: KeyVersion, kid: string): Record<string, unknown> {
  const jwk = key.publicKey.export({ format: 'jwk' });
  const common = { kid, kty: key.kty, key_ops: key.keyOps };
  return key.kty.startsWith('RSA') ? { ...common, n: jwk.n, e: jwk.e } : { ...common, crv: key.crv, x: jwk.x, y: jwk.y };
}

function attributes(key: KeyVersion, recoveryLevel: string): Record<string, unknown> {
  return {
    enabled: key.enabled,
    ...(key.nbf !== undefined ? { nbf: key.nbf } : {}),
    ...(key.exp !== undefined ? { exp: key.exp } : {}),
    created: key.created,
    updated: key.updated,
    recoveryLevel,
    recoverableDays: 90,
    exportable: false,
  };
}

export function isVaultPath(segments: string[]): boolean {
  return VAULT_ROOTS.has(segments[0]?.toLowerCase() ?? '');
}

export function keyVaultRoute(ctx: EmulatorContext, vault: VaultKeys, location: string): Route {
  return async (req) => {
    if (!isVaultPath(req.segments)) return undefined;
    await vault.ready();
    let reply: Reply;
    try {
      reply = await handle(ctx, vault, req);
    } catch (e) {
      if (!(e instanceof VaultError)) throw e;
      reply = vaultError(e.status, e.code, e.message);
    }
    reply.headers = {
      'x-ms-keyvault-service-version': '1.9.2164.1',
      'x-ms-keyvault-region': location,
      'x-ms-request-id': randomUUID(),
      'cache-control': 'no-cache',
      ...reply.headers,
    };
    return reply;
  };
}

function vaultError(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  return json(status, { error: { code, message } }, headers);
}

async function handle(ctx: EmulatorContext, vault: VaultKeys, req: EmuRequest): Promise<Reply> {
  const problem = tokenProblem(ctx, req);
  if (problem) {
    const challenge = `Bearer authorization="${req.origin}/${ctx.dir.tenantId}", resource="${VAULT_AUDIENCE}"`;
    return vaultError(401, 'Unauthorized', problem, { 'www-authenticate': challenge });
  }
  const apiVersion = req.query.get('api-version');
  if (!apiVersion || !API_VERSION.test(apiVersion)) {
    throw new VaultError(400, 'BadParameter', `The api-version '${apiVersion ?? ''}' is missing or invalid.`);
  }
  // Raw segments keep empty ones: the client sends `/keys/<name>//sign` when it has no version.
  const parts = req.url.pathname.replace(/^\/+/, '').split('/').map(safeDecode);
  const [, name, third, fourth] = parts;
  const m = req.method;
  const kidBase = `${req.origin}/keys`;
  const bundle = (k: KeyVersion) => ({
    key: publicJwk(k, `${kidBase}/${k.name}/${k.version}`),
    attributes: attributes(k, vault.recoveryLevel),
    ...(k.tags ? { tags: k.tags } : {}),
  });
  const mustFind = (version: string) => {
    const k = vault.find(name, version);
    if (!k) {
      throw new VaultError(404, 'KeyNotFound', `A key with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault.`);
    }
    return k;
  };

  if (parts.length === 1 && m === 'GET') {
    const value = vault.latest().map((k) => ({ kid: `${kidBase}/${k.name}`, attributes: attributes(k, vault.recoveryLevel), ...(k.tags ? { tags: k.tags } : {}) }));
    return json(200, { value, nextLink: null });
  }
  if (!name) throw new VaultError(400, 'BadParameter', 'A key name is required.');
  if (parts.length === 3 && third === 'create' && m === 'POST') return json(200, bundle(await createKey(vault, name, readBody(req))));
  if (parts.length === 3 && third === 'versions' && m === 'GET') {
    const all = vault.versionsOf(name);
    if (!all.length) mustFind('');
    const value = all.map((k) => ({ kid: `${kidBase}/${k.name}/${k.version}`, attributes: attributes(k, vault.recoveryLevel), ...(k.tags ? { tags: k.tags } : {}) }));
    return json(200, { value, nextLink: null });
  }
  if (parts.length <= 3 && m === 'GET') return json(200, bundle(mustFind(third ?? '')));
  if (parts.length <= 3 && m === 'PATCH') return json(200, bundle(updateKey(mustFind(third ?? ''), readBody(req), vault.now())));
  if (parts.length === 4 && m === 'POST' && (fourth === 'sign' || fourth === 'verify')) {
    const k = mustFind(third);
    const body = readBody(req);
    const digest = base64url(fourth === 'sign' ? body.value : body.digest, fourth === 'sign' ? 'value' : 'digest');
    if (fourth === 'sign') return json(200, { kid: `${kidBase}/${k.name}/${k.version}`, value: vault.sign(k, body.alg, digest).toString('base64url') });
    return json(200, { value: vault.verify(k, body.alg, digest, base64url(body.value, 'value')) });
  }
  throw new VaultError(405, 'MethodNotAllowed', `The local vault does not implement ${m} ${req.path}.`);
}

/** Why the bearer token does not do for the vault, or undefined when it does. */
function tokenProblem(ctx: EmulatorContext, req: EmuRequest): string | undefined {
  const token = bearerToken(req);
  if (!token) return 'AKV10000: Request is missing a Bearer or PoP token.';
  const jwt = ctx.entraKey.verify(token);
  if (!jwt) return 'The access token is invalid.';
  const c = jwt.payload;
  if (c.iss !== stsIssuer(ctx.dir.tenantId)) return `Invalid issuer. Expected ${stsIssuer(ctx.dir.tenantId)}, found: ${String(c.iss)}.`;
  const aud = typeof c.aud === 'string' ? c.aud.replace(/\/+$/, '').toLowerCase() : '';
  if (aud !== VAULT_AUDIENCE) return `AKV10022: Invalid audience. Expected ${VAULT_AUDIENCE}, found: ${String(c.aud)}.`;
  if (typeof c.exp !== 'number' || c.exp <= ctx.clock.nowSec()) return 'The access token has expired.';
  return undefined;
}

function readBody(req: EmuRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = jsonBody(req);
  } catch {
    throw new VaultError(400, 'BadParameter', 'The request body is not valid JSON.');
  }
  if (!isPlainObject(body)) throw new VaultError(400, 'BadParameter', 'The request body must be a JSON object.');
  return body;
}

function base64url(v: unknown, field: string): Buffer {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]*={0,2}$/.test(v)) throw new VaultError(400, 'BadParameter', `'${field}' must be a base64url string.`);
  return Buffer.from(v, 'base64url');
}

function createKey(vault: VaultKeys, name: string, body: Record<string, unknown>): Promise<KeyVersion> {
  const attrs = isPlainObject(body.attributes) ? body.attributes : {};
  const spec = {
    name,
    kty: body.kty as VaultKeySpec['kty'],
    crv: body.crv as VaultKeySpec['crv'],
    size: typeof body.key_size === 'number' ? body.key_size : undefined,
    keyOps: Array.isArray(body.key_ops) ? body.key_ops.map(String) : undefined,
    tags: isPlainObject(body.tags) ? (body.tags as Record<string, string>) : undefined,
    enabled: typeof attrs.enabled === 'boolean' ? attrs.enabled : undefined,
    nbf: typeof attrs.nbf === 'number' ? attrs.nbf : undefined,
    exp: typeof attrs.exp === 'number' ? attrs.exp : undefined,
  };
  return vault.create(spec);
}

function updateKey(key: KeyVersion, body: Record<string, unknown>, now: number): KeyVersion {
  const attrs = isPlainObject(body.attributes) ? body.attributes : {};
  if (Array.isArray(body.key_ops)) key.keyOps = body.key_ops.map(String);
  if (typeof attrs.enabled === 'boolean') key.enabled = attrs.enabled;
  if (typeof attrs.nbf === 'number') key.nbf = attrs.nbf;
  if (typeof attrs.exp === 'number') key.exp = attrs.exp;
  if (isPlainObject(body.tags)) key.tags = body.tags as Record<string, string>;
  key.updated = now;
  return key;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
