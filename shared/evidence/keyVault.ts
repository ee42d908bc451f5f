/**
 * Signing with an Azure Key Vault key: the private key never leaves the vault. Key Vault has no Ed25519
 * for keys, so an EC P-256 key signs ES256 and an RSA key PS256 (default) or RS256, each over the SHA-256
 * of the DSSE PAE, through the Key Vault `sign` operation.
 *
 * The key id in envelopes is the Key Vault key id URL with its version
 * (`https://<vault>.vault.azure.net/keys/<name>/<version>`): configured without a version, the current
 * version is looked up once and pinned. Verifiers are configured with that versioned URL; two ways to
 * verify are offered: through the Key Vault `verify` operation (needs keys/verify permission and the
 * network) or locally from the key's public JWK (read once with keys/get, or given directly).
 */
import { createHash, createPublicKey, type JsonWebKey as NodeJwk } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import {
  CryptographyClient,
  KeyClient,
  parseKeyVaultKeyIdentifier,
  type CryptographyClientOptions,
  type JsonWebKey,
  type KeyVaultKey,
} from '@azure/keyvault-keys';
import { KeyError, publicKeyVerifier, type Signer, type Verifier } from './keys';

export type KeyVaultAlgorithm = 'ES256' | 'PS256' | 'RS256';

