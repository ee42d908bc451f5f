/**
 * Assignments of a value to a name, across the syntaxes secrets show up in: `name = "v"`, `name: v` (YAML),
 * `"name": "v"` (JSON), `name="v"` (kwargs, shell, .env), `$env:NAME = "v"`, `os.environ["NAME"] = "v"`,
 * `setdefault("NAME", "v")`, Dockerfile `ENV NAME v`. Found from a keyword hit with bounded look-around, so the
 * cost per hit is constant and a scan stays linear.
 */
import { IDENT, isIn } from './_boundaries';
import type { KeywordSet } from './_keywords';

export interface Assignment {
  /** The name as written (last dotted segment), e.g. `client_secret`, `AZURE_CLIENT_SECRET`. */
  name: string;
  /** Lower case with `_`, `-`, `.` removed: `clientsecret`. */
  key: string;
  valueStart: number;
  valueEnd: number;
  quoted: boolean;
}

const MAX_NAME = 80;
const MAX_VALUE = 512;
/** Unquoted values end earlier: a secret longer than this is a key or token with its own detector. */
const MAX_BARE = 256;

export function normalizeName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 95 || c === 45 || c === 46) continue;
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : name[i];
  }
  return out;
}

/** The char code at `i`, or -1 outside the text: reading past either end would make V8 drop its optimised code. */
function codeAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? text.charCodeAt(i) : -1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function isQuote(c: number): boolean {
  return c === 34 || c === 39 || c === 96;
}

/** Reads the value starting at `i` (after separator and spaces): a quoted string or a bare token. */
function readValue(text: string, i: number): { start: number; end: number; quoted: boolean } | undefined {
  let c = text.charCodeAt(i);
  // Python string prefixes: r"..", b"..", u"..". f-strings are interpolated: left to isReference via '{'.
  if ((c === 114 || c === 98 || c === 117 || c === 102 || c === 82 || c === 66) && isQuote(text.charCodeAt(i + 1))) {
    i++;
    c = text.charCodeAt(i);
  }
  // An escaped quote opens the value: a string inside a JSON string (raw .ipynb text, JSON in logs).
  if (c === 92 && isQuote(text.charCodeAt(i + 1))) {
    const q = text.charCodeAt(i + 1);
    const stop = Math.min(text.length, i + 2 + MAX_VALUE);
    for (let j = i + 2; j < stop; j++) {
      const d = text.charCodeAt(j);
      if (d === 10 || d === 13) return undefined;
      if (d === 92 && text.charCodeAt(j + 1) === q) return { start: i + 2, end: j, quoted: true };
      if (d === 92) j++;
    }
    return undefined;
  }
  if (isQuote(c)) {
    const stop = Math.min(text.length, i + 1 + MAX_VALUE);
    let j = i + 1;
    while (j < stop) {
      const d = text.charCodeAt(j);
      if (d === c) return { start: i + 1, end: j, quoted: true };
      if (d === 10 || d === 13) return undefined;
      if (d === 92 /* \ */) j++;
      j++;
    }
    return undefined;
  }
  const stop = Math.min(text.length, i + MAX_BARE);
  let j = i;
  while (j < stop) {
    const d = text.charCodeAt(j);
    if (d <= 32 || d === 44 || d === 59 || d === 41 || d === 125 || d === 93 || d === 34 || d === 39 || d === 96) break;
    // '=' inside a bare value starts another assignment ("a=b=c", a connection string); base64 padding
    // ('=' at the end or before more '=') stays part of the value.
    if (d === 61 && j > i) {
      const n = text.charCodeAt(j + 1);
      if ((n >= 48 && n <= 57) || (n >= 65 && n <= 90) || (n >= 97 && n <= 122) || n === 95) break;
    }
    j++;
  }
  return j > i ? { start: i, end: j, quoted: false } : undefined;
}

/**
 * The assignment whose name contains the keyword hit at [hitStart, hitEnd), if any: expands the name over
 * identifier characters, then reads separator and value.
 */
