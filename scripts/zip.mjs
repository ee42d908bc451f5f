// Reads a zip and writes it again in a canonical form, so that the .vsix is the same bytes for the same
// inputs. tfx (through jszip) stamps every entry, folders included, with the time of the build and adds
// files in the order their reads finish; neither says anything about what the extension contains.
//
// Canonical form: no folder entries (OPC packages address parts by name, folders are implied), the OPC
// [Content_Types].xml first then the parts in byte order of their names, one fixed timestamp
// (SOURCE_DATE_EPOCH when set, else 1980-01-01 00:00, the earliest a zip can hold), MS-DOS attributes,
// deflate at level 9 (stored when that is not smaller), no extra fields, no comments, no data descriptors.
// The same bytes follow from the same files and the same zlib (Node release).
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const CONTENT_TYPES = '[Content_Types].xml';

/** Entries of a zip: [{ name, data }] for files (folders are dropped), content checked against its CRC. */
export function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory record)');
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || off === 0xffffffff) throw new Error('zip64 archives are not supported');
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (off + 46 > buf.length || buf.readUInt32LE(off) !== CENTRAL) throw new Error(`zip central directory entry ${i} is damaged`);
    const flags = buf.readUInt16LE(off + 8);
    const method = buf.readUInt16LE(off + 10);
    const crc = buf.readUInt32LE(off + 16);
    const csize = buf.readUInt32LE(off + 20);
    const usize = buf.readUInt32LE(off + 24);
    const nameLen = buf.readUInt16LE(off + 28);
    const extraLen = buf.readUInt16LE(off + 30);
    const commentLen = buf.readUInt16LE(off + 32);
    const local = buf.readUInt32LE(off + 42);
    const name = buf.toString('utf8', off + 46, off + 46 + nameLen);
    off += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw new Error(`${name}: encrypted zip entries are not supported`);
    if (name.endsWith('/')) continue;
    if (buf.readUInt32LE(local) !== LOCAL) throw new Error(`${name}: local header missing`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    let data;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw);
    else throw new Error(`${name}: compression method ${method} is not supported`);
    if (data.length !== usize || (crc32(data) >>> 0) !== crc) throw new Error(`${name}: content does not match its size or CRC`);
    entries.push({ name, data });
  }
  return entries;
}

/** MS-DOS date and time words for a Date (UTC), clamped to the zip range 1980..2107. */
export function dosDateTime(date) {
  const y = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
  if (y !== date.getUTCFullYear()) return { date: ((y - 1980) << 9) | (1 << 5) | 1, time: 0 };
  return {
    date: ((y - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
  };
}

/** The fixed entry time: SOURCE_DATE_EPOCH (seconds) when set, else 1980-01-01T00:00:00Z. */
export function entryTime(env = process.env) {
  const s = env.SOURCE_DATE_EPOCH;
  if (s === undefined || s === '') return new Date(Date.UTC(1980, 0, 1));
  if (!/^\d+$/.test(s)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${s}"`);
  return new Date(Number(s) * 1000);
}

/** Canonical order: [Content_Types].xml first, then byte order of the names. */
function order(a, b) {
  if (a.name === CONTENT_TYPES || b.name === CONTENT_TYPES) return a.name === CONTENT_TYPES ? -1 : 1;
  return Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));
}

/** A zip of `entries` ([{ name, data }]) in the canonical form described above. */
export function writeZip(entries, { time = entryTime() } = {}) {
  const seen = new Set();
  for (const e of entries) {
    if (seen.has(e.name)) throw new Error(`zip entry ${e.name} given twice`);
    seen.add(e.name);
  }
  const { date, time: clock } = dosDateTime(time);
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const e of [...entries].sort(order)) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data) >>> 0;
    const deflated = deflateRawSync(e.data, { level: 9 });
    const [method, body] = deflated.length < e.data.length ? [8, deflated] : [0, e.data];
    const flags = /^[\x20-\x7e]*$/.test(e.name) ? 0 : 0x0800; // bit 11: the name is UTF-8
    const head = Buffer.alloc(30);
    head.writeUInt32LE(LOCAL, 0);
    head.writeUInt16LE(method === 8 ? 20 : 10, 4);
    head.writeUInt16LE(flags, 6);
    head.writeUInt16LE(method, 8);
    head.writeUInt16LE(clock, 10);
    head.writeUInt16LE(date, 12);
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(body.length, 18);
    head.writeUInt32LE(e.data.length, 22);
    head.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4); // made by: MS-DOS, zip 2.0, so the attribute word below is plain DOS
    head.copy(central, 6, 4, 30); // version needed … name length: the same fields in the same order
    central.writeUInt32LE(offset, 42);
    locals.push(head, name, body);
    centrals.push(central, name);
    offset += head.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The canonical form of a zip's bytes. */
export function normaliseZip(buf, opts) {
  return writeZip(readZip(buf).map(canonicalManifest), opts);
}

/**
 * tfx lists the package's assets (extension.vsixmanifest) and content types ([Content_Types].xml) in the order
 * its asynchronous file reads finish, which varies from run to run on a busy machine. Neither order means
 * anything, so each list's lines are sorted; the rest of the file is left byte for byte.
 */
export function canonicalManifest(entry) {
  const rule = { 'extension.vsixmanifest': /<Asset [^>]*\/>/g, '[Content_Types].xml': /<Default [^>]*\/>/g }[entry.name];
  if (!rule) return entry;
  const text = Buffer.from(entry.data).toString('utf8');
  const items = text.match(rule) ?? [];
  if (items.length < 2) return entry;
  const sorted = [...items].sort();
  let i = 0;
  return { ...entry, data: Buffer.from(text.replace(rule, () => sorted[i++]), 'utf8') };
}
