/**
 * A pickle opcode walker (protocols 0–5). It reads the stream the way Python's Unpickler does — stack, mark stack,
 * memo — but every value is an inert description: nothing is imported, constructed or called. What it records is what
 * loading would import and call, so the policy can judge it.
 *
 * Values keep only what the analysis needs (strings for STACK_GLOBAL, ints and tuples for joblib array sizes, bytes
 * ranges for nested pickles); containers keep their first few items so a hostile pickle cannot grow memory beyond
 * its own size.
 */

export type PV =
  | { k: 'str'; v: string }
  | { k: 'bytes'; start: number; end: number }
  /** Integers within ±2^53 are numbers; longer LONG values are bigints. */
  | { k: 'int'; v: number | bigint }
  | { k: 'bool'; v: boolean }
  | { k: 'none' }
  | { k: 'global'; imp: PickleImport }
  | { k: 'tuple' | 'list'; items: PV[] }
  | { k: 'dict'; entries: Array<[PV, PV]> }
  | { k: 'call'; fn: PV; args: PV; at: number }
  | { k: 'other' };

export interface PickleImport {
  module: string;
  name: string;
  /** Byte offset of the first opcode that imported it. */
  at: number;
  op: 'GLOBAL' | 'STACK_GLOBAL' | 'INST';
  /** Called by REDUCE, NEWOBJ, NEWOBJ_EX, OBJ or INST at least once. */
  called: boolean;
  /** The first call's arguments (for helpers whose safety depends on them). */
  args?: PV;
}

export interface Unresolved {
  at: number;
  what: string;
}

export interface WalkResult {
  /** Offset just past STOP, or where the walk stopped. */
  end: number;
  /** The value STOP returned. */
  value?: PV;
  /** Set when the stream is malformed; everything before `error.at` was walked. */
  error?: { at: number; message: string };
  /** Set when a cap stopped the walk (not a malformation). */
  limit?: string;
  imports: PickleImport[];
  unresolved: Unresolved[];
  /** Opcodes walked (taken from the shared budget). */
  opcodes: number;
}

/** What to do after a BUILD: continue, or skip raw bytes / a nested pickle that the writer put in the stream. */
export type AfterBuild = { skip: number } | { nestedPickle: true } | { stop: string } | undefined;

export interface WalkOptions {
  /** Opcodes this walk may execute. */
  maxOpcodes: number;
  /** Called after each BUILD with the built object and its state, at the offset after the opcode (joblib arrays). */
  afterBuild?(obj: PV, state: PV, pos: number): AfterBuild;
  /** Walks a nested pickle at `pos` (for `{ nestedPickle }`); returns its end offset or undefined when it failed. */
  nested?(pos: number): number | undefined;
}

const KEEP_ITEMS = 64;
/**
 * A frame (the stack above the innermost MARK) keeps its first KEEP_ITEMS values and a window of the latest ones;
 * values in between are dropped in blocks and only counted (they pop as 'other'). A pickle that pushes millions of
 * values before one TUPLE then costs constant memory, and no huge array is ever grown.
 */
const WINDOW = 4096;
const SPILL = 2048;
const MAX_STR = 4096;
const OTHER: PV = { k: 'other' };
const NONE: PV = { k: 'none' };
const TRUE: PV = { k: 'bool', v: true };
const FALSE: PV = { k: 'bool', v: false };
/** Values are never mutated once pushed (containers aside), so small ints can be shared: no allocation per BININT1. */
const SMALL_INTS: PV[] = Array.from({ length: 256 }, (_, v) => ({ k: 'int', v }));
const int = (v: number): PV => (v >= 0 && v < 256 ? SMALL_INTS[v] : { k: 'int', v });

class Malformed extends Error {
  constructor(readonly at: number, message: string) {
    super(message);
  }
}

const hex = (b: number) => '0x' + b.toString(16).padStart(2, '0');

