/**
 * A small, bounds-checked zip reader for model archives (PyTorch checkpoints, .npz, .keras): end of central
 * directory (zip64 when needed), central directory, local headers, stored and deflate members. Inflation is capped
 * (zlib's maxOutputLength), so a zip bomb costs at most the cap. Never throws.
 */
import { constants, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export type ZipDirectory = { ok: true; entries: ZipEntry[]; total: number } | { ok: false; error: string };

export type MemberData =
  | { ok: true; data: Buffer }
  | { ok: false; kind: 'malformed' | 'unsupported' | 'limit'; error: string };

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function looksLikeZip(head: Buffer): boolean {
  // A local header opens any archive with members; an archive without members is only its end record.
  return head.length >= 4 && (head.readUInt32LE(0) === LOCAL || (head.length >= 22 && head.readUInt32LE(0) === EOCD));
}

function u64(buf: Buffer, off: number): number {
  const v = buf.readBigUInt64LE(off);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

function findEocd(buf: Buffer): number {
  const last = buf.length - 22;
  const first = Math.max(0, last - 0xffff);
  for (let i = last; i >= first; i--) {
    if (buf[i] === 0x50 && buf.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
}

/** Reads the central directory, keeping at most `maxEntries` entries (`total` says how many there are). */
export function readZipDirectory(buf: Buffer, maxEntries: number): ZipDirectory {
  try {
    const eocd = findEocd(buf);
    if (eocd < 0) return { ok: false, error: 'no end-of-central-directory record' };
    let total = buf.readUInt16LE(eocd + 10);
    let cdSize = buf.readUInt32LE(eocd + 12);
    let cdOffset = buf.readUInt32LE(eocd + 16);
    if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || buf.readUInt32LE(loc) !== EOCD64_LOCATOR) return { ok: false, error: 'zip64 fields without a zip64 locator' };
      const rec = u64(buf, loc + 8);
      if (rec + 56 > buf.length || buf.readUInt32LE(rec) !== EOCD64) return { ok: false, error: 'zip64 end-of-central-directory record out of range' };
      total = u64(buf, rec + 32);
      cdSize = u64(buf, rec + 40);
      cdOffset = u64(buf, rec + 48);
    }
    if (cdOffset + cdSize > buf.length) return { ok: false, error: `central directory (${cdOffset}+${cdSize}) runs past the file end (${buf.length})` };
    const entries: ZipEntry[] = [];
    let off = cdOffset;
    const end = cdOffset + cdSize;
    for (let i = 0; i < total && entries.length < maxEntries; i++) {
      if (off + 46 > end || buf.readUInt32LE(off) !== CENTRAL) return { ok: false, error: `central directory entry ${i} is damaged` };
      const flags = buf.readUInt16LE(off + 8);
      const method = buf.readUInt16LE(off + 10);
      let compressedSize = buf.readUInt32LE(off + 20);
      let size = buf.readUInt32LE(off + 24);
      const nameLen = buf.readUInt16LE(off + 28);
      const extraLen = buf.readUInt16LE(off + 30);
      const commentLen = buf.readUInt16LE(off + 32);
      let localOffset = buf.readUInt32LE(off + 42);
      if (off + 46 + nameLen + extraLen + commentLen > end) return { ok: false, error: `central directory entry ${i} runs past the directory` };
      const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', off + 46, off + 46 + nameLen);
      // Zip64 extended information: only the fields whose 32-bit value is saturated, in this order.
      let x = off + 46 + nameLen;
      const xEnd = x + extraLen;
      while (x + 4 <= xEnd) {
        const id = buf.readUInt16LE(x);
        const n = buf.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let p = x + 4;
          const pEnd = Math.min(x + 4 + n, xEnd);
          if (size === 0xffffffff && p + 8 <= pEnd) { size = u64(buf, p); p += 8; }
          if (compressedSize === 0xffffffff && p + 8 <= pEnd) { compressedSize = u64(buf, p); p += 8; }
          if (localOffset === 0xffffffff && p + 8 <= pEnd) { localOffset = u64(buf, p); p += 8; }
        }
        x += 4 + n;
      }
      entries.push({ name, method, flags, compressedSize, size, localOffset });
      off += 46 + nameLen + extraLen + commentLen;
    }
    return { ok: true, entries, total };
  } catch {
    return { ok: false, error: 'central directory is unreadable' };
  }
}

/** Where a member's (compressed) bytes sit, from its local header. */
function dataRange(buf: Buffer, e: ZipEntry): { start: number; end: number } | string {
  if (e.localOffset + 30 > buf.length || buf.readUInt32LE(e.localOffset) !== LOCAL) return 'local header missing';
  const start = e.localOffset + 30 + buf.readUInt16LE(e.localOffset + 26) + buf.readUInt16LE(e.localOffset + 28);
  const end = start + e.compressedSize;
  if (end > buf.length) return `data (${e.compressedSize} bytes) runs past the file end`;
  return { start, end };
}

/**
 * A member's content, inflated up to `cap` bytes. `head` (optional) asks only for the first bytes: a deflated
 * member is then inflated from a bounded prefix of its compressed data, without error on the cut.
 */
export function readMember(buf: Buffer, e: ZipEntry, cap: number, head?: number): MemberData {
  if (e.flags & 0x1) return { ok: false, kind: 'unsupported', error: 'member is encrypted' };
  const range = dataRange(buf, e);
  if (typeof range === 'string') return { ok: false, kind: 'malformed', error: range };
  if (e.method === 0) {
    const n = Math.min(e.compressedSize, head ?? Number.MAX_SAFE_INTEGER);
    return { ok: true, data: buf.subarray(range.start, range.start + n) };
  }
  if (e.method !== 8) return { ok: false, kind: 'unsupported', error: `compression method ${e.method} is not supported` };
  try {
    if (head !== undefined) {
      // Stored blocks cost 5 bytes per 64 KiB, so head + 4 KiB compressed bytes always cover `head` output bytes;
      // deflate expands at most 1032:1, which bounds the output of that prefix.
      const slice = buf.subarray(range.start, Math.min(range.end, range.start + head + 4096));
      const out = inflateRawSync(slice, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: slice.length * 1040 + 1024 });
      return { ok: true, data: out.subarray(0, head) };
    }
    return { ok: true, data: inflateRawSync(buf.subarray(range.start, range.end), { maxOutputLength: Math.max(1, cap) }) };
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      return { ok: false, kind: 'limit', error: `inflates to more than ${cap} bytes` };
    }
    return { ok: false, kind: 'malformed', error: 'deflate data is corrupt' };
  }
}
