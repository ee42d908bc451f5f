/**
 * Marvin32, the .NET string hash Microsoft uses as the embedded checksum of its identifiable keys
 * (HIS v1, CASK, Entra `8Q~` client secrets). Written from the algorithm description in SymCrypt and
 * microsoft/security-utilities; 32-bit arithmetic only, no BigInt, so checking a candidate costs ~100 ns.
 */

/** A 64-bit seed as two uint32 halves. */
export interface MarvinSeed {
  lo: number;
  hi: number;
}

/** Seeds are 8 ASCII characters read big-endian (e.g. "Default0" = 0x44656661756c7430). */
export function seedFromAscii(name: string): MarvinSeed {
  if (name.length !== 8) throw new Error(`Marvin seed name must be 8 characters: ${name}`);
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 4; i++) hi = ((hi << 8) | name.charCodeAt(i)) >>> 0;
  for (let i = 4; i < 8; i++) lo = ((lo << 8) | name.charCodeAt(i)) >>> 0;
  return { lo, hi };
}

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/** The full 64-bit Marvin state after hashing `bytes[start, end)`: `{ lo: p0, hi: p1 }`. */
export function marvin64(bytes: Uint8Array, start: number, end: number, seed: MarvinSeed): MarvinSeed {
  let p0 = seed.lo >>> 0;
  let p1 = seed.hi >>> 0;
  const block = (): void => {
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 20);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 9);
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 27);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 19);
  };
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const w = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
    p0 = (p0 + w) >>> 0;
    block();
  }
  let tail: number;
  switch (end - i) {
    case 0:
      tail = 0x80;
      break;
    case 1:
      tail = 0x8000 | bytes[i];
      break;
    case 2:
      tail = 0x800000 | bytes[i] | (bytes[i + 1] << 8);
      break;
    default:
      tail = (0x80000000 | bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16)) >>> 0;
  }
  p0 = (p0 + tail) >>> 0;
  block();
  block();
  return { lo: p0, hi: p1 };
}

/** Marvin32 as .NET's `Marvin.ComputeHash32`: the two halves XORed, as an unsigned 32-bit number. */
export function marvin32(bytes: Uint8Array, start: number, end: number, seed: MarvinSeed): number {
  const h = marvin64(bytes, start, end, seed);
  return (h.lo ^ h.hi) >>> 0;
}

/** The 4 little-endian bytes of a uint32 (how .NET's BitConverter lays out the checksum). */
export function uint32LeBytes(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
}

export function readUint32Le(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}