/** Walks one pickle starting at `start`. Never throws. */
export function walkPickle(buf: Buffer, start: number, opts: WalkOptions): WalkResult {
  const imports = new Map<string, PickleImport>();
  const unresolved: Unresolved[] = [];
  const stack: PV[] = [];
  const marks: number[] = [];
  /** Values dropped from each frame: index 0 is the bottom frame, index i the frame opened by marks[i - 1]. */
  const elided: number[] = [0];
  /** Values dropped from the frame the last popMark closed (for SETITEMS' pair count). */
  let lastElided = 0;
  const memo = new Map<number, PV>();
  let pos = start;
  let opAt = start;
  let ops = 0;
  const len = buf.length;

  const need = (n: number) => {
    if (n < 0 || pos + n > len) throw new Malformed(opAt, `truncated: ${n} byte(s) of argument needed at byte ${pos}, file ends at ${len}`);
  };
  const base = () => (marks.length ? marks[marks.length - 1] : 0);
  const push = (v: PV) => {
    stack.push(v);
    const b = base();
    if (stack.length - b > KEEP_ITEMS + WINDOW) {
      stack.splice(b + KEEP_ITEMS, SPILL);
      elided[marks.length] += SPILL;
    }
  };
  /** True when the next value to pop is one of the dropped ones. */
  const atElided = () => elided[marks.length] > 0 && stack.length === base() + KEEP_ITEMS;
  const pop = (): PV => {
    if (atElided()) { elided[marks.length]--; return OTHER; }
    if (stack.length <= base()) throw new Malformed(opAt, 'stack underflow');
    return stack.pop() as PV;
  };
  const top = (): PV => {
    if (atElided()) return OTHER;
    if (stack.length <= base()) throw new Malformed(opAt, 'stack underflow');
    return stack[stack.length - 1];
  };
  const mark = () => {
    marks.push(stack.length);
    elided.push(0);
  };
  const popMark = (): PV[] => {
    const m = marks.pop();
    if (m === undefined) throw new Malformed(opAt, 'MARK expected but the mark stack is empty');
    lastElided = elided.pop() as number;
    return stack.splice(m);
  };
  const line = (): string => {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) throw new Malformed(opAt, 'truncated: newline-terminated argument without newline');
    const s = buf.toString('latin1', pos, Math.min(nl, pos + MAX_STR));
    pos = nl + 1;
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  };
  const u8 = () => { need(1); return buf[pos++]; };
  const u16 = () => { need(2); const v = buf.readUInt16LE(pos); pos += 2; return v; };
  const u32 = () => { need(4); const v = buf.readUInt32LE(pos); pos += 4; return v; };
  const i32 = () => { need(4); const v = buf.readInt32LE(pos); pos += 4; return v; };
  const u64 = () => {
    need(8);
    const v = buf.readBigUInt64LE(pos);
    pos += 8;
    if (v > BigInt(len)) throw new Malformed(opAt, `truncated: length ${v} exceeds the file`);
    return Number(v);
  };
  const str = (n: number, enc: 'utf8' | 'latin1'): PV => {
    need(n);
    const v: PV = n <= MAX_STR ? { k: 'str', v: buf.toString(enc, pos, pos + n) } : OTHER;
    pos += n;
    return v;
  };
  const bytes = (n: number): PV => {
    need(n);
    const v: PV = { k: 'bytes', start: pos, end: pos + n };
    pos += n;
    return v;
  };
  const longBytes = (n: number): PV => {
    need(n);
    if (n > 64) { pos += n; return OTHER; }
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[pos + i]);
    if (n > 0 && buf[pos + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    pos += n;
    return bigOrNumber(v);
  };
  const memoGet = (i: number) => {
    const v = memo.get(i);
    if (v === undefined) throw new Malformed(opAt, `memo key ${i} not found`);
    push(v);
  };
  const memoPut = (i: number) => {
    if (i < 0 || !Number.isFinite(i)) throw new Malformed(opAt, 'negative or invalid memo key');
    memo.set(i, top());
  };
  const decimal = (s: string): number => {
    if (!/^-?\d{1,15}$/.test(s.trim())) throw new Malformed(opAt, 'invalid decimal argument');
    return Number(s.trim());
  };
  /** INT and LONG lines: any length is valid in Python; only short ones are worth a value. */
  const integer = (s: string): PV => {
    const t = s.trim();
    if (!/^[-+]?\d{1,4096}$/.test(t)) throw new Malformed(opAt, 'invalid integer argument');
    return t.length <= 40 ? bigOrNumber(BigInt(t)) : OTHER;
  };
  const importOf = (module: string, name: string, op: PickleImport['op']): PV => {
    const key = `${module}\u0000${name}`;
    let imp = imports.get(key);
    if (!imp) {
      imp = { module, name, at: opAt, op, called: false };
      imports.set(key, imp);
    }
    return { k: 'global', imp };
  };
  const call = (fn: PV, args: PV): PV => {
    if (fn.k === 'global' && !fn.imp.called) {
      fn.imp.called = true;
      fn.imp.args = args;
    }
    return { k: 'call', fn, args, at: opAt };
  };
  const collect = (items: PV[]): PV[] => (items.length > KEEP_ITEMS ? items.slice(0, KEEP_ITEMS) : items);
  const addTo = (target: PV, items: PV[]) => {
    if (target.k === 'list' || target.k === 'tuple') {
      for (const it of items) { if (target.items.length >= KEEP_ITEMS) break; target.items.push(it); }
    }
  };
  const setItems = (target: PV, flat: PV[], dropped = 0) => {
    if ((flat.length + dropped) % 2 !== 0) throw new Malformed(opAt, 'odd number of items for SETITEMS');
    if (target.k !== 'dict') return;
    for (let i = 0; i + 1 < flat.length && target.entries.length < KEEP_ITEMS; i += 2) target.entries.push([flat[i], flat[i + 1]]);
  };

  const result = (extra: Partial<WalkResult>): WalkResult => ({ end: pos, imports: [...imports.values()], unresolved, opcodes: ops, ...extra });

  try {
    for (;;) {
      if (pos >= len) throw new Malformed(pos, 'truncated: stream ends before STOP');
      if (++ops > opts.maxOpcodes) return result({ limit: `opcode budget exhausted at byte ${pos}` });
      opAt = pos;
      const op = buf[pos++];
      switch (op) {
        case 0x80: { // PROTO
          const v = u8();
          if (v > 5) throw new Malformed(opAt, `unsupported pickle protocol ${v}`);
          break;
        }
        case 0x95: u64(); break; // FRAME: frames only group opcodes; the stream stays linear
        case 0x2e: { // STOP
          const value = pop();
          return result({ value });
        }
        case 0x28: mark(); break; // MARK
        case 0x30: if (stack.length > base() || atElided()) pop(); else popMark(); break; // POP
        case 0x31: popMark(); break; // POP_MARK
        case 0x32: push(top()); break; // DUP
        // Numbers and constants
        case 0x4e: push(NONE); break;
        case 0x88: push(TRUE); break;
        case 0x89: push(FALSE); break;
        case 0x49: { // INT
          const s = line();
          if (s === '00' || s === '01') push(s === '01' ? TRUE : FALSE);
          else push(integer(s));
          break;
        }
        case 0x4a: push(int(i32())); break; // BININT
        case 0x4b: push(SMALL_INTS[u8()]); break; // BININT1
        case 0x4d: push(int(u16())); break; // BININT2
        case 0x4c: { // LONG
          push(integer(line().replace(/L$/, '')));
          break;
        }
        case 0x8a: push(longBytes(u8())); break; // LONG1
        case 0x8b: { const n = i32(); if (n < 0) throw new Malformed(opAt, 'negative LONG4 length'); push(longBytes(n)); break; }
        case 0x46: line(); push(OTHER); break; // FLOAT
        case 0x47: need(8); pos += 8; push(OTHER); break; // BINFLOAT
        // Strings and bytes
        case 0x53: push(pyString(line(), opAt)); break; // STRING
        case 0x54: { const n = i32(); if (n < 0) throw new Malformed(opAt, 'negative BINSTRING length'); push(str(n, 'latin1')); break; }
        case 0x55: push(str(u8(), 'latin1')); break; // SHORT_BINSTRING
        case 0x56: push({ k: 'str', v: rawUnicodeEscape(line()) }); break; // UNICODE
        case 0x58: push(str(u32(), 'utf8')); break; // BINUNICODE
        case 0x8c: push(str(u8(), 'utf8')); break; // SHORT_BINUNICODE
        case 0x8d: push(str(u64(), 'utf8')); break; // BINUNICODE8
        case 0x42: push(bytes(u32())); break; // BINBYTES
        case 0x43: push(bytes(u8())); break; // SHORT_BINBYTES
        case 0x8e: push(bytes(u64())); break; // BINBYTES8
        case 0x96: push(bytes(u64())); break; // BYTEARRAY8
        case 0x97: push(OTHER); break; // NEXT_BUFFER (out-of-band; Python fails without buffers=)
        case 0x98: top(); break; // READONLY_BUFFER
        // Containers
        case 0x5d: push({ k: 'list', items: [] }); break; // EMPTY_LIST
        case 0x29: push({ k: 'tuple', items: [] }); break; // EMPTY_TUPLE
        case 0x7d: push({ k: 'dict', entries: [] }); break; // EMPTY_DICT
        case 0x8f: push(OTHER); break; // EMPTY_SET
        case 0x6c: push({ k: 'list', items: collect(popMark()) }); break; // LIST
        case 0x74: push({ k: 'tuple', items: collect(popMark()) }); break; // TUPLE
        case 0x85: { const a = pop(); push({ k: 'tuple', items: [a] }); break; }
        case 0x86: { const b = pop(); const a = pop(); push({ k: 'tuple', items: [a, b] }); break; }
        case 0x87: { const c = pop(); const b = pop(); const a = pop(); push({ k: 'tuple', items: [a, b, c] }); break; }
        case 0x64: { const d: PV = { k: 'dict', entries: [] }; setItems(d, popMark(), lastElided); push(d); break; } // DICT
        case 0x91: popMark(); push(OTHER); break; // FROZENSET
        case 0x61: { const v = pop(); addTo(top(), [v]); break; } // APPEND
        case 0x65: { const items = popMark(); addTo(top(), items); break; } // APPENDS
        case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
        case 0x75: { const items = popMark(); setItems(top(), items, lastElided); break; } // SETITEMS
        case 0x90: { popMark(); top(); break; } // ADDITEMS
        // Memo
        case 0x67: memoGet(decimal(line())); break; // GET
        case 0x68: memoGet(u8()); break; // BINGET
        case 0x6a: memoGet(u32()); break; // LONG_BINGET
        case 0x70: memoPut(decimal(line())); break; // PUT
        case 0x71: memoPut(u8()); break; // BINPUT
        case 0x72: memoPut(u32()); break; // LONG_BINPUT
        case 0x94: memoPut(memo.size); break; // MEMOIZE
        // Imports
        case 0x63: { // GLOBAL
          const module = utf8Line(line());
          const name = utf8Line(line());
          push(importOf(module, name, 'GLOBAL'));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = pop();
          const module = pop();
          if (module.k === 'str' && name.k === 'str') push(importOf(module.v, name.v, 'STACK_GLOBAL'));
          else {
            unresolved.push({ at: opAt, what: `STACK_GLOBAL takes its module/name from a ${module.k === 'str' ? name.k : module.k} value, not a string literal` });
            push(OTHER);
          }
          break;
        }
        case 0x82: case 0x83: case 0x84: { // EXT1, EXT2, EXT4
          const code = op === 0x82 ? u8() : op === 0x83 ? u16() : i32();
          unresolved.push({ at: opAt, what: `extension-registry import (EXT code ${code}) names no module` });
          push(OTHER);
          break;
        }
        // Calls
        case 0x52: { const args = pop(); const fn = pop(); push(call(fn, args)); break; } // REDUCE
        case 0x81: { const args = pop(); const cls = pop(); push(call(cls, args)); break; } // NEWOBJ
        case 0x92: { pop(); const args = pop(); const cls = pop(); push(call(cls, args)); break; } // NEWOBJ_EX
        case 0x69: { // INST
          const module = utf8Line(line());
          const name = utf8Line(line());
          const args = popMark();
          push(call(importOf(module, name, 'INST'), { k: 'tuple', items: collect(args) }));
          break;
        }
        case 0x6f: { // OBJ
          const items = popMark();
          if (items.length === 0) throw new Malformed(opAt, 'OBJ without a class');
          push(call(items[0], { k: 'tuple', items: collect(items.slice(1)) }));
          break;
        }
        case 0x62: { // BUILD
          const state = pop();
          const obj = top();
          const next = opts.afterBuild?.(obj, state, pos);
          if (next && 'skip' in next) {
            if (pos + next.skip > len) throw new Malformed(opAt, `truncated: ${next.skip} bytes of raw array data expected after BUILD`);
            pos += next.skip;
          } else if (next && 'nestedPickle' in next) {
            const end = opts.nested?.(pos);
            if (end === undefined) return result({ limit: `nested pickle at byte ${pos} could not be followed` });
            pos = end;
          } else if (next && 'stop' in next) {
            return result({ limit: next.stop });
          }
          break;
        }
        case 0x50: line(); push(OTHER); break; // PERSID
        case 0x51: pop(); push(OTHER); break; // BINPERSID
        default:
          throw new Malformed(opAt, `unknown opcode ${hex(op)}`);
      }
    }
  } catch (e) {
    if (e instanceof Malformed) return result({ end: e.at, error: { at: e.at, message: e.message } });
    // RangeError from a Buffer read past the end, or anything unforeseen: still a malformation, never a crash.
    return result({ end: opAt, error: { at: opAt, message: `unreadable at byte ${opAt}` } });
  }
}

