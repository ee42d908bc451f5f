/**
 * GitLab tokens: personal / project / group access tokens `glpat-`, deploy tokens `gldt-`, runner
 * authentication tokens `glrt-`, pipeline trigger tokens `glptt-`, OAuth application secrets `gloas-`. The part
 * after the prefix is 20+ characters of [0-9A-Za-z_-] (newer tokens add `.<2>.<7-9>` routing parts). No public
 * checksum: reported on prefix and length, placeholders excluded.
 */
import type { Detector, SecretMatch } from '../types';
import { BASE64URL, WORD } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';
import { prefixedTokens } from './_prefixed';
import { isPlaceholder, shannonEntropy } from './_values';

const PREFIXES: Record<string, string> = {
  'glpat-': 'GitLab personal/project/group access token',
  'gldt-': 'GitLab deploy token',
  'glrt-': 'GitLab runner authentication token',
  'glptt-': 'GitLab pipeline trigger token',
  'gloas-': 'GitLab OAuth application secret',
};

const META = secretRule(
  'SEC-GL-001',
  'GitLab access token',
  'high',
  'A GitLab token reads or writes repositories, registries and the API as its user, project or runner.',
  rotateAnd('token', 'Revoke it in GitLab (Access tokens / Deploy tokens / runner settings) and use CI/CD job tokens or masked, protected variables.'),
  [{ title: 'GitLab token overview', url: 'https://docs.gitlab.com/ee/security/token_overview.html' }],
  ['gitlab'],
);

export const gitlabDetector: Detector = {
  meta: META,
  anchors: Object.keys(PREFIXES),
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (const [prefix, what] of Object.entries(PREFIXES)) {
      for (const [start, end0] of prefixedTokens(text, prefix, BASE64URL, 20, 64, WORD)) {
        let end = end0;
        // Routable tokens: ".<2 base36>.<7-9 base36>" after the payload.
        if (text[end] === '.') {
          let j = end + 1;
          let parts = 0;
          let n = 0;
          while (j < text.length && n < 12) {
            const c = text.charCodeAt(j);
            if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) n++;
            else if (c === 46 && n > 0 && parts === 0) { parts++; n = 0; }
            else break;
            j++;
          }
          if (parts === 1 && n >= 7) end = j;
        }
        const body = text.slice(start + prefix.length, end0);
        if (isPlaceholder(body) || shannonEntropy(body) < 3) continue;
        out.push({ start, end, ruleId: META.id, confidence: 'context', message: `${what} (${prefix} prefix).` });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  },
};
