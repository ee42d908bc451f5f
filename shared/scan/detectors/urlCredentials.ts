/**
 * Credentials embedded in URLs: `scheme://user:password@host` (database URIs, git remotes, proxies, feeds) and
 * tokens used as the user part of git remotes (`https://<token>@github.com/...`). The password must be a
 * literal (not `${DB_PASSWORD}`, `{password}`, `%s`, `****`, `password`) with some strength; credentials for
 * localhost or example hosts are low severity.
 */
import type { Detector, SecretMatch } from '../types';
import { hasDedicatedDetector, isVerifiedAzureKey } from './_known';
import { OWASP_SECRETS, rotateAnd, secretRule } from './_meta';
import { classCount, entropyThreshold, isCredentialLiteral, shannonEntropy } from './_values';

const META = secretRule(
  'SEC-URL-001',
  'Credentials in a URL',
  'high',
  'A password or token in a connection URI or remote URL works for anyone who reads the file, and URLs end up in logs and error messages.',
  rotateAnd('password', 'Keep the URL without credentials and pass them separately from a secret store (Key Vault, pipeline secrets) or use managed identity / Entra ID authentication.'),
  [OWASP_SECRETS],
  ['generic', 'url'],
);

const GIT_HOSTS = ['github.com', 'dev.azure.com', 'visualstudio.com', 'gitlab.com', 'bitbucket.org', 'ssh.dev.azure.com'];

function isSchemeChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 45 || c === 46;
}

/** Characters that cannot be in the authority part: end the search for '@'. */
function endsAuthority(c: number): boolean {
  return c <= 32 || c === 47 || c === 63 || c === 35 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62 || c === 92 || c === 41 || c === 93;
}

function localHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h.startsWith('127.') || h === '0.0.0.0' || h === '[::1]' || h === 'host.docker.internal' || h.endsWith('.local') ||
    h.endsWith('.localhost') || h.endsWith('.test') || h.endsWith('.example') || h.endsWith('.invalid') || h === 'example.com' || h.endsWith('.example.com') ||
    h === 'example.org' || h === 'example.net' || h === 'host' || h === 'hostname' || h === 'server' || h === 'db' || h === 'database';
}

const SEPARATOR = Buffer.from('://', 'latin1');
/** Characters passed over looking for the '@' that ends a userinfo; the byte check must use the same bound. */
const MAX_USERINFO = 256;

export const urlCredentialsDetector: Detector = {
  meta: META,
  anchors: ['://'],
  patterns: [],
  /** Most files with a URL have no '@' in its authority: the first test of `scan`, on bytes. */
  mayMatchBytes(bytes, start, end): boolean {
    for (let at = bytes.indexOf(SEPARATOR, start); at !== -1 && at + 3 <= end; at = bytes.indexOf(SEPARATOR, at + 3)) {
      if (at - 2 < start || !isSchemeChar(bytes[at - 1]) || !isSchemeChar(bytes[at - 2])) continue;
      // As in scan: at most MAX_USERINFO characters are passed over, and an '@' right after them still counts.
      const stop = Math.min(end - 1, at + 3 + MAX_USERINFO);
      for (let i = at + 3; i <= stop; i++) {
        if (bytes[i] === 64 /* @ */) return true;
        if (endsAuthority(bytes[i])) break;
      }
    }
    return false;
  },
  scan(text): SecretMatch[] {
    const out: SecretMatch[] = [];
    for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 3)) {
      let s = at;
      while (s > at - 20 && s > 0 && isSchemeChar(text.charCodeAt(s - 1))) s--;
      if (at - s < 2) continue;
      const a = at + 3;
      let i = a;
      const stop = Math.min(text.length, a + MAX_USERINFO);
      while (i < stop && text.charCodeAt(i) !== 64 /* @ */ && !endsAuthority(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== 64) continue;
      const userinfo = text.slice(a, i);
      let h = i + 1;
      const hostStop = Math.min(text.length, i + 256);
      while (h < hostStop && !endsAuthority(text.charCodeAt(h)) && text.charCodeAt(h) !== 58 && text.charCodeAt(h) !== 64) h++;
      const host = text.slice(i + 1, h);
      if (host.length === 0 || (!host.includes('.') && !localHost(host))) continue;
      const colon = userinfo.indexOf(':');
      let start: number;
      let value: string;
      if (colon === -1) {
        // A token as the user name of a git remote.
        if (!GIT_HOSTS.some((g) => host.toLowerCase().endsWith(g)) || userinfo.length < 20) continue;
        start = a;
        value = userinfo;
        if (shannonEntropy(value) < entropyThreshold(value.length)) continue;
      } else {
        start = a + colon + 1;
        value = userinfo.slice(colon + 1);
      }
      if (!isCredentialLiteral(value, 6) || value.includes('{') || value.includes('%s') || classCount(value) < 2) continue;
      if (hasDedicatedDetector(value) || isVerifiedAzureKey(value)) continue;
      const local = localHost(host);
      out.push({
        start,
        end: start + value.length,
        ruleId: META.id,
        ...(local ? { severity: 'low' as const } : {}),
        confidence: 'context',
        message: colon === -1 ? `Token in the user part of a ${text.slice(s, at)} URL to ${host}.` : `Password in a ${text.slice(s, at)} URL${local ? ' to a local or example host' : ''}.`,
      });
    }
    return out;
  },
};
