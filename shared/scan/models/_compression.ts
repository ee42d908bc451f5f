/**
 * Whole-file compression seen on pickles (joblib.dump(compress=…), pandas to_pickle): gzip and zlib are inflated
 * (capped); bz2, xz/lzma and lz4 are recognised but not decompressed (Node has no decoder for them).
 */
import { gunzipSync, inflateSync } from 'node:zlib';

export type Compression = 'gzip' | 'zlib' | 'joblib-zlib' | 'bz2' | 'xz' | 'lzma' | 'lz4' | undefined;

/** joblib < 0.10 wrote 'ZF' + a 19-byte hex length field, then a zlib stream. */
const JOBLIB_ZF_HEADER = 2 + 19;

export function detectCompression(b: Buffer): Compression {
  if (b.length < 4) return undefined;
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b[0] === 0x78 && ((b[0] << 8) | b[1]) % 31 === 0) return 'zlib';
  if (b[0] === 0x5a && b[1] === 0x46 && b.length > JOBLIB_ZF_HEADER && b[JOBLIB_ZF_HEADER] === 0x78) return 'joblib-zlib';
  if (b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68) return 'bz2';
  if (b[0] === 0xfd && b.toString('latin1', 1, 6) === '7zXZ\u0000') return 'xz';
  if (b[0] === 0x5d && b[1] === 0x00 && b[2] === 0x00) return 'lzma';
  if (b.readUInt32LE(0) === 0x184d2204) return 'lz4';
  return undefined;
}

export type Inflated = { ok: true; data: Buffer } | { ok: false; kind: 'limit' | 'malformed' | 'unsupported'; error: string };

export function decompress(b: Buffer, c: Exclude<Compression, undefined>, cap: number): Inflated {
  try {
    if (c === 'gzip') return { ok: true, data: gunzipSync(b, { maxOutputLength: Math.max(1, cap) }) };
    if (c === 'zlib') return { ok: true, data: inflateSync(b, { maxOutputLength: Math.max(1, cap) }) };
    if (c === 'joblib-zlib') return { ok: true, data: inflateSync(b.subarray(JOBLIB_ZF_HEADER), { maxOutputLength: Math.max(1, cap) }) };
    return { ok: false, kind: 'unsupported', error: `${c} compression is not decompressed by the scan` };
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      return { ok: false, kind: 'limit', error: `decompresses to more than ${cap} bytes` };
    }
    return { ok: false, kind: 'malformed', error: `${c} data is corrupt` };
  }
}
