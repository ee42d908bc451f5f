/**
 * Parser of JSONPath as Json.NET (Newtonsoft.Json JPath) reads it, the dialect the server-side `jsonpath()`
 * is taken to use: `$` optional at the start; `.name`, `['name']` (single quotes, backslash escapes),
 * `['a','b']`, `*`, `[n]`, `[n,m]`, `[start:end:step]`, `..` (recursive descent) and filters
 * `[?(left op right)]` with `@`/`$` paths, 'strings', numbers, true/false/null, /regex/flags, the operators
 * == != <> === !== < <= > >= =~, a bare path (exists), `&&` and `||` (grouped the way Json.NET groups them:
 * no precedence, each switch of operator nests the rest). Only the space character counts as whitespace.
 */

export type Literal = string | number | boolean | null;

export type Side = { path: PathFilter[] } | { value: Literal };

export type QueryOperator = '==' | '!=' | '===' | '!==' | '<' | '<=' | '>' | '>=' | '=~' | 'exists';

export type QueryExpr =
  | { type: 'composite'; op: 'and' | 'or'; items: QueryExpr[] }
  | { type: 'compare'; op: QueryOperator; left: Side; right?: Side };

export type PathFilter =
  | { type: 'root' }
  | { type: 'field'; name: string | null }
  | { type: 'fields'; names: string[] }
  | { type: 'index'; index: number | null }
  | { type: 'indexes'; indexes: number[] }
  | { type: 'slice'; start?: number; end?: number; step?: number }
  | { type: 'scan'; name: string | null }
  | { type: 'scanMany'; names: string[] }
  | { type: 'query'; expr: QueryExpr; scan: boolean };

export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

const INTEGER = /^-?\d+$/;

export function parseJsonPath(expression: string): PathFilter[] {
  return new JPathParser(expression).parseMain();
}

class JPathParser {
  private i = 0;

  constructor(private readonly s: string) {}

  parseMain(): PathFilter[] {
    const s = this.s;
    let partStart = this.i;
    this.eatWhitespace();
    if (this.i === s.length) return [];
    if (s[this.i] === '$') {
      if (s.length === 1) return [];
      // "$." and "$[" start at the root; any other "$…" is a property name starting with $.
      const c = s[this.i + 1];
      if (c === '.' || c === '[') {
        this.i++;
        partStart = this.i;
      }
    }
    const filters: PathFilter[] = [];
    if (!this.parsePath(filters, partStart, false)) {
      const lastIndex = this.i;
      this.eatWhitespace();
      if (this.i < s.length) throw new JsonPathError(`Unexpected character while parsing path: ${s[lastIndex]}`);
    }
    return filters;
  }

  /** Returns true when the path reached the end of the text. */
  private parsePath(filters: PathFilter[], partStart: number, query: boolean): boolean {
    const s = this.s;
    let scan = false;
    let followingIndexer = false;
    let followingDot = false;
    let ended = false;
    const member = (end: number, trim = false) => {
      let m: string | null = s.slice(partStart, end);
      if (trim) m = m.trimEnd();
      if (m === '*') m = null;
      filters.push(scan ? { type: 'scan', name: m } : { type: 'field', name: m });
      scan = false;
    };
    while (this.i < s.length && !ended) {
      const c = s[this.i];
      switch (c) {
        case '[':
        case '(':
          if (this.i > partStart) member(this.i);
          filters.push(this.parseIndexer(c, scan));
          scan = false;
          this.i++;
          partStart = this.i;
          followingIndexer = true;
          followingDot = false;
          break;
        case ']':
        case ')':
          ended = true;
          break;
        case ' ':
          ended = true;
          break;
        case '.':
          if (this.i > partStart) member(this.i);
          if (this.i + 1 < s.length && s[this.i + 1] === '.') {
            scan = true;
            this.i++;
          }
          this.i++;
          partStart = this.i;
          followingIndexer = false;
          followingDot = true;
          break;
        default:
          if (query && '=<!>|&'.includes(c)) {
            ended = true;
          } else {
            if (followingIndexer) throw new JsonPathError(`Unexpected character following indexer: ${c}`);
            this.i++;
          }
      }
    }
    const atPathEnd = this.i === s.length;
    if (this.i > partStart) member(this.i, true);
    else if (followingDot && (atPathEnd || query)) throw new JsonPathError('Unexpected end while parsing path.');
    return atPathEnd;
  }

  private parseIndexer(open: string, scan: boolean): PathFilter {
    this.i++;
    const close = open === '[' ? ']' : ')';
    this.ensureLength('Path ended with open indexer.');
    this.eatWhitespace();
    if (this.s[this.i] === "'") return this.parseQuotedField(close, scan);
    if (this.s[this.i] === '?') return this.parseQuery(close, scan);
    return this.parseArrayIndexer(close);
  }

