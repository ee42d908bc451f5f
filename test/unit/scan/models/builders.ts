/**
 * Builds model files byte by byte for the tests: a pickle assembler, a zip writer (stored/deflate, optional zip64),
 * a protobuf encoder for ONNX, .npy and safetensors writers. Nothing here loads or runs a model.
 */
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../../../shared/scan/detectors/_crc32';
import { mulberry32 } from '../../prng';

// ---------------------------------------------------------------- pickle

/** A pickle assembler: each method appends one opcode with its argument encoding. */
export class Pickle {
  private readonly parts: Buffer[] = [];

  raw(b: Buffer | number[] | string): this {
    this.parts.push(typeof b === 'string' ? Buffer.from(b, 'latin1') : Buffer.from(b));
    return this;
  }
  op(code: number): this { return this.raw([code]); }
  proto(v: number): this { return this.raw([0x80, v]); }
  frame(len: number): this {
    const b = Buffer.alloc(9);
    b[0] = 0x95;
    b.writeBigUInt64LE(BigInt(len), 1);
    return this.raw(b);
  }
  global(module: string, name: string): this { return this.raw(`c${module}\n${name}\n`); }
  inst(module: string, name: string): this { return this.raw(`i${module}\n${name}\n`); }
  shortUnicode(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.raw([0x8c, b.length]).raw(b);
  }
  binUnicode(s: string): this {
    const b = Buffer.from(s, 'utf8');
    const h = Buffer.alloc(5);
    h[0] = 0x58;
    h.writeUInt32LE(b.length, 1);
    return this.raw(h).raw(b);
  }
  string0(s: string): this { return this.raw(`S'${s}'\n`); }
  unicode0(s: string): this { return this.raw(`V${s}\n`); }
  binBytes(b: Buffer): this {
    const h = Buffer.alloc(5);
    h[0] = 0x42;
    h.writeUInt32LE(b.length, 1);
    return this.raw(h).raw(b);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.raw([0x4b, n]);
    const b = Buffer.alloc(5);
    b[0] = 0x4a;
    b.writeInt32LE(n, 1);
    return this.raw(b);
  }
  long1(v: bigint): this {
    const bytes: number[] = [];
    let x = v;
    while (x > 0n) { bytes.push(Number(x & 0xffn)); x >>= 8n; }
    if (bytes.length === 0 || bytes[bytes.length - 1] & 0x80) bytes.push(0);
    return this.raw([0x8a, bytes.length, ...bytes]);
  }
  memoize(): this { return this.op(0x94); }
  binput(i: number): this { return this.raw([0x71, i]); }
  binget(i: number): this { return this.raw([0x68, i]); }
  mark(): this { return this.op(0x28); }
  tuple(): this { return this.op(0x74); }
  tuple1(): this { return this.op(0x85); }
  tuple2(): this { return this.op(0x86); }
  tuple3(): this { return this.op(0x87); }
  emptyTuple(): this { return this.op(0x29); }
  emptyDict(): this { return this.op(0x7d); }
  emptyList(): this { return this.op(0x5d); }
  setitems(): this { return this.op(0x75); }
  appends(): this { return this.op(0x65); }
  stackGlobal(): this { return this.op(0x93); }
  reduce(): this { return this.op(0x52); }
  newobj(): this { return this.op(0x81); }
  build(): this { return this.op(0x62); }
  none(): this { return this.op(0x4e); }
  newTrue(): this { return this.op(0x88); }
  newFalse(): this { return this.op(0x89); }
  pop(): this { return this.op(0x30); }
  binpersid(): this { return this.op(0x51); }
  stop(): this { return this.op(0x2e); }
  bytes(): Buffer { return Buffer.concat(this.parts); }
}

/** `os.system('echo x')` the classic way: GLOBAL + args tuple + REDUCE (protocol 2). */
export function osSystemPickle(): Buffer {
  return new Pickle().proto(2).global('os', 'system').binUnicode('echo x').tuple1().reduce().stop().bytes();
}

