/**
 * Protocol-buffer wire format, read only: varints, length-delimited fields, fixed32/64. Values are byte ranges into
 * the buffer; nothing is copied. Groups (wire types 3/4, unused by ONNX) and invalid wire types are errors.
 */

export class WireError extends Error {
  constructor(readonly at: number, message: string) {
    super(message);
  }
}

export interface Field {
  field: number;
  wire: number;
  /** Varint value (wire 0), as a number (exact up to 2^53). */
  varint: number;
  /** Value bytes for wire 2 (length-delimited). */
  start: number;
  end: number;
}

function readVarint(buf: Buffer, pos: number, end: number): [number, number] {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new WireError(pos, 'truncated varint');
    const b = buf[pos++];
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return [result, pos];
    mul *= 128;
  }
  throw new WireError(pos, 'varint longer than 10 bytes');
}

/** Calls `each` for every field of the message in [start, end). Throws WireError on malformed data. */
export function forEachField(buf: Buffer, start: number, end: number, each: (f: Field) => void): void {
  let pos = start;
  const f: Field = { field: 0, wire: 0, varint: 0, start: 0, end: 0 };
  while (pos < end) {
    const at = pos;
    const [key, p] = readVarint(buf, pos, end);
    pos = p;
    f.field = Math.floor(key / 8);
    f.wire = key % 8;
    f.varint = 0;
    if (f.field === 0) throw new WireError(at, 'field number 0');
    switch (f.wire) {
      case 0: [f.varint, pos] = readVarint(buf, pos, end); f.start = f.end = pos; break;
      case 1: if (pos + 8 > end) throw new WireError(at, 'truncated fixed64'); f.start = pos; pos += 8; f.end = pos; break;
      case 5: if (pos + 4 > end) throw new WireError(at, 'truncated fixed32'); f.start = pos; pos += 4; f.end = pos; break;
      case 2: {
        const [n, q] = readVarint(buf, pos, end);
        if (q + n > end) throw new WireError(at, `field ${f.field} length ${n} runs past its message`);
        f.start = q;
        f.end = q + n;
        pos = q + n;
        break;
      }
      default:
        throw new WireError(at, `invalid wire type ${f.wire} for field ${f.field}`);
    }
    each(f);
  }
}

export function utf8(buf: Buffer, f: Field, max = 4096): string {
  return buf.toString('utf8', f.start, Math.min(f.end, f.start + max));
}
