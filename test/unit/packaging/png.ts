/** A small PNG reader for tests: chunk walk with CRC check, IHDR, and the inflated scanlines. */
import { inflateSync } from 'node:zlib';

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlace: number;
  chunks: string[];
  /** RGBA pixels, only for 8-bit RGBA, non-interlaced, filter-0 rows (what scripts/images.mjs writes). */
  rgba?: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Plain bitwise CRC-32, independent of the encoder's table-driven one. */
export function crc32Slow(buf: Uint8Array): number {
  let c = ~0 >>> 0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

export function readPng(buf: Buffer): PngInfo {
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG (bad signature)');
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer | undefined;
  let off = 8;
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    const crc = buf.readUInt32BE(off + 8 + len);
    if (crc32Slow(buf.subarray(off + 4, off + 8 + len)) !== crc) throw new Error(`bad CRC in ${type} chunk`);
    chunks.push(type);
    if (type === 'IHDR') ihdr = Buffer.from(data);
    if (type === 'IDAT') idat.push(Buffer.from(data));
    off += 12 + len;
    if (type === 'IEND') break;
  }
  if (!ihdr || chunks[0] !== 'IHDR') throw new Error('IHDR is not the first chunk');
  if (chunks[chunks.length - 1] !== 'IEND') throw new Error('no IEND chunk');
  if (off !== buf.length) throw new Error('bytes after IEND');
  const info: PngInfo = {
    width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), bitDepth: ihdr[8], colourType: ihdr[9], interlace: ihdr[12], chunks,
  };
  if (info.bitDepth === 8 && info.colourType === 6 && info.interlace === 0) {
    const raw = inflateSync(Buffer.concat(idat));
    const stride = info.width * 4;
    if (raw.length !== (stride + 1) * info.height) throw new Error('IDAT size does not match IHDR');
    const rgba = new Uint8Array(stride * info.height);
    for (let y = 0; y < info.height; y++) {
      if (raw[y * (stride + 1)] !== 0) return info; // another filter: leave pixels undecoded
      rgba.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
    }
    info.rgba = rgba;
  }
  return info;
}
