/**
 * Azure shared access signatures: a `sig=` HMAC-SHA256 (base64 of 32 bytes, usually URL-encoded) among SAS
 * query fields (sv, se, sp, sr, ss, srt, skn ...), in a URL, a connection string (SharedAccessSignature=) or a
 * Service Bus token. Only the signature is the secret; the message names the expiry (`se=`) and permissions
 * (`sp=`), which are not secret and tell the reader how urgent it is.
 *
 * Decision: a SAS whose expiry has passed can no longer be used, so it is reported at medium (it still shows a
 * practice to fix); a live or undated one at high. "Now" is `ctx.now` when the scanner passes one (tests),
 * else the clock.
 */
import type { DetectorContext, Detector, SecretMatch } from '../types';
import { rotateAnd, secretRule } from './_meta';
import { isPlaceholder } from './_values';

const META = secretRule(
  'SEC-AZ-SAS-001',
  'Azure shared access signature (SAS) token',
  'high',
  'A SAS grants the permissions it was signed with (read, write, delete, list ...) on its storage or messaging resources until it expires, to anyone holding the URL.',
  rotateAnd(
    'SAS',
    'Revoke it by rotating the account key that signed it (or the stored access policy / user delegation key); issue short-lived user delegation SAS from code with Entra ID instead of storing them.',
  ),
  [{ title: 'Grant limited access to Azure Storage resources using shared access signatures', url: 'https://learn.microsoft.com/azure/storage/common/storage-sas-overview' }],
  ['azure', 'storage', 'sas'],
);

const PATTERNS = { fieldSeparator: /[&;]/u, epochSeconds: /^\d{9,11}$/u };

const SAS_FIELDS = new Set(['sv', 'se', 'sp', 'sr', 'ss', 'srt', 'st', 'spr', 'skn', 'skoid', 'sktid', 'ske', 'sks', 'si', 'sdd']);

function isSigChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 37 || c === 61;
}

/** Ends a SAS query: whitespace, quotes, markup, a fragment. */
function isQueryEnd(c: number): boolean {
  return c <= 32 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62 || c === 35 || c === 92 || c === 41 || c === 93;
}

function percentDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The fields of the query around the signature, bounded to 1024 characters either way. */
function queryFields(text: string, sigAt: number): Map<string, string> {
  let a = sigAt;
  const stopA = Math.max(0, sigAt - 1024);
  while (a > stopA && !isQueryEnd(text.charCodeAt(a - 1)) && text.charCodeAt(a - 1) !== 63 /* ? */) a--;
  let b = sigAt;
  const stopB = Math.min(text.length, sigAt + 1024);
  while (b < stopB && !isQueryEnd(text.charCodeAt(b))) b++;
  const out = new Map<string, string>();
  for (const part of text.slice(a, b).split(PATTERNS.fieldSeparator)) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1));
  }
  return out;
}

function expiry(se: string | undefined): Date | undefined {
  if (!se) return undefined;
  const v = percentDecode(se);
  if (!v) return undefined;
  if (PATTERNS.epochSeconds.test(v)) return new Date(Number(v) * 1000); // Service Bus / Event Hubs tokens: epoch seconds
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t);
}

export const azureSasDetector: Detector = {
  meta: META,
  anchors: ['sig='],
  patterns: [PATTERNS.fieldSeparator, PATTERNS.epochSeconds],
  scan(text, ctx: DetectorContext): SecretMatch[] {
    const now = (ctx as DetectorContext & { now?: Date }).now ?? new Date();
    const out: SecretMatch[] = [];
    for (let at = text.indexOf('sig='); at !== -1; at = text.indexOf('sig=', at + 4)) {
      const prev = text.charCodeAt(at - 1);
      if (at > 0 && !(prev === 63 || prev === 38 || prev === 59 || prev === 32 || prev === 34 || prev === 39)) continue;
      const start = at + 4;
      let end = start;
      const stop = Math.min(text.length, start + 200);
      while (end < stop && isSigChar(text.charCodeAt(end))) end++;
      const raw = text.slice(start, end);
      const sig = percentDecode(raw);
      // HMAC-SHA256: 32 bytes = 43 base64 characters and one '='.
      if (!sig || sig.length !== 44 || !sig.endsWith('=') || sig.indexOf('=') !== 43 || isPlaceholder(sig.slice(0, 43))) continue;
      const q = queryFields(text, at);
      let sasFields = 0;
      for (const k of q.keys()) if (SAS_FIELDS.has(k)) sasFields++;
      if (sasFields === 0 && !text.slice(Math.max(0, at - 300), at).includes('SharedAccessSignature')) continue;
      const exp = expiry(q.get('se'));
      const expired = exp !== undefined && exp.getTime() < now.getTime();
      const perms = q.get('sp');
      const permText = perms && /* permission letters only */ perms.length <= 16 && !perms.includes('%') ? ` with permissions sp=${perms}` : '';
      const expText = exp ? `, ${expired ? 'expired' : 'expires'} ${exp.toISOString().slice(0, 10)}` : ', no expiry (se=) next to it';
      out.push({
        start,
        end,
        ruleId: META.id,
        ...(expired ? { severity: 'medium' as const } : {}),
        confidence: 'context',
        message: `Azure shared access signature (sig=)${permText}${expText}.`,
      });
      at = end - 4;
    }
    return out;
  },
};
