/**
 * Key-shaped test values, built at run time from random bytes and each format's own checksum algorithm, so no
 * real-looking secret is ever committed. The generators follow the issuers' construction (bit-shifted signature,
 * checksum written into the bytes, base32 layout ...) rather than the detectors' validation code, and use
 * Node's zlib.crc32 and BigInt arithmetic where the detectors use their own helpers.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import * as zlib from 'node:zlib';
import { marvin32, seedFromAscii } from '../../../../shared/scan/detectors/_marvin';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function randomFrom(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

export const randomBase62 = (n: number): string => randomFrom(BASE62, n);
export const randomHex = (n: number): string => randomFrom('0123456789abcdef', n);
export const randomBase64 = (n: number): string => randomFrom(B64, n);

/** Replaces the character at `i` by another one of the same class, keeping the shape. */
export function flipChar(s: string, i: number): string {
  const c = s[i];
  const pool = /[0-9]/u.test(c) ? '0123456789' : /[a-z]/u.test(c) ? 'abcdefghijklmnopqrstuvwxyz' : /[A-Z]/u.test(c) ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' : c === '+' ? '/' : '+';
  let d = c;
  while (d === c) d = pool[randomInt(pool.length)];
  return s.slice(0, i) + d + s.slice(i + 1);
}

// ---- HIS v1 identifiable keys (IdentifiableSecrets.GenerateBase64KeyHelper) ----

export type HisAlphabet = 'base64' | 'base64url' | 'base62';

/** Signature bytes placed at [L-8, L-4) so the signature shows literally in the encoded key. */
function placeSignature(key: Buffer, signature: string): void {
  const L = key.length;
  const sig = Buffer.from(signature, 'base64'); // 3 bytes
  const spill = ((L - 7) * 8) % 6;
  const mask = spill === 2 ? 0xfcffffff : spill === 4 ? 0xf0ffffff : 0xffffffff;
  let v = (key[L - 8] << 24) >>> 0;
  v = (v & mask) >>> 0;
  v = (v | (sig[0] << (16 + spill)) | (sig[1] << (8 + spill)) | (sig[2] << spill)) >>> 0;
  key[L - 8] = (v >>> 24) & 0xff;
  key[L - 7] = (v >>> 16) & 0xff;
  key[L - 6] = (v >>> 8) & 0xff;
  key[L - 5] = v & 0xff;
}

function hisV1Once(signature: string, bytes: number, seedName: string, urlSafe: boolean): string {
  const key = randomBytes(bytes);
  placeSignature(key, signature);
  const c = marvin32(key, 0, bytes - 4, seedFromAscii(seedName));
  key.writeUInt32LE(c, bytes - 4);
  const text = key.toString('base64');
  return urlSafe ? text.replace(/\+/gu, '-').replace(/\//gu, '_') : text;
}

export function hisV1Key(signature: string, bytes: number, seedName: string, alphabet: HisAlphabet = 'base64'): string {
  for (;;) {
    const k = hisV1Once(signature, bytes, seedName, alphabet !== 'base64');
    if (alphabet !== 'base62' || /^[A-Za-z0-9]+=*$/u.test(k)) return k;
  }
}

/** Azure Cache for Redis keys with '+' and '/' replaced by 'P' and 'F' after the checksum. */
export function redisReplacedKey(): string {
  for (;;) {
    const k = hisV1Key('AzCa', 32, 'Access00');
    if (!/[+/]/u.test(k)) continue;
    const replaced = Buffer.from(k.replace(/\+/gu, 'P').replace(/\//gu, 'F'), 'base64');
    replaced.writeUInt32LE(marvin32(replaced, 0, 28, seedFromAscii('Access00')), 28);
    const out = replaced.toString('base64').replace(/\+/gu, 'P').replace(/\//gu, 'F');
    if (out.includes('AzCa')) return out;
  }
}

// ---- CASK / HIS v2 ----

function base62OfBytes(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let s = '';
  while (n > 0n) {
    s = BASE62[Number(n % 62n)] + s;
    n /= 62n;
  }
  let zeros = 0;
  while (zeros < bytes.length - 1 && bytes[zeros] === 0) zeros++;
  return '0'.repeat(zeros) + (s || '0');
}

export function caskKey(providerSignature: string, providerData = 'AAAA', date = 'BF'): string {
  const head = randomBase62(52) + 'JQQJ99' + date + 'A'.repeat(12) + providerData + providerSignature;
  const bytes = Buffer.from(head, 'base64');
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(marvin32(bytes, 0, 60, seedFromAscii('Default0')));
  return head + base62OfBytes(sum).padEnd(6, '0').slice(0, 4);
}

// ---- Entra client secrets ----

const ENTRA_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~';
const UNRESERVED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_~';

export function entraSecret(): string {
  const head = randomFrom(UNRESERVED, 3) + '8Q~' + randomFrom(UNRESERVED, 31);
  let n = marvin32(Buffer.from(head, 'latin1'), 0, head.length, seedFromAscii('AadPwd00'));
  const digits: string[] = [];
  while (n > 0) {
    digits.unshift(ENTRA_ALPHABET[n % 66]);
    n = Math.floor(n / 66);
  }
  while (digits.length < 6) digits.unshift('a');
  return head + digits.slice(0, 3).join('');
}

export const entraLegacySecret = (): string => randomFrom(UNRESERVED, 3) + '7Q~' + randomFrom(UNRESERVED, 31);

// ---- Azure DevOps legacy PAT ----

function base32(bytes: Uint8Array): string {
  const A = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  let s = '';
  for (let i = 0; i < bits.length; i += 5) s += A[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return s;
}

export function adoLegacyPat(kind: 'user' | 'app' = 'user'): string {
  const b = randomBytes(32);
  const body = Buffer.concat([b.subarray(0, 2), b.subarray(3, 7), b.subarray(9, 22), b.subarray(23, 32)]);
  const sum = (zlib.crc32(body) ^ (kind === 'user' ? 0xe0b9692d : 0x1019f92e)) >>> 0;
  b[22] = sum & 0xff;
  b[8] = (sum >>> 8) & 0xff;
  b[7] = (sum >>> 16) & 0xff;
  b[2] = (sum >>> 24) & 0xff;
  return base32(b);
}

// ---- GitHub / npm (CRC32 in base62) ----

export function crc32Token(prefix: string): string {
  const body = randomBase62(30);
  let n = zlib.crc32(body);
  let s = '';
  while (n > 0) {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return prefix + body + s.padStart(6, '0');
}

// ---- JWT ----

export function jwt(payload: Record<string, unknown>, alg = 'HS256'): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc({ alg, typ: 'JWT' })}.${enc(payload)}`;
  return `${head}.${createHmac('sha256', randomBytes(32)).update(head).digest('base64url')}`;
}

/** A 64-byte key in the legacy 88-character form (no signature, no checksum). */
export const legacyStorageKey = (): string => randomBytes(64).toString('base64');
/** A 32-byte SAS / shared access key (44 characters). */
export const sharedAccessKey = (): string => randomBytes(32).toString('base64');
