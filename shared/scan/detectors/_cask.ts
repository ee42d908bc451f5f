/**
 * Common annotated security keys (CASK, "HIS v2"): 84 base62 characters (88 in the long form ending "=="):
 *
 *   [0,52) random | [52,58) "JQQJ99" ('D' at 57 for derived keys) | 58 year ('A' = 2024) | 59 month 'A'-'L'
 *   [60,72) platform data | [72,76) provider data | [76,80) provider signature (AZDO, ACOG, ...) | [80,84) checksum
 *
 * The checksum is Marvin32 (seed "Default0") of the 60 bytes that key[0,80) decodes to; the key carries the
 * first 4 characters of the base62 of its 4 little-endian bytes (6 in the long form), or, in an older form,
 * the base64 of those bytes.
 */
import { ALPHA, BASE62, isIn, type CharClass } from './_boundaries';
import { base62FromBytes } from './_base62';
import { marvin32, seedFromAscii, uint32LeBytes } from './_marvin';

export const CASK_CORE_SIGNATURE = 'JQQJ';
export const CASK_SIGNATURE_OFFSET = 52;
const DEFAULT0 = seedFromAscii('Default0');

function charIs(text: string, i: number, cls: CharClass): boolean {
  return isIn(text, i, cls);
}

/** The key around a "JQQJ" found at `at`, when the layout fits: its start and end (84 or 88 chars later). */
export function caskWindow(text: string, at: number): { start: number; end: number } | undefined {
  const start = at - CASK_SIGNATURE_OFFSET;
  if (start < 0 || start + 84 > text.length) return undefined;
  if (isIn(text, start - 1, BASE62)) return undefined;
  // [56,58) is "99" for access keys and "9D" for derived keys in the published layout; a "9H" key is a hash of
  // data, not a credential. Issued tokens with other characters there have been seen, so any base62 pair is
  // accepted except the hash marker; the provider signature and checksum carry the proof.
  if (!charIs(text, at + 4, BASE62) || !charIs(text, at + 5, BASE62)) return undefined;
  if (text.charCodeAt(at + 4) === 57 && text.charCodeAt(at + 5) === 72 /* 9H */) return undefined;
  for (let i = start; i < at; i++) if (!charIs(text, i, BASE62)) return undefined;
  if (!charIs(text, start + 58, BASE62)) return undefined;
  const month = text.charCodeAt(start + 59);
  if (month < 65 || month > 76 /* A-L */) return undefined;
  for (let i = start + 60; i < start + 76; i++) if (!charIs(text, i, BASE62)) return undefined;
  if (!charIs(text, start + 76, ALPHA)) return undefined;
  for (let i = start + 77; i < start + 84; i++) if (!charIs(text, i, BASE62)) return undefined;
  let end = start + 84;
  if (charIs(text, end, BASE62) && charIs(text, end + 1, BASE62) && text.startsWith('==', end + 2)) end += 4;
  if (isIn(text, end, BASE62)) return undefined;
  return { start, end };
}

/** True when the key's checksum characters match Marvin32 of its first 80 characters' bytes. */
export function caskChecksumValid(key: string): boolean {
  if (key.length !== 84 && key.length !== 88) return false;
  const bytes = Buffer.from(key.slice(0, 80), 'base64');
  if (bytes.length !== 60) return false;
  const sum = uint32LeBytes(marvin32(bytes, 0, 60, DEFAULT0));
  let stored = key.slice(80);
  while (stored.endsWith('=')) stored = stored.slice(0, -1);
  const b62 = base62FromBytes(sum).padEnd(6, '0');
  // The long form stores 6 characters of a base64 round trip of the base62 text: the 6th keeps 2 bits.
  const b62Stored = key.length === 84 ? b62.slice(0, 4) : Buffer.from(b62 + '==', 'base64').toString('base64').slice(0, 6);
  if (stored === b62Stored) return true;
  const raw = Buffer.from(sum).toString('base64');
  return key.length === 84 ? stored === raw.slice(0, 4) : stored === raw.slice(0, 6);
}

/** Provider signature (e.g. "AZDO") and provider data (e.g. "AAAB" for Azure OpenAI) of a key. */
export function caskProvider(key: string): { signature: string; data: string } {
  return { signature: key.slice(76, 80), data: key.slice(72, 76) };
}
