/**
 * A JSON parser that keeps source positions, so a rule's property path can be mapped back to a line and column
 * of the template. Hand-written and single-pass (linear time, no regular expressions). Accepts what ARM accepts
 * on top of strict JSON: `//` and `/* *\/` comments and a leading byte-order mark.
 */

/** 1-based line and column; columns count UTF-16 code units, as SARIF's default columnKind does. */
export interface Pos {
  line: number;
  column: number;
}

/** Nodes keep UTF-16 offsets (start inclusive, end exclusive); JsonDocument.positionAt turns them into lines. */
export interface JProp {
  key: string;
  keyStart: number;
  value: JNode;
}

export type JNode =
  | { kind: 'object'; start: number; end: number; props: JProp[] }
  | { kind: 'array'; start: number; end: number; items: JNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number'; start: number; end: number; value: number }
  | { kind: 'boolean'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number };

export interface JsonDocument {
  root: JNode;
  /** Line and column of an offset (binary search over the line starts seen while parsing). */
  positionAt(offset: number): Pos;
}

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly pos: Pos) {
    super(`${message} at line ${pos.line}, column ${pos.column}`);
  }
}

/** Deeper nesting than this is refused (a warning, not a stack overflow); real templates stay far below it. */
export const MAX_DEPTH = 256;

export function parseJson(text: string): JsonDocument {
  const p = new Parser(text);
  const root = p.parseDocument();
  const starts = p.lineStarts;
  return {
    root,
    positionAt(offset: number): Pos {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: offset - starts[lo] + 1 };
    },
  };
}

class Parser {
  private i = 0;
  /** Offset of the first character of each line; a leading BOM is not part of line 1. */
  readonly lineStarts: number[] = [0];

  constructor(private readonly s: string) {
    if (s.charCodeAt(0) === 0xfeff) { this.i = 1; this.lineStarts[0] = 1; }
  }

  parseDocument(): JNode {
    this.skip();
    const v = this.value(0);
    this.skip();
    if (this.i < this.s.length) this.fail('unexpected content after the JSON value');
    return v;
  }

  private pos(at = this.i): Pos {
    const line = this.lineStarts.length;
    return { line, column: at - this.lineStarts[line - 1] + 1 };
  }

  private fail(msg: string): never {
    throw new JsonSyntaxError(msg, this.pos());
  }

  private newline(at: number): void {
    this.lineStarts.push(at + 1);
  }