function bigOrNumber(v: bigint): PV {
  return v >= -(2n ** 53n) && v <= 2n ** 53n ? int(Number(v)) : { k: 'int', v };
}

/** GLOBAL/INST arguments are UTF-8 in Python 3; the line was read as latin1 bytes. */
function utf8Line(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

/** Protocol 0 STRING: a quoted Python 2 repr with backslash escapes. */
function pyString(s: string, at: number): PV {
  if (s.length < 2 || s[0] !== s[s.length - 1] || (s[0] !== "'" && s[0] !== '"')) throw new Malformed(at, 'STRING argument is not quoted');
  const body = s.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) { out += c; continue; }
    const n = body[++i];
    if (n === 'n') out += '\n';
    else if (n === 't') out += '\t';
    else if (n === 'r') out += '\r';
    else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) { out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16)); i += 2; }
    else if (/[0-7]/.test(n)) {
      let j = i;
      while (j < body.length && j < i + 3 && /[0-7]/.test(body[j])) j++;
      out += String.fromCharCode(parseInt(body.slice(i, j), 8) & 0xff);
      i = j - 1;
    } else out += n;
  }
  return { k: 'str', v: out };
}

/** Protocol 0 UNICODE: raw-unicode-escape (only \uXXXX and \UXXXXXXXX are escapes). */
function rawUnicodeEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && (s[i + 1] === 'u' || s[i + 1] === 'U')) {
      const n = s[i + 1] === 'u' ? 4 : 8;
      const h = s.slice(i + 2, i + 2 + n);
      if (h.length === n && /^[0-9a-fA-F]+$/.test(h)) {
        const cp = parseInt(h, 16);
        if (cp <= 0x10ffff) { out += String.fromCodePoint(cp); i += 1 + n; continue; }
      }
    }
    out += s[i];
  }
  return out;
}
