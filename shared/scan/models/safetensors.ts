/**
 * safetensors: an 8-byte little-endian header length, a UTF-8 JSON header, then the tensor bytes. The format holds
 * no code; the checks mirror what the reference loader rejects, so a crafted header is visible before any loader
 * (or a less careful one) reads it.
 */
import type { ModelAnalyzer, ModelIssue } from '../types';
import { IssueSink, quote, safely } from './_issues';
import { SAFETENSORS_MALFORMED } from './_rules';

/** The reference implementation's cap on the header. */
const MAX_HEADER = 100_000_000;

const DTYPE_BITS: Record<string, number> = {
  BOOL: 8, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8, I16: 16, U16: 16, F16: 16, BF16: 16,
  I32: 32, U32: 32, F32: 32, I64: 64, U64: 64, F64: 64, C64: 64, F4: 4, F6_E2M3: 6, F6_E3M2: 6,
};

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

interface Range { name: string; begin: number; end: number }

function check(buf: Buffer, bad: (message: string, key: string) => void): void {
  if (buf.length < 8) return bad('the file is shorter than the 8-byte header length', 'length');
  const n64 = buf.readBigUInt64LE(0);
  if (n64 > BigInt(MAX_HEADER)) return bad(`the header length ${n64} exceeds ${MAX_HEADER} bytes`, 'length');
  const n = Number(n64);
  if (8 + n > buf.length) return bad(`the header length ${n} runs past the file end (${buf.length} bytes)`, 'length');
  if (n < 2 || buf[8] !== 0x7b) return bad('the header does not start with {', 'header');
  let text: string;
  try {
    text = fatalUtf8.decode(buf.subarray(8, 8 + n));
  } catch {
    return bad('the header is not valid UTF-8', 'header');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    return bad('the header does not parse as JSON', 'header');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return bad('the header is not a JSON object', 'header');
  const dataLen = buf.length - 8 - n;
  const ranges: Range[] = [];
  let entryBad = false;
  const badEntry = (message: string, key: string) => { entryBad = true; bad(message, key); };
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      const ok = typeof info === 'object' && info !== null && !Array.isArray(info) && Object.values(info).every((v) => typeof v === 'string');
      if (!ok) bad('__metadata__ is not a map of strings to strings', 'metadata');
      continue;
    }
    const t = quote(name, 80);
    if (typeof info !== 'object' || info === null) { badEntry(`tensor ${t} is not an object`, `tensor:${name}`); continue; }
    const { dtype, shape, data_offsets: offs } = info as Record<string, unknown>;
    const bits = typeof dtype === 'string' ? DTYPE_BITS[dtype] : undefined;
    if (bits === undefined) { badEntry(`tensor ${t} has an unknown dtype`, `tensor:${name}`); continue; }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) { badEntry(`tensor ${t} has a shape that is not a list of non-negative integers`, `tensor:${name}`); continue; }
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0) || offs[0] > offs[1]) {
      badEntry(`tensor ${t} has data_offsets that are not [begin, end] with begin <= end`, `tensor:${name}`);
      continue;
    }
    const [begin, end] = offs as [number, number];
    if (end > dataLen) { badEntry(`tensor ${t} ends at data byte ${end}, past the ${dataLen} bytes of data`, `tensor:${name}`); continue; }
    const elements = (shape as number[]).reduce((a, b) => a * b, 1);
    const nbits = elements * bits;
    if (!Number.isSafeInteger(nbits) || nbits % 8 !== 0 || nbits / 8 !== end - begin) {
      badEntry(`tensor ${t} spans ${end - begin} bytes but its dtype and shape need ${nbits / 8}`, `tensor:${name}`);
      continue;
    }
    ranges.push({ name, begin, end });
  }
  // The reference loader requires the ranges to tile the data exactly: no overlap, no hole, nothing after.
  // With a broken entry the tiling cannot be judged (its range is unknown), and that entry is already reported.
  if (entryBad) return;
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const r of ranges) {
    if (r.begin < at) bad(`tensor ${quote(r.name, 80)} overlaps the tensor before it`, `overlap:${r.name}`);
    else if (r.begin > at) bad(`data bytes ${at}..${r.begin} before tensor ${quote(r.name, 80)} belong to no tensor`, `gap:${r.name}`);
    at = Math.max(at, r.end);
  }
  if (at < dataLen) bad(`${dataLen - at} data bytes after the last tensor belong to no tensor`, 'trailing');
}

export const safetensorsAnalyzer: ModelAnalyzer = {
  rules: [SAFETENSORS_MALFORMED],
  extensions: ['.safetensors'],
  analyze(bytes): ModelIssue[] {
    const sink = new IssueSink();
    return safely(sink, SAFETENSORS_MALFORMED.id, () => {
      check(bytes, (message, key) => sink.add({ ruleId: SAFETENSORS_MALFORMED.id, message: `safetensors file is malformed: ${message}.`, key }));
    });
  },
};
