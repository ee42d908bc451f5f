/**
 * Signatures over a digest the caller already computed, as Key Vault's sign/verify operations take them.
 * node:crypto only signs messages (it hashes them itself), so the digest-level steps are done here:
 * RS* = PKCS#1 v1.5 DigestInfo through the raw RSA private operation, PS* = EMSA-PSS encoding (salt length =
 * digest length, as Key Vault uses) through the raw RSA operation, ES* = ECDSA on the curve with BigInt
 * arithmetic, signatures in JWS form (r || s, fixed width). Private keys stay KeyObjects; the EC scalar is read
 * from the key only for the duration of a signature.
 */
import { constants, createHash, privateEncrypt, publicDecrypt, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

export type SignatureAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384';
export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384'];

type Hash = 'sha256' | 'sha384' | 'sha512';
const HASH_OF: Record<SignatureAlgorithm, Hash> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
  ES256: 'sha256',
  ES384: 'sha384',
};
const HASH_LENGTH: Record<Hash, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** DER prefix of the DigestInfo for each hash (RFC 8017 section 9.2, note 1). */
const DIGEST_INFO: Record<Hash, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

export function isSignatureAlgorithm(x: unknown): x is SignatureAlgorithm {
  return typeof x === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(x);
}

/** Length in bytes of the digest `alg` signs. */
export function digestLength(alg: SignatureAlgorithm): number {
  return HASH_LENGTH[HASH_OF[alg]];
}

/** The key family an algorithm needs: RSA for RS and PS, the named curve for ES. */
export function keyFamilyOf(alg: SignatureAlgorithm): 'RSA' | 'P-256' | 'P-384' {
  if (alg === 'ES256') return 'P-256';
  if (alg === 'ES384') return 'P-384';
  return 'RSA';
}

/** Signs `digest` (already hashed with the algorithm's hash). Throws when key and algorithm do not fit. */
export function signDigest(alg: SignatureAlgorithm, privateKey: KeyObject, digest: Buffer): Buffer {
  const hash = HASH_OF[alg];
  if (digest.length !== HASH_LENGTH[hash]) throw new Error(`${alg} signs a ${HASH_LENGTH[hash]}-byte digest, got ${digest.length} bytes`);
  if (alg.startsWith('RS')) {
    return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO[hash], digest]));
  }
  if (alg.startsWith('PS')) {
    const bits = modulusBits(privateKey);
    const em = pssEncode(digest, hash, bits - 1);
    return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, leftPad(em, Math.ceil(bits / 8)));
  }
  return ecdsaSign(curveOf(privateKey, alg), privateKey, digest);
}

/** True when `signature` is a valid `alg` signature of `digest` under `publicKey`; false for anything malformed. */
export function verifyDigest(alg: SignatureAlgorithm, publicKey: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const hash = HASH_OF[alg];
  if (digest.length !== HASH_LENGTH[hash]) return false;
  try {
    if (alg.startsWith('RS')) {
      const expected = Buffer.concat([DIGEST_INFO[hash], digest]);
      const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
      return recovered.length === expected.length && timingSafeEqual(recovered, expected);
    }
    if (alg.startsWith('PS')) {
      const bits = modulusBits(publicKey);
      if (signature.length !== Math.ceil(bits / 8)) return false;
      const em = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
      return pssVerify(digest, hash, em, bits - 1);
    }
    return ecdsaVerify(curveOf(publicKey, alg), publicKey, digest, signature);
  } catch {
    return false;
  }
}

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || !bits) throw new Error('an RSA key is needed');
  return bits;
}

function leftPad(b: Buffer, length: number): Buffer {
  return b.length >= length ? b : Buffer.concat([Buffer.alloc(length - b.length), b]);
}

// ---- EMSA-PSS (RFC 8017 section 9.1) ----

