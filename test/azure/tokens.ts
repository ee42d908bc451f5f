/**
 * JWT primitives for the emulator: RS256 signing with per-start keys, signature checks for RS256 and PS256
 * (MSAL signs certificate assertions with PS256 when it has a SHA-256 thumbprint), and a clock tests can move.
 */
import { KeyObject, constants, createHash, generateKeyPair, randomUUID, sign, verify } from 'node:crypto';
import { promisify } from 'node:util';

export type Claims = Record<string, unknown>;

export interface DecodedJwt {
  header: Claims;
  payload: Claims;
  signingInput: string;
  signature: Buffer;
}

/** Emulator time: real time plus an offset, so a test can expire tokens without waiting. */
export class Clock {
  offsetSec = 0;
  nowSec(): number {
    return Math.floor(Date.now() / 1000) + this.offsetSec;
  }
}

function b64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Splits and parses a compact JWS; undefined when it is not one. Does not check the signature. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Claims {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when the JWS signature is valid for `key` under the header's alg (RS256 or PS256 only). */
export function verifySignature(jwt: DecodedJwt, key: KeyObject): boolean {
  const data = Buffer.from(jwt.signingInput);
  try {
    if (jwt.header.alg === 'RS256') return verify('sha256', data, key, jwt.signature);
    if (jwt.header.alg === 'PS256') {
      return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, jwt.signature);
    }
  } catch {
    return false;
  }
  return false;
}

/** An RSA key the emulator signs tokens with; `kid` is the base64url SHA-256 of the public key. */
export class SigningKey {
  private constructor(
    readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
    readonly kid: string,
  ) {}

  static async generate(): Promise<SigningKey> {
    const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
    const kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 27);
    return new SigningKey(privateKey, publicKey, kid);
  }

  sign(payload: Claims, extraHeader: Claims = {}): string {
    const input = `${b64urlJson({ typ: 'JWT', alg: 'RS256', kid: this.kid, ...extraHeader })}.${b64urlJson(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), this.privateKey).toString('base64url')}`;
  }

  /** Decodes `token` and checks it was signed by this key; undefined otherwise. */
  verify(token: string): DecodedJwt | undefined {
    const jwt = decodeJwt(token);
    if (!jwt || jwt.header.kid !== this.kid || !verifySignature(jwt, this.publicKey)) return undefined;
    return jwt;
  }

  /** The public key as a JWK, for the JWKS endpoints. */
  jwk(): Claims {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { kty: 'RSA', use: 'sig', kid: this.kid, x5t: this.kid, n: jwk.n, e: jwk.e, alg: 'RS256' };
  }
}

export function newTokenId(): string {
  return randomUUID();
}
