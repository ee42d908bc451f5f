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

/**
 * Case-insensitive indexOf for an ASCII needle given in lower case. Used for anchors like "accountkey"
 * where a lower-cased copy of a 50 MB file would cost more than the search.
 */
export function indexOfIgnoreCase(text: string, lowerNeedle: string, from = 0): number {
  const n = lowerNeedle.length;
  if (n === 0) return from;
  const first = lowerNeedle.charCodeAt(0);
  const firstUpper = first >= 97 && first <= 122 ? first - 32 : first;
  const last = text.length - n;
  const lowerChar = String.fromCharCode(first);
  const upperChar = String.fromCharCode(firstUpper);
  // Next occurrence of each case of the first letter, each advanced only once consumed, so a frequent
  // letter in one case and an absent one in the other does not make this quadratic.
  let a = text.indexOf(lowerChar, from);
  let b = firstUpper === first ? -1 : text.indexOf(upperChar, from);
  for (;;) {
    const j = a === -1 ? b : b === -1 ? a : Math.min(a, b);
    if (j === -1 || j > last) return -1;
    let k = 1;
    for (; k < n; k++) {
      let c = text.charCodeAt(j + k);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== lowerNeedle.charCodeAt(k)) break;
    }
    if (k === n) return j;
    if (j === a) a = text.indexOf(lowerChar, j + 1);
    else b = text.indexOf(upperChar, j + 1);
  }
}
