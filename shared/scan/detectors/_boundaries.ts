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

/** True when every char of `text[start, end)` is in the class (false if the range leaves the text). */
export function allIn(text: string, start: number, end: number, cls: CharClass): boolean {
  if (start < 0 || end > text.length) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || cls[c] !== 1) return false;
  }
  return true;
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

/** Every index of `needle` in `text`, non-overlapping scan from left to right. */
export function indexesOf(text: string, needle: string): number[] {
  const out: number[] = [];
  let i = text.indexOf(needle);
  while (i !== -1) {
    out.push(i);
    i = text.indexOf(needle, i + needle.length);
  }
  return out;
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

/** One-entry cache: every case-insensitive search of one text shares a single lower-cased copy. */
let cachedText: string | undefined;
let cachedLower = '';

/**
 * The text with ASCII letters lower-cased and every other code unit unchanged, so offsets stay valid.
 * `toLowerCase` is native and fast but changes the length for a few characters (U+0130 becomes two code
 * units); then an ASCII-only copy is built instead.
 */
export function lowerAscii(text: string): string {
  if (text === cachedText) return cachedLower;
  let lower = text.toLowerCase();
  if (lower.length !== text.length) {
    const buf = new Uint16Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      buf[i] = c >= 65 && c <= 90 ? c + 32 : c;
    }
    lower = new TextDecoder('utf-16le').decode(buf);
  }
  cachedText = text;
  cachedLower = lower;
  return lower;
}

/**
 * Case-insensitive indexOf for an ASCII needle given in lower case ("accountkey" finds "AccountKey"): a native
 * indexOf on the shared lower-cased copy, so a loop over all hits stays linear.
 */
export function indexOfIgnoreCase(text: string, lowerNeedle: string, from = 0): number {
  return lowerAscii(text).indexOf(lowerNeedle, from);
}
