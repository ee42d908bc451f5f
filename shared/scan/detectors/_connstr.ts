/** Fields of Azure connection strings (`Name=value;Name=value`), found by name with bounded look-around. */
import type { RuleMeta } from '../../rules/types';
import type { SecretMatch } from '../types';
import { isCredentialLiteral } from './_values';
import { IDENT, indexOfIgnoreCase, isIn, lineEnd, lineStart } from './_boundaries';

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
 * Every `name=value` connection-string field called `name` (case-insensitive) whose value passes `accept`;
 * the context (its line, lower-cased) is read only for accepted values, which keeps floods of `name=` cheap.
 */
export function connectionFields(text: string, name: string, commaEnds: boolean, accept: (value: string) => boolean = () => true): Field[] {
  const out: Field[] = [];
  for (let at = indexOfIgnoreCase(text, name); at !== -1; at = indexOfIgnoreCase(text, name, at + name.length)) {
    if (isIn(text, at - 1, IDENT)) continue; // "MyPassword=", "x.AccountKey": not a connection-string field
    let i = at + name.length;
    while (text.charCodeAt(i) === 32) i++;
    if (text.charCodeAt(i) !== 61 /* = */) continue;
    i++;
    while (text.charCodeAt(i) === 32) i++;
    const start = i;
    const stop = Math.min(text.length, start + 257);
    while (i < stop && !isValueEnd(text.charCodeAt(i), commaEnds)) i++;
    if (i === start || i - start > 256 || !accept(text.slice(start, i))) continue;
    // Host names sit in the same connection string, a few hundred characters away at most.
    const ls = lineStart(text, at, 400);
    const le = lineEnd(text, i, 400);
    out.push({ name, start, end: i, context: text.slice(ls, le).toLowerCase() });
  }
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
