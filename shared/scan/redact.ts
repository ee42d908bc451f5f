/**
 * What a report may say about a secret: a few leading characters and a short hash, never the value.
 * And the content fingerprints that make a finding the same finding across runs and line moves.
 */
import * as crypto from 'node:crypto';

/**
 * sha256 (hex) of a string's UTF-8 bytes. crypto.hash (Node >= 20.12) is the one-shot form, twice as fast as a
 * Hash object: a scan hashes every finding twice.
 */
export const sha256Hex: (text: string) => string = crypto.hash
  ? (text) => crypto.hash('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** sha256 (hex) of the value's UTF-8 bytes. */
export function valueHash(value: string): string {
  return sha256Hex(value);
}

/**
 * Leading characters shown: none under 12 characters (a short password would be half revealed), then 2, 3
 * and at most 4 from 20 characters on. Enough to tell two findings apart in a list, no help in guessing.
 */
export function leadLength(codePoints: number): number {
  return codePoints >= 20 ? 4 : codePoints >= 15 ? 3 : codePoints >= 12 ? 2 : 0;
}

/** `abcd…0f3a9c12`: lead characters (non-printable ones as `?`), an ellipsis, 8 hex of the value's sha256. */
export function previewOf(value: string, hash = valueHash(value)): string {
  const chars = Array.from(value);
  const lead = chars
    .slice(0, leadLength(chars.length))
    .map((c) => (/^[\x21-\x7e]$/.test(c) ? c : '?'))
    .join('');
  return `${lead}…${hash.slice(0, 8)}`;
}

function digest32(text: string): string {
  return sha256Hex(text).slice(0, 32);
}

/**
 * Secret findings: rule, file, the value's hash and which occurrence of that value (for that rule) in the
 * file it is, counted from the top. No line number, so moving the line keeps the fingerprint.
 */
export function secretFingerprint(ruleId: string, file: string, hash: string, occurrence: number): string {
  return digest32(`${ruleId}|${file}|${hash}|${occurrence}`);
}

/** Model-file findings: rule, file and the analyzer's stable key (the imported callable, the member name). */
export function modelFingerprint(ruleId: string, file: string, key: string): string {
  return digest32(`${ruleId}|${file}|${key}`);
}
