/**
 * GitHub tokens. Classic formats `ghp_` (personal), `gho_` (OAuth), `ghu_` (user-to-server), `ghs_`
 * (server-to-server), `ghr_` (refresh) are 4 + 30 random base62 + 6 characters of checksum: the CRC32 of the
 * 30 random characters in base62, zero-padded. Only tokens whose checksum matches are reported (no test or
 * altered values). Fine-grained `github_pat_<22>_<59>` tokens have no public checksum: reported on shape.
 */
import type { Detector, SecretMatch } from '../types';
import type { Severity } from '../../rules/types';
import { BASE62, WORD } from './_boundaries';
import { base62FromUint32 } from './_base62';
import { crc32 } from './_crc32';
import { rotateAnd, secretRule } from './_meta';
import { prefixedTokens } from './_prefixed';
import { isPlaceholder } from './_values';

/**
 * The checksum alphabet is 0-9A-Za-z; 0-9a-zA-Z (the same digits with letter cases swapped) is accepted too,
 * as some descriptions of the format give that order. Either way a random look-alike passes with p = 2/62^6.
 */
function swapCase(s: string): string {
  let out = '';
  for (const ch of s) out += ch >= 'a' && ch <= 'z' ? ch.toUpperCase() : ch >= 'A' && ch <= 'Z' ? ch.toLowerCase() : ch;
  return out;
}

/** GitHub-style (also npm) checksum: last 6 characters = base62(CRC32(the 30 characters before them)). */
export function crc32Base62ChecksumValid(token: string, bodyStart: number): boolean {
  const body = token.slice(bodyStart, token.length - 6);
  const stored = token.slice(token.length - 6);
  const expected = base62FromUint32(crc32(body), 6);
  return stored === expected || stored === swapCase(expected);
}

const KINDS: Record<string, { what: string; severity: Severity }> = {
  ghp_: { what: 'GitHub personal access token (classic)', severity: 'critical' },
  gho_: { what: 'GitHub OAuth access token', severity: 'high' },
  ghu_: { what: 'GitHub App user-to-server token', severity: 'medium' },
  ghs_: { what: 'GitHub App installation (server-to-server) token', severity: 'medium' },
  ghr_: { what: 'GitHub refresh token', severity: 'high' },
};

const META = secretRule(
  'SEC-GH-001',
  'GitHub token',
  'critical',
  'A GitHub token acts as its user or app on GitHub: reads and pushes code, opens pull requests, reads packages and Actions secrets within its scopes.',
  rotateAnd('token', 'Revoke it in GitHub settings (or let GitHub secret scanning revoke it); in pipelines use a GitHub service connection / GitHub App with short-lived tokens.'),
  [
    { title: 'Behind GitHub\'s new authentication token formats', url: 'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/' },
    { title: 'About authentication to GitHub: token formats', url: 'https://docs.github.com/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats' },
  ],
  ['github'],
);

export const githubDetector: Detector = {
  meta: META,
  anchors: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (const [prefix, kind] of Object.entries(KINDS)) {
      for (const [start, end] of prefixedTokens(text, prefix, BASE62, 36, 36, WORD)) {
        const token = text.slice(start, end);
        if (!crc32Base62ChecksumValid(token, 4)) continue;
        out.push({
          start,
          end,
          ruleId: META.id,
          ...(kind.severity !== 'critical' ? { severity: kind.severity } : {}),
          confidence: 'verified',
          message: `${kind.what} (checksum valid).`,
        });
      }
    }
    // github_pat_ + 22 base62 + '_' + 59 base62.
    for (const [start, end] of prefixedTokens(text, 'github_pat_', WORD, 82, 82, WORD)) {
      if (text[start + 11 + 22] !== '_' || isPlaceholder(text.slice(start + 11, end))) continue;
      out.push({ start, end, ruleId: META.id, severity: 'high', confidence: 'context', message: 'GitHub fine-grained personal access token.' });
    }
    return out.sort((a, b) => a.start - b.start);
  },
};
