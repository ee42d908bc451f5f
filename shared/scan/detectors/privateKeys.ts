/**
 * Private keys in PEM form (PKCS#1 RSA, SEC1 EC, DSA, PKCS#8, OpenSSH, PGP) and PuTTY key files, including
 * keys inside string literals with `\n` escapes (JSON, YAML, code). A block needs its END line and a body of
 * real base64 (64+ characters, no "..." or "xxxx" elision), so documentation stubs are not reported.
 * Encrypted keys (ENCRYPTED PRIVATE KEY, Proc-Type: 4,ENCRYPTED, OpenSSH with a cipher, PuTTY with
 * Encryption other than none) are medium: useless without the passphrase, still key material to rotate.
 * A key that is the `private_key` of a Google service-account JSON is left to gcp.ts.
 */
import type { Detector, SecretMatch } from '../types';
import { BASE64 } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';

const PLAIN = secretRule(
  'SEC-PK-001',
  'Private key',
  'critical',
  'A private key lets its holder impersonate the server, user or service it belongs to, decrypt what was encrypted for it, or sign as it (TLS, SSH, code signing, JWT signing).',
  rotateAnd('key pair', 'Issue a new key, revoke the old certificate or remove the public key from authorized_keys; keep private keys in Key Vault (certificates/keys) or an SSH agent, never in the repository.'),
  [
    { title: 'CWE-321: Use of Hard-coded Cryptographic Key', url: 'https://cwe.mitre.org/data/definitions/321.html' },
    { title: 'About Azure Key Vault keys', url: 'https://learn.microsoft.com/azure/key-vault/keys/about-keys' },
  ],
  ['private-key', 'crypto'],
);

const ENCRYPTED = secretRule(
  'SEC-PK-002',
  'Encrypted private key',
  'medium',
  'A passphrase-protected private key is only as strong as its passphrase, which offline guessing can attack once the key file is public.',
  rotateAnd('key pair', 'Issue a new key and keep it in Key Vault or a local key store; do not commit encrypted keys either.'),
  [{ title: 'CWE-321: Use of Hard-coded Cryptographic Key', url: 'https://cwe.mitre.org/data/definitions/321.html' }],
  ['private-key', 'crypto'],
);

const KINDS = new Set(['', 'RSA', 'EC', 'DSA', 'OPENSSH', 'ENCRYPTED', 'PGP', 'ANY', 'SSH2 ENCRYPTED', 'X25519', 'ED25519']);

/** Counts base64 characters of a PEM body, skipping whitespace, "\n" escapes, quotes, '+' joins and header lines. */
function bodyStats(body: string): { b64: number; other: number; encryptedHeader: boolean; elided: boolean; distinct: number } {
  let b64 = 0;
  let other = 0;
  const seen = new Set<number>();
  const encryptedHeader = body.includes('Proc-Type: 4,ENCRYPTED');
  const elided = body.includes('...') || body.includes('\u2026') || body.includes('xxxx') || body.includes('XXXX') || body.includes('<');
  // Escaped newlines (keys inside JSON or code strings) separate lines too.
  for (const line of body.split('\\n').join('\n').split('\n')) {
    // PEM headers ("DEK-Info: ...", "Comment: ...") are not key material.
    if (line.includes(': ')) continue;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c === 92 && (line[i + 1] === 'n' || line[i + 1] === 'r')) {
        i++;
        continue;
      }
      if (c < 128 && BASE64[c] === 1) {
        b64++;
        seen.add(c);
      } else if (c === 61 || c <= 32 || c === 34 || c === 39 || c === 43 || c === 44) continue;
      else other++;
    }
  }
  return { b64, other, encryptedHeader, elided, distinct: seen.size };
}

/** OpenSSH keys name their cipher inside the base64 body: "none" means unencrypted. */
function opensshEncrypted(body: string): boolean {
  let b64 = '';
  for (let i = 0; i < body.length && b64.length < 200; i++) {
    const c = body.charCodeAt(i);
    if (c === 92 && (body[i + 1] === 'n' || body[i + 1] === 'r')) {
      i++;
      continue;
    }
    if ((c < 128 && BASE64[c] === 1) || c === 61) b64 += body[i];
  }
  const bytes = Buffer.from(b64, 'base64');
  const magic = 'openssh-key-v1\0';
  if (bytes.length < magic.length + 8 || bytes.toString('latin1', 0, magic.length) !== magic) return false;
  const len = bytes.readUInt32BE(magic.length);
  const cipher = bytes.toString('latin1', magic.length + 4, magic.length + 4 + Math.min(len, 64));
  return cipher !== 'none';
}

function gcpServiceAccountKey(text: string, beginAt: number): boolean {
  const before = text.slice(Math.max(0, beginAt - 40), beginAt);
  return before.includes('"private_key"') && text.includes('service_account');
}

