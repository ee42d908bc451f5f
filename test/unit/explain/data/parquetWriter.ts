/**
 * Test-only Parquet writer: one row group, one PLAIN uncompressed data page (v1) per column, optional columns
 * with RLE definition levels for nulls. Enough to produce fixtures for hyparquet; no writer package is installed.
 * Metadata is Thrift compact protocol (parquet-format's parquet.thrift field ids).
 */
export type ParquetColumn =
  | { name: string; type: 'double' | 'int64' | 'int32'; values: (number | null)[] }
  | { name: string; type: 'string'; values: (string | null)[] };

class Compact {
  bytes: number[] = [];
  private last: number[] = [0];
  varint(v: number | bigint): void {
    let b = BigInt(v);
    while (b >= 0x80n) { this.bytes.push(Number(b & 0x7fn) | 0x80); b >>= 7n; }
    this.bytes.push(Number(b));
  }
  zigzag(v: number): void { const b = BigInt(v); this.varint(b >= 0n ? b << 1n : ((-b) << 1n) - 1n); }
  field(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1];
    if (delta > 0 && delta <= 15) this.bytes.push((delta << 4) | type);
    else { this.bytes.push(type); this.zigzag(id); }
    this.last[this.last.length - 1] = id;
  }
  i32(id: number, v: number): void { this.field(id, 5); this.zigzag(v); }
  i64(id: number, v: number): void { this.field(id, 6); this.zigzag(v); }
  binary(id: number, s: string): void { this.field(id, 8); const b = Buffer.from(s); this.varint(b.length); this.bytes.push(...b); }
  begin(id: number): void { this.field(id, 12); this.last.push(0); }
  end(): void { this.bytes.push(0); this.last.pop(); }
  list(id: number, elemType: number, n: number): void {
    this.field(id, 9);
    if (n < 15) this.bytes.push((n << 4) | elemType); else { this.bytes.push(0xf0 | elemType); this.varint(n); }
  }
  beginElem(): void { this.last.push(0); }
}

const PHYSICAL = { int32: 1, int64: 2, double: 5, string: 6 } as const;

function plain(col: ParquetColumn): Buffer {
  const parts: Buffer[] = [];
  for (const v of col.values) {
    if (v === null) continue;
    if (col.type === 'string') { const s = Buffer.from(v as string); const l = Buffer.alloc(4); l.writeUInt32LE(s.length); parts.push(l, s); }
    else if (col.type === 'double') { const b = Buffer.alloc(8); b.writeDoubleLE(v as number); parts.push(b); }
    else if (col.type === 'int64') { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v as number)); parts.push(b); }
    else { const b = Buffer.alloc(4); b.writeInt32LE(v as number); parts.push(b); }
  }
  return Buffer.concat(parts);
}

/** Definition levels (bit width 1) as RLE runs, with the v1 page's 4-byte length prefix. */
function defLevels(values: unknown[]): Buffer {
  const c = new Compact();
  for (let i = 0; i < values.length;) {
    const d = values[i] === null ? 0 : 1;
    let j = i;
    while (j < values.length && (values[j] === null ? 0 : 1) === d) j++;
    c.varint((j - i) << 1);
    c.bytes.push(d);
    i = j;
  }
  const body = Buffer.from(c.bytes), len = Buffer.alloc(4);
  len.writeUInt32LE(body.length);
  return Buffer.concat([len, body]);
}

export function writeParquet(columns: ParquetColumn[]): Uint8Array {
  const rows = columns[0]?.values.length ?? 0;
  const chunks: Buffer[] = [Buffer.from('PAR1')];
  let offset = 4;
  const metas: { offset: number; size: number }[] = [];
  for (const col of columns) {
    const optional = col.values.some((v) => v === null);
    const data = Buffer.concat([...(optional ? [defLevels(col.values)] : []), plain(col)]);
    const h = new Compact();
    h.i32(1, 0); h.i32(2, data.length); h.i32(3, data.length);
    h.begin(5); h.i32(1, rows); h.i32(2, 0); h.i32(3, 3); h.i32(4, 3); h.end();
    h.bytes.push(0);
    const page = Buffer.concat([Buffer.from(h.bytes), data]);
    metas.push({ offset, size: page.length });
    chunks.push(page);
    offset += page.length;
  }
  const m = new Compact();
  m.i32(1, 1);
  m.list(2, 12, columns.length + 1);
  m.beginElem(); m.binary(4, 'schema'); m.i32(5, columns.length); m.end();
  for (const col of columns) {
    m.beginElem();
    m.i32(1, PHYSICAL[col.type]); m.i32(3, col.values.some((v) => v === null) ? 1 : 0); m.binary(4, col.name);
    if (col.type === 'string') m.i32(6, 0); // converted_type UTF8
    m.end();
  }
  m.i64(3, rows);
  m.list(4, 12, 1);
  m.beginElem();
  m.list(1, 12, columns.length);
  columns.forEach((col, k) => {
    m.beginElem();
    m.i64(2, metas[k].offset);
    m.begin(3);
    m.i32(1, PHYSICAL[col.type]);
    m.list(2, 5, 2); m.zigzag(0); m.zigzag(3);
    m.list(3, 8, 1); { const b = Buffer.from(col.name); m.varint(b.length); m.bytes.push(...b); }
    m.i32(4, 0); m.i64(5, rows); m.i64(6, metas[k].size); m.i64(7, metas[k].size); m.i64(9, metas[k].offset);
    m.end();
    m.end();
  });
  m.i64(2, metas.reduce((s, x) => s + x.size, 0)); m.i64(3, rows);
  m.end();
  m.bytes.push(0);
  const footer = Buffer.from(m.bytes), len = Buffer.alloc(4);
  len.writeUInt32LE(footer.length);
  chunks.push(footer, len, Buffer.from('PAR1'));
  return new Uint8Array(Buffer.concat(chunks));
}
