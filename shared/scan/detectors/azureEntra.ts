/**
 * Microsoft Entra ID client secrets (app registration passwords).
 * - Current format, 40 characters: 3 + "8Q~" + 31 + a 3-character checksum, alphabet [A-Za-z0-9._~-]. The checksum
 *   is the first 3 digits (most significant first, alphabet a-z A-Z 1-9 0 . - _ ~, zero-padded to 6) of
 *   Marvin32(latin1(secret[0,37)), seed "AadPwd00"). Verified secrets are critical; look-alikes are not reported.
 * - Older format, 37 characters: 3 + "7Q~" + 31, no checksum: reported as high when it is not a placeholder.
 * Pre-2020 unstructured secrets need context (client_secret=, -p, AZURE_CLIENT_SECRET): see mlCredentials.ts.
 */
import type { Detector, SecretMatch } from '../types';
import { isIn, URL_UNRESERVED, BASE64 } from './_boundaries';
import { marvin32, seedFromAscii } from './_marvin';
import { MS_SECURITY_UTILITIES, rotateAnd, secretRule } from './_meta';
import { shannonEntropy } from './_values';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~';
const SEED = seedFromAscii('AadPwd00');

/** Most-significant-first digits of n in the 66-symbol alphabet, left-padded with 'a' (zero) to 6. */
function encodeChecksum(n: number): string {
  let v = n >>> 0;
  let out = '';
  while (v > 0) {
    out = ALPHABET[v % ALPHABET.length] + out;
    v = Math.floor(v / ALPHABET.length);
  }
  return out.padStart(6, ALPHABET[0]);
}

export function entraChecksumValid(secret: string): boolean {
  if (secret.length !== 40 || secret.slice(3, 6) !== '8Q~') return false;
  const bytes = new Uint8Array(37);
  for (let i = 0; i < 37; i++) {
    const c = secret.charCodeAt(i);
    if (c > 0xff) return false;
    bytes[i] = c;
  }
  return encodeChecksum(marvin32(bytes, 0, 37, SEED)).slice(0, 3) === secret.slice(37);
}

/** Neither side of a secret may continue it: URL-unreserved characters, '+' and '/' would. */
function bounded(text: string, start: number, end: number): boolean {
  const outside = (i: number) => isIn(text, i, URL_UNRESERVED) || isIn(text, i, BASE64);
  return !outside(start - 1) && !outside(end);
}

function allUnreserved(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isIn(text, i, URL_UNRESERVED)) return false;
  return true;
}

const CURRENT = secretRule(
  'SEC-AZ-ENTRA-001',
  'Microsoft Entra ID client secret (checksum verified)',
  'critical',
  'A client secret signs in as the application (service principal) and gets every role and API permission it holds, from anywhere.',
  rotateAnd('client secret', 'Delete it under App registrations > Certificates & secrets; use a managed identity, workload identity federation or a certificate in Key Vault instead.'),
  [{ title: 'Add and manage application credentials in Microsoft Entra ID', url: 'https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials' }, MS_SECURITY_UTILITIES],
  ['azure', 'entra'],
);

const LEGACY = secretRule(
  'SEC-AZ-ENTRA-002',
  'Microsoft Entra ID client secret (older 7Q~ format)',
  'high',
  'Client secrets of the 37-character format carry no checksum, but the 7Q~ marker at a fixed offset identifies them; they sign in as the application.',
  rotateAnd('client secret', 'Delete it under App registrations > Certificates & secrets; prefer managed identity or workload identity federation.'),
  [{ title: 'Add and manage application credentials in Microsoft Entra ID', url: 'https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials' }, MS_SECURITY_UTILITIES],
  ['azure', 'entra'],
);

export const azureEntraDetector: Detector = {
  meta: CURRENT,
  variants: [LEGACY],
  anchors: ['8Q~', '7Q~'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (let at = text.indexOf('Q~'); at !== -1; at = text.indexOf('Q~', at + 1)) {
      const digit = text[at - 1];
      if (digit !== '8' && digit !== '7') continue;
      const start = at - 4;
      const end = start + (digit === '8' ? 40 : 37);
      if (start < 0 || end > text.length) continue;
      if (!allUnreserved(text, start, at - 1) || !allUnreserved(text, at + 2, end) || !bounded(text, start, end)) continue;
      const secret = text.slice(start, end);
      if (digit === '8') {
        if (!entraChecksumValid(secret)) continue;
        out.push({ start, end, ruleId: CURRENT.id, confidence: 'verified', message: 'Microsoft Entra ID client secret (8Q~ format, checksum valid).' });
      } else {
        // No checksum: drop repeated-character placeholders such as "yyy7Q~yyyy…".
        if (shannonEntropy(secret.slice(0, 3) + secret.slice(6)) < 3) continue;
        out.push({ start, end, ruleId: LEGACY.id, confidence: 'context', message: 'Microsoft Entra ID client secret (7Q~ format, no checksum to verify).' });
      }
      at = end - 1;
    }
    return out;
  },
};