/** The same call with the import spelled via STACK_GLOBAL, module and name fetched back from the memo (protocol 4). */
export function stackGlobalPickle(module = 'os', name = 'system'): Buffer {
  const body = new Pickle()
    .shortUnicode(module).memoize().pop()
    .shortUnicode(name).memoize().pop()
    .binget(0).binget(1).stackGlobal()
    .shortUnicode('echo x').tuple1().reduce().stop().bytes();
  return new Pickle().proto(4).frame(body.length).raw(body).bytes();
}

/** A numpy float64 array as numpy 2 pickles it with protocol 2 (reconstruct, dtype, BUILD with raw bytes). */
export function numpyArrayPickle(core = 'numpy._core'): Buffer {
  return numpyArrayOps(new Pickle().proto(2), core).stop().bytes();
}

export function numpyArrayOps(p: Pickle, core = 'numpy._core'): Pickle {
  return p
    .global(`${core}.multiarray`, '_reconstruct')
    .global('numpy', 'ndarray').int(0).tuple1()
    .global('_codecs', 'encode').binUnicode('b').binUnicode('latin1').tuple2().reduce()
    .tuple3().reduce()
    .mark().int(1).int(3).tuple1()
    .global('numpy', 'dtype').binUnicode('f8').newFalse().newTrue().tuple3().reduce()
    .mark().int(3).binUnicode('<').none().none().none().int(-1).int(-1).int(0).tuple().build()
    .newFalse().binBytes(Buffer.alloc(24)).tuple().build();
}

/** What torch.save writes into data.pkl for {'w': tensor}: OrderedDict, _rebuild_tensor_v2, a persistent storage id. */
export function torchStateDictPickle(extra?: (p: Pickle) => Pickle): Buffer {
  let p = new Pickle().proto(2)
    .global('collections', 'OrderedDict').emptyTuple().reduce()
    .mark()
    .binUnicode('w')
    .global('torch._utils', '_rebuild_tensor_v2')
    .mark()
    .mark().binUnicode('storage').global('torch', 'FloatStorage').binUnicode('0').binUnicode('cpu').int(6).tuple().binpersid()
    .int(0).int(2).int(3).tuple2().int(3).int(1).tuple2().newFalse()
    .global('collections', 'OrderedDict').emptyTuple().reduce()
    .tuple().reduce()
    .setitems();
  if (extra) p = extra(p);
  return p.stop().bytes();
}

// ---------------------------------------------------------------- zip

/** The product's CRC-32 (the zip format's checksum), for the zip writer below and its callers. */
export { crc32 };

export interface ZipInput {
  name: string;
  data: Buffer;
  deflate?: boolean;
  /** Sets the "encrypted" flag (the data stays plain). */
  encrypted?: boolean;
  method?: number;
}

