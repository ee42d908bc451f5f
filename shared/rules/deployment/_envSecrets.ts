/**
 * Literal secrets in a deployment's `properties.environmentVariables`, which ARM returns in plain text to anyone
 * with Reader on the workspace. Two signals, one outcome per variable:
 * - the content scanner's detectors on `NAME="value"` (keys, tokens, connection strings, private keys ...);
 * - a secret-sounding name (password, client_secret, *_TOKEN, *_KEY ...) holding a literal that is neither a
 *   placeholder nor a reference (`${{azureml://connections/...}}` secret injection, Key Vault, `$VAR`).
 * Messages name the variable and the detector, never the value.
 */
import type { ArmResource, RuleOutcome, Severity } from '../types';
import { severityRank } from '../types';
import { get } from '../_util';
import { findSecretsInText, type TextSecret } from '../../scan/textSecrets';
import { isPlaceholder, isReference, isUuid, looksLikeIdentifier } from '../../scan/detectors/_values';

const PATH = 'properties.environmentVariables';

/** Substrings of the joined lower-case name that say it holds a secret. */
const SECRET_PARTS = [
  'password', 'passwd', 'passphrase', 'secret', 'apikey', 'accesskey', 'privatekey', 'accountkey', 'sharedkey', 'masterkey',
  'signingkey', 'connectionstring', 'connstr', 'credential',
];
/** Whole words of the name that say it holds a secret. */
const SECRET_WORDS = new Set(['pwd', 'token', 'sas', 'pat']);
/** A last word that makes a secret-sounding name describe a secret instead of holding one (`SECRET_NAME`, `TOKEN_URL`). */
const DESCRIBING_SUFFIXES = new Set([
  'name', 'names', 'url', 'uri', 'endpoint', 'host', 'path', 'file', 'dir', 'id', 'type', 'header', 'length', 'len', 'count', 'size',
  'ttl', 'timeout', 'expiry', 'expiration', 'expires', 'version', 'enabled', 'mode', 'scope', 'provider', 'format', 'prefix', 'suffix',
  'kind', 'ref', 'location', 'limit', 'source', 'store', 'policy', 'env', 'var', 'audience', 'issuer', 'algorithm', 'field',
]);

/** `AZURE_CLIENT_SECRET` → [azure, client, secret]; `dbPassword` → [db, password]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/gu, '$1 $2')
    .split(/[^A-Za-z0-9]+/u)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

export function nameSaysSecret(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || DESCRIBING_SUFFIXES.has(words[words.length - 1])) return false;
  const joined = words.join('');
  return SECRET_PARTS.some((p) => joined.includes(p)) || words.some((w) => SECRET_WORDS.has(w)) || words[words.length - 1] === 'key';
}

/** A value that could be a real secret: long enough, not a stand-in, a reference, a number, an identifier or an id. */
export function looksLikeLiteralSecret(value: string): boolean {
  const v = value.trim();
  if (v.length < 8) return false;
  if (isPlaceholder(v) || isReference(v) || isUuid(v) || looksLikeIdentifier(v)) return false;
  if (/^[+-]?\d+(\.\d+)?$/u.test(v)) return false;
  // A URL without user information is an address, not a credential.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/iu.test(v)) return false;
  return true;
}

// Deployments of one endpoint (blue/green) and of one template carry the same variables: each distinct `NAME="value"`
// is run through the detectors once per process. Keys are texts ARM already returned; results hold no value.
const MEMO_LIMIT = 4096;
const memo = new Map<string, TextSecret[]>();
function secretsIn(text: string, name: string): TextSecret[] {
  let hits = memo.get(text);
  if (!hits) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    hits = findSecretsInText(text, `environmentVariables/${name}`);
    memo.set(text, hits);
  }
  return hits;
}

function worst(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/** One failing outcome per variable that holds a secret; none when the deployment has no variables. */
export function environmentSecretOutcomes(dep: ArmResource): RuleOutcome[] {
  const vars = get(dep, PATH);
  if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) return [];
  const out: RuleOutcome[] = [];
  for (const name of Object.keys(vars).sort()) {
    const raw = (vars as Record<string, unknown>)[name];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    // Quoted like a .env line so assignment-based detectors see the name; a value with quotes or newlines stays bare.
    const quoted = !/["\r\n]/u.test(raw);
    const text = quoted ? `${name}="${raw}"` : `${name}=${raw}`;
    const valueStart = name.length + (quoted ? 2 : 1);
    const hits = secretsIn(text, name).filter((h) => h.end > valueStart);
    const path = `${PATH}.${name}`;
    if (hits.length > 0) {
      const what = [...new Set(hits.map((h) => `${h.title} (${h.ruleId})`))].join(', ');
      out.push({
        status: 'fail',
        path,
        severity: hits.map((h) => h.severity).reduce(worst),
        message: `Environment variable "${name}" holds a literal secret that the content scanner recognises: ${what}.`,
      });
    } else if (nameSaysSecret(name) && looksLikeLiteralSecret(raw)) {
      out.push({
        status: 'fail',
        path,
        severity: 'medium',
        message: `Environment variable "${name}" has a secret-sounding name and holds a literal value rather than a secret reference.`,
      });
    }
  }
  return out;
}
