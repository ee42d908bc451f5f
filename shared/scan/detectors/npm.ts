/**
 * npm access tokens: `npm_` + 30 random base62 + 6 characters of CRC32 checksum (the GitHub token scheme),
 * reported when the checksum matches; and `.npmrc` `_authToken=` lines with a literal token (older tokens are
 * UUIDs), reported by context.
 */
import type { Detector, SecretMatch } from '../types';
import { BASE62, WORD } from './_boundaries';
import { crc32Base62ChecksumValid } from './github';
import { rotateAnd, secretRule } from './_meta';
import { prefixedTokens } from './_prefixed';
import { isPlaceholder, isReference } from './_values';

const META = secretRule(
  'SEC-NPM-001',
  'npm access token',
  'critical',
  'An npm token publishes packages as its owner: a supply-chain attack on everyone who installs them.',
  rotateAnd('token', 'Revoke it (npm token revoke) and publish from CI with a granular, short-lived token or trusted publishing.'),
  [
    { title: 'About access tokens (npm Docs)', url: 'https://docs.npmjs.com/about-access-tokens' },
    { title: 'Announcing npm\'s new access token format', url: 'https://github.blog/security/announcing-npms-new-access-token-format/' },
  ],
  ['npm', 'supply-chain'],
);

export const npmDetector: Detector = {
  meta: META,
  anchors: ['npm_', '_authToken'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    const seen = new Set<number>();
    for (const [start, end] of prefixedTokens(text, 'npm_', BASE62, 36, 36, WORD)) {
      if (!crc32Base62ChecksumValid(text.slice(start, end), 4)) continue;
      seen.add(start);
      out.push({ start, end, ruleId: META.id, confidence: 'verified', message: 'npm access token (checksum valid).' });
    }
    const KEY = '_authToken=';
    for (let at = text.indexOf(KEY); at !== -1; at = text.indexOf(KEY, at + KEY.length)) {
      let start = at + KEY.length;
      if (text[start] === '"') start++;
      let end = start;
      const stop = Math.min(text.length, start + 256);
      while (end < stop && text.charCodeAt(end) > 32 && text[end] !== '"') end++;
      const v = text.slice(start, end);
      // Older npm tokens are UUIDs, so no UUID exclusion here.
      if (seen.has(start) || v.startsWith('npm_') || v.length < 16 || isPlaceholder(v) || isReference(v)) continue;
      out.push({ start, end, ruleId: META.id, severity: 'high', confidence: 'context', message: 'npm registry auth token in an .npmrc line (_authToken=).' });
    }
    return out.sort((a, b) => a.start - b.start);
  },
};
