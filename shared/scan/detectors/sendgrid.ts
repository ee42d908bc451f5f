/** SendGrid (Twilio SendGrid) API keys: `SG.` + 22 + `.` + 43 base64url characters. */
import type { Detector, SecretMatch } from '../types';
import { BASE64URL, IDENT, isIn, runForward } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';
import { isPlaceholder } from './_values';

const META = secretRule(
  'SEC-SENDGRID-001',
  'SendGrid API key',
  'high',
  'A SendGrid key sends e-mail from the account\'s verified domains (phishing that passes SPF/DKIM) and reads its contacts.',
  rotateAnd('API key', 'Delete it under SendGrid Settings > API Keys and create a restricted key kept in a secret store.'),
  [{ title: 'SendGrid API keys', url: 'https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys' }],
  ['sendgrid'],
);

export const sendGridDetector: Detector = {
  meta: META,
  anchors: ['SG.'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (let at = text.indexOf('SG.'); at !== -1; at = text.indexOf('SG.', at + 3)) {
      if (isIn(text, at - 1, IDENT)) continue;
      if (runForward(text, at + 3, BASE64URL, 23) !== 22 || text[at + 25] !== '.') continue;
      if (runForward(text, at + 26, BASE64URL, 44) !== 43) continue;
      const end = at + 69;
      if (isPlaceholder(text.slice(at + 26, end))) continue;
      out.push({ start: at, end, ruleId: META.id, confidence: 'context', message: 'SendGrid API key (SG. format).' });
      at = end - 3;
    }
    return out;
  },
};