function scanPem(text: string, out: SecretMatch[]): void {
  const MARK = 'PRIVATE KEY';
  // The next END line, found once and reused by every BEGIN before it: keeps the scan linear.
  let endPos = -2;
  for (let at = text.indexOf(MARK); at !== -1; at = text.indexOf(MARK, at + MARK.length)) {
    const lead = text.slice(Math.max(0, at - 40), at);
    const beginRel = lead.lastIndexOf('-----BEGIN ');
    if (beginRel === -1) continue;
    const begin = at - lead.length + beginRel;
    const kind = text.slice(begin + 11, at).trim();
    if (!KINDS.has(kind)) continue;
    let headerEnd = at + MARK.length;
    if (text.startsWith(' BLOCK', headerEnd)) headerEnd += 6;
    if (!text.startsWith('-----', headerEnd)) continue;
    headerEnd += 5;
    if (endPos !== -1 && endPos < headerEnd) endPos = text.indexOf('-----END ', headerEnd);
    if (endPos === -1) return;
    // RSA-4096 in PKCS#8 is about 3.3 KB; a BEGIN farther than 16 KB from the next END is not a block.
    if (endPos - headerEnd > 16384) continue;
    const endMark = text.slice(endPos + 9, endPos + 80).indexOf('-----');
    if (endMark === -1 || !text.slice(endPos, endPos + 9 + endMark).includes(MARK)) {
      at = endPos;
      continue;
    }
    const end = endPos + 9 + endMark + 5;
    const body = text.slice(headerEnd, endPos);
    const stats = bodyStats(body);
    if (stats.b64 < 64 || stats.elided || stats.distinct < 16 || stats.other > stats.b64 / 4 || gcpServiceAccountKey(text, begin)) {
      at = end;
      continue;
    }
    const encrypted = kind === 'ENCRYPTED' || kind === 'SSH2 ENCRYPTED' || stats.encryptedHeader || (kind === 'OPENSSH' && opensshEncrypted(body));
    const label = kind === '' || kind === 'ENCRYPTED' ? 'PKCS#8' : kind === 'OPENSSH' ? 'OpenSSH' : kind;
    if (encrypted) {
      out.push({ start: begin, end, ruleId: ENCRYPTED.id, confidence: 'context', message: `Encrypted ${label} private key (PEM block).` });
    } else {
      out.push({
        start: begin,
        end,
        ruleId: PLAIN.id,
        ...(kind === 'PGP' ? { severity: 'high' as const } : {}),
        confidence: 'context',
        message: kind === 'PGP' ? 'PGP private key block (protection by passphrase not checked).' : `${label} private key (PEM block, not encrypted).`,
      });
    }
    at = end;
  }
}

/** PuTTY .ppk files: "PuTTY-User-Key-File-N: <alg>" ... "Encryption: <cipher|none>" ... "Private-Lines:" ... "Private-MAC:". */
function scanPutty(text: string, out: SecretMatch[]): void {
  const MARK = 'PuTTY-User-Key-File-';
  let macPos = -2;
  for (let at = text.indexOf(MARK); at !== -1; at = text.indexOf(MARK, at + MARK.length)) {
    if (macPos !== -1 && macPos < at) macPos = text.indexOf('Private-MAC:', at);
    if (macPos === -1) return;
    if (macPos - at > 16384) continue;
    const block = text.slice(at, macPos);
    const linesAt = block.indexOf('Private-Lines:');
    // Later markers before the same MAC see a suffix of this block: same outcome, so skip to the MAC.
    if (linesAt === -1) {
      at = macPos;
      continue;
    }
    // The value is the private key material: the lines after "Private-Lines: N", up to "Private-MAC:".
    const bodyRel = block.indexOf('\n', linesAt);
    const start = bodyRel === -1 ? macPos : at + bodyRel + 1;
    let end = macPos;
    while (end > start && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
    if (end - start < 32) {
      at = macPos;
      continue;
    }
    const encIdx = block.indexOf('Encryption:');
    const encLineEnd = encIdx === -1 ? -1 : block.indexOf('\n', encIdx);
    const encryption = encIdx === -1 ? '' : block.slice(encIdx + 11, encLineEnd === -1 ? undefined : encLineEnd).trim();
    const encrypted = encryption !== 'none';
    out.push({
      start,
      end,
      ruleId: encrypted ? ENCRYPTED.id : PLAIN.id,
      confidence: 'context',
      message: encrypted ? 'Encrypted PuTTY private key file.' : 'PuTTY private key file (Encryption: none).',
    });
    at = macPos;
  }
}

export const privateKeyDetector: Detector = {
  meta: PLAIN,
  variants: [ENCRYPTED],
  anchors: ['PRIVATE KEY', 'PuTTY-User-Key-File-'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    scanPem(text, out);
    scanPutty(text, out);
    return out.sort((a, b) => a.start - b.start);
  },
};
