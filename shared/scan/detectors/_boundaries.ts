/**
 * Character classes as lookup tables and bounded window checks. Detectors find a literal anchor with
 * indexOf, then check a fixed-size window around it with these: constant work per anchor, so a scan is
 * linear in the text whatever the text is.
 */

export type CharClass = Uint8Array;

function makeClass(chars: string): CharClass {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGIT = '0123456789';

export const ALPHA = makeClass(UPPER + LOWER);
export const BASE62 = makeClass(UPPER + LOWER + DIGIT);
export const BASE64 = makeClass(UPPER + LOWER + DIGIT + '+/');
export const BASE64URL = makeClass(UPPER + LOWER + DIGIT + '-_');
/** Either base64 alphabet: what must not touch an identifiable key on either side. */
export const ANY_BASE64 = makeClass(UPPER + LOWER + DIGIT + '+/-_');
export const DIGITS = makeClass(DIGIT);
export const HEX = makeClass(DIGIT + 'abcdefABCDEF');
export const HEX_LOWER = makeClass(DIGIT + 'abcdef');
export const BASE32_LOWER = makeClass(LOWER + '234567');
/** RFC 3986 unreserved: the alphabet of Entra client secrets. */
export const URL_UNRESERVED = makeClass(UPPER + LOWER + DIGIT + '-._~');
/** Identifier characters of config keys and variables (`client_secret`, `AZURE-KEY`, `db.password`). */
export const IDENT = makeClass(UPPER + LOWER + DIGIT + '_-.');
export const WORD = makeClass(UPPER + LOWER + DIGIT + '_');

/** True when `text[i]` exists and is in the class (non-ASCII is never in a class). */
export function isIn(text: string, i: number, cls: CharClass): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  return c < 128 && cls[c] === 1;
}

/** Length of the run of class chars starting at `start`, looking at most `max` chars. */
export function runForward(text: string, start: number, cls: CharClass, max: number): number {
  const stop = Math.min(text.length, start + max);
  let i = start;
  while (i < stop) {
    const c = text.charCodeAt(i);
    if (c >= 128 || cls[c] !== 1) break;
    i++;
  }
  return i - start;
}

/** Length of the run of class chars ending just before `end`, looking at most `max` chars back. */
export function runBackward(text: string, end: number, cls: CharClass, max: number): number {
  const stop = Math.max(0, end - max);
  let i = end;
  while (i > stop) {
    const c = text.charCodeAt(i - 1);
    if (c >= 128 || cls[c] !== 1) break;
    i--;
  }
  return end - i;
}

/**
 * Whether `bytes[start, end)` holds a run of at least `length` class bytes (the range's ends count as the run's
 * ends). Samples every `length`-th byte, as exactRuns does: a byte-level veto for a detector that looks for runs of
 * exactly `length`, since every such run is one of these.
 */
export function hasRunBytes(bytes: Uint8Array, start: number, end: number, cls: CharClass, length: number): boolean {
  for (let i = start + length - 1; i < end; i += length) {
    if (bytes[i] >= 128 || cls[bytes[i]] !== 1) continue;
    let a = i;
    while (a > start && bytes[a - 1] < 128 && cls[bytes[a - 1]] === 1 && i - a < length) a--;
    let b = i + 1;
    while (b < end && b - a < length && bytes[b] < 128 && cls[bytes[b]] === 1) b++;
    if (b - a >= length) return true;
  }
  return false;
}

/** Start of the line holding `pos`, looking back at most `max` chars. */
export function lineStart(text: string, pos: number, max = 4096): number {
  const stop = Math.max(0, pos - max);
  for (let i = pos - 1; i >= stop; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i + 1;
  }
  return stop;
}

/** End of the line holding `pos` (index of the newline or text end), looking ahead at most `max` chars. */
export function lineEnd(text: string, pos: number, max = 4096): number {
  const stop = Math.min(text.length, pos + max);
  for (let i = pos; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return stop;
}

/**
 * Start offsets of the maximal runs of `cls` characters whose length is exactly `length`. Samples every
 * `length`-th position (any such run covers one) and expands only around samples inside the class, so
 * ordinary text costs about one look per `length` characters plus the words it lands in.
 */
export function exactRuns(text: string, cls: CharClass, length: number): number[] {
  const out: number[] = [];
  let i = length - 1;
  while (i < text.length) {
    if (!isIn(text, i, cls)) {
      i += length;
      continue;
    }
    const start = i - runBackward(text, i, cls, length);
    const end = i + runForward(text, i, cls, length + 1 - (i - start));
    if (end - start === length) out.push(start);
    // The next run starts after this one's end; sample `length - 1` further so it is not missed.
    i = Math.max(i + length, end + length);
    if (end - start > length) {
      // A longer run: skip to its real end before sampling again.
      let e = end;
      while (isIn(text, e, cls)) e++;
      i = Math.max(i, e + length);
    }
  }
  return out;
}
