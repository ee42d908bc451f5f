/**
 * Slack tokens (`xoxb-` bot, `xoxp-` user, `xoxa-`/`xoxr-` app and refresh, `xoxs-` session, `xoxe.xoxp-` /
 * `xoxe-` rotating) and incoming-webhook URLs (`hooks.slack.com/services/T…/B…/<secret>`).
 */
import type { Detector, SecretMatch } from '../types';
import { BASE62, WORD, isIn, runForward } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';
import { isPlaceholder } from './_values';

const META = secretRule(
  'SEC-SLACK-001',
  'Slack token or webhook URL',
  'high',
  'A Slack token reads and posts messages and files in the workspace as its bot or user; a webhook URL posts into its channel.',
  rotateAnd('token', 'Revoke it in the Slack app configuration (or regenerate the webhook) and store it in Key Vault or a pipeline secret.'),
  [{ title: 'Slack token types', url: 'https://api.slack.com/authentication/token-types' }],
  ['slack'],
);

/** Token body characters: alphanumerics and dashes. */
function isTokenChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45;
}

export const slackDetector: Detector = {
  meta: META,
  anchors: ['xox', 'hooks.slack.com'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (let at = text.indexOf('xox'); at !== -1; at = text.indexOf('xox', at + 3)) {
      if (isIn(text, at - 1, WORD)) continue;
      let i = at + 3;
      if (text.startsWith('e.xox', i)) i += 5; // xoxe.xoxp-
      const kind = text[i];
      if (!'baprse'.includes(kind) || text[i + 1] !== '-') continue;
      let end = i + 2;
      const stop = Math.min(text.length, end + 250);
      let digits = 0;
      while (end < stop && isTokenChar(text.charCodeAt(end))) {
        const c = text.charCodeAt(end);
        if (c >= 48 && c <= 57) digits++;
        end++;
      }
      const body = text.slice(i + 2, end);
      // Real tokens carry numeric team/user ids and a random tail; "xoxb-your-token" does not. Only the tail is
      // judged as a placeholder: random ids hold runs like "777777" that would read as fill.
      if (body.length < 20 || digits < 6 || isPlaceholder(body.slice(body.lastIndexOf('-') + 1))) continue;
      out.push({ start: at, end, ruleId: META.id, confidence: 'context', message: `Slack ${kind === 'b' ? 'bot' : kind === 'p' ? 'user' : 'app'} token (xox${kind}- prefix).` });
      at = end - 3;
    }
    const HOOK = 'hooks.slack.com/services/';
    for (let at = text.indexOf(HOOK); at !== -1; at = text.indexOf(HOOK, at + HOOK.length)) {
      let i = at + HOOK.length;
      const team = runForward(text, i, BASE62, 16);
      if (text[i] !== 'T' || team < 8 || text[i + team] !== '/') continue;
      i += team + 1;
      const bot = runForward(text, i, BASE62, 16);
      if (text[i] !== 'B' || bot < 8 || text[i + bot] !== '/') continue;
      i += bot + 1;
      const secret = runForward(text, i, BASE62, 33);
      if (secret < 20 || secret > 32 || isPlaceholder(text.slice(i, i + secret))) continue;
      out.push({ start: i, end: i + secret, ruleId: META.id, confidence: 'context', message: 'Slack incoming webhook URL secret.' });
    }
    return out.sort((a, b) => a.start - b.start);
  },
};