export function assignmentAt(text: string, hitStart: number, hitEnd: number): Assignment | undefined {
  let a = hitStart;
  const stopA = Math.max(0, hitStart - MAX_NAME);
  while (a > stopA && isIn(text, a - 1, IDENT)) a--;
  let b = hitEnd;
  const stopB = Math.min(text.length, hitEnd + MAX_NAME);
  while (b < stopB && isIn(text, b, IDENT)) b++;
  let full = text.slice(a, b);
  // Trailing dots or dashes are punctuation, not the name.
  while (full.endsWith('.') || full.endsWith('-')) full = full.slice(0, -1);
  const name = full.slice(full.lastIndexOf('.') + 1);
  if (name.length === 0) return undefined;
  const openQuote = isQuote(codeAt(text, a - 1)) ? codeAt(text, a - 1) : 0;
  const callStyle = openQuote !== 0 && codeAt(text, a - 2) === 40; // ("NAME", value)
  let i = a + full.length;
  if (openQuote !== 0 && codeAt(text, i) === openQuote) i++;
  else if (openQuote !== 0 && codeAt(text, i) === 92 && codeAt(text, i + 1) === openQuote) i += 2; // \"name\" inside a JSON string
  if (codeAt(text, i) === 93 /* ] */) i++;
  const spaced = isSpace(codeAt(text, i));
  while (isSpace(codeAt(text, i))) i++;
  const c = codeAt(text, i);
  const n = codeAt(text, i + 1);
  // Dockerfile "ENV NAME :value": after the spaces everything is the value, a leading ':' or '=' included.
  const dockerValue = spaced && (c === 58 || c === 61) && n !== -1 && !isSpace(n) && dockerEnvLine(text, a);
  if (dockerValue) {
    // The spaces were the separator.
  } else if (c === 61 /* = */) {
    if (n === 61 || n === 126 /* =~ */) return undefined; // comparison
    i += n === 62 /* => */ ? 2 : 1;
  } else if (c === 58 /* : */) {
    if (n === 58) return undefined; // C++/PHP scope
    i += n === 61 /* := */ ? 2 : 1;
  } else if (c === 44 /* , */ && callStyle) {
    i++;
  } else if (isSpace(codeAt(text, i - 1)) && dockerEnvLine(text, a)) {
    // Dockerfile "ENV NAME value": the spaces were the separator.
  } else {
    return undefined;
  }
  // Preceding '!' or '<', '>' turn '=' into a comparison.
  const before = codeAt(text, i - 2);
  if (!dockerValue && c === 61 && (before === 33 || before === 60 || before === 62)) return undefined;
  while (isSpace(codeAt(text, i))) i++;
  const v = readValue(text, i);
  if (!v) return undefined;
  return { name, key: normalizeName(name), valueStart: v.start, valueEnd: v.end, quoted: v.quoted };
}

function dockerEnvLine(text: string, nameStart: number): boolean {
  let i = nameStart - 1;
  while (i >= 0 && isSpace(codeAt(text, i))) i--;
  return i >= 2 && text.startsWith('ENV', i - 2) && (i - 3 < 0 || codeAt(text, i - 3) === 10 || codeAt(text, i - 3) === 13);
}

/**
 * Every assignment whose name contains one of `words`, one per value, in text order.
 */
export function findAssignments(text: string, words: KeywordSet, accept: (a: Assignment) => boolean): Assignment[] {
  const out = new Map<number, Assignment>();
  words.each(text, (at, m) => {
    const asg = assignmentAt(text, at, at + m.length);
    if (asg && !out.has(asg.valueStart) && accept(asg)) out.set(asg.valueStart, asg);
  });
  return [...out.values()].sort((x, y) => x.valueStart - y.valueStart);
}

/** Code files, where an unquoted value is an expression (a variable), not a literal. */
const CODE_EXTENSIONS = new Set(['py', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'cs', 'java', 'kt', 'scala', 'go', 'rb', 'php', 'r', 'c', 'cc', 'cpp', 'h', 'hpp', 'swift', 'rs', 'ipynb', 'fs', 'vb', 'groovy', 'dart', 'lua', 'pl', 'm', 'jl', 'sql', 'tf', 'bicep', 'json', 'jsonc']);

/** True when an unquoted value is a literal in this file (YAML, .env, ini, properties, shell, Dockerfile, docs). */
export function bareValuesAreLiterals(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return true; // Dockerfile, .env, Makefile
  return !CODE_EXTENSIONS.has(base.slice(dot + 1));
}

