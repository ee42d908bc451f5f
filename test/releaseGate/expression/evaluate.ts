/**
 * Evaluator of the Azure DevOps expression language as a server task's success criterion uses it: the
 * documented functions (expressions.md) plus the server task's `count` and `jsonpath`, and the named value
 * `root`, the JSON body of the response (servertaskauthoring.md).
 *
 * Semantics follow expressions.md and the engine's open-source copy: and/or short-circuit and cast to
 * Boolean; eq/ne/in/notIn convert the right side to the left side's kind; contains/startsWith/endsWith cast
 * both sides to String (an array or object cannot be, which is an error); ordinal ignore-case comparison;
 * coalesce returns the first value that is neither null nor ''; an indexer on a missing key, on a non-
 * collection, or out of range gives null. Documented nowhere and therefore assumed: `count` of an array is
 * its length, of an object its number of properties, of null 0 (anything else is an error); `jsonpath`
 * selects from `root` with Json.NET's JSONPath (see jsonPath/) and returns the matches as an array.
 */
import { selectTokens } from '../jsonPath/select';
import { parseExpression, type FunctionArity, type Node } from './parser';
import {
  compareValues, FilteredArray, foldCase, kindOf, toBoolean, toText, tryToNumber, tryToString, valuesEqual,
} from './values';

export class ExpressionEvaluationError extends Error {
  override name = 'ExpressionEvaluationError';
}

interface Context {
  named: ReadonlyMap<string, unknown>;
  root: unknown;
}

type Impl = (args: Node[], ctx: Context) => unknown;

const many = Infinity;

const FUNCTIONS: ReadonlyMap<string, FunctionArity & { impl: Impl }> = new Map<string, FunctionArity & { impl: Impl }>([
  ['and', { min: 2, max: many, impl: (a, c) => a.every((n) => toBoolean(evaluateNode(n, c))) }],
  ['or', { min: 2, max: many, impl: (a, c) => a.some((n) => toBoolean(evaluateNode(n, c))) }],
  ['not', { min: 1, max: 1, impl: (a, c) => !toBoolean(evaluateNode(a[0], c)) }],
  ['xor', { min: 2, max: 2, impl: (a, c) => toBoolean(evaluateNode(a[0], c)) !== toBoolean(evaluateNode(a[1], c)) }],
  ['eq', { min: 2, max: 2, impl: (a, c) => valuesEqual(evaluateNode(a[0], c), evaluateNode(a[1], c)) }],
  ['ne', { min: 2, max: 2, impl: (a, c) => !valuesEqual(evaluateNode(a[0], c), evaluateNode(a[1], c)) }],
  ['gt', { min: 2, max: 2, impl: (a, c) => compareValues(evaluateNode(a[0], c), evaluateNode(a[1], c)) > 0 }],
  ['ge', { min: 2, max: 2, impl: (a, c) => compareValues(evaluateNode(a[0], c), evaluateNode(a[1], c)) >= 0 }],
  ['lt', { min: 2, max: 2, impl: (a, c) => compareValues(evaluateNode(a[0], c), evaluateNode(a[1], c)) < 0 }],
  ['le', { min: 2, max: 2, impl: (a, c) => compareValues(evaluateNode(a[0], c), evaluateNode(a[1], c)) <= 0 }],
  ['in', { min: 1, max: many, impl: (a, c) => isIn(a, c) }],
  ['notin', { min: 1, max: many, impl: (a, c) => !isIn(a, c) }],
  ['contains', { min: 2, max: 2, impl: (a, c) => foldCase(textOf(a[0], c)).includes(foldCase(textOf(a[1], c))) }],
  ['startswith', { min: 2, max: 2, impl: (a, c) => foldCase(textOf(a[0], c)).startsWith(foldCase(textOf(a[1], c))) }],
  ['endswith', { min: 2, max: 2, impl: (a, c) => foldCase(textOf(a[0], c)).endsWith(foldCase(textOf(a[1], c))) }],
  ['containsvalue', { min: 2, max: 2, impl: (a, c) => containsValue(evaluateNode(a[0], c), evaluateNode(a[1], c)) }],
  ['coalesce', { min: 2, max: many, impl: (a, c) => coalesce(a, c) }],
  ['count', { min: 1, max: 1, impl: (a, c) => count(evaluateNode(a[0], c)) }],
  ['jsonpath', { min: 1, max: 1, impl: (a, c) => selectTokens(c.root, toText(evaluateNode(a[0], c))) }],
]);

