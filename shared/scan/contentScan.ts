/**
 * Secrets in file content already in memory: plain text (whole, or one chunk of a big file), UTF-16 text
 * and notebooks. Pure: bytes in, placed matches out; positions and Findings are made by the caller once
 * every chunk has been seen.
 *
 * Detectors get "bytes as latin1" text: one char per byte, so offsets are file offsets, invalid UTF-8 can
 * neither throw nor shift anything, and a secret (ASCII by nature) reads the same as in a UTF-8 decode.
 */
import type { Finding } from '../rules/types';
import { describeError, type DetectorSet } from './detect';
import { dedupeMatches, secretFindings, type PlacedMatch } from './findings';
import { mapByteOffsets, mapStringOffsets, type Position } from './lineMap';
import { readNotebook } from './notebook';
import type { TextHandler, TextHandlerContext } from './options';
import { rememberHits } from './wordPass';

export type Warn = (message: string) => void;

/** A latin1 slice back to the text it stands for. */
function utf8Of(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/**
 * Matches in bytes [start, end) of `bytes`, as file offsets (`base` is the file offset of bytes[0]).
 * `owned`, when given, keeps only matches starting in [owned.from, owned.to) (file offsets): the part of
 * an overlapping chunk this chunk answers for.
 */
export function matchBytes(
  set: DetectorSet,
  path: string,
  bytes: Buffer,
  warn: Warn,
  opts: { start?: number; end?: number; base?: number; owned?: { from: number; to: number } } = {},
): PlacedMatch[] {
  const start = opts.start ?? 0;
  const end = opts.end ?? bytes.length;
  const { flags, hits } = set.matcher.matchBytes(bytes, start, end);
  if (!set.vetoBytes(flags, bytes, start, end)) return [];
  const text = bytes.toString('latin1', start, end);
  rememberHits(text, hits);
  const offset = (opts.base ?? 0) + start;
  const out: PlacedMatch[] = [];
  for (const h of set.run(text, path, flags, warn)) {
    const s = offset + h.start;
    if (opts.owned && (s < opts.owned.from || s >= opts.owned.to)) continue;
    out.push(placed(h, s, offset + h.end, utf8Of(text.slice(h.start, h.end))));
  }
  return out;
}

function placed(h: ReturnType<DetectorSet['run']>[number], start: number, end: number, value: string, cell?: PlacedMatch['cell']): PlacedMatch {
  return {
    ruleId: h.ruleId,
    ...(h.severity ? { severity: h.severity } : {}),
    confidence: h.confidence,
    message: h.message,
    start,
    end,
    value,
    ...(cell ? { cell } : {}),
    detector: h.detector,
  };
}

/**
 * Which part of chunk [chunkStart, chunkEnd) of a file of `size` bytes answers for matches: chunks overlap
 * by `overlap`, each owns the middle of the overlap with its neighbours, so a match shorter than half the
 * overlap is seen whole by exactly one chunk.
 */
export function ownedRange(chunkStart: number, chunkEnd: number, size: number, overlap: number): { from: number; to: number } {
  const half = overlap >> 1;
  return { from: chunkStart === 0 ? 0 : chunkStart + half, to: chunkEnd >= size ? Number.POSITIVE_INFINITY : chunkEnd - half };
}

/** Findings for matches placed in a file held whole (bytes-as-latin1 offsets). */
export function findingsForBytes(set: DetectorSet, path: string, bytes: Uint8Array, matches: PlacedMatch[]): Finding[] {
  const kept = dedupeMatches(matches, set.meta);
  if (!kept.length) return [];
  return secretFindings(path, kept, mapByteOffsets(bytes, kept.flatMap((m) => [m.start, m.end])), set.meta);
}

/** Findings when positions come from elsewhere (a streamed big file): `locate` maps file offsets in bulk. */
export function findingsWith(set: DetectorSet, path: string, matches: PlacedMatch[], locate: (offsets: number[]) => Position[]): Finding[] {
  const kept = dedupeMatches(matches, set.meta);
  if (!kept.length) return [];
  return secretFindings(path, kept, locate(kept.flatMap((m) => [m.start, m.end])), set.meta);
}

/** A whole text file. */
export function scanTextFile(set: DetectorSet, path: string, bytes: Buffer, warn: Warn): Finding[] {
  return findingsForBytes(set, path, bytes, matchBytes(set, path, bytes, warn));
}

/** A text file with a UTF-16 byte order mark: decoded, matched as a string, positions in UTF-16 units. */
export function scanUtf16File(set: DetectorSet, path: string, bytes: Buffer, order: 'utf16le' | 'utf16be', warn: Warn): Finding[] {
  let le = bytes.subarray(0, bytes.length & ~1);
  if (order === 'utf16be') le = Buffer.from(le).swap16();
  const text = le.toString('utf16le');
  const { flags, hits } = set.matcher.matchString(text);
  if (!flags.some((f) => f)) return [];
  rememberHits(text, hits);
  const matches = set.run(text, path, flags, warn).map((h) => placed(h, h.start, h.end, text.slice(h.start, h.end)));
  const kept = dedupeMatches(matches, set.meta);
  if (!kept.length) return [];
  return secretFindings(path, kept, mapStringOffsets(text, kept.flatMap((m) => [m.start, m.end])), set.meta);
}

/**
 * A notebook: each cell source and output text decoded, the rest of the file raw. Throws JsonSyntaxError
 * when the file is not JSON (the caller warns and scans it as plain text).
 */
export function scanNotebookFile(set: DetectorSet, path: string, bytes: Buffer, warn: Warn): Finding[] {
  const view = readNotebook(bytes);
  const matches: PlacedMatch[] = [];
  for (const seg of view.segments) {
    const { flags, hits } = set.matcher.matchString(seg.text);
    if (!flags.some((f) => f)) continue;
    rememberHits(seg.text, hits);
    for (const h of set.run(seg.text, path, flags, warn)) {
      matches.push(placed(h, seg.map.toRaw(h.start), seg.map.toRawEnd(h.end), utf8Of(seg.text.slice(h.start, h.end)), seg.cell));
    }
  }
  for (const m of matchBytes(set, path, view.remainder, warn)) {
    const cell = view.cellAt(m.start);
    matches.push(cell ? { ...m, cell } : m);
  }
  return findingsForBytes(set, path, bytes, matches);
}

/** Text handlers that claim the file, each in a try: their findings as they made them. */
export function runTextHandlers(handlers: readonly TextHandler[], path: string, bytes: Buffer, warn: Warn, ctx: TextHandlerContext = {}): Finding[] {
  const lower = path.toLowerCase();
  const relevant = handlers.filter((h) => (!h.extensions || h.extensions.some((e) => lower.endsWith(e))) && (!h.requires || bytes.includes(h.requires)));
  if (!relevant.length) return [];
  const text = bytes.toString('utf8');
  const out: Finding[] = [];
  for (const h of relevant) {
    try {
      if (!h.applies(path, text)) continue;
      const r = h.scan(path, text, ctx);
      out.push(...r.findings);
      for (const w of r.warnings) warn(w.startsWith(path) ? w : `${path}: ${w}`);
    } catch (err) {
      const e = err as Error;
      const why = /call stack/i.test(String(e?.message)) ? 'too deeply nested' : describeError(err);
      warn(`${path}: ${h.id} could not evaluate the file (${why}); skipped for this file`);
    }
  }
  return out;
}
