/**
 * A Jupyter notebook (nbformat 4) seen as texts to scan: each cell's source, and each output's text
 * (stream text, text-like `data` entries, error name, value and traceback), decoded from JSON with a map
 * back to file bytes. Everything else (metadata, widget state, application/json objects, attachments
 * other than images) is scanned as raw file text, with the decoded spans and the image payloads blanked
 * out so nothing is reported twice and megabytes of base64 PNG are not matched against.
 *
 * Pure: bytes in, views out. Throws JsonSyntaxError on a malformed notebook (the caller then scans it as
 * plain text).
 */
import type { FileLocation } from '../rules/types';
import { walkJson, type JsonPath } from './jsonWalk';
import { SegmentBuilder, type SegmentMap } from './segment';

export type CellRef = NonNullable<FileLocation['cell']>;

export interface NotebookSegment {
  text: string;
  map: SegmentMap;
  cell: CellRef;
}

interface Span {
  start: number;
  end: number;
}

export interface NotebookView {
  segments: NotebookSegment[];
  /** The file with every decoded segment string and every image payload overwritten by spaces. */
  remainder: Buffer;
  /** The cell (and output) whose JSON object contains a file offset, for findings in the remainder. */
  cellAt(offset: number): CellRef | undefined;
}

/** Binary payloads: base64 of an image says nothing. SVG is XML text and is scanned. */
export function isImagePayload(mime: string): boolean {
  const m = mime.toLowerCase();
  return m.startsWith('image/') && !m.startsWith('image/svg');
}

const OUTPUT_TEXT_FIELDS = new Set(['text', 'ename', 'evalue', 'traceback']);

/** Which segment a string at `path` belongs to, 'image' for payloads to blank, undefined for the remainder. */
function classify(path: JsonPath): { key: string; cell: CellRef } | 'image' | undefined {
  if (path[0] === 'cells' && typeof path[1] === 'number') {
    const index = path[1];
    if (path[2] === 'source' && (path.length === 3 || (path.length === 4 && typeof path[3] === 'number'))) {
      return { key: `${index}/source`, cell: { index, part: 'source' } };
    }
    if (path[2] === 'outputs' && typeof path[3] === 'number') {
      const outputIndex = path[3];
      const field = path[4];
      const cell: CellRef = { index, part: 'output', outputIndex };
      const leaf = path.length === 5 || (path.length === 6 && typeof path[5] === 'number');
      if (typeof field === 'string' && OUTPUT_TEXT_FIELDS.has(field) && leaf) return { key: `${index}/${outputIndex}/${field}`, cell };
      if (field === 'data' && typeof path[5] === 'string') {
        if (isImagePayload(path[5])) return 'image';
        if (path.length === 6 || (path.length === 7 && typeof path[6] === 'number')) return { key: `${index}/${outputIndex}/data/${path[5]}`, cell };
        return undefined;
      }
    }
  }
  // Attachments, outputs in odd places, metadata: any image payload is skipped, whatever its depth.
  for (const p of path) if (typeof p === 'string' && isImagePayload(p)) return 'image';
  return undefined;
}

export function readNotebook(bytes: Buffer): NotebookView {
  const builders = new Map<string, { builder: SegmentBuilder; cell: CellRef }>();
  const blank: Span[] = [];
  const cells: Array<Span & { index: number }> = [];
  const outputs: Array<Span & { index: number; outputIndex: number }> = [];
  walkJson(bytes, {
    string(path, start, end) {
      const where = classify(path);
      if (where === undefined) return;
      blank.push({ start, end });
      if (where === 'image') return;
      let seg = builders.get(where.key);
      if (!seg) builders.set(where.key, (seg = { builder: new SegmentBuilder(bytes), cell: where.cell }));
      seg.builder.appendJsonString(start, end);
    },
    container(path, start, end) {
      if (path.length === 2 && path[0] === 'cells' && typeof path[1] === 'number') cells.push({ start, end, index: path[1] });
      else if (path.length === 4 && path[0] === 'cells' && path[2] === 'outputs' && typeof path[1] === 'number' && typeof path[3] === 'number') {
        outputs.push({ start, end, index: path[1], outputIndex: path[3] });
      }
    },
  });
  const segments: NotebookSegment[] = [];
  for (const { builder, cell } of builders.values()) {
    if (builder.empty) continue;
    const { text, map } = builder.build();
    segments.push({ text, map, cell });
  }
  const remainder = Buffer.from(bytes);
  for (const s of blank) remainder.fill(0x20, s.start, s.end);
  // Containers close inner-first; spans of one kind never overlap, so sorting by start allows a binary search.
  cells.sort((a, b) => a.start - b.start);
  outputs.sort((a, b) => a.start - b.start);
  return {
    segments,
    remainder,
    cellAt(offset) {
      const c = findSpan(cells, offset);
      if (!c) return undefined;
      const o = findSpan(outputs, offset);
      return o ? { index: o.index, part: 'output', outputIndex: o.outputIndex } : { index: c.index, part: 'source' };
    },
  };
}

function findSpan<T extends Span>(spans: readonly T[], offset: number): T | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid];
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}
