/**
 * Azure DevOps personal access tokens of the 52-character format (base32 of 32 bytes, [a-z2-7]). Four of the
 * 32 bytes (at 22, 8, 7, 2, little-endian) hold CRC32 of the other 28 XOR a magic number (0xE0B9692D for user
 * tokens, 0x1019F92E for application tokens), so any other 52-character base32 run (hashes, IDs, filler) is
 * rejected by arithmetic, not guessed.
 *
 * The format has no literal signature, so the anchors are the words such a token comes with (pat, token,
 * password, azure, devops, dev.azure.com ...). A token in a file with none of them is not seen: a documented gap.
 */
import type { Detector, SecretMatch } from '../types';
import { BASE32_LOWER, exactRuns, hasRunBytes } from './_boundaries';
import { crc32 } from './_crc32';
import { rotateAnd, secretRule } from './_meta';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const USER_MAGIC = 0xe0b9692d;
const APP_MAGIC = 0x1019f92e;

function decodeBase32(s: string): Uint8Array | undefined {
  const out = new Uint8Array(32);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length && o < 32; i++) {
    const v = ALPHABET.indexOf(s[i]);
    if (v < 0) return undefined;
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return o === 32 ? out : undefined;
}

/** 'user', 'app' or undefined when the embedded CRC32 does not match. */
export function adoLegacyPatKind(token: string): 'user' | 'app' | undefined {
  if (token.length !== 52) return undefined;
  const b = decodeBase32(token);
  if (!b) return undefined;
  const body = new Uint8Array(28);
  body.set(b.subarray(0, 2), 0);
  body.set(b.subarray(3, 7), 2);
  body.set(b.subarray(9, 22), 6);
  body.set(b.subarray(23, 32), 19);
  const stored = (b[22] | (b[8] << 8) | (b[7] << 16) | (b[2] << 24)) >>> 0;
  const crc = crc32(body);
  if (((crc ^ USER_MAGIC) >>> 0) === stored) return 'user';
  if (((crc ^ APP_MAGIC) >>> 0) === stored) return 'app';
  return undefined;
}

const META = secretRule(
  'SEC-AZ-DEVOPS-002',
  'Azure DevOps personal access token (52-character format, checksum verified)',
  'critical',
  'A PAT acts as its owner in Azure DevOps within its scopes: read or push code, queue pipelines, read variable groups. Tokens of this format stay valid until they expire.',
  rotateAnd('token', 'Revoke it under User settings > Personal access tokens; in pipelines use $(System.AccessToken), workload identity federation or a managed identity.'),
  [{ title: 'Use personal access tokens (Azure DevOps)', url: 'https://learn.microsoft.com/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate' }],
  ['azure', 'azure-devops'],
);

export const azureDevOpsLegacyPatDetector: Detector = {
  meta: META,
  anchors: ['pat', 'token', 'password', 'pwd', 'secret', 'azure', 'devops', 'vsts', 'visualstudio', 'ado', 'auth', 'credential', 'login'],
  caseInsensitiveAnchors: true,
  patterns: [],
  // Its anchors ('pat' in "path", 'ado' in "shadow") flag most code: without a 52-character run there is nothing to check.
  mayMatchBytes: (bytes, start, end) => hasRunBytes(bytes, start, end, BASE32_LOWER, 52),
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    // Runs of exactly 52 base32 characters, found by sampling every 52nd character (no regex needed).
    for (const start of exactRuns(text, BASE32_LOWER, 52)) {
      const kind = adoLegacyPatKind(text.slice(start, start + 52));
      if (!kind) continue;
      out.push({
        start,
        end: start + 52,
        ruleId: META.id,
        confidence: 'verified',
        message: `Azure DevOps personal access token (52-character ${kind === 'user' ? 'user' : 'application'} token, checksum valid).`,
      });
    }
    return out;
  },
};
