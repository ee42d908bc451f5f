/**
 * JSONPath selection with Json.NET's semantics (`JToken.SelectTokens(path)`, no error when nothing matches):
 *
 * - `[?(…)]` tests each CHILD of the current token: array items, an object's properties (never the object),
 *   a property's value. `..[?(…)]` tests the current token itself and every token below it.
 * - `==` matches values of the same type that are equal, strings ordinally (case-sensitive); integers and
 *   floats numerically; nothing else equals a string. `!=` is true for anything that is not a plain value.
 * - A comparison is true when any match of the left side and any match of the right side satisfy it.
 * - `[n]` on an array shorter than n+1 gives nothing; a negative index is an error.
 *
 * Not modelled: Json.NET turns ISO date strings into Date values when it parses a document (compared as
 * ISO text in filters), and keeps integer and float apart (only visible to `===` on 1 vs 1.0).
 */
import { parseJsonPath, JsonPathError, type Literal, type PathFilter, type QueryExpr, type Side } from './parse';
import { childrenOf, descendants, isContainer, propertyValue, toResult, toToken, type JToken, type JValue } from './tokens';

export { JsonPathError };

/** Matches of `path` in `document` (parsed JSON), as the values the expression language receives. */
export function selectTokens(document: unknown, path: string): unknown[] {
  const root = toToken(document);
  return evaluatePath(parseJsonPath(path), root, root).map(toResult);
}

function evaluatePath(filters: PathFilter[], root: JToken, start: JToken): JToken[] {
  let current: JToken[] = [start];
  for (const f of filters) current = applyFilter(f, root, current);
  return current;
}

function tokenAt(t: JToken, index: number): JToken | undefined {
  if (t.kind !== 'array') return undefined;
  if (index < 0) throw new JsonPathError('Index was out of range. Must be non-negative and less than the size of the collection.');
  return t.children[index];
}

function applyFilter(f: PathFilter, root: JToken, current: JToken[]): JToken[] {
  if (f.type === 'root') return [root]; // whatever came before
  const out: JToken[] = [];
  for (const t of current) {
    switch (f.type) {
      case 'field':
        if (t.kind === 'object') {
          if (f.name === null) out.push(...t.children.map((p) => p.children[0]));
          else {
            const v = propertyValue(t, f.name);
            if (v) out.push(v);
          }
        }
        break;
      case 'fields':
        if (t.kind === 'object') {
          for (const name of f.names) {
            const v = propertyValue(t, name);
            if (v) out.push(v);
          }
        }
        break;
      case 'index':
        if (f.index === null) {
          if (t.kind === 'array') out.push(...t.children);
        } else {
          const v = tokenAt(t, f.index);
          if (v) out.push(v);
        }
        break;
      case 'indexes':
        for (const i of f.indexes) {
          const v = tokenAt(t, i);
          if (v) out.push(v);
        }
        break;
      case 'slice':
        if (t.kind === 'array') out.push(...slice(t.children, f));
        break;
      case 'scan':
        if (f.name === null) out.push(t);
        for (const d of descendants(t)) {
          if (d.kind === 'property') {
            if (d.name === f.name) out.push(d.children[0]);
          } else if (f.name === null) {
            out.push(d);
          }
        }
        break;
      case 'scanMany':
        for (const d of descendants(t)) {
          if (d.kind === 'property') for (const name of f.names) if (d.name === name) out.push(d.children[0]);
        }
        break;
      case 'query': {
        const candidates = f.scan ? (isContainer(t) ? [t, ...descendants(t)] : [t]) : childrenOf(t);
        for (const c of candidates) if (isMatch(f.expr, root, c)) out.push(c);
        break;
      }
    }
  }
  return out;
}