function mgf1(seed: Buffer, length: number, hash: Hash): Buffer {
  const out: Buffer[] = [];
  for (let counter = 0; out.length * HASH_LENGTH[hash] < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    out.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(out).subarray(0, length);
}

function pssEncode(mHash: Buffer, hash: Hash, emBits: number): Buffer {
  const hLen = HASH_LENGTH[hash];
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(hLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, emLen - hLen - 1, hash);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

function pssVerify(mHash: Buffer, hash: Hash, decrypted: Buffer, emBits: number): boolean {
  const hLen = HASH_LENGTH[hash];
  const emLen = Math.ceil(emBits / 8);
  // The raw RSA output has the modulus' length; EM is its last emLen bytes and anything before must be zero.
  const lead = decrypted.subarray(0, decrypted.length - emLen);
  if (lead.some((b) => b !== 0)) return false;
  const em = decrypted.subarray(decrypted.length - emLen);
  if (em[em.length - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = (0xff << (8 - (8 * emLen - emBits))) & 0xff;
  if ((maskedDb[0] & topMask) !== 0) return false;
  const mask = mgf1(h, maskedDb.length, hash);
  const db = Buffer.from(maskedDb.map((b, i) => b ^ mask[i]));
  db[0] &= 0xff >> (8 * emLen - emBits);
  const psLen = emLen - 2 * hLen - 2;
  if (db.subarray(0, psLen).some((b) => b !== 0) || db[psLen] !== 1) return false;
  const salt = db.subarray(psLen + 1);
  const h2 = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return timingSafeEqual(h, h2);
}

// ---- ECDSA over NIST prime curves (a = -3), Jacobian coordinates ----

interface Curve {
  name: 'P-256' | 'P-384';
  p: bigint;
  b: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
  bytes: number;
}

/** Domain parameters from FIPS 186-4 appendix D.1.2; the unit tests check G is on the curve and n·G = O. */
export const CURVES: Record<'P-256' | 'P-384', Curve> = {
  'P-256': {
    name: 'P-256',
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    bytes: 32,
  },
  'P-384': {
    name: 'P-384',
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    bytes: 48,
  },
};

const JWK_CURVE: Record<string, 'P-256' | 'P-384'> = { prime256v1: 'P-256', secp384r1: 'P-384' };

function curveOf(key: KeyObject, alg: SignatureAlgorithm): Curve {
  const named = key.asymmetricKeyType === 'ec' ? JWK_CURVE[key.asymmetricKeyDetails?.namedCurve ?? ''] : undefined;
  if (!named || named !== keyFamilyOf(alg)) throw new Error(`${alg} needs a ${keyFamilyOf(alg)} key`);
  return CURVES[named];
}

type Point = { x: bigint; y: bigint; z: bigint };
const INFINITY: Point = { x: 1n, y: 1n, z: 0n };

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function inverse(a: bigint, m: bigint): bigint {
  // Fermat: m is prime for both p and n.
  return powMod(mod(a, m), m - 2n, m);
}

function powMod(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = base;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

function double(c: Curve, P: Point): Point {
  if (P.z === 0n || P.y === 0n) return INFINITY;
  const { p } = c;
  const zz = (P.z * P.z) % p;
  const m = mod(3n * (P.x - zz) * (P.x + zz), p);
  const yy = (P.y * P.y) % p;
  const s = (4n * P.x * yy) % p;
  const x = mod(m * m - 2n * s, p);
  const y = mod(m * (s - x) - 8n * yy * yy, p);
  const z = (2n * P.y * P.z) % p;
  return { x, y, z };
}

function add(c: Curve, P: Point, Q: Point): Point {
  if (P.z === 0n) return Q;
  if (Q.z === 0n) return P;
  const { p } = c;
  const z1z1 = (P.z * P.z) % p;
  const z2z2 = (Q.z * Q.z) % p;
  const u1 = (P.x * z2z2) % p;
  const u2 = (Q.x * z1z1) % p;
  const s1 = (P.y * Q.z * z2z2) % p;
  const s2 = (Q.y * P.z * z1z1) % p;
  if (u1 === u2) return s1 === s2 ? double(c, P) : INFINITY;
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const hh = (h * h) % p;
  const hhh = (h * hh) % p;
  const v = (u1 * hh) % p;
  const x = mod(r * r - hhh - 2n * v, p);
  const y = mod(r * (v - x) - s1 * hhh, p);
  const z = (P.z * Q.z * h) % p;
  return { x, y, z };
}

function multiply(c: Curve, k: bigint, P: Point): Point {
  let result = INFINITY;
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    result = double(c, result);
    if ((k >> i) & 1n) result = add(c, result, P);
  }
  return result;
}

function affine(c: Curve, P: Point): { x: bigint; y: bigint } | undefined {
  if (P.z === 0n) return undefined;
  const zi = inverse(P.z, c.p);
  const zi2 = (zi * zi) % c.p;
  return { x: (P.x * zi2) % c.p, y: (P.y * zi2 * zi) % c.p };
}

/** Exposed for the tests: the curve's generator times `k`, in affine form (undefined for the point at infinity). */
export function generatorTimes(curveName: 'P-256' | 'P-384', k: bigint): { x: bigint; y: bigint } | undefined {
  const c = CURVES[curveName];
  return affine(c, multiply(c, k, { x: c.gx, y: c.gy, z: 1n }));
}

export function isOnCurve(curveName: 'P-256' | 'P-384', x: bigint, y: bigint): boolean {
  const { p, b } = CURVES[curveName];
  return mod(y * y - (x * x * x - 3n * x + b), p) === 0n;
}

function toBigInt(b: Buffer): bigint {
  return b.length ? BigInt(`0x${b.toString('hex')}`) : 0n;
}

function toFixed(v: bigint, bytes: number): Buffer {
  return Buffer.from(v.toString(16).padStart(bytes * 2, '0'), 'hex');
}

/** The digest as an integer, truncated to the bit length of n (SEC 1 section 4.1.3 step 5). */
function digestInteger(c: Curve, digest: Buffer): bigint {
  const e = toBigInt(digest);
  const excess = digest.length * 8 - c.n.toString(2).length;
  return excess > 0 ? e >> BigInt(excess) : e;
}

function randomScalar(c: Curve): bigint {
  for (;;) {
    const k = toBigInt(randomBytes(c.bytes));
    if (k > 0n && k < c.n) return k;
  }
}

function ecdsaSign(c: Curve, privateKey: KeyObject, digest: Buffer): Buffer {
  const d = toBigInt(Buffer.from(String(privateKey.export({ format: 'jwk' }).d), 'base64url'));
  const e = digestInteger(c, digest);
  for (;;) {
    const k = randomScalar(c);
    const R = affine(c, multiply(c, k, { x: c.gx, y: c.gy, z: 1n }));
    if (!R) continue;
    const r = R.x % c.n;
    if (r === 0n) continue;
    const s = mod(inverse(k, c.n) * (e + r * d), c.n);
    if (s === 0n) continue;
    return Buffer.concat([toFixed(r, c.bytes), toFixed(s, c.bytes)]);
  }
}

function ecdsaVerify(c: Curve, publicKey: KeyObject, digest: Buffer, signature: Buffer): boolean {
  if (signature.length !== 2 * c.bytes) return false;
  const r = toBigInt(signature.subarray(0, c.bytes));
  const s = toBigInt(signature.subarray(c.bytes));
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const jwk = publicKey.export({ format: 'jwk' });
  const Q: Point = { x: toBigInt(Buffer.from(String(jwk.x), 'base64url')), y: toBigInt(Buffer.from(String(jwk.y), 'base64url')), z: 1n };
  const w = inverse(s, c.n);
  const u1 = (digestInteger(c, digest) * w) % c.n;
  const u2 = (r * w) % c.n;
  const X = affine(c, add(c, multiply(c, u1, { x: c.gx, y: c.gy, z: 1n }), multiply(c, u2, Q)));
  return X !== undefined && X.x % c.n === r;
}
