/** Anthropic API keys: `sk-ant-api03-` (or `sk-ant-admin01-`) + 90-odd base64url characters ending in "AA". */
import type { Detector, SecretMatch } from '../types';
import { BASE64URL, IDENT } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';
import { prefixedTokens } from './_prefixed';

const META = secretRule(
  'SEC-ANTHROPIC-001',
  'Anthropic API key',
  'high',
  'An Anthropic key calls the API billed to its organization.',
  rotateAnd('API key', 'Disable it in the Anthropic console and read keys from a secret store.'),
  [{ title: 'Anthropic API: authentication', url: 'https://docs.anthropic.com/en/api/overview' }],
  ['anthropic'],
);

export const anthropicDetector: Detector = {
  meta: META,
  anchors: ['sk-ant-'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (const [start, end] of prefixedTokens(text, 'sk-ant-', BASE64URL, 80, 140, IDENT)) {
      const token = text.slice(start, end);
      if (!(token.startsWith('sk-ant-api') || token.startsWith('sk-ant-admin')) || !token.endsWith('AA')) continue;
      out.push({ start, end, ruleId: META.id, confidence: 'context', message: 'Anthropic API key (sk-ant- prefix).' });
    }
    return out;
  },
};