export interface KeyVaultKeyOptions {
  /** Key id URL, with or without its version. */
  keyId: string;
  credential: TokenCredential;
  /** Default: ES256 for EC keys, PS256 for RSA keys. */
  algorithm?: KeyVaultAlgorithm;
  /** Pipeline options for the Key Vault clients (retries, proxy; the local Azure needs disableChallengeResourceVerification). */
  clientOptions?: CryptographyClientOptions;
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

function keyKind(jwk: JsonWebKey | undefined): 'EC' | 'RSA' | string {
  return (jwk?.kty ?? 'unknown').replace(/-HSM$/, '');
}

/** The algorithm a key signs with: the configured one if the key can, else the key type's default. */
export function algorithmFor(jwk: JsonWebKey | undefined, wanted: KeyVaultAlgorithm | undefined, keyId: string): KeyVaultAlgorithm {
  const kind = keyKind(jwk);
  if (kind === 'EC') {
    if (jwk?.crv !== 'P-256') throw new KeyError(`Key Vault key ${keyId} is on curve ${jwk?.crv ?? 'unknown'}; ES256 needs P-256`);
    if (wanted && wanted !== 'ES256') throw new KeyError(`Key Vault key ${keyId} is an EC key: it signs ES256, not ${wanted}`);
    return 'ES256';
  }
  if (kind === 'RSA') {
    if (wanted === 'ES256') throw new KeyError(`Key Vault key ${keyId} is an RSA key: it signs PS256 or RS256, not ES256`);
    return wanted ?? 'PS256';
  }
  throw new KeyError(`Key Vault key ${keyId} is of type ${jwk?.kty ?? 'unknown'}; evidence needs an EC P-256 or RSA key`);
}

function checkUsable(key: KeyVaultKey, operation: 'sign' | 'verify', now = new Date()): void {
  const id = key.id ?? key.name;
  if (key.properties.enabled === false) throw new KeyError(`Key Vault key ${id} is disabled`);
  if (key.properties.expiresOn && key.properties.expiresOn.getTime() < now.getTime()) {
    throw new KeyError(`Key Vault key ${id} expired on ${key.properties.expiresOn.toISOString()}`);
  }
  if (operation === 'sign' && key.properties.notBefore && key.properties.notBefore.getTime() > now.getTime()) {
    throw new KeyError(`Key Vault key ${id} is not valid before ${key.properties.notBefore.toISOString()}`);
  }
  if (key.keyOperations && !key.keyOperations.includes(operation)) {
    throw new KeyError(`Key Vault key ${id} does not allow ${operation} (allowed: ${key.keyOperations.join(', ') || 'none'})`);
  }
}

/** Reads the key (keys/get): its public JWK, type and version. */
export async function getKeyVaultKey(opts: KeyVaultKeyOptions): Promise<KeyVaultKey> {
  let parsed: ReturnType<typeof parseKeyVaultKeyIdentifier>;
  try {
    parsed = parseKeyVaultKeyIdentifier(opts.keyId);
  } catch {
    throw new KeyError(`${opts.keyId} is not a Key Vault key id (expected https://<vault>.vault.azure.net/keys/<name>[/<version>])`);
  }
  const client = new KeyClient(parsed.vaultUrl, opts.credential, opts.clientOptions);
  const key = await client.getKey(parsed.name, parsed.version ? { version: parsed.version } : {});
  if (!key.id) throw new KeyError(`Key Vault returned key ${parsed.name} without an id`);
  return key;
}

/** The key, checked for `operation`, its algorithm and a client bound to it: what the signer and the remote verifier share. */
async function openKey(opts: KeyVaultKeyOptions, operation: 'sign' | 'verify'): Promise<{ keyid: string; algorithm: KeyVaultAlgorithm; client: CryptographyClient }> {
  const key = await getKeyVaultKey(opts);
  checkUsable(key, operation);
  const keyid = key.id!;
  return { keyid, algorithm: algorithmFor(key.key, opts.algorithm, keyid), client: new CryptographyClient(key, opts.credential, opts.clientOptions) };
}

/** A signer whose private key stays in Key Vault (keys/get and keys/sign permissions). */
export async function keyVaultSigner(opts: KeyVaultKeyOptions): Promise<Signer> {
  const { keyid, algorithm, client } = await openKey(opts, 'sign');
  return {
    keyid,
    algorithm,
    async sign(message) {
      const result = await client.sign(algorithm, sha256(message));
      return Buffer.from(result.result);
    },
  };
}

/** Verifies through the Key Vault `verify` operation (keys/get and keys/verify permissions). */
export async function keyVaultVerifier(opts: KeyVaultKeyOptions): Promise<Verifier> {
  const { keyid, algorithm, client } = await openKey(opts, 'verify');
  return {
    keyid,
    algorithm,
    async verify(message, signature) {
      try {
        return (await client.verify(algorithm, sha256(message), signature)).result;
      } catch (e) {
        // A malformed signature (wrong length) is a 400 from the service: an invalid signature, not an outage.
        if ((e as { statusCode?: number }).statusCode === 400) return false;
        throw e;
      }
    },
  };
}

/** Verifies locally with the key's public JWK, read once from Key Vault (keys/get permission). */
export async function keyVaultLocalVerifier(opts: KeyVaultKeyOptions): Promise<Verifier> {
  const key = await getKeyVaultKey(opts);
  if (!key.key) throw new KeyError(`Key Vault returned key ${key.id} without its public key`);
  return jwkVerifier(key.key, key.id!, opts.algorithm);
}

function b64url(v: Uint8Array | string | undefined, what: string, keyid: string): string {
  if (v === undefined) throw new KeyError(`the JWK of ${keyid} has no ${what}`);
  return typeof v === 'string' ? v : Buffer.from(v).toString('base64url');
}

/**
 * A local verifier from a public JWK: as @azure/keyvault-keys returns it (byte arrays) or as plain JSON
 * (base64url strings, e.g. a JWK stored beside the pipeline). `keyid` is the Key Vault key id URL.
 */
export function jwkVerifier(jwk: JsonWebKey | NodeJwk, keyid: string, algorithm?: KeyVaultAlgorithm): Verifier {
  const kind = (jwk.kty ?? '').replace(/-HSM$/, '');
  const alg = algorithmFor({ kty: kind, crv: jwk.crv } as JsonWebKey, algorithm, keyid);
  const node: NodeJwk =
    kind === 'EC'
      ? { kty: 'EC', crv: jwk.crv, x: b64url(jwk.x as Uint8Array | string, 'x', keyid), y: b64url(jwk.y as Uint8Array | string, 'y', keyid) }
      : { kty: 'RSA', n: b64url(jwk.n as Uint8Array | string, 'n', keyid), e: b64url(jwk.e as Uint8Array | string, 'e', keyid) };
  let key;
  try {
    key = createPublicKey({ key: node, format: 'jwk' });
  } catch (e) {
    throw new KeyError(`the JWK of ${keyid} is not a valid ${kind} public key (${(e as Error).message})`);
  }
  return publicKeyVerifier(key, alg, keyid);
}
