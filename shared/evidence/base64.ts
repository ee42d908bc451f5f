/**
 * Strict base64 for signed data. Node's decoder skips characters it does not know and ignores the unused
 * low bits of the last character, so two different strings can decode to the same bytes; a verifier that
 * accepted both would let a changed byte in a signature or payload pass unnoticed. Here every accepted
 * string is the one encoding of its bytes (padding aside): standard or URL-safe alphabet, as DSSE allows,
 * never mixed.
 */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/** The bytes, or undefined when `text` is not canonical base64. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!STANDARD.test(text) && !URL_SAFE.test(text)) return undefined;
  const body = text.replace(/=+$/, '');
  // Padding is optional, but when present it must complete the last quantum exactly.
  if (body.length % 4 === 1 || (body.length !== text.length && text.length % 4 !== 0)) return undefined;
  const standard = body.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Buffer.from(standard, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== standard) return undefined;
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
