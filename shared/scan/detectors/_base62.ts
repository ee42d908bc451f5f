/** Base62 (alphabet 0-9A-Za-z) encodings used by token checksums. */

export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Big-number base62 of a byte array read most-significant byte first, one '0' per leading zero byte
 * (at most length-1 of them), as the Base62.Net `ToBase62` that CASK checksums use.
 */
export function base62FromBytes(bytes: Uint8Array): string {
  let leadingZeros = 0;
  while (leadingZeros < bytes.length - 1 && bytes[leadingZeros] === 0) leadingZeros++;
  let digits = Array.from(bytes);
  let out = '';
  // Repeated division of the byte string by 62 (inputs are a few bytes, so quadratic is fine).
  while (digits.length > 0) {
    const quotient: number[] = [];
    let rem = 0;
    for (const d of digits) {
      const acc = d + rem * 256;
      const q = Math.floor(acc / 62);
      rem = acc % 62;
      if (quotient.length > 0 || q > 0) quotient.push(q);
    }
    out = BASE62_ALPHABET[rem] + out;
    digits = quotient;
  }
  return '0'.repeat(leadingZeros) + out;
}

/** base62 of an unsigned 32-bit number, left-padded with '0' to `width` (GitHub and npm token checksums). */
export function base62FromUint32(n: number, width: number): string {
  let v = n >>> 0;
  let out = '';
  while (v > 0) {
    out = BASE62_ALPHABET[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}
