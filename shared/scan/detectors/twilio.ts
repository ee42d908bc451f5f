/**
 * Twilio auth tokens and API key secrets: 32 hex / alphanumeric characters, indistinguishable from other
 * 32-character values without context, so reported only in files that mention Twilio, when assigned to an
 * auth-token / API-secret name or passed as the literal after an account SID (`Client("AC…", "<token>")`).
 * Account SIDs (AC…) and API key SIDs (SK…) are identifiers and are not reported.
 */
import type { Detector, SecretMatch } from '../types';
import { findAssignments } from './_assign';
import { BASE62, HEX, IDENT, isIn, runForward } from './_boundaries';
import { keywords } from './_keywords';
import { rotateAnd, secretRule } from './_meta';
import { isPlaceholder, shannonEntropy } from './_values';

const META = secretRule(
  'SEC-TWILIO-001',
  'Twilio auth token or API key secret',
  'high',
  'A Twilio auth token or API secret sends SMS and calls billed to the account and reads its message logs.',
  rotateAnd('token', 'Rotate the auth token (or delete the API key) in the Twilio console and keep it in a secret store.'),
  [{ title: 'Twilio API keys and auth tokens', url: 'https://www.twilio.com/docs/iam/api-keys' }],
  ['twilio'],
);

const PATTERNS = { sidToLiteral: /["'][,\s]*["']/u };

const NAMES = keywords(['auth_token', 'authtoken', 'api_secret', 'apisecret', 'twilio_token', 'twilio_secret']);

function plausible(v: string): boolean {
  if (v.length !== 32) return false;
  for (let i = 0; i < 32; i++) if (!isIn(v, i, BASE62)) return false;
  return !isPlaceholder(v) && shannonEntropy(v) >= 3;
}

export const twilioDetector: Detector = {
  meta: META,
  anchors: ['twilio'],
  caseInsensitiveAnchors: true,
  patterns: [PATTERNS.sidToLiteral],
  scan(text): SecretMatch[] {
    const out = new Map<number, SecretMatch>();
    for (const a of findAssignments(text, NAMES, () => true)) {
      if (!a.quoted && text[a.valueStart - 1] !== '=') continue;
      if (!plausible(text.slice(a.valueStart, a.valueEnd))) continue;
      out.set(a.valueStart, { start: a.valueStart, end: a.valueEnd, ruleId: META.id, confidence: 'context', message: `Twilio credential assigned to "${a.name}".` });
    }
    // Client("AC<32 hex>", "<token>"): the literal right after an account SID.
    for (let at = text.indexOf('AC'); at !== -1; at = text.indexOf('AC', at + 2)) {
      if (isIn(text, at - 1, IDENT) || runForward(text, at + 2, HEX, 33) !== 32 || isIn(text, at + 34, IDENT)) continue;
      const after = text.slice(at + 34, at + 34 + 12);
      const q = after.search(PATTERNS.sidToLiteral);
      if (q === -1) continue;
      let s = at + 34 + q + 1;
      while (text[s] === ',' || text[s] === ' ' || text[s] === '\t') s++;
      if (text[s] !== '"' && text[s] !== "'") continue;
      s++;
      if (plausible(text.slice(s, s + 32)) && (text[s + 32] === '"' || text[s + 32] === "'") && !out.has(s)) {
        out.set(s, { start: s, end: s + 32, ruleId: META.id, confidence: 'context', message: 'Twilio auth token passed after an account SID.' });
      }
    }
    return [...out.values()].sort((x, y) => x.start - y.start);
  },
};
