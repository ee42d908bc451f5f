/**
 * The .npy header: magic, version, header length, and the dict literal naming descr, fortran_order and shape.
 * Object dtypes (any 'O' field, also inside a structured descr) mean the data that follows is a pickle.
 */
import { dtypeInfo } from './_numpyDtype';
import type { PyValue } from './_pyLiteral';
import { parsePyLiteral } from './_pyLiteral';

export const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

export interface NpyHeader {
  dataOffset: number;
  hasObject: boolean;
  /** Bytes of array data the header announces; undefined when the descr cannot be sized. */
  dataBytes?: number;
}

export function looksLikeNpy(head: Buffer): boolean {
  return head.length >= 6 && head.subarray(0, 6).equals(NPY_MAGIC);
}

export function parseNpyHeader(buf: Buffer): { ok: true; header: NpyHeader } | { ok: false; error: string } {
  if (!looksLikeNpy(buf)) return { ok: false, error: 'the NUMPY magic is missing' };
  if (buf.length < 10) return { ok: false, error: 'the header is truncated' };
  const major = buf[6];
  if (major < 1 || major > 3) return { ok: false, error: `format version ${major}.${buf[7]} is unknown` };
  const lenSize = major === 1 ? 2 : 4;
  if (buf.length < 8 + lenSize) return { ok: false, error: 'the header is truncated' };
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = 8 + lenSize;
  if (hlen > 1 << 20) return { ok: false, error: `header length ${hlen} is implausible` };
  if (start + hlen > buf.length) return { ok: false, error: 'the header is truncated' };
  const text = buf.toString(major === 3 ? 'utf8' : 'latin1', start, start + hlen);
  const lit = parsePyLiteral(text);
  if (!lit.ok) return { ok: false, error: `the header is not a Python literal (${lit.error})` };
  const v = lit.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, error: 'the header is not a dict' };
  const { descr, shape } = v;
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    return { ok: false, error: 'shape is not a tuple of non-negative integers' };
  }
  const d = describe(descr, 0);
  if (!d) return { ok: false, error: 'descr is not a dtype' };
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  const dataBytes = d.itemsize === undefined ? undefined : count * d.itemsize;
  return { ok: true, header: { dataOffset: start + hlen, hasObject: d.hasObject, ...(dataBytes !== undefined && Number.isSafeInteger(dataBytes) ? { dataBytes } : {}) } };
}

/** Object-ness and size of a descr: a dtype string, or a structured list of (name, descr[, shape]). */
function describe(descr: PyValue | undefined, depth: number): { hasObject: boolean; itemsize?: number } | undefined {
  if (depth > 16) return undefined;
  if (typeof descr === 'string') {
    const info = dtypeInfo(descr);
    return info ? { hasObject: info.hasObject, itemsize: info.itemsize } : undefined;
  }
  if (!Array.isArray(descr)) return undefined;
  let hasObject = false;
  let itemsize: number | undefined = 0;
  for (const field of descr) {
    if (!Array.isArray(field) || field.length < 2) return undefined;
    const sub = describe(field[1], depth + 1);
    if (!sub) return undefined;
    hasObject ||= sub.hasObject;
    const dims = Array.isArray(field[2]) ? field[2] : typeof field[2] === 'number' ? [field[2]] : [];
    const n = dims.reduce<number>((a, b) => a * (typeof b === 'number' ? b : NaN), 1);
    itemsize = itemsize === undefined || sub.itemsize === undefined || Number.isNaN(n) ? undefined : itemsize + sub.itemsize * n;
  }
  return { hasObject, ...(itemsize !== undefined ? { itemsize } : {}) };
}
