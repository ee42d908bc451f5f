/**
 * Signing and verification keys behind one pair of interfaces, so the envelope code does not care whether a
 * key is an Ed25519 secret from a pipeline variable or an Azure Key Vault key.
 *
 * What a signer signs is the DSSE pre-authentication encoding (PAE) of the payload. Ed25519 signs those
 * bytes directly (pure Ed25519); ES256, PS256 and RS256 sign their SHA-256, as JWS does.
 *
 * Key id of a local key: the lower-case hex of the first 16 bytes of SHA-256 over the public key's
 * SubjectPublicKeyInfo DER (32 hex characters). Anyone holding the public key can recompute it:
 *   openssl pkey -in key.pem -pubout -outform DER | openssl dgst -sha256 | cut -c1-32   (on the hex digest)
 * It is a hint to pick the key, never trusted by itself: the signature still has to verify.
 */
import { constants, createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { decodeBase64Strict } from './base64';

export type SignatureAlgorithm = 'Ed25519' | 'ES256' | 'PS256' | 'RS256';

export interface Signer {
  /** What the envelope's `keyid` says: a local key's id, or a Key Vault key id URL with its version. */
  readonly keyid: string;
  readonly algorithm: SignatureAlgorithm;
  /** Signs `message` (the PAE bytes). */
  sign(message: Uint8Array): Promise<Buffer>;
}

export interface Verifier {
  readonly keyid: string;
  readonly algorithm: SignatureAlgorithm;
  /** True when `signature` is a valid signature of `message` (the PAE bytes) by this key. */
  verify(message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

export class KeyError extends Error {
  override name = 'KeyError';
}

/** Key id of a local public key (see the header comment). */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 32);
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): SEQUENCE { INTEGER 0, AlgorithmIdentifier
// { 1.3.101.112 }, OCTET STRING { OCTET STRING seed } }.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// SPKI wrapping of a raw 32-byte Ed25519 public key.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function describeKey(key: KeyObject): string {
  const type = key.asymmetricKeyType ?? 'unknown';
  return type === 'ec' ? `an EC key on ${key.asymmetricKeyDetails?.namedCurve ?? 'an unknown curve'}` : `a key of type ${type}`;
}

/** PEM may reach a pipeline variable as one line: newlines turned into spaces or into literal `\n`. */
function pemBody(text: string, kind: 'PRIVATE' | 'PUBLIC'): Buffer {
  const m = new RegExp(`-----BEGIN ((?:[A-Z0-9]+ )*)${kind} KEY-----([\\s\\S]*?)-----END \\1${kind} KEY-----`).exec(text);
  if (!m) throw new KeyError(`the PEM has no complete BEGIN/END ${kind} KEY block`);
  const label = m[1].trim();
  const body = m[2];
  if (label === 'ENCRYPTED') {
    throw new KeyError('the PEM is an encrypted private key; store it without a passphrase (openssl pkey -in key.pem -out plain.pem)');
  }
  if (label !== '') {
    throw new KeyError(`the PEM is a "${label} ${kind} KEY"; expected PKCS#8 ("${kind} KEY"), as openssl genpkey writes it`);
  }
  const der = decodeBase64Strict(body.replace(/\\[nr]/g, '').replace(/\s+/g, ''));
  if (!der) throw new KeyError('the PEM body is not valid base64');
  return der;
}

function ed25519PrivateKey(secret: string): KeyObject {
  const text = secret.trim();
  let der: Buffer;
  if (text.includes('-----BEGIN')) {
    der = pemBody(text, 'PRIVATE');
  } else {
    const bytes = decodeBase64Strict(text.replace(/\s+/g, ''));
    if (!bytes) throw new KeyError(`the Ed25519 secret is neither a PEM nor base64 (${text.length} characters)`);
    if (bytes.length === 32) {
      der = Buffer.concat([ED25519_PKCS8_PREFIX, bytes]);
    } else if (bytes.length === 64) {
      // Seed followed by the public key (libsodium and NaCl write secret keys this way).
      const key = privateFromDer(Buffer.concat([ED25519_PKCS8_PREFIX, bytes.subarray(0, 32)]));
      const pub = createPublicKey(key).export({ format: 'jwk' }).x;
      if (pub !== bytes.subarray(32).toString('base64url')) {
        throw new KeyError('the 64-byte Ed25519 secret does not end with the public key of its first 32 bytes');
      }
      return key;
    } else {
      der = bytes;
    }
  }
  return privateFromDer(der);
}

function privateFromDer(der: Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    // The library's message is about ASN.1 internals; say what was expected instead.
    throw new KeyError(`the secret is not an Ed25519 key: expected a PKCS#8 PEM, or base64 of PKCS#8 DER (48 bytes) or of a raw 32-byte key, got ${der.length} bytes`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError(`the secret is ${describeKey(key)}, not an Ed25519 key`);
  return key;
}

/** Verifies locally with a public key: Ed25519, or ES256 / PS256 / RS256 over SHA-256. */
export function publicKeyVerifier(publicKey: KeyObject, algorithm: SignatureAlgorithm, keyid: string = keyIdOf(publicKey)): Verifier {
  checkKeyFits(publicKey, algorithm);
  const options = verifyOptions(publicKey, algorithm);
  return {
    keyid,
    algorithm,
    async verify(message, signature) {
      if (algorithm === 'ES256' && signature.length !== 64) return false;
      try {
        return verify(algorithm === 'Ed25519' ? null : 'sha256', message, options, signature);
      } catch {
        // Malformed signatures make OpenSSL throw rather than answer false.
        return false;
      }
    },
  };
}

function verifyOptions(key: KeyObject, algorithm: SignatureAlgorithm) {
  switch (algorithm) {
    case 'Ed25519':
      return { key };
    case 'ES256':
      // JWS and Key Vault give ECDSA signatures as r || s, 32 bytes each, not DER.
      return { key, dsaEncoding: 'ieee-p1363' as const };
    case 'PS256':
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    case 'RS256':
      return { key, padding: constants.RSA_PKCS1_PADDING };
  }
}

export function checkKeyFits(key: KeyObject, algorithm: SignatureAlgorithm): void {
  const type = key.asymmetricKeyType;
  const fits =
    algorithm === 'Ed25519' ? type === 'ed25519'
    : algorithm === 'ES256' ? type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
    : type === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;
  if (!fits) throw new KeyError(`${algorithm} needs ${needs(algorithm)}; the key is ${describeKey(key)}${type === 'rsa' ? ` of ${key.asymmetricKeyDetails?.modulusLength} bits` : ''}`);
}

function needs(algorithm: SignatureAlgorithm): string {
  return algorithm === 'Ed25519' ? 'an Ed25519 key' : algorithm === 'ES256' ? 'an EC key on P-256' : 'an RSA key of 2048 bits or more';
}

/** An Ed25519 key from a secret pipeline variable. */
export class Ed25519Signer implements Signer {
  readonly algorithm = 'Ed25519' as const;
  readonly keyid: string;
  readonly #key: KeyObject;
  readonly #publicKey: KeyObject;

  constructor(privateKey: KeyObject) {
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
      throw new KeyError(`an Ed25519 private key is needed; got ${privateKey.type} ${describeKey(privateKey)}`);
    }
    this.#key = privateKey;
    this.#publicKey = createPublicKey(privateKey);
    this.keyid = keyIdOf(this.#publicKey);
  }

  async sign(message: Uint8Array): Promise<Buffer> {
    return sign(null, message, this.#key);
  }

  /** The SPKI PEM to configure verifiers with. */
  publicKeyPem(): string {
    return this.#publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  verifier(): Verifier {
    return publicKeyVerifier(this.#publicKey, 'Ed25519', this.keyid);
  }

  /** Keeps the private key out of logs and JSON. */
  toJSON(): object {
    return { algorithm: this.algorithm, keyid: this.keyid };
  }
}

/**
 * Accepts what `openssl genpkey -algorithm ed25519` and node:crypto produce: a PKCS#8 PEM (newlines may be
 * spaces or literal `\n`), or base64 (standard or URL-safe) of the PKCS#8 DER, of the raw 32-byte key, or of
 * the 64-byte seed-and-public-key form. Errors never repeat the secret.
 */
export function ed25519SignerFromSecret(secret: string): Ed25519Signer {
  if (!secret || !secret.trim()) throw new KeyError('the Ed25519 secret is empty');
  return new Ed25519Signer(ed25519PrivateKey(secret));
}

/** A verifier for an Ed25519 public key: SPKI PEM, or base64 of the SPKI DER or of the raw 32 bytes. */
export function ed25519Verifier(publicKey: string | KeyObject): Verifier {
  let key: KeyObject;
  if (typeof publicKey !== 'string') {
    key = publicKey.type === 'private' ? createPublicKey(publicKey) : publicKey;
  } else {
    const text = publicKey.trim();
    let der: Buffer;
    if (text.includes('-----BEGIN')) {
      der = pemBody(text, 'PUBLIC');
    } else {
      const bytes = decodeBase64Strict(text.replace(/\s+/g, ''));
      if (!bytes) throw new KeyError(`the Ed25519 public key is neither a PEM nor base64 (${text.length} characters)`);
      der = bytes.length === 32 ? Buffer.concat([ED25519_SPKI_PREFIX, bytes]) : bytes;
    }
    try {
      key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    } catch {
      throw new KeyError(`not an Ed25519 public key: expected an SPKI PEM, or base64 of SPKI DER (44 bytes) or of the raw 32-byte key, got ${der.length} bytes`);
    }
  }
  return publicKeyVerifier(key, 'Ed25519');
}
