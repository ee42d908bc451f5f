/**
 * Tokens of the Azure DevOps expression language: punctuation `[ ( ] ) , . *`, single-quoted strings (a
 * quote doubled inside), numbers (start with `-`, a digit, or `.` where a value may start), versions
 * (two or three periods), and keywords (a letter or `_`, then letters, digits, `_`). A keyword is a
 * boolean (True/False, any case), a function, a named value, or, right after `.`, a property name.
 */
import { parseVersion, Version } from './values';

export type TokenKind =
  | 'StartIndex' | 'StartParameter' | 'EndIndex' | 'EndParameter' | 'Separator' | 'Dereference' | 'Wildcard'
  | 'Boolean' | 'Number' | 'Version' | 'String' | 'PropertyName'
  | 'Function' | 'NamedValue' | 'UnknownKeyword' | 'Unrecognized';

export interface Token {
  kind: TokenKind;
  raw: string;
  /** Offset in the expression. */
  at: number;
  value?: boolean | number | string | Version;
}

const PUNCTUATION: Record<string, TokenKind> = {
  '[': 'StartIndex',
  '(': 'StartParameter',
  ']': 'EndIndex',
  ')': 'EndParameter',
  ',': 'Separator',
  '*': 'Wildcard',
};

const WHITESPACE = /\s/;
/** Where a number or keyword ends: white space or punctuation, `*` excepted (as in the engine). */
const isEnd = (c: string) => (c in PUNCTUATION && c !== '*') || c === '.' || WHITESPACE.test(c);

export interface LexerNames {
  functions: ReadonlySet<string>; // lower case
  namedValues: ReadonlySet<string>; // lower case
}

export function tokenize(expression: string, names: LexerNames): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const last = () => tokens[tokens.length - 1];
  while (i < expression.length) {
    const c = expression[i];
    if (WHITESPACE.test(c)) {
      i++;
      continue;
    }
    let token: Token;
    if (c in PUNCTUATION) {
      token = { kind: PUNCTUATION[c], raw: c, at: i++ };
    } else if (c === "'") {
      token = readString(expression, i);
      i += token.raw.length;
    } else if (c === '.') {
      const prev = last();
      if (!prev || prev.kind === 'Separator' || prev.kind === 'StartIndex' || prev.kind === 'StartParameter') {
        token = readNumber(expression, i);
        i += token.raw.length;
      } else {
        token = { kind: 'Dereference', raw: c, at: i++ };
      }
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      token = readNumber(expression, i);
      i += token.raw.length;
    } else {
      token = readKeyword(expression, i, last(), names);
      i += token.raw.length;
    }
    tokens.push(token);
  }
  return tokens;
}

function readString(expression: string, start: number): Token {
  let i = start + 1;
  let text = '';
  while (i < expression.length) {
    const c = expression[i++];
    if (c === "'") {
      if (expression[i] !== "'") return { kind: 'String', raw: expression.slice(start, i), at: start, value: text };
      i++; // a doubled quote is one literal quote
    }
    text += c;
  }
  return { kind: 'Unrecognized', raw: expression.slice(start), at: start };
}

function readNumber(expression: string, start: number): Token {
  let i = start + 1;
  while (i < expression.length && (!isEnd(expression[i]) || expression[i] === '.')) i++;
  const raw = expression.slice(start, i);
  const periods = raw.split('.').length - 1;
  if (periods >= 2) {
    const v = parseVersion(raw);
    if (v && /^\d/.test(raw)) return { kind: 'Version', raw, at: start, value: v };
  } else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw)) {
    // Decimal.TryParse with AllowDecimalPoint | AllowLeadingSign: no exponent, no group separator
    return { kind: 'Number', raw, at: start, value: Number(raw) };
  }
  return { kind: 'Unrecognized', raw, at: start };
}

const KEYWORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

function readKeyword(expression: string, start: number, prev: Token | undefined, names: LexerNames): Token {
  let i = start + 1;
  while (i < expression.length && !isEnd(expression[i])) i++;
  const raw = expression.slice(start, i);
  if (KEYWORD.test(raw)) {
    if (prev?.kind === 'Dereference') return { kind: 'PropertyName', raw, at: start };
    const lower = raw.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'Boolean', raw, at: start, value: lower === 'true' };
    if (names.functions.has(lower)) return { kind: 'Function', raw, at: start };
    if (names.namedValues.has(lower)) return { kind: 'NamedValue', raw, at: start };
  }
  return { kind: 'UnknownKeyword', raw, at: start };
}