  private toInt(text: string): number {
    if (!INTEGER.test(text)) throw new JsonPathError(`Input string '${text}' was not in a correct format.`);
    return Number(text);
  }

  private parseArrayIndexer(close: string): PathFilter {
    const s = this.s;
    let start = this.i;
    let end: number | undefined;
    let indexes: number[] | undefined;
    let colons = 0;
    let startIndex: number | undefined;
    let endIndex: number | undefined;
    let step: number | undefined;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ' ') {
        end = this.i;
        this.eatWhitespace();
        continue;
      }
      if (c === close) {
        const text = s.slice(start, end ?? this.i);
        if (indexes) {
          if (!text) throw new JsonPathError('Array index expected.');
          indexes.push(this.toInt(text));
          return { type: 'indexes', indexes };
        }
        if (colons > 0) {
          if (text) {
            if (colons === 1) endIndex = this.toInt(text);
            else step = this.toInt(text);
          }
          return { type: 'slice', start: startIndex, end: endIndex, step };
        }
        if (!text) throw new JsonPathError('Array index expected.');
        return { type: 'index', index: this.toInt(text) };
      } else if (c === ',') {
        const text = s.slice(start, end ?? this.i);
        if (!text) throw new JsonPathError('Array index expected.');
        (indexes ??= []).push(this.toInt(text));
        this.i++;
        this.eatWhitespace();
        start = this.i;
        end = undefined;
      } else if (c === '*') {
        this.i++;
        this.ensureLength('Path ended with open indexer.');
        this.eatWhitespace();
        if (s[this.i] !== close) throw new JsonPathError(`Unexpected character while parsing path indexer: ${c}`);
        return { type: 'index', index: null };
      } else if (c === ':') {
        const text = s.slice(start, end ?? this.i);
        if (text) {
          const n = this.toInt(text);
          if (colons === 0) startIndex = n;
          else if (colons === 1) endIndex = n;
          else step = n;
        }
        colons++;
        this.i++;
        this.eatWhitespace();
        start = this.i;
        end = undefined;
      } else if (!/[0-9-]/.test(c) || end !== undefined) {
        throw new JsonPathError(`Unexpected character while parsing path indexer: ${c}`);
      } else {
        this.i++;
      }
    }
    throw new JsonPathError('Path ended with open indexer.');
  }

  private parseQuotedField(close: string, scan: boolean): PathFilter {
    const s = this.s;
    let fields: string[] | undefined;
    while (this.i < s.length) {
      const field = this.readQuotedString();
      this.eatWhitespace();
      this.ensureLength('Path ended with open indexer.');
      if (s[this.i] === close) {
        if (fields) {
          fields.push(field);
          return scan ? { type: 'scanMany', names: fields } : { type: 'fields', names: fields };
        }
        return scan ? { type: 'scan', name: field } : { type: 'field', name: field };
      } else if (s[this.i] === ',') {
        this.i++;
        this.eatWhitespace();
        (fields ??= []).push(field);
      } else {
        throw new JsonPathError(`Unexpected character while parsing path indexer: ${s[this.i]}`);
      }
    }
    throw new JsonPathError('Path ended with open indexer.');
  }

  private parseQuery(close: string, scan: boolean): PathFilter {
    this.i++;
    this.ensureLength('Path ended with open indexer.');
    if (this.s[this.i] !== '(') throw new JsonPathError(`Unexpected character while parsing path indexer: ${this.s[this.i]}`);
    this.i++;
    const expr = this.parseExpression();
    this.i++;
    this.ensureLength('Path ended with open indexer.');
    this.eatWhitespace();
    if (this.s[this.i] !== close) throw new JsonPathError(`Unexpected character while parsing path indexer: ${this.s[this.i]}`);
    return { type: 'query', expr, scan };
  }

  private parseExpression(): QueryExpr {
    const s = this.s;
    let root: QueryExpr | undefined;
    let parent: Extract<QueryExpr, { type: 'composite' }> | undefined;
    const join = (op: 'and' | 'or', item: QueryExpr) => {
      if (!parent || parent.op !== op) {
        const composite: Extract<QueryExpr, { type: 'composite' }> = { type: 'composite', op, items: [] };
        parent?.items.push(composite);
        parent = composite;
        root ??= parent;
      }
      parent.items.push(item);
    };
    while (this.i < s.length) {
      const left = this.parseSide();
      let op: QueryOperator;
      let right: Side | undefined;
      if (s[this.i] === ')' || s[this.i] === '|' || s[this.i] === '&') {
        op = 'exists';
      } else {
        op = this.parseOperator();
        right = this.parseSide();
      }
      const compare: QueryExpr = { type: 'compare', op, left, right };
      if (s[this.i] === ')') {
        if (parent) {
          parent.items.push(compare);
          return root as QueryExpr;
        }
        return compare;
      }
      if (s[this.i] === '&') {
        if (!this.match('&&')) throw this.unexpected();
        join('and', compare);
      }
      if (s[this.i] === '|') {
        if (!this.match('||')) throw this.unexpected();
        join('or', compare);
      }
    }
    throw new JsonPathError('Path ended with open query.');
  }

  private parseSide(): Side {
    this.eatWhitespace();
    const c = this.s[this.i];
    if (c === '$' || c === '@') {
      const path: PathFilter[] = c === '$' ? [{ type: 'root' }] : [];
      this.i++;
      if (this.parsePath(path, this.i, true)) throw new JsonPathError('Path ended with open query.');
      this.eatWhitespace();
      this.ensureLength('Path ended with open query.');
      return { path };
    }
    const value = this.tryParseValue();
    if (value !== undefined) {
      this.eatWhitespace();
      this.ensureLength('Path ended with open query.');
      return { value: value.v };
    }
    throw this.unexpected();
  }

  private tryParseValue(): { v: Literal } | undefined {
    const s = this.s;
    const c = s[this.i];
    if (c === "'") return { v: this.readQuotedString() };
    if (/[0-9-]/.test(c)) {
      let text = c;
      this.i++;
      while (this.i < s.length) {
        const d = s[this.i];
        if (d === ' ' || d === ')') {
          // double.TryParse (Float | AllowThousands) or long.TryParse (Integer), invariant culture
          const ok = /[.eE]/.test(text) ? /^-?(\d[\d,]*)?(\.\d*)?([eE][+-]?\d+)?$/.test(text) && /\d/.test(text) : /^-?\d+$/.test(text);
          return ok ? { v: Number(text.replace(/,/g, '')) } : undefined;
        }
        text += d;
        this.i++;
      }
      return undefined;
    }
    if (c === 't' && this.match('true')) return { v: true };
    if (c === 'f' && this.match('false')) return { v: false };
    if (c === 'n' && this.match('null')) return { v: null };
    // A regex literal is kept as its text, "/pattern/flags": Json.NET stores it as a string value.
    if (c === '/') return { v: this.readRegexString() };
    return undefined;
  }

  private readQuotedString(): string {
    const s = this.s;
    let out = '';
    this.i++;
    while (this.i < s.length) {
      let c = s[this.i];
      if (c === '\\' && this.i + 1 < s.length) {
        this.i++;
        c = s[this.i];
        const escapes: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '\\': '\\', '"': '"', "'": "'", '/': '/' };
        if (!(c in escapes)) throw new JsonPathError(`Unknown escape character: \\${c}`);
        out += escapes[c];
        this.i++;
      } else if (c === "'") {
        this.i++;
        return out;
      } else {
        out += c;
        this.i++;
      }
    }
    throw new JsonPathError('Path ended with an open string.');
  }

  private readRegexString(): string {
    const s = this.s;
    const start = this.i;
    this.i++;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '\\' && this.i + 1 < s.length) {
        this.i += 2;
      } else if (c === '/') {
        this.i++;
        while (this.i < s.length && /\p{L}/u.test(s[this.i])) this.i++;
        return s.slice(start, this.i);
      } else {
        this.i++;
      }
    }
    throw new JsonPathError('Path ended with an open regex.');
  }

  private parseOperator(): QueryOperator {
    if (this.i + 1 >= this.s.length) throw new JsonPathError('Path ended with open query.');
    for (const op of ['===', '==', '=~', '!==', '!=', '<>', '<=', '<', '>=', '>'] as const) {
      if (this.match(op)) return op === '<>' ? '!=' : op;
    }
    throw new JsonPathError('Could not read query operator.');
  }

  private match(text: string): boolean {
    if (this.s.startsWith(text, this.i)) {
      this.i += text.length;
      return true;
    }
    return false;
  }

  private eatWhitespace(): void {
    while (this.i < this.s.length && this.s[this.i] === ' ') this.i++;
  }

  private ensureLength(message: string): void {
    if (this.i >= this.s.length) throw new JsonPathError(message);
  }

  private unexpected(): JsonPathError {
    return new JsonPathError(`Unexpected character while parsing path query: ${this.s[this.i]}`);
  }
}