  /** Whitespace and comments; counts lines (\n, \r\n and a lone \r). */
  private skip(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09) { this.i++; continue; }
      if (c === 0x0a) { this.newline(this.i); this.i++; continue; }
      if (c === 0x0d) {
        if (s.charCodeAt(this.i + 1) === 0x0a) this.i++;
        this.newline(this.i);
        this.i++;
        continue;
      }
      if (c === 0x2f && s.charCodeAt(this.i + 1) === 0x2f) {
        while (this.i < s.length && s.charCodeAt(this.i) !== 0x0a && s.charCodeAt(this.i) !== 0x0d) this.i++;
        continue;
      }
      if (c === 0x2f && s.charCodeAt(this.i + 1) === 0x2a) {
        const start = this.pos();
        this.i += 2;
        for (;;) {
          if (this.i >= s.length) throw new JsonSyntaxError('unterminated comment', start);
          const d = s.charCodeAt(this.i);
          if (d === 0x2a && s.charCodeAt(this.i + 1) === 0x2f) { this.i += 2; break; }
          if (d === 0x0a || (d === 0x0d && s.charCodeAt(this.i + 1) !== 0x0a)) this.newline(this.i);
          this.i++;
        }
        continue;
      }
      return;
    }
  }

  private value(depth: number): JNode {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    const start = this.i;
    const c = this.s[this.i];
    if (c === '{') return this.object(start, depth);
    if (c === '[') return this.array(start, depth);
    if (c === '"') {
      const value = this.string();
      return { kind: 'string', start, end: this.i, value };
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const value = this.number();
      return { kind: 'number', start, end: this.i, value };
    }
    if (this.s.startsWith('true', this.i)) { this.i += 4; return { kind: 'boolean', start, end: this.i, value: true }; }
    if (this.s.startsWith('false', this.i)) { this.i += 5; return { kind: 'boolean', start, end: this.i, value: false }; }
    if (this.s.startsWith('null', this.i)) { this.i += 4; return { kind: 'null', start, end: this.i }; }
    return this.fail(c === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
  }

  private object(start: number, depth: number): JNode {
    this.i++;
    const props: JProp[] = [];
    this.skip();
    if (this.s[this.i] === '}') { this.i++; return { kind: 'object', start, end: this.i, props }; }
    for (;;) {
      this.skip();
      if (this.s[this.i] !== '"') this.fail('expected a property name in double quotes');
      const keyStart = this.i;
      const key = this.string();
      this.skip();
      if (this.s[this.i] !== ':') this.fail('expected ":" after a property name');
      this.i++;
      this.skip();
      props.push({ key, keyStart, value: this.value(depth + 1) });
      this.skip();
      const c = this.s[this.i];
      if (c === ',') { this.i++; continue; }
      if (c === '}') { this.i++; return { kind: 'object', start, end: this.i, props }; }
      this.fail('expected "," or "}" in an object');
    }
  }

  private array(start: number, depth: number): JNode {
    this.i++;
    const items: JNode[] = [];
    this.skip();
    if (this.s[this.i] === ']') { this.i++; return { kind: 'array', start, end: this.i, items }; }
    for (;;) {
      this.skip();
      items.push(this.value(depth + 1));
      this.skip();
      const c = this.s[this.i];
      if (c === ',') { this.i++; continue; }
      if (c === ']') { this.i++; return { kind: 'array', start, end: this.i, items }; }
      this.fail('expected "," or "]" in an array');
    }
  }

  private string(): string {
    const s = this.s;
    this.i++;
    let out = '';
    let runStart = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('unterminated string');
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(runStart, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail('control character in a string');
      if (c !== 0x5c) { this.i++; continue; }
      out += s.slice(runStart, this.i);
      const e = s[this.i + 1];
      this.i += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = s.slice(this.i, this.i + 4);
          if (hex.length !== 4 || !isHex(hex)) this.fail('invalid \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 4;
          break;
        }
        default: this.i -= 2; this.fail('invalid escape in a string');
      }
      runStart = this.i;
    }
  }

  private number(): number {
    const s = this.s;
    const from = this.i;
    if (s[this.i] === '-') this.i++;
    if (s[this.i] === '0') this.i++;
    else if (!this.digits()) this.fail('invalid number');
    if (s[this.i] === '.') { this.i++; if (!this.digits()) this.fail('invalid number'); }
    if (s[this.i] === 'e' || s[this.i] === 'E') {
      this.i++;
      if (s[this.i] === '+' || s[this.i] === '-') this.i++;
      if (!this.digits()) this.fail('invalid number');
    }
    return Number(s.slice(from, this.i));
  }

  private digits(): boolean {
    const from = this.i;
    while (this.i < this.s.length && this.s[this.i] >= '0' && this.s[this.i] <= '9') this.i++;
    return this.i > from;
  }
}

function isHex(h: string): boolean {
  for (const ch of h) if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))) return false;
  return true;
}

/** The last property named `key` (exact, else case-insensitive: ARM property names are case-insensitive). */
export function prop(node: JNode | undefined, key: string): JProp | undefined {
  if (!node || node.kind !== 'object') return undefined;
  let ci: JProp | undefined;
  const lower = key.toLowerCase();
  for (let i = node.props.length - 1; i >= 0; i--) {
    const p = node.props[i];
    if (p.key === key) return p;
    if (!ci && p.key.toLowerCase() === lower) ci = p;
  }
  return ci;
}

/** The plain JSON value (as JSON.parse would give; the last of duplicate keys wins). */
export function toPlain(node: JNode): unknown {
  switch (node.kind) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of node.props) setOwn(o, p.key, toPlain(p.value));
      return o;
    }
    case 'array': return node.items.map(toPlain);
    case 'null': return null;
    default: return node.value;
  }
}

/** Assignment that stays an own data property even for `__proto__`. */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}
