/**
 * Protocol-buffer wire format: a bounds-checked reader for the few ONNX messages we need, and the small encoder
 * used to rewrite a graph (stripping ZipMap). No dependency: onnx-proto pulls an old protobufjs, and we read
 * only a handful of fields. Every read checks the message bounds, so a malformed or truncated file raises a
 * ProtoError (with the byte offset), never reads out of range, and cannot loop: each step consumes bytes.
 */

export class ProtoError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = 'ProtoError';
  }
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/** One field occurrence. For varints `value` is the int64 as a JS number (exact to 2^53, negatives kept). */
export interface Field {
  num: number;
  wire: number;
  value: number;
  /** Payload bytes: [start, end) of the value (length-delimited) or of the fixed 4/8 bytes. */
  start: number;
  end: number;
  /** Whole field including its key, for verbatim copies. */
  keyStart: number;
}

const TWO32 = 4294967296;

/** Reads a varint at `pos`; returns [value as signed int64 number, next position]. */
export function readVarint(buf: Uint8Array, pos: number, end: number): [number, number] {
  let lo = 0, hi = 0, shift = 0, i = 0;
  for (;; i++) {
    if (i >= 10) throw new ProtoError('varint longer than 10 bytes', pos);
    if (pos + i >= end) throw new ProtoError('truncated varint', pos);
    const b = buf[pos + i];
    if (shift < 28) lo |= (b & 0x7f) << shift;
    else if (shift === 28) { lo |= (b & 0x0f) << 28; hi |= (b & 0x7f) >>> 4; }
    else hi |= (b & 0x7f) << (shift - 32);
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  return [int64(lo >>> 0, hi >>> 0), pos + i + 1];
}

/** Two 32-bit halves of a two's-complement int64 as a JS number. */
function int64(lo: number, hi: number): number {
  if (hi & 0x80000000) return -((~hi >>> 0) * TWO32 + (~lo >>> 0) + 1);
  return hi * TWO32 + lo;
}

/** The fields of the message in [start, end), in file order. */
export function readFields(buf: Uint8Array, start = 0, end = buf.length): Field[] {
  if (start < 0 || end > buf.length || start > end) throw new ProtoError('message bounds outside the buffer', start);
  const out: Field[] = [];
  let pos = start;
  while (pos < end) {
    const keyStart = pos;
    const [key, p] = readVarint(buf, pos, end);
    pos = p;
    if (key < 0) throw new ProtoError('negative field key', keyStart);
    const num = Math.floor(key / 8);
    const wire = key % 8;
    if (num === 0) throw new ProtoError('field number 0', keyStart);
    let value = 0, s: number, e: number;
    switch (wire) {
      case WIRE_VARINT: [value, pos] = readVarint(buf, pos, end); s = e = pos; break;
      case WIRE_FIXED64: if (pos + 8 > end) throw new ProtoError(`truncated fixed64 field ${num}`, keyStart); s = pos; e = pos += 8; break;
      case WIRE_FIXED32: if (pos + 4 > end) throw new ProtoError(`truncated fixed32 field ${num}`, keyStart); s = pos; e = pos += 4; break;
      case WIRE_LEN: {
        const [n, q] = readVarint(buf, pos, end);
        if (n < 0 || q + n > end) throw new ProtoError(`field ${num} length ${n} runs past the end of its message`, keyStart);
        value = n; s = q; e = pos = q + n;
        break;
      }
      default: throw new ProtoError(`invalid wire type ${wire} for field ${num}`, keyStart);
    }
    out.push({ num, wire, value, start: s, end: e, keyStart });
  }
  return out;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

export function str(buf: Uint8Array, f: Field): string {
  expectWire(f, WIRE_LEN, 'string');
  return decoder.decode(buf.subarray(f.start, f.end));
}

export function bytes(buf: Uint8Array, f: Field): Uint8Array {
  expectWire(f, WIRE_LEN, 'bytes');
  return buf.subarray(f.start, f.end);
}

export function int(f: Field): number {
  expectWire(f, WIRE_VARINT, 'integer');
  return f.value;
}

function view(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function float32(buf: Uint8Array, f: Field): number {
  expectWire(f, WIRE_FIXED32, 'float');
  return view(buf).getFloat32(f.start, true);
}

function expectWire(f: Field, wire: number, what: string): void {
  if (f.wire !== wire) throw new ProtoError(`field ${f.num} should be ${what} (wire type ${wire}) but has wire type ${f.wire}`, f.keyStart);
}

/** Appends a repeated int64 field, packed (wire 2) or not (wire 0), to `out`. */
export function pushInt64s(buf: Uint8Array, f: Field, out: number[]): void {
  if (f.wire === WIRE_VARINT) { out.push(f.value); return; }
  expectWire(f, WIRE_LEN, 'packed integers');
  for (let pos = f.start; pos < f.end;) {
    const [v, p] = readVarint(buf, pos, f.end);
    out.push(v);
    pos = p;
  }
}

/** Appends a repeated float field, packed (wire 2) or not (wire 5). */
export function pushFloats(buf: Uint8Array, f: Field, out: number[]): void {
  if (f.wire === WIRE_FIXED32) { out.push(float32(buf, f)); return; }
  expectWire(f, WIRE_LEN, 'packed floats');
  if ((f.end - f.start) % 4) throw new ProtoError(`packed float field ${f.num} has ${f.end - f.start} bytes, not a multiple of 4`, f.keyStart);
  const dv = view(buf);
  for (let pos = f.start; pos < f.end; pos += 4) out.push(dv.getFloat32(pos, true));
}

/** Appends a repeated double field, packed (wire 2) or not (wire 1). */
export function pushDoubles(buf: Uint8Array, f: Field, out: number[]): void {
  const dv = view(buf);
  if (f.wire === WIRE_FIXED64) { out.push(dv.getFloat64(f.start, true)); return; }
  expectWire(f, WIRE_LEN, 'packed doubles');
  if ((f.end - f.start) % 8) throw new ProtoError(`packed double field ${f.num} has ${f.end - f.start} bytes, not a multiple of 8`, f.keyStart);
  for (let pos = f.start; pos < f.end; pos += 8) out.push(dv.getFloat64(pos, true));
}

// ------------------------------------------------------------------------------------------- encoder

/** Growable byte sink for encoding messages. */
export class ProtoWriter {
  private chunks: number[] = [];
  private parts: Uint8Array[] = [];
  private size = 0;

  private flush(): void {
    if (this.chunks.length) { this.parts.push(Uint8Array.from(this.chunks)); this.chunks = []; }
  }

  varintRaw(v: number): this {
    if (v < 0) {
      // Negative int64: ten bytes of two's complement.
      let lo = (v % TWO32) >>> 0, hi = Math.floor(v / TWO32) >>> 0;
      lo = lo >>> 0; hi = hi >>> 0;
      for (let i = 0; i < 9; i++) {
        this.byte((lo & 0x7f) | 0x80);
        lo = ((lo >>> 7) | (hi << 25)) >>> 0;
        hi = hi >>> 7;
      }
      return this.byte(1);
    }
    while (v >= 0x80) { this.byte((v % 128) | 0x80); v = Math.floor(v / 128); }
    return this.byte(v);
  }

  private byte(b: number): this { this.chunks.push(b); this.size++; return this; }

  raw(b: Uint8Array): this { this.flush(); this.parts.push(b); this.size += b.length; return this; }

  key(num: number, wire: number): this { return this.varintRaw(num * 8 + wire); }

  int(num: number, v: number): this { return this.key(num, WIRE_VARINT).varintRaw(v); }

  bytes(num: number, b: Uint8Array): this { return this.key(num, WIRE_LEN).varintRaw(b.length).raw(b); }

  string(num: number, s: string): this { return this.bytes(num, new TextEncoder().encode(s)); }

  message(num: number, w: ProtoWriter): this { return this.bytes(num, w.finish()); }

  float(num: number, v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.key(num, WIRE_FIXED32).raw(b);
  }

  packedInts(num: number, vs: ArrayLike<number>): this {
    const w = new ProtoWriter();
    for (let i = 0; i < vs.length; i++) w.varintRaw(vs[i]);
    return this.message(num, w);
  }

  packedFloats(num: number, vs: ArrayLike<number>): this {
    const b = new Uint8Array(vs.length * 4), dv = new DataView(b.buffer);
    for (let i = 0; i < vs.length; i++) dv.setFloat32(i * 4, vs[i], true);
    return this.bytes(num, b);
  }

  packedDoubles(num: number, vs: ArrayLike<number>): this {
    const b = new Uint8Array(vs.length * 8), dv = new DataView(b.buffer);
    for (let i = 0; i < vs.length; i++) dv.setFloat64(i * 8, vs[i], true);
    return this.bytes(num, b);
  }

  get length(): number { return this.size; }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}
