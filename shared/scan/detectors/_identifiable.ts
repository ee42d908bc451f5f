/**
 * Microsoft "identifiable" keys, HIS v1: base64 of N random bytes where bytes [N-8, N-4) carry a 4-character
 * signature that shows literally in the encoded text and the last 4 bytes hold Marvin32(bytes[0, N-4), seed)
 * little-endian. The signature sits 10 characters before the end of the unpadded text (4 signature + 6
 * checksum characters). Finding the signature, checking the fixed window around it and verifying the
 * checksum proves the key without any context.
 */
import { ANY_BASE64, BASE62, BASE64, BASE64URL, isIn, type CharClass } from './_boundaries';
import { marvin32, readUint32Le, type MarvinSeed } from './_marvin';

export interface HisV1Seed {
  seed: MarvinSeed;
  /** What a key with this seed is, for the message (e.g. "master read-write key"). */
  label: string;
}

export interface HisV1Shape {
  /** Decoded key length in bytes: 32, 39, 40 or 64. */
  bytes: number;
  /** Alphabet of the random part: standard base64, URL-safe base64 or base62 only. */
  alphabet: 'base64' | 'base64url' | 'base62';
}

/** Encoded length without padding, the signature offset in it, and the padding a full encoding carries. */
export function hisV1Geometry(bytes: number): { core: number; sigOffset: number; padding: number } {
  const core = Math.ceil((bytes * 4) / 3);
  const padding = (4 - (core % 4)) % 4;
  return { core, sigOffset: core - 10, padding };
}

function alphabetClass(a: HisV1Shape['alphabet']): CharClass {
  return a === 'base64' ? BASE64 : a === 'base64url' ? BASE64URL : BASE62;
}

/**
 * Where a key whose signature was found at `sigAt` would sit, when its characters, boundaries and
 * optional padding fit the shape; undefined otherwise. `end` includes the padding when present.
 */
export function hisV1Window(text: string, sigAt: number, shape: HisV1Shape): { start: number; coreEnd: number; end: number } | undefined {
  const g = hisV1Geometry(shape.bytes);
  const start = sigAt - g.sigOffset;
  const coreEnd = start + g.core;
  if (start < 0 || coreEnd > text.length) return undefined;
  if (isIn(text, start - 1, ANY_BASE64)) return undefined;
  const cls = alphabetClass(shape.alphabet);
  for (let i = start; i < coreEnd; i++) {
    if (i >= sigAt && i < sigAt + 4) continue; // the signature itself was matched by the caller
    const c = text.charCodeAt(i);
    if (c >= 128 || cls[c] !== 1) return undefined;
  }
  let end = coreEnd;
  let pads = 0;
  while (pads < g.padding && text.charCodeAt(end) === 61 /* = */) {
    end++;
    pads++;
  }
  // Padding is all or nothing, and nothing base64-like may follow.
  if (pads !== 0 && pads !== g.padding) return undefined;
  if (isIn(text, end, ANY_BASE64) || text.charCodeAt(end) === 61) return undefined;
  return { start, coreEnd, end };
}

function decode(core: string, padding: number): Buffer {
  return Buffer.from(core + '='.repeat(padding), core.includes('-') || core.includes('_') ? 'base64url' : 'base64');
}

/** The first seed whose Marvin32 checksum matches the key's last 4 bytes, or undefined. */
export function hisV1VerifiedSeed(core: string, shape: HisV1Shape, seeds: readonly HisV1Seed[]): HisV1Seed | undefined {
  const g = hisV1Geometry(shape.bytes);
  if (core.length !== g.core) return undefined;
  const bytes = decode(core, g.padding);
  if (bytes.length !== shape.bytes) return undefined;
  const stored = readUint32Le(bytes, shape.bytes - 4);
  for (const s of seeds) {
    if (marvin32(bytes, 0, shape.bytes - 4, s.seed) === stored) return s;
  }
  return undefined;
}

/**
 * Azure Cache for Redis also issues keys whose base64 had '+' and '/' replaced by 'P' and 'F' after the
 * checksum was written (so they are base62 only). Such a key checks out when recomputing the checksum over
 * its decoded bytes and applying the same replacement reproduces it.
 */
export function redisReplacedCharsVerified(core: string, seed: MarvinSeed): boolean {
  const g = hisV1Geometry(32);
  if (core.length !== g.core) return false;
  const bytes = decode(core, g.padding);
  if (bytes.length !== 32) return false;
  const c = marvin32(bytes, 0, 28, seed);
  bytes[28] = c & 0xff;
  bytes[29] = (c >>> 8) & 0xff;
  bytes[30] = (c >>> 16) & 0xff;
  bytes[31] = (c >>> 24) & 0xff;
  const again = bytes.toString('base64').slice(0, g.core).replaceAll('+', 'P').replaceAll('/', 'F');
  return again === core;
}
