/** Tokens made of a fixed prefix and a run of one alphabet: the common shape of SaaS API tokens. */
import { IDENT, isIn, runForward, type CharClass } from './_boundaries';

/**
 * Every `prefix` + run of `cls` characters of length within [min, max], not preceded by an identifier character
 * and not continued past `max` (a longer run is some other string). Returns [start, end) pairs.
 */
export function prefixedTokens(text: string, prefix: string, cls: CharClass, min: number, max: number, before: CharClass = IDENT): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let at = text.indexOf(prefix); at !== -1; at = text.indexOf(prefix, at + prefix.length)) {
    if (isIn(text, at - 1, before)) continue;
    const body = at + prefix.length;
    const n = runForward(text, body, cls, max + 1);
    if (n < min || n > max) continue;
    out.push([at, body + n]);
  }
  return out;
}
