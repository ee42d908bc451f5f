/** Hugging Face user access tokens (`hf_` + 34 letters) and organization API tokens (`api_org_` + 34 letters). */
import type { Detector, SecretMatch } from '../types';
import { ALPHA, BASE62, WORD, isIn } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';
import { prefixedTokens } from './_prefixed';
import { classCount, isPlaceholder, shannonEntropy } from './_values';

const META = secretRule(
  'SEC-HF-001',
  'Hugging Face access token',
  'high',
  'A Hugging Face token reads private models and datasets of its owner and, with write scope, replaces them (a model supply-chain attack).',
  rotateAnd('token', 'Invalidate it in Hugging Face settings > Access Tokens and use fine-grained, read-only tokens from a secret store.'),
  [{ title: 'User access tokens (Hugging Face Hub)', url: 'https://huggingface.co/docs/hub/security-tokens' }],
  ['huggingface', 'supply-chain'],
);

export const huggingFaceDetector: Detector = {
  meta: META,
  anchors: ['hf_', 'api_org_'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (const prefix of ['hf_', 'api_org_']) {
      for (const [start, end] of prefixedTokens(text, prefix, ALPHA, 34, 34, WORD)) {
        // "hf_hub_download…" style names continue with '_' or digits; real tokens are 34 random mixed-case letters.
        if (isIn(text, end, BASE62) || text[end] === '_') continue;
        const body = text.slice(start + prefix.length, end);
        if (classCount(body) < 2 || shannonEntropy(body) < 3.8 || isPlaceholder(body)) continue;
        out.push({ start, end, ruleId: META.id, confidence: 'context', message: prefix === 'hf_' ? 'Hugging Face user access token.' : 'Hugging Face organization API token.' });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  },
};