/** Writes a zip archive; `zip64` stores sizes and offsets in zip64 fields and adds the zip64 end records. */
export function makeZip(files: ZipInput[], opts: { zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const body = f.deflate ? deflateRawSync(f.data) : f.data;
    const method = f.method ?? (f.deflate ? 8 : 0);
    const flags = 0x800 | (f.encrypted ? 1 : 0);
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(opts.zip64 ? 45 : 20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    let extra = Buffer.alloc(0);
    if (opts.zip64) {
      extra = Buffer.alloc(28);
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(f.data.length), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(opts.zip64 ? 45 : 20, 4);
    central.writeUInt16LE(opts.zip64 ? 45 : 20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : body.length, 20);
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 42);
    centrals.push(central, name, extra);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (opts.zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(BigInt(files.length), 24);
    rec.writeBigUInt64LE(BigInt(files.length), 32);
    rec.writeBigUInt64LE(BigInt(cd.length), 40);
    rec.writeBigUInt64LE(BigInt(offset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    loc.writeUInt32LE(1, 16);
    tail.push(rec, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(opts.zip64 ? 0xffff : files.length, 8);
  eocd.writeUInt16LE(opts.zip64 ? 0xffff : files.length, 10);
  eocd.writeUInt32LE(opts.zip64 ? 0xffffffff : cd.length, 12);
  eocd.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...locals, cd, ...tail, eocd]);
}

/** A PyTorch zip checkpoint as torch.save lays it out. */
export function torchZip(dataPkl: Buffer, opts: { deflate?: boolean; zip64?: boolean } = {}): Buffer {
  return makeZip(
    [
      { name: 'archive/data.pkl', data: dataPkl, deflate: opts.deflate },
      { name: 'archive/byteorder', data: Buffer.from('little') },
      { name: 'archive/data/0', data: Buffer.alloc(24) },
      { name: 'archive/version', data: Buffer.from('3\n') },
    ],
    { zip64: opts.zip64 },
  );
}

// ---------------------------------------------------------------- numpy

/** A .npy image: magic, version, padded header dict, data. */
export function npy(header: string, data: Buffer, version = 1): Buffer {
  const lenSize = version === 1 ? 2 : 4;
  let text = header;
  const total = 8 + lenSize + text.length + 1;
  text += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const h = Buffer.alloc(8 + lenSize);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(h);
  if (version === 1) h.writeUInt16LE(text.length, 8);
  else h.writeUInt32LE(text.length, 8);
  return Buffer.concat([h, Buffer.from(text, version === 3 ? 'utf8' : 'latin1'), data]);
}

// ---------------------------------------------------------------- protobuf (ONNX)

export function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) { out.push((v % 128) | 0x80); v = Math.floor(v / 128); }
  out.push(v);
  return Buffer.from(out);
}

/** A length-delimited field (strings, bytes, sub-messages). */
export function ld(field: number, payload: Buffer | string): Buffer {
  const p = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([varint(field * 8 + 2), varint(p.length), p]);
}

export function vi(field: number, value: number): Buffer {
  return Buffer.concat([varint(field * 8), varint(value)]);
}

export const msg = (...fields: Buffer[]) => Buffer.concat(fields);

export const onnx = {
  node: (op: string, domain = '', ...attrs: Buffer[]) => msg(ld(1, 'x'), ld(2, 'y'), ld(4, op), ...(domain ? [ld(7, domain)] : []), ...attrs.map((a) => ld(5, a))),
  graphAttr: (name: string, graph: Buffer) => msg(ld(1, name), ld(6, graph), vi(20, 5)),
  graphsAttr: (name: string, graphs: Buffer[]) => msg(ld(1, name), ...graphs.map((g) => ld(11, g)), vi(20, 10)),
  tensor: (name: string, raw = Buffer.alloc(8)) => msg(vi(1, 2), vi(2, 1), ld(8, name), ld(9, raw)),
  externalTensor: (name: string, location: string | undefined) =>
    msg(vi(1, 2), vi(2, 1), ld(8, name), ...(location !== undefined ? [ld(13, msg(ld(1, 'location'), ld(2, location)))] : []), ld(13, msg(ld(1, 'offset'), ld(2, '0'))), vi(14, 1)),
  graph: (nodes: Buffer[], initializers: Buffer[] = []) => msg(...nodes.map((n) => ld(1, n)), ld(2, 'g'), ...initializers.map((t) => ld(5, t))),
  model: (graph: Buffer, extra: Buffer[] = []) => msg(vi(1, 8), ld(8, msg(ld(1, ''), vi(2, 17))), ld(2, 'test'), ld(7, graph), ...extra),
  functionProto: (domain: string, name: string, nodes: Buffer[]) => msg(ld(1, name), ...nodes.map((n) => ld(7, n)), ld(10, domain)),
};

// ---------------------------------------------------------------- safetensors

export function safetensors(header: unknown, data: Buffer): Buffer {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, data]);
}

// ---------------------------------------------------------------- misc

export const prng = mulberry32;
