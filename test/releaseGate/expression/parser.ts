/**
 * Parser of the Azure DevOps expression language into a tree, with the engine's rules: a value or function
 * starts the expression or follows `(`, `[` or `,`; an indexer `[…]` or dereference `.name` / `.*` follows
 * `)`, `]`, a property name, a named value or `*` (never a literal); a function name must be followed by `(`
 * and take its minimum to maximum number of arguments; nesting is limited to 50 levels and the text to
 * 21,000 characters; unknown keywords are errors.
 */
import { tokenize, type Token } from './lexer';
import type { Version } from './values';

export type Node =
  | { type: 'literal'; value: boolean | number | string | Version }
  | { type: 'named'; name: string }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'index'; target: Node; key: Node | 'wildcard' };

export interface FunctionArity {
  min: number;
  max: number;
}

export class ExpressionParseError extends Error {
  override name = 'ExpressionParseError';
  constructor(readonly reason: string, readonly at: number, expression: string) {
    super(`${reason} at position ${at + 1} in expression: ${expression}`);
  }
}

const MAX_DEPTH = 50;
const MAX_LENGTH = 21000;

export function parseExpression(expression: string, functions: ReadonlyMap<string, FunctionArity>, namedValues: ReadonlySet<string>): Node {
  if (expression.length > MAX_LENGTH) throw new ExpressionParseError('Exceeded max expression length', 0, expression);
  const tokens = tokenize(expression, { functions: new Set(functions.keys()), namedValues });
  if (tokens.length === 0) throw new ExpressionParseError('Empty expression', 0, expression);
  let pos = 0;
  const fail = (reason: string, token?: Token): never => {
    throw new ExpressionParseError(reason, token?.at ?? expression.length, expression);
  };
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  function parseValue(depth: number): Node {
    if (depth >= MAX_DEPTH) fail('Exceeded max depth', peek());
    const t = next();
    if (!t) return fail('Unexpected end of expression');
    switch (t.kind) {
      case 'Boolean':
      case 'Number':
      case 'Version':
      case 'String':
        return { type: 'literal', value: t.value as boolean | number | string | Version };
      case 'NamedValue':
        return parsePostfix({ type: 'named', name: t.raw.toLowerCase() }, depth);
      case 'Function':
        return parsePostfix(parseCall(t, depth), depth);
      case 'UnknownKeyword':
      case 'Unrecognized':
        return fail(`Unrecognized value: '${t.raw}'`, t);
      default:
        return fail(`Unexpected symbol: '${t.raw}'`, t);
    }
  }

  function parseCall(name: Token, depth: number): Node {
    const open = next();
    if (!open || open.kind !== 'StartParameter') fail(`Expected '(' after function ${name.raw}`, open ?? name);
    const arity = functions.get(name.raw.toLowerCase()) as FunctionArity;
    const args: Node[] = [];
    if (peek()?.kind !== 'EndParameter') {
      for (;;) {
        args.push(parseValue(depth + 1));
        const t = next();
        if (!t) return fail(`Unclosed function: '${name.raw}'`, name);
        if (t.kind === 'EndParameter') break;
        if (t.kind !== 'Separator' || args.length >= arity.max) fail(`Unexpected symbol: '${t.raw}'`, t);
      }
    } else {
      next();
    }
    if (args.length < arity.min || args.length > arity.max) fail(`Unexpected symbol: ')' (${name.raw} takes ${arity.min} to ${arity.max === Infinity ? 'N' : arity.max} arguments)`, tokens[pos - 1]);
    return { type: 'call', name: name.raw.toLowerCase(), args };
  }

  function parsePostfix(target: Node, depth: number): Node {
    for (;;) {
      const t = peek();
      if (t?.kind === 'StartIndex') {
        next();
        let key: Node | 'wildcard';
        if (peek()?.kind === 'Wildcard') {
          next();
          key = 'wildcard';
        } else {
          key = parseValue(depth + 1);
        }
        const close = next();
        if (!close) return fail('Unclosed indexer', t);
        if (close.kind !== 'EndIndex') fail(`Unexpected symbol: '${close.raw}'`, close);
        target = { type: 'index', target, key };
      } else if (t?.kind === 'Dereference') {
        next();
        const name = next();
        if (!name) return fail('Expected a property name', t);
        if (name.kind === 'PropertyName') target = { type: 'index', target, key: { type: 'literal', value: name.raw } };
        else if (name.kind === 'Wildcard') target = { type: 'index', target, key: 'wildcard' };
        else fail(`Unexpected symbol: '${name.raw}'`, name);
      } else {
        return target;
      }
    }
  }

  const root = parseValue(0);
  if (pos < tokens.length) fail(`Unexpected symbol: '${tokens[pos].raw}'`, tokens[pos]);
  return root;
}