function slice(items: readonly JToken[], f: Extract<PathFilter, { type: 'slice' }>): JToken[] {
  const step = f.step ?? 1;
  if (step === 0) throw new JsonPathError('Step cannot be zero.');
  const n = items.length;
  let start = f.start ?? (step > 0 ? 0 : n - 1);
  let stop = f.end ?? (step > 0 ? n : -1);
  if (f.start !== undefined && f.start < 0) start = n + start;
  if (f.end !== undefined && f.end < 0) stop = n + stop;
  start = Math.min(Math.max(start, step > 0 ? 0 : Number.MIN_SAFE_INTEGER), step > 0 ? n : n - 1);
  stop = Math.min(Math.max(stop, -1), n);
  const out: JToken[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(items[i]);
  return out;
}

function sideTokens(side: Side | undefined, root: JToken, t: JToken): JToken[] {
  if (!side) return [];
  if ('value' in side) return [{ kind: 'value', value: side.value }];
  return evaluatePath(side.path, root, t);
}

function isMatch(expr: QueryExpr, root: JToken, t: JToken): boolean {
  if (expr.type === 'composite') {
    return expr.op === 'and' ? expr.items.every((e) => isMatch(e, root, t)) : expr.items.some((e) => isMatch(e, root, t));
  }
  const lefts = sideTokens(expr.left, root, t);
  if (expr.op === 'exists') return lefts.length > 0;
  const rights = sideTokens(expr.right, root, t);
  return lefts.some((l) => rights.some((r) => matchTokens(expr.op, l, r)));
}

function matchTokens(op: string, left: JToken, right: JToken): boolean {
  if (left.kind !== 'value' || right.kind !== 'value') return op === '!=' || op === 'exists';
  switch (op) {
    case '==':
      return equalsWithCoercion(left, right);
    case '!=':
      return !equalsWithCoercion(left, right);
    case '===':
      return strictEquals(left, right);
    case '!==':
      return !strictEquals(left, right);
    case '=~':
      return regexEquals(left, right);
    case '<':
      return compare(left.value, right.value) < 0;
    case '<=':
      return compare(left.value, right.value) <= 0;
    case '>':
      return compare(left.value, right.value) > 0;
    case '>=':
      return compare(left.value, right.value) >= 0;
    default:
      return false;
  }
}

function typeOf(v: Literal): string {
  return v === null ? 'null' : typeof v;
}

/**
 * `==`: same type and equal, strings ordinally. Json.NET's string coercion applies only to dates, GUIDs,
 * URIs and byte arrays, which parsed JSON does not hold here (see the header), so `==` and `===` agree.
 */
function equalsWithCoercion(value: JValue, query: JValue): boolean {
  return typeOf(value.value) === typeOf(query.value) && value.value === query.value;
}

const strictEquals = equalsWithCoercion;

function regexEquals(input: JValue, pattern: JValue): boolean {
  if (typeof input.value !== 'string' || typeof pattern.value !== 'string') return false;
  const text = pattern.value;
  const slash = text.lastIndexOf('/');
  const flags = text.slice(slash + 1);
  if (/[^ims]/.test(flags)) throw new JsonPathError(`unsupported regex option in ${text}`);
  return new RegExp(text.slice(1, slash), flags).test(input.value);
}

/** JValue.Compare: the left value's type decides how the right one is converted; a failed conversion throws. */
function compare(a: Literal, b: Literal): number {
  if (a === b) return 0;
  if (b === null) return 1;
  if (a === null) return -1;
  const order = (x: number | string | boolean, y: number | string | boolean) => (x < y ? -1 : x > y ? 1 : 0);
  if (typeof a === 'string') return order(a, typeof b === 'boolean' ? (b ? 'True' : 'False') : String(b));
  if (typeof a === 'number') {
    const n = typeof b === 'number' ? b : typeof b === 'boolean' ? Number(b) : /^\s*[+-]?\d+(\.\d+)?\s*$/.test(b) ? Number(b) : NaN;
    if (Number.isNaN(n)) throw new JsonPathError(`Input string '${String(b)}' was not in a correct format.`);
    return order(a, n);
  }
  const bool = typeof b === 'boolean' ? b : typeof b === 'number' ? b !== 0 : /^\s*true\s*$/i.test(b) ? true : /^\s*false\s*$/i.test(b) ? false : undefined;
  if (bool === undefined) throw new JsonPathError(`String '${String(b)}' was not recognized as a valid Boolean.`);
  return order(a, bool);
}
