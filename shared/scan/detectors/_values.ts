/**
 * Judging a candidate value found by context (an assignment, a connection string field, a CLI argument):
 * is it a literal secret, or a placeholder, a reference to a variable or a vault, a hash, an identifier?
 * All checks are plain string operations on a value of bounded length.
 */

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  const ascii = new Uint16Array(128);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) ascii[c]++;
    else counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  const add = (n: number) => {
    const p = n / s.length;
    h -= p * Math.log2(p);
  };
  for (let c = 0; c < 128; c++) if (ascii[c] > 0) add(ascii[c]);
  for (const n of counts.values()) add(n);
  return h;
}

/**
 * Entropy a random value of this length reaches comfortably: 3.5 bits/char from 16 characters on, less for
 * shorter values (a 12-character value cannot exceed log2(12) = 3.58 bits/char).
 */
export function entropyThreshold(length: number): number {
  return Math.min(3.5, Math.log2(Math.max(length, 2)) - 0.6);
}

/**
 * Words of 6+ letters that mark a stand-in wherever they appear ("CHANGEME", "my-placeholder-key"). Shorter
 * words are matched as whole tokens only (below): a random 34-character secret contains "todo" or "fake"
 * somewhere, ignoring case, about once in a thousand values, and must still be reported.
 */
const PLACEHOLDER_SUBSTRINGS = [
  'changeme', 'change_me', 'change-me', 'changeit', 'placeholder', 'example', 'sample', 'redacted', 'replace',
  'insert', 'yourpass', 'yoursecret', 'yourkey', 'yourtoken', 'mysecret', 'mypassword', 'secret_here',
  'key_here', 'token_here', 'password_here', 'notreal', 'not_a_real', 'not-real', 'foobar', 'put_your',
  'enter_your', 'testtest', 'abcdef', '123456', 'qwerty', 'letmein', 'passw0rd', 'p@ssw0rd', 'lorem', 'dummy',
];

/** Whole tokens (split at non-alphanumerics) that mark a stand-in: "your-key", "TODO", "fake_token". */
const PLACEHOLDER_TOKENS = new Set(['your', 'yours', 'todo', 'fixme', 'tbd', 'fake', 'dummy', 'xxx', 'foo', 'bar', 'baz', 'test', 'ipsum']);

const EXACT_PLACEHOLDERS = new Set([
  '', 'none', 'null', 'nil', 'undefined', 'true', 'false', 'secret', 'password', 'passwd', 'token', 'key', 'apikey',
  'api_key', 'test', 'default', 'empty', 'string', 'str', 'value', 'pass', 'admin', 'root', 'guest', 'user', 'required',
  'optional', 'n/a', 'na', 'tbd', 'unset', 'hidden', 'masked', 'encrypted', 'dev', 'local', 'localhost',
]);

/** A value someone wrote to stand for a secret: `<key>`, `xxxx`, `changeme`, `***`, `your-key`, one repeated char. */
export function isPlaceholder(value: string): boolean {
  const v = value.toLowerCase();
  if (EXACT_PLACEHOLDERS.has(v)) return true;
  if (value.includes('<') || value.includes('>') || value.includes('***') || value.includes('...') || value.includes('\u2026')) return true;
  if (value.includes('xxxx') || value.includes('XXXX')) return true;
  for (const w of PLACEHOLDER_SUBSTRINGS) if (v.includes(w)) return true;
  // Whole tokens only; no placeholder token is longer than 5 characters, so longer runs are not sliced.
  let tokenStart = 0;
  for (let i = 0; i <= v.length; i++) {
    const c = i < v.length ? v.charCodeAt(i) : 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) continue;
    const n = i - tokenStart;
    if (n >= 2 && n <= 5 && PLACEHOLDER_TOKENS.has(v.slice(tokenStart, i))) return true;
    tokenStart = i + 1;
  }
  // One repeated character, or two alternating ones ("abababab").
  if (new Set(v).size <= 2) return true;
  // Long runs of one character ("AAAAAAAAAAAA...") are fill, not randomness.
  let run = 1;
  for (let i = 1; i < v.length; i++) {
    run = v.charCodeAt(i) === v.charCodeAt(i - 1) ? run + 1 : 1;
    if (run >= 6) return true;
  }
  return false;
}

/**
 * A reference resolved elsewhere: `$(var)`, `${{ secrets.x }}`, `${VAR}`, `$VAR`, `%VAR%`, `{{ x }}`, `#{x}#`,
 * `__X__`, `os.environ[...]`, `process.env.X`, `@Microsoft.KeyVault(...)`, Key Vault secret URIs, ARM
 * `[parameters('x')]`, Azure ML `${{...}}` and `azureml:` references.
 */
export function isReference(value: string): boolean {
  const v = value.trim();
  if (v.startsWith('$') || v.startsWith('%') || v.startsWith('{{') || v.startsWith('#{') || v.startsWith('@Microsoft.KeyVault')) return true;
  if (v.includes('${') || v.includes('$(') || v.includes('{{') || v.includes('#{')) return true;
  if (v.length > 2 && v.startsWith('%') && v.endsWith('%')) return true;
  if (v.length > 4 && v.startsWith('__') && v.endsWith('__')) return true;
  if (v.startsWith('[') && v.endsWith(']')) return true; // ARM expressions, lists
  const l = v.toLowerCase();
  for (const marker of ['os.environ', 'os.getenv', 'process.env', 'getenv(', 'environment.getenvironmentvariable', 'system.getenv', 'env[', 'env.', 'vault.azure.net/secrets', 'keyvault', 'secretref', 'secretkeyref', 'valuefrom', 'azureml:', 'dbutils.secrets', 'getsecret', 'get_secret', 'secrets.', 'config[', 'settings.']) {
    if (l.includes(marker)) return true;
  }
  return false;
}

