/**
 * Google Cloud credentials: service-account key files (JSON with "type": "service_account" and a
 * "private_key" PEM, reported here rather than by privateKeys.ts) and API keys (`AIza` + 35 characters).
 * Decision: API keys are medium, since many are meant to ship in client code restricted by referrer or app.
 */
import type { Detector, SecretMatch } from '../types';
import { BASE64URL, IDENT, isIn, runForward } from './_boundaries';
import { rotateAnd, secretRule } from './_meta';
import { isPlaceholder } from './_values';

const SA_KEY = secretRule(
  'SEC-GCP-001',
  'Google Cloud service-account key',
  'critical',
  'A service-account key file signs in as the service account, with all its IAM roles, until the key is deleted.',
  rotateAnd('service-account key', 'Delete the key in IAM & Admin > Service accounts and use workload identity federation (from Azure Pipelines via OIDC) instead of key files.'),
  [{ title: 'Best practices for managing service account keys', url: 'https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys' }],
  ['gcp'],
);

const API_KEY = secretRule(
  'SEC-GCP-002',
  'Google API key',
  'medium',
  'A Google API key calls the APIs enabled for its project, billed to it, unless restricted by referrer, IP or app.',
  rotateAnd('API key', 'Regenerate or delete it in APIs & Services > Credentials and add application and API restrictions.'),
  [{ title: 'Manage API keys (Google Cloud)', url: 'https://cloud.google.com/docs/authentication/api-keys' }],
  ['gcp'],
);

export const gcpDetector: Detector = {
  meta: SA_KEY,
  variants: [API_KEY],
  anchors: ['"private_key"', 'AIza'],
  patterns: [],
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    const KEY = '"private_key"';
    const serviceAccount = text.includes('service_account');
    for (let at = serviceAccount ? text.indexOf(KEY) : -1; at !== -1; at = text.indexOf(KEY, at + KEY.length)) {
      let i = at + KEY.length;
      while (text[i] === ' ' || text[i] === '\t') i++;
      if (text[i] !== ':') continue;
      i++;
      while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
      if (text[i] !== '"') continue;
      const start = i + 1;
      let end = start;
      const stop = Math.min(text.length, start + 10000);
      while (end < stop && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= stop) continue;
      const v = text.slice(start, end);
      if (v.length < 200 || !v.includes('-----BEGIN') || !v.includes('PRIVATE KEY') || v.includes('...')) continue;
      out.push({ start, end, ruleId: SA_KEY.id, confidence: 'context', message: 'Google Cloud service-account key (private_key of a service_account JSON).' });
    }
    for (let at = text.indexOf('AIza'); at !== -1; at = text.indexOf('AIza', at + 4)) {
      if (isIn(text, at - 1, IDENT) || runForward(text, at + 4, BASE64URL, 36) !== 35) continue;
      if (isPlaceholder(text.slice(at + 4, at + 39))) continue;
      out.push({ start: at, end: at + 39, ruleId: API_KEY.id, confidence: 'context', message: 'Google API key (AIza prefix).' });
    }
    return out.sort((a, b) => a.start - b.start);
  },
};
