/**
 * Finds JSON objects embedded in binary data (the Keras model_config attribute inside an HDF5 file) without an
 * HDF5 parser: from each place where an object opens with one of the given keys, follow brackets and strings to the
 * matching close. Total work is bounded by a multiple of the data size, so crafted near-misses stay linear.
 */

export interface Span {
  start: number;
  end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** End (exclusive) of the balanced JSON value opening at `start`, or -1 (unbalanced, binary byte, or too long). */
function balancedEnd(buf: Buffer, start: number, maxLen: number, work: { left: number }): number {
  let depth = 0;
  let inString = false;
  const stop = Math.min(buf.length, start + maxLen);
  for (let i = start; i < stop; i++) {
    if (--work.left < 0) return -1;
    const c = buf[i];
    if (c === 0) return -1; // JSON text never holds NUL: we left the attribute
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/** Outermost JSON objects that start with one of `openers` (e.g. '{"class_name"'), in file order. */
export function findJsonObjects(buf: Buffer, openers: string[], maxLen: number, maxSpans = 64): Span[] {
  const needles = openers.map((o) => Buffer.from(o, 'utf8'));
  const spans: Span[] = [];
  const work = { left: buf.length * 4 + 1_000_000 };
  const next = new Array<number>(needles.length).fill(-2);
  let cursor = 0;
  while (spans.length < maxSpans && work.left > 0) {
    let best = -1;
    for (let n = 0; n < needles.length; n++) {
      if (next[n] !== -1 && next[n] < cursor) next[n] = buf.indexOf(needles[n], cursor);
      if (next[n] >= 0 && (best < 0 || next[n] < best)) best = next[n];
    }
    if (best < 0) break;
    const end = balancedEnd(buf, best, maxLen, work);
    if (end > 0) {
      spans.push({ start: best, end });
      cursor = end;
    } else {
      cursor = best + 1;
    }
  }
  return spans;
}
