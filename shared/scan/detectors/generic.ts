/**
 * Generic secrets: a literal assigned to a name that says it is secret (password, passwd, pwd, passphrase,
 * secret, token, api_key, access_key, private_key, auth_key ...), kept only when the value looks random
 * enough and is none of: a placeholder, a reference ($(var), ${{ secrets.x }}, ${VAR}, %VAR%, os.environ,
 * @Microsoft.KeyVault(...), Key Vault URIs, {{ }}), a digest (lock files, integrity: sha512-...), a UUID, an
 * identifier, a path or URL, or a token another detector owns.
 *
 * Thresholds (tuned on look-alikes in the tests): passwords need 8+ characters, three character classes and
 * 2.8 bits/char; other secrets 12+ characters, two classes and an entropy close to that of a random string of
 * their length (3.5 bits/char from 16 characters). Medium severity, heuristic confidence: below every
 * verified or context detector.
 */
import type { Detector, SecretMatch } from '../types';
import { bareValuesAreLiterals, findAssignments, type Assignment } from './_assign';
import { keywords } from './_keywords';
import { hasDedicatedDetector, isVerifiedAzureKey } from './_known';
import { OWASP_SECRETS, rotateAnd, secretRule } from './_meta';
import { AWS_SECRET_NAME_PARTS } from './aws';
import { ML_CREDENTIAL_NAMES } from './mlCredentials';
import { classCount, entropyThreshold, isCredentialLiteral, isHexDigest, isLockFile, looksLikeCode, looksLikeIdentifier, shannonEntropy } from './_values';

const META = secretRule(
  'SEC-GEN-001',
  'High-entropy literal assigned to a secret-named variable',
  'medium',
  'A random-looking literal assigned to a password, secret, token or key is most likely a real credential committed with the code.',
  rotateAnd('credential', 'Read it at run time from Key Vault, a pipeline secret variable or the environment, and prefer managed identities where the service supports them.'),
  [OWASP_SECRETS],
  ['generic'],
);

const PASSWORD_WORDS = ['password', 'passwd', 'pwd', 'passphrase'];
const WORD_LIST = [...PASSWORD_WORDS, 'secret', 'token', 'api_key', 'apikey', 'api-key', 'access_key', 'accesskey', 'access-key', 'private_key', 'privatekey', 'auth_key', 'authkey', 'signing_key', 'encryption_key'];

const WORDS = keywords(WORD_LIST);

/** Name endings that describe a secret without holding one (`token_url`, `secret_name`, `password_length`). */
const NAME_SUFFIX_EXCLUDES = [
  'url', 'uri', 'endpoint', 'path', 'file', 'filename', 'dir', 'name', 'names', 'id', 'ids', 'type', 'types', 'length', 'len', 'count',
  'size', 'field', 'fields', 'header', 'policy', 'prompt', 'env', 'var', 'variable', 'version', 'hint', 'label', 'regex',
  'pattern', 'format', 'expiry', 'expiration', 'expires', 'expiresin', 'ttl', 'timeout', 'limit', 'enabled', 'required',
  'ref', 'reference', 'mode', 'method', 'scope', 'scopes', 'provider', 'store', 'manager', 'kind', 'prefix', 'suffix',
  'placeholder', 'description', 'message', 'error', 'errors', 'title', 'text', 'key', 'keys', 'location', 'source', 'hash',
  'sha', 'digest', 'checksum', 'salt', 'rounds', 'algorithm', 'alg', 'cost', 'index', 'idx', 'position', 'class',
  'template', 'example', 'sample', 'test', 'mock', 'placeholdertext', 'input', 'selector', 'locator', 'button', 'icon',
];

/** Name parts that make a secret-sounding name something else (`max_tokens`, `tokenizer`, `csrf_token`). */
const NAME_PART_EXCLUDES = ['tokeniz', 'maxtoken', 'numtoken', 'tokencount', 'tokens', 'csrf', 'xsrf', 'forgot', 'reset', 'hash', 'sha', 'digest', 'checksum', 'commit', 'revision', 'etag', 'fingerprint', 'thumbprint', 'nonce', 'pagetoken', 'nexttoken', 'continuation', 'cursor', 'pagination', 'secretsmanager', 'secretname', 'secretref'];

