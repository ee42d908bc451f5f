/** Stripe live secret keys (`sk_live_`) and restricted keys (`rk_live_`). Test-mode keys are not secrets worth a finding. */
import type { Detector, SecretMatch } from '../types';
import { BASE62, WORD } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';
import { prefixedTokens } from './_prefixed';
import { isPlaceholder } from './_values';

const META = secretRule(
  'SEC-STRIPE-001',
  'Stripe live secret or restricted key',
  'critical',
  'A live Stripe secret key moves money: charges, refunds, payouts and customer data of the account.',
  rotateAnd('API key', 'Roll the key in the Stripe dashboard and keep it in Key Vault; use restricted keys with the fewest permissions.'),
  [{ title: 'Stripe API keys', url: 'https://docs.stripe.com/keys' }],
  ['stripe'],
);

export const stripeDetector: Detector = {
  meta: META,
  anchors: ['sk_live_', 'rk_live_'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (const prefix of ['sk_live_', 'rk_live_']) {
      for (const [start, end] of prefixedTokens(text, prefix, BASE62, 24, 247, WORD)) {
        if (isPlaceholder(text.slice(start + 8, end))) continue;
        out.push({
          start,
          end,
          ruleId: META.id,
          ...(prefix === 'rk_live_' ? { severity: 'high' as const } : {}),
          confidence: 'context',
          message: prefix === 'sk_live_' ? 'Stripe live secret key.' : 'Stripe live restricted key.',
        });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  },
};
