/**
 * ARM template expressions: `[concat('st', uniqueString(resourceGroup().id))]`. Tokenizer and recursive-descent
 * parser (hand-written, linear), and a printer that gives every expression one canonical spelling, used to name
 * unknown values and to compare them.
 */

export type Expr =
  | { k: 'str'; v: string }
  | { k: 'num'; v: number }
  | { k: 'lit'; v: boolean | null }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'prop'; obj: Expr; name: string }
  | { k: 'index'; obj: Expr; index: Expr };

/** Expression nesting beyond this is refused; real templates stay in single digits. */
const MAX_DEPTH = 64;

export class ExpressionError extends Error {}

/**
 * What a JSON string value means to ARM: an expression when it is `[...]`, a literal otherwise. `[[...` is the
 * escape for a literal that starts with a bracket (one bracket is dropped).
 */
export function classify(s: string): { kind: 'literal'; value: string } | { kind: 'expression'; source: string } {
  if (s.length >= 2 && s[0] === '[' && s[s.length - 1] === ']') {
    if (s[1] === '[') return { kind: 'literal', value: s.slice(1) };
    return { kind: 'expression', source: s.slice(1, -1) };
  }
  return { kind: 'literal', value: s };
}

export function parseExpression(source: string): Expr {
  const p = new ExprParser(source);
  const e = p.expr(0);
  p.ws();
  if (!p.done()) throw new ExpressionError(`unexpected "${source.slice(p.i, p.i + 10)}" in expression`);
  return e;
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c === '-';
}

class ExprParser {
  i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  ws(): void {
    while (this.i < this.s.length && (this.s[this.i] === ' ' || this.s[this.i] === '\t' || this.s[this.i] === '\n' || this.s[this.i] === '\r')) this.i++;
  }

  private expect(ch: string): void {
    this.ws();
    if (this.s[this.i] !== ch) throw new ExpressionError(`expected "${ch}" at offset ${this.i}`);
    this.i++;
  }

  private ident(): string {
    const from = this.i;
    if (!isIdentStart(this.s[this.i] ?? '')) throw new ExpressionError(`expected a name at offset ${this.i}`);
    while (this.i < this.s.length && isIdentPart(this.s[this.i])) this.i++;
    return this.s.slice(from, this.i);
  }

  expr(depth: number): Expr {
    if (depth > MAX_DEPTH) throw new ExpressionError('expression nested too deeply');
    let e = this.primary(depth);
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === '.') {
        this.i++;
        this.ws();
        e = { k: 'prop', obj: e, name: this.ident() };
      } else if (c === '[') {
        this.i++;
        const index = this.expr(depth + 1);
        this.expect(']');
        e = { k: 'index', obj: e, index };
      } else {
        return e;
      }
    }
  }

  private primary(depth: number): Expr {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) throw new ExpressionError('unexpected end of expression');
    if (c === "'") return { k: 'str', v: this.string() };
    if (c === '-' || (c >= '0' && c <= '9')) return { k: 'num', v: this.number() };
    let name = this.ident();
    // User-defined functions are namespaced: `ns.fn(...)`.
    if (this.s[this.i] === '.' && isIdentStart(this.s[this.i + 1] ?? '')) {
      const save = this.i;
      this.i++;
      const member = this.ident();
      this.ws();
      if (this.s[this.i] === '(') name = `${name}.${member}`;
      else this.i = save;
    }
    this.ws();
    if (this.s[this.i] !== '(') {
      const lower = name.toLowerCase();
      if (lower === 'true' || lower === 'false') return { k: 'lit', v: lower === 'true' };
      if (lower === 'null') return { k: 'lit', v: null };
      throw new ExpressionError(`expected "(" after ${name}`);
    }
    this.i++;
    const args: Expr[] = [];
    this.ws();
    if (this.s[this.i] === ')') { this.i++; return { k: 'call', name, args }; }
    for (;;) {
      args.push(this.expr(depth + 1));
      this.ws();
      if (this.s[this.i] === ',') { this.i++; continue; }
      if (this.s[this.i] === ')') { this.i++; return { k: 'call', name, args }; }
      throw new ExpressionError(`expected "," or ")" at offset ${this.i}`);
    }
  }

  /** Single-quoted; a doubled quote is a literal quote. */
  private string(): string {
    this.i++;
    let out = '';
    for (;;) {
      const q = this.s.indexOf("'", this.i);
      if (q < 0) throw new ExpressionError('unterminated string literal');
      out += this.s.slice(this.i, q);
      if (this.s[q + 1] === "'") { out += "'"; this.i = q + 2; continue; }
      this.i = q + 1;
      return out;
    }
  }

  private number(): number {
    const from = this.i;
    if (this.s[this.i] === '-') this.i++;
    while (this.i < this.s.length && ((this.s[this.i] >= '0' && this.s[this.i] <= '9') || this.s[this.i] === '.')) this.i++;
    const n = Number(this.s.slice(from, this.i));
    if (this.i === from || !Number.isFinite(n)) throw new ExpressionError(`invalid number at offset ${from}`);
    return n;
  }
}

/** Canonical spelling: lower-case function names, single spaces after commas, quotes doubled. */
export function printExpr(e: Expr): string {
  switch (e.k) {
    case 'str': return `'${e.v.split("'").join("''")}'`;
    case 'num': return String(e.v);
    case 'lit': return String(e.v);
    case 'call': return `${e.name.toLowerCase()}(${e.args.map(printExpr).join(', ')})`;
    case 'prop': return `${printExpr(e.obj)}.${e.name}`;
    case 'index': return `${printExpr(e.obj)}[${printExpr(e.index)}]`;
  }
}