const SUFFIXES = new Set(NAME_SUFFIX_EXCLUDES);
/** The suffix lengths to try, longest first, so a name costs a dozen Set lookups rather than a hundred endsWith. */
const SUFFIX_LENGTHS = [...new Set(NAME_SUFFIX_EXCLUDES.map((x) => x.length))].sort((x, y) => y - x);
/** Secret names ending in "key": the key is the secret itself, not a description of one. */
const SECRET_KEY_NAMES = ['apikey', 'secretkey', 'accesskey', 'privatekey', 'authkey', 'signingkey', 'encryptionkey'];

function nameSaysSecret(a: Assignment): boolean {
  const k = a.key;
  if (ML_CREDENTIAL_NAMES.has(k)) return false; // mlCredentials.ts reports these with a precise rule
  if (AWS_SECRET_NAME_PARTS.some((p) => k.includes(p))) return false; // aws.ts
  for (const p of NAME_PART_EXCLUDES) if (k.includes(p)) return false;
  for (const n of SUFFIX_LENGTHS) {
    if (k.length <= n) continue;
    const s = k.slice(k.length - n);
    if (!SUFFIXES.has(s)) continue;
    if (s === 'key' && SECRET_KEY_NAMES.some((w) => k.endsWith(w))) continue;
    return false;
  }
  return true;
}

function isPasswordName(key: string): boolean {
  return PASSWORD_WORDS.some((w) => key.includes(w));
}

function isHexOnly(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** A value too structured to be a generated secret: URL, path, number, version, email, file name. */
function looksStructured(v: string): boolean {
  if (v.includes('://') || v.startsWith('/') || v.startsWith('./') || v.startsWith('../') || v.startsWith('~/') || v.includes('\\')) return true;
  if (v.startsWith('<') || v.endsWith('>') || v.startsWith('(') || v.endsWith(')')) return true;
  let digitsDots = true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 58)) digitsDots = false;
  }
  if (digitsDots) return true; // numbers, versions, dates, times
  const at = v.indexOf('@');
  if (at > 0 && v.indexOf('.', at) > at) return true; // e-mail address
  const dot = v.lastIndexOf('.');
  if (dot > 0 && v.length - dot <= 5 && /* file.ext */ looksLikeIdentifier(v.slice(0, dot))) return true;
  return false;
}

/** Generated secrets are printable ASCII; values with other characters are prose, labels or translations. */
function printableAscii(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

export function genericSecretValue(key: string, v: string): boolean {
  const password = isPasswordName(key);
  if (!printableAscii(v)) return false;
  if (v.length > 200 || !isCredentialLiteral(v, password ? 8 : 12)) return false;
  if (looksLikeIdentifier(v) || looksLikeCode(v) || looksStructured(v) || hasDedicatedDetector(v) || isVerifiedAzureKey(v)) return false;
  if (isHexOnly(v) && (isHexDigest(v) || v.length < 16)) return false;
  const h = shannonEntropy(v);
  if (password) return classCount(v) >= 3 && h >= 2.8;
  return classCount(v) >= 2 && h >= entropyThreshold(v.length);
}

export const genericSecretDetector: Detector = {
  meta: META,
  anchors: WORD_LIST,
  caseInsensitiveAnchors: true,
  patterns: [],
  scan(text, ctx): SecretMatch[] {
    if (isLockFile(ctx.path)) return [];
    const bare = bareValuesAreLiterals(ctx.path);
    const out: SecretMatch[] = [];
    for (const a of findAssignments(text, WORDS, nameSaysSecret)) {
      if (!a.quoted && !bare) continue;
      const v = text.slice(a.valueStart, a.valueEnd);
      if (!genericSecretValue(a.key, v)) continue;
      out.push({
        start: a.valueStart,
        end: a.valueEnd,
        ruleId: META.id,
        confidence: 'heuristic',
        message: `High-entropy literal assigned to "${a.name.length > 60 ? a.name.slice(0, 60) + '…' : a.name}".`,
      });
    }
    return out;
  },
};