const textOf = (n: Node, c: Context) => toText(evaluateNode(n, c));

function isIn(args: Node[], c: Context): boolean {
  const left = evaluateNode(args[0], c);
  return args.slice(1).some((n) => valuesEqual(left, evaluateNode(n, c)));
}

function itemsOf(value: unknown): unknown[] | undefined {
  if (value instanceof FilteredArray) return value.items;
  if (Array.isArray(value)) return value;
  if (kindOf(value) === 'Object' && isPlainObject(value)) return Object.values(value);
  return undefined;
}

/** containsValue: the RIGHT value's kind drives the conversion of each item (expressions.md). */
function containsValue(collection: unknown, wanted: unknown): boolean {
  const items = itemsOf(collection);
  return items !== undefined && items.some((item) => valuesEqual(wanted, item));
}

function coalesce(args: Node[], c: Context): unknown {
  let value: unknown = null;
  for (const n of args) {
    value = evaluateNode(n, c);
    if (kindOf(value) !== 'Null' && value !== '') return value;
  }
  return value;
}

function count(value: unknown): number {
  if (value instanceof FilteredArray) return value.items.length;
  if (Array.isArray(value)) return value.length;
  if (kindOf(value) === 'Null') return 0;
  if (isPlainObject(value)) return Object.keys(value).length;
  throw new ExpressionEvaluationError(`count() of a ${kindOf(value)} value`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** `x[key]`: an object by case-sensitive key, an array by a non-negative integer index (a numeric string too). */
function lookup(target: unknown, key: unknown): { value: unknown } | undefined {
  if (Array.isArray(target)) {
    const n = tryToNumber(key);
    if (n === undefined || n < 0 || Math.floor(n) >= target.length) return undefined;
    return { value: target[Math.floor(n)] };
  }
  if (isPlainObject(target)) {
    const name = tryToString(key);
    return name !== undefined && Object.prototype.hasOwnProperty.call(target, name) ? { value: target[name] } : undefined;
  }
  return undefined;
}

function evaluateIndex(node: Extract<Node, { type: 'index' }>, c: Context): unknown {
  const target = evaluateNode(node.target, c);
  if (node.key === 'wildcard') {
    // `*` turns the collection into a filtered array; on a filtered array it flattens one more level.
    if (target instanceof FilteredArray) return new FilteredArray(target.items.flatMap((item) => itemsOf(item) ?? []));
    return new FilteredArray(itemsOf(target) ?? []);
  }
  const key = evaluateNode(node.key, c);
  if (target instanceof FilteredArray) {
    // Applied to each item; items without the key drop out.
    return new FilteredArray(target.items.flatMap((item) => {
      const hit = lookup(item, key);
      return hit ? [hit.value] : [];
    }));
  }
  const hit = lookup(target, key);
  return hit ? hit.value : null;
}

function evaluateNode(node: Node, c: Context): unknown {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'named':
      return c.named.get(node.name) ?? null;
    case 'call':
      return (FUNCTIONS.get(node.name) as { impl: Impl }).impl(node.args, c);
    case 'index':
      return evaluateIndex(node, c);
  }
}

export interface EvaluationInput {
  /** The response body (already parsed JSON), `root` in the expression and the document of `jsonpath`. */
  root?: unknown;
  /** Further named values, such as `variables` (for the documented examples); names are case-insensitive. */
  namedValues?: Record<string, unknown>;
}

/** Parses and evaluates `expression`; throws ExpressionParseError, ExpressionEvaluationError, TypeCastError. */
export function evaluateExpression(expression: string, input: EvaluationInput = {}): unknown {
  const root = input.root ?? null;
  const named = new Map<string, unknown>([['root', root]]);
  for (const [k, v] of Object.entries(input.namedValues ?? {})) named.set(k.toLowerCase(), v);
  const node = parseExpression(expression, FUNCTIONS, new Set(named.keys()));
  return evaluateNode(node, { named, root });
}

/** The expression's value cast to Boolean: whether a success criterion holds. */
export function evaluateCondition(expression: string, input: EvaluationInput = {}): boolean {
  return toBoolean(evaluateExpression(expression, input));
}

