/**
 * JSON Web Tokens (signed, `header.payload.signature` in base64url with a JSON header naming "alg").
 * Decision: low severity. A JWT is a bearer credential, but most committed ones are expired test fixtures or
 * public ID tokens from documentation; the message says when it expires (exp) so a live one stands out.
 * Unsigned tokens (alg "none", no signature) are not reported.
 */
import type { Detector, DetectorContext, SecretMatch } from '../types';
import { BASE64URL, isIn, runForward } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';

const META = secretRule(
  'SEC-JWT-001',
  'JSON Web Token',
  'low',
  'A signed JWT is a bearer credential until it expires: whoever holds it is treated as its subject by the services that accept it.',
  rotateAnd('token', 'If it is live, revoke the session or rotate the signing key; commit test tokens generated at test time instead of captured ones.'),
  [{ title: 'RFC 7519: JSON Web Token (JWT)', url: 'https://datatracker.ietf.org/doc/html/rfc7519' }],
  ['jwt'],
);

function decodeJson(b64url: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(b64url, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const jwtDetector: Detector = {
  meta: META,
  anchors: ['eyJ'],
  patterns: [],
  scan(text, ctx: DetectorContext): SecretMatch[] {
    const now = (ctx as DetectorContext & { now?: Date }).now ?? new Date();
    const out: SecretMatch[] = [];
    for (let at = text.indexOf('eyJ'); at !== -1; at = text.indexOf('eyJ', at + 3)) {
      if (isIn(text, at - 1, BASE64URL) || text[at - 1] === '.') continue;
      const h = runForward(text, at, BASE64URL, 2001);
      if (h < 10 || h > 2000 || text[at + h] !== '.') continue;
      const p0 = at + h + 1;
      const p = runForward(text, p0, BASE64URL, 16001);
      if (p < 10 || p > 16000 || text[p0 + p] !== '.') continue;
      const s0 = p0 + p + 1;
      const s = runForward(text, s0, BASE64URL, 2001);
      if (s < 16 || s > 2000) continue;
      const header = decodeJson(text.slice(at, at + h));
      const alg = header?.alg;
      if (typeof alg !== 'string' || alg.toLowerCase() === 'none') continue;
      const payload = decodeJson(text.slice(p0, p0 + p));
      if (!payload) continue;
      const exp = typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : undefined;
      const when = exp && !Number.isNaN(exp.getTime()) ? `, ${exp.getTime() < now.getTime() ? 'expired' : 'expires'} ${exp.toISOString().slice(0, 10)}` : ', no expiry (exp)';
      const end = s0 + s;
      out.push({ start: at, end, ruleId: META.id, confidence: 'context', message: `JSON Web Token (alg ${alg.slice(0, 10)}${when}).` });
      at = end - 3;
    }
    return out;
  },
};
