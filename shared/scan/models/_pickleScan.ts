/**
 * Turns pickle walks into issues: judges every import with the policy, follows the data a writer interleaves with
 * opcodes (joblib's raw array bytes and nested object-array pickles), follows nested pickles passed as literal bytes
 * (torch.storage._load_from_bytes), and walks the further pickles of a multi-pickle file (legacy torch.save).
 */
import type { IssueSink } from './_issues';
import { LIMITS, where } from './_issues';
import { judgeImport, normalise } from './_picklePolicy';
import type { AfterBuild, PickleImport, PV, WalkResult } from './_pickleWalker';
import { walkPickle } from './_pickleWalker';
import { PICKLE_DANGEROUS, PICKLE_MALFORMED, PICKLE_UNLISTED, PICKLE_UNRESOLVED } from './_rules';
import { dtypeInfo } from './_numpyDtype';

export interface PickleScanContext {
  sink: IssueSink;
  /** "member 'archive/data.pkl'" when the pickle sits in an archive; for messages and keys. */
  member?: string;
  depth: number;
}

const LEGACY_TORCH_MAGIC = 0x1950a86a20f9469cfc6cn;
/** magic, protocol version, sys_info, the object, the storage keys; raw storage bytes follow. */
const LEGACY_TORCH_PICKLES = 5;

const PROTO = 0x80;

export function looksLikePickle(head: Buffer): boolean {
  if (head.length < 3 || head[0] !== PROTO || head[1] < 2 || head[1] > 5) return false;
  // Protocol 4+ writers always open a frame; protocol 2/3 start with an opcode that builds a value.
  return head[1] >= 4 ? head[2] === 0x95 : OPENING_OPCODES.has(head[2]);
}

const OPENING_OPCODES = new Set([0x63, 0x7d, 0x5d, 0x28, 0x29, 0x58, 0x8c, 0x4b, 0x4a, 0x4d, 0x8a, 0x4e, 0x88, 0x89, 0x47, 0x55, 0x43, 0x42, 0x54, 0x93]);

/**
 * Walks the pickles in `buf` from `start`: the first one, then each following one that starts with PROTO (legacy
 * torch files, several joblib/pickle dumps in one file). Returns the offset where walking stopped.
 */
export function scanPickleStream(buf: Buffer, start: number, ctx: PickleScanContext): number {
  let pos = start;
  let index = 0;
  let legacyTorch = false;
  while (pos < buf.length) {
    if (index > 0 && !(buf[pos] === PROTO && buf.length - pos >= 2)) break;
    if (legacyTorch && index >= LEGACY_TORCH_PICKLES) break; // the rest is raw storage data
    if (ctx.sink.budget.pickles-- <= 0) {
      ctx.sink.limit(`further pickles from byte ${pos}${ctx.member ? ` of ${ctx.member}` : ''} (more than ${LIMITS.maxPickles} in one file)`, `pickles:${ctx.member ?? ''}`, 'medium', pos);
      break;
    }
    const res = walkOne(buf, pos, ctx);
    if (index === 0 && res.value?.k === 'int' && res.value.v === LEGACY_TORCH_MAGIC) legacyTorch = true;
    if (res.error || res.limit) return res.end;
    pos = res.end;
    index++;
  }
  return pos;
}

/** Walks one pickle and reports its imports. */
function walkOne(buf: Buffer, start: number, ctx: PickleScanContext): WalkResult {
  const { sink } = ctx;
  const res = walkPickle(buf, start, {
    maxOpcodes: Math.max(0, sink.budget.opcodes),
    afterBuild: (obj, state, pos) => joblibArray(buf, obj, state, pos),
    nested: (pos) => {
      if (ctx.depth >= LIMITS.maxDepth) return undefined;
      const r = walkOne(buf, pos, { ...ctx, depth: ctx.depth + 1 });
      return r.error || r.limit ? undefined : r.end;
    },
  });
  sink.budget.opcodes -= res.opcodes;
  report(buf, res, ctx);
  return res;
}

function report(buf: Buffer, res: WalkResult, ctx: PickleScanContext): void {
  const { sink, member } = ctx;
  const keyPrefix = member ? `${member}!` : '';
  for (const imp of res.imports) {
    const full = normalise(imp.module, imp.name).join('.');
    const shown = printable(full);
    const how = `${imp.op}${where(imp.at, member)}${imp.called ? ', called on load' : ''}`;
    if (isNestedLoader(imp) && followNested(buf, imp, ctx)) continue;
    const v = judgeImport(imp.module, imp.name);
    if (v.verdict === 'dangerous') {
      sink.add({ ruleId: PICKLE_DANGEROUS.id, message: `Pickle imports ${shown} (${v.why}) via ${how}.`, byteOffset: imp.at, key: keyPrefix + shown });
    } else if (v.verdict === 'unknown') {
      sink.add({ ruleId: PICKLE_UNLISTED.id, message: `Pickle imports ${shown}, which is not on the allow-list, via ${how}.`, byteOffset: imp.at, key: keyPrefix + shown });
    }
  }
  for (const u of res.unresolved) {
    sink.add({ ruleId: PICKLE_UNRESOLVED.id, message: `Pickle import the scan cannot resolve${where(u.at, member)}: ${u.what}.`, byteOffset: u.at, key: `${keyPrefix}unresolved@${u.at}` });
  }
  if (res.error) {
    sink.add({ ruleId: PICKLE_MALFORMED.id, message: `Pickle is malformed${where(res.error.at, member)}: ${res.error.message}.`, byteOffset: res.error.at, key: `${keyPrefix}malformed` });
  }
  if (res.limit) sink.limit(`pickle ${member ? `in ${member} ` : ''}beyond this point: ${res.limit}`, `${keyPrefix}walk`, 'medium', res.end);
}

