/** Fields of Azure connection strings (`Name=value;Name=value`), found by name with bounded look-around. */
import type { RuleMeta } from '../../rules/types';
import type { SecretMatch } from '../types';
import { isCredentialLiteral, looksLikeCode } from './_values';
import { IDENT, isIn, lineEnd, lineStart } from './_boundaries';
import type { KeywordSet } from './_keywords';

export interface Field {
  /** Lower-case field name as searched (without '='). */
  name: string;
  start: number;
  end: number;
  /** Lower-cased text around the field (its line, bounded), for host checks. */
  context: string;
}

/** Characters that end a connection-string value. */
export function isValueEnd(c: number, comma: boolean): boolean {
  return c <= 32 || c === 59 /* ; */ || c === 34 || c === 39 || c === 96 || c === 92 /* \ */ || c === 60 /* < */ || (comma && c === 44);
}

/**
 * Every `name=value` connection-string field whose name is one of `names` (matched ignoring case)
 * and whose value passes `accept`. `commaEnds(name)` says whether a comma ends the value (Redis options).
 * The context (the line, lower-cased) is read only for accepted values, which keeps floods of `name=` cheap.
 */
export function connectionFields(
  text: string,
  names: KeywordSet,
  accept: (name: string, value: string) => boolean,
  commaEnds: (name: string) => boolean = () => false,
): Field[] {
  const out: Field[] = [];
  names.each(text, (at, match) => {
    if (isIn(text, at - 1, IDENT)) return; // "MyPassword=", "x.AccountKey": not a connection-string field
    const name = match.toLowerCase();
    let i = at + match.length;
    // Connection-string syntax: "Name=value", spaces around '=' only right after a ';' ("; Password = x").
    // "const accountKey = this.key;" is code.
    const afterSemicolon = text.charCodeAt(at - 1) === 59;
    while (afterSemicolon && text.charCodeAt(i) === 32) i++;
    if (text.charCodeAt(i) !== 61 /* = */) return;
    i++;
    while (text.charCodeAt(i) === 32) i++;
    const start = i;
    const stop = Math.min(text.length, start + 257);
    const comma = commaEnds(name);
    while (i < stop && !isValueEnd(text.charCodeAt(i), comma)) i++;
    if (i === start || i - start > 256) return;
    const value = text.slice(start, i);
    if (looksLikeCode(value) || !accept(name, value)) return;
    // Host names sit in the same connection string, a few hundred characters away at most.
    const ls = lineStart(text, at, 400);
    const le = lineEnd(text, i, 400);
    out.push({ name, start, end: i, context: text.slice(ls, le).toLowerCase() });
  });
  return out;
}

/** The all-zero GUID of samples and templates. */
export function isZeroGuid(v: string): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== '0' && v[i] !== '-') return false;
  return true;
}

export function fieldLiteral(text: string, f: Field, minLength: number): string | undefined {
  const v = text.slice(f.start, f.end);
  return isCredentialLiteral(v, minLength) ? v : undefined;
}

export function fieldMatch(f: Field, rule: RuleMeta, message: string, confidence: SecretMatch['confidence'] = 'context'): SecretMatch {
  return { start: f.start, end: f.end, ruleId: rule.id, confidence, message };
}
