/**
 * OpenAI API keys. Every format embeds "T3BlbkFJ" (base64 of "OpenAI") between two random runs: legacy
 * `sk-<20>T3BlbkFJ<20>` and project / service-account / admin keys `sk-proj-…`, `sk-svcacct-…`,
 * `sk-admin-…`. Anchoring on that marker (and requiring the `sk-` start of the run) avoids the many `sk-`
 * look-alikes (CSS classes, Stripe-like names, other vendors).
 */
import type { Detector, SecretMatch } from '../types';
import { BASE64URL, isIn, runBackward, runForward } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';

const META = secretRule(
  'SEC-OPENAI-001',
  'OpenAI API key',
  'high',
  'An OpenAI key calls the API billed to its organization and reads its files, assistants and fine-tuned models.',
  rotateAnd('API key', 'Delete it in the OpenAI dashboard (API keys) and read keys from a secret store; for Azure OpenAI prefer Entra ID.'),
  [{ title: 'Best practices for API key safety (OpenAI)', url: 'https://help.openai.com/en/articles/5112595-best-practices-for-api-key-safety' }],
  ['openai'],
);

const MARK = 'T3BlbkFJ';

export const openAiDetector: Detector = {
  meta: META,
  anchors: [MARK],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (let at = text.indexOf(MARK); at !== -1; at = text.indexOf(MARK, at + MARK.length)) {
      const back = runBackward(text, at, BASE64URL, 200);
      const start = at - back;
      if (back >= 200 || isIn(text, start - 1, BASE64URL) || !text.startsWith('sk-', start)) continue;
      const fwd = runForward(text, at + MARK.length, BASE64URL, 200);
      const end = at + MARK.length + fwd;
      if (fwd >= 200 || fwd < 20 || back < 23) continue;
      const kind = text.startsWith('sk-proj-', start) ? 'project ' : text.startsWith('sk-svcacct-', start) ? 'service account ' : text.startsWith('sk-admin-', start) ? 'admin ' : '';
      out.push({ start, end, ruleId: META.id, confidence: 'context', message: `OpenAI ${kind}API key (with the OpenAI marker).` });
      at = end - MARK.length;
    }
    return out;
  },
};