function isNestedLoader(imp: PickleImport): boolean {
  return imp.module === 'torch.storage' && imp.name === '_load_from_bytes';
}

/**
 * torch.storage._load_from_bytes(b) runs torch.load on `b`: when every call passes literal bytes, those bytes are
 * walked as a nested legacy torch file instead of condemning the helper. Returns false when that is not possible.
 */
function followNested(buf: Buffer, imp: PickleImport, ctx: PickleScanContext): boolean {
  const arg = imp.args?.k === 'tuple' ? imp.args.items[0] : undefined;
  if (!imp.called || arg?.k !== 'bytes') {
    if (imp.called) {
      ctx.sink.add({
        ruleId: PICKLE_UNRESOLVED.id,
        message: `Pickle calls ${imp.module}.${imp.name} (a nested torch.load) with data that is not literal bytes${where(imp.at, ctx.member)}.`,
        byteOffset: imp.at,
        key: `${ctx.member ? ctx.member + '!' : ''}nested@${imp.at}`,
      });
      return true;
    }
    return false;
  }
  if (ctx.depth >= LIMITS.maxDepth) {
    ctx.sink.limit(`nested pickle at byte ${arg.start} (nesting deeper than ${LIMITS.maxDepth})`, `nested:${arg.start}`, 'medium', arg.start);
    return true;
  }
  const inner = buf.subarray(arg.start, arg.end);
  const label = `nested pickle at byte ${arg.start}${ctx.member ? ` of ${ctx.member}` : ''}`;
  scanPickleStream(inner, 0, { sink: ctx.sink, member: label, depth: ctx.depth + 1 });
  return true;
}

/**
 * joblib writes each numpy array as a NumpyArrayWrapper whose BUILD is followed, in the same stream, by the array:
 * a nested pickle for object arrays, else an optional alignment-padding byte (joblib >= 1.2) and the raw bytes.
 */
function joblibArray(buf: Buffer, obj: PV, state: PV, pos: number): AfterBuild {
  if (obj.k !== 'call' || obj.fn.k !== 'global' || obj.fn.imp.name !== 'NumpyArrayWrapper') return undefined;
  if (!/(^|\.)numpy_pickle$/.test(obj.fn.imp.module)) return undefined;
  if (state.k !== 'dict') return { stop: `joblib array wrapper at byte ${pos} has no readable state` };
  const get = (key: string): PV | undefined => state.entries.find(([k]) => k.k === 'str' && k.v === key)?.[1];
  const dtype = get('dtype');
  const descr = dtype?.k === 'call' && dtype.args.k === 'tuple' && dtype.args.items[0]?.k === 'str' ? dtype.args.items[0].v : undefined;
  const info = descr === undefined ? undefined : dtypeInfo(descr);
  if (!info) return { stop: `joblib array at byte ${pos} has a dtype the scan cannot size` };
  if (info.hasObject) return { nestedPickle: true };
  // A structured ('V') dtype may hold object fields; joblib then writes a pickle (it always starts with PROTO 2).
  if (info.kind === 'V' && buf[pos] === PROTO && buf[pos + 1] === 2) return { nestedPickle: true };
  const shape = get('shape');
  let count = 1n;
  if (shape?.k !== 'tuple') return { stop: `joblib array at byte ${pos} has no readable shape` };
  for (const d of shape.items) {
    if (d.k !== 'int' || d.v < 0) return { stop: `joblib array at byte ${pos} has a non-integer dimension` };
    count *= BigInt(d.v);
  }
  let skip = count * BigInt(info.itemsize);
  const align = get('numpy_array_alignment_bytes');
  if (align && align.k !== 'none') {
    if (pos >= buf.length) return { stop: `joblib array at byte ${pos} is truncated` };
    skip += 1n + BigInt(buf[pos]);
  }
  if (skip > BigInt(buf.length - pos)) return { skip: Number.MAX_SAFE_INTEGER };
  return { skip: Number(skip) };
}

/** Import names come from the file: keep them printable and bounded in messages and keys. */
function printable(s: string): string {
  const clean = s.replace(/[^\x21-\x7e]/g, '?');
  return clean.length > 200 ? clean.slice(0, 200) + '…' : clean;
}