const HEX_LENGTHS = new Set([32, 40, 56, 64, 96, 128]);

/** Hex of a digest length (md5, sha1, sha224, sha256, sha384, sha512). */
export function isHexDigest(value: string): boolean {
  if (!HEX_LENGTHS.has(value.length)) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** Subresource-integrity and lock-file digests: `sha512-…`, `sha256:…`, `sha1-…`. */
export function isIntegrityDigest(value: string): boolean {
  const l = value.toLowerCase();
  return l.startsWith('sha512-') || l.startsWith('sha384-') || l.startsWith('sha256-') || l.startsWith('sha1-') ||
    l.startsWith('sha256:') || l.startsWith('sha512:') || l.startsWith('md5:') || l.startsWith('md5-');
}

export function isUuid(value: string): boolean {
  if (value.length !== 36 && value.length !== 38) return false;
  const v = value.length === 38 ? value.slice(1, -1) : value;
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102))) return false;
  }
  return true;
}

const LOCK_FILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'poetry.lock', 'pipfile.lock', 'cargo.lock', 'go.sum', 'composer.lock', 'gemfile.lock', 'packages.lock.json', 'conda-lock.yml', 'uv.lock', 'pdm.lock'];

/** Dependency lock files: full of digests and never the place of a secret assignment worth a heuristic. */
export function isLockFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return LOCK_FILES.includes(base) || base.endsWith('.lock');
}

/**
 * Words joined like an identifier (`get_token_value`, `clientSecretName`, `my-secret-name`, `_RSAPrivateKey`,
 * `msal:acquireTokenFailure`):
 * names, not secrets. The value is split into words at separators, case humps and acronym ends; it reads as
 * an identifier when it has 2+ words of sensible casing, few words shorter than 3 letters, and few
 * digits. Random strings fail on digits or on their many 1-2 letter "words" (`XkQmLp` = Xk|Qm|Lp).
 */
export function looksLikeIdentifier(value: string): boolean {
  const words: string[] = [];
  let digits = 0;
  let cur = '';
  const flush = () => {
    if (cur) words.push(cur);
    cur = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    const digit = c >= 48 && c <= 57;
    if (c === 95 || c === 45 || c === 46 || c === 58) {
      flush();
      continue;
    }
    if (!upper && !lower && !digit) return false;
    if (digit) digits++;
    const prev = i > 0 ? value.charCodeAt(i - 1) : 0;
    const prevLower = prev >= 97 && prev <= 122;
    const prevUpper = prev >= 65 && prev <= 90;
    const nextLower = i + 1 < value.length && value.charCodeAt(i + 1) >= 97 && value.charCodeAt(i + 1) <= 122;
    // New word at a lower->upper hump, at the last capital of an acronym ("RSAPrivate"), and at letter<->digit.
    if ((upper && prevLower) || (upper && prevUpper && nextLower) || (digit !== (prev >= 48 && prev <= 57) && cur !== '')) flush();
    cur += value[i];
  }
  flush();
  if (digits > 2 || words.length < 2) return false;
  let short = 0;
  let letters = 0;
  for (const w of words) {
    const isDigits = w.charCodeAt(0) >= 48 && w.charCodeAt(0) <= 57;
    if (isDigits) continue;
    letters += w.length;
    if (w.length < 3) short++;
    const rest = w.slice(1);
    const ok = rest === rest.toLowerCase() || (w === w.toUpperCase() && w.length <= 6);
    if (!ok) return false;
  }
  const letterWords = words.filter((w) => !(w.charCodeAt(0) >= 48 && w.charCodeAt(0) <= 57)).length;
  return short <= Math.max(1, Math.floor(letterWords / 3)) && letterWords >= 2 && letters / letterWords >= 3.5;
}

/** An expression rather than a literal: a call, an index, a member of `this`/`self`. */
export function looksLikeCode(value: string): boolean {
  return value.includes('(') || value.includes(')') || value.includes('[') || value.includes('{') || value.startsWith('this.') || value.startsWith('self.');
}

/** Counts of the character classes present: lower, upper, digit, other. */
export function classCount(value: string): number {
  let lower = 0, upper = 0, digit = 0, other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/**
 * A literal that could be a credential: not empty, no whitespace inside, not a placeholder, not a reference,
 * not a digest or UUID. Detectors that rely on context words call this before reporting.
 */
export function isCredentialLiteral(value: string, minLength = 8, maxLength = 400): boolean {
  if (value.length < minLength || value.length > maxLength) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 32 || c === 0x7f) return false;
  }
  // Cheapest checks first: these run for every assignment of a secret-named variable.
  return !isUuid(value) && !isIntegrityDigest(value) && !isReference(value) && !isPlaceholder(value);
}
