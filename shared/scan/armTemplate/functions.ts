/**
 * ARM template functions over known values. Pure: deployment-time facts come from placeholders.ts. The evaluator
 * decides what to do when an argument is unknown; a function here throws FunctionError on arguments ARM would
 * reject, and the evaluator turns that into an unknown value.
 */
import { literalOf, providerPath, resourceIdParts, splitSegments, trimTrailingSlashes } from './ids';
import {
  deploymentObject, environmentObject, guidPlaceholder, resourceGroupObject, subscriptionObject, tenantObject, uniqueStringPlaceholder,
} from './placeholders';
import { normalizeParts, stringify } from './unknown';

export class FunctionError extends Error {}

type Fn = (args: unknown[]) => unknown;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Errors name the type of a bad argument, never its value (template content may be secret). */
function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function str(v: unknown, fn: string): string {
  if (typeof v !== 'string') throw new FunctionError(`${fn} expects a string, got ${typeName(v)}`);
  return v;
}

function int(v: unknown, fn: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new FunctionError(`${fn} expects an integer, got ${typeName(v)}`);
  return Math.trunc(v);
}

function arity(args: unknown[], min: number, max: number, fn: string): void {
  if (args.length < min || args.length > max) throw new FunctionError(`${fn} takes ${min === max ? min : `${min}-${max}`} arguments, got ${args.length}`);
}

/** Structural equality; strings compare case-sensitively, as ARM's equals() does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Property access is case-insensitive in ARM; an exact match wins. */
export function member(obj: unknown, name: string): { found: boolean; value?: unknown } {
  if (!isObject(obj)) return { found: false };
  if (Object.prototype.hasOwnProperty.call(obj, name)) return { found: true, value: obj[name] };
  const lower = name.toLowerCase();
  const k = Object.keys(obj).find((x) => x.toLowerCase() === lower);
  return k === undefined ? { found: false } : { found: true, value: obj[k] };
}

/** `format('{0}-{1:D2}', a, b)`: index placeholders, `{{`/`}}` escapes; .NET format specifiers are ignored. */
export function formatString(fmt: string, args: unknown[], onArg: (i: number) => void = () => undefined): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === '{' && fmt[i + 1] === '{') { out += '{'; i++; continue; }
    if (c === '}' && fmt[i + 1] === '}') { out += '}'; i++; continue; }
    if (c !== '{') { out += c; continue; }
    const close = fmt.indexOf('}', i);
    if (close < 0) throw new FunctionError('format: unclosed "{"');
    const spec = fmt.slice(i + 1, close);
    const colon = spec.indexOf(':');
    const comma = spec.indexOf(',');
    const end = [colon, comma].filter((x) => x >= 0).reduce((a, b) => Math.min(a, b), spec.length);
    const n = Number(spec.slice(0, end).trim());
    if (!Number.isInteger(n) || n < 0 || n >= args.length) throw new FunctionError(`format: no argument for {${spec}}`);
    onArg(n);
    out += stringify(args[n]);
    i = close;
  }
  return out;
}

function idFn(scope: 'resourceGroup' | 'subscription' | 'tenant'): Fn {
  return (args) => {
    const parts = resourceIdParts(args.map((a) => [str(a, 'resourceId')]), scope);
    if (!parts) throw new FunctionError('resourceId: no resource type argument');
    return literalOf(parts);
  };
}

function containerLength(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  throw new FunctionError('length expects a string, array or object');
}

function compare(a: unknown, b: unknown, fn: string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new FunctionError(`${fn} compares two integers or two strings`);
}

function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    if (v.toLowerCase() === 'true') return true;
    if (v.toLowerCase() === 'false') return false;
  }
  throw new FunctionError(`bool cannot convert ${typeName(v)}`);
}

function union(args: unknown[]): unknown {
  if (args.every(Array.isArray)) {
    const out: unknown[] = [];
    for (const a of args as unknown[][]) for (const x of a) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  }
  if (args.every(isObject)) return Object.assign({}, ...(args as object[]));
  throw new FunctionError('union expects all arrays or all objects');
}

/** Known-value implementations, by lower-case name. */
export const FUNCTIONS: Record<string, Fn> = {
  concat: (args) => {
    if (args.length > 0 && args.every(Array.isArray)) return (args as unknown[][]).flat();
    return args.map((a) => stringify(a)).join('');
  },
  format: (args) => {
    if (args.length < 1) throw new FunctionError('format needs a format string');
    return formatString(str(args[0], 'format'), args.slice(1));
  },
  tolower: (args) => { arity(args, 1, 1, 'toLower'); return str(args[0], 'toLower').toLowerCase(); },
  toupper: (args) => { arity(args, 1, 1, 'toUpper'); return str(args[0], 'toUpper').toUpperCase(); },
  string: (args) => { arity(args, 1, 1, 'string'); return stringify(args[0]); },
  int: (args) => {
    arity(args, 1, 1, 'int');
    const n = typeof args[0] === 'string' ? Number(args[0]) : args[0];
    return int(n, 'int');
  },
  bool: (args) => { arity(args, 1, 1, 'bool'); return toBool(args[0]); },
  json: (args) => {
    arity(args, 1, 1, 'json');
    try { return JSON.parse(str(args[0], 'json')); } catch { throw new FunctionError('json: the argument is not valid JSON'); }
  },
  true: () => true,
  false: () => false,
  null: () => null,
  not: (args) => { arity(args, 1, 1, 'not'); return !toBool(args[0]); },
  and: (args) => args.every(toBool),
  or: (args) => args.some(toBool),
  equals: (args) => { arity(args, 2, 2, 'equals'); return deepEqual(args[0], args[1]); },
  greater: (args) => { arity(args, 2, 2, 'greater'); return compare(args[0], args[1], 'greater') > 0; },
  greaterorequals: (args) => { arity(args, 2, 2, 'greaterOrEquals'); return compare(args[0], args[1], 'greaterOrEquals') >= 0; },
  less: (args) => { arity(args, 2, 2, 'less'); return compare(args[0], args[1], 'less') < 0; },
  lessorequals: (args) => { arity(args, 2, 2, 'lessOrEquals'); return compare(args[0], args[1], 'lessOrEquals') <= 0; },
  if: (args) => { arity(args, 3, 3, 'if'); return toBool(args[0]) ? args[1] : args[2]; },
  coalesce: (args) => args.find((a) => a !== null && a !== undefined) ?? null,
  empty: (args) => {
    arity(args, 1, 1, 'empty');
    const v = args[0];
    return v === null || v === undefined || containerLength(v) === 0;
  },
  length: (args) => { arity(args, 1, 1, 'length'); return containerLength(args[0]); },
  contains: (args) => {
    arity(args, 2, 2, 'contains');
    const [c, x] = args;
    if (typeof c === 'string') return c.includes(stringify(x));
    if (Array.isArray(c)) return c.some((y) => deepEqual(y, x));
    if (isObject(c)) return member(c, str(x, 'contains')).found;
    throw new FunctionError('contains expects a string, array or object');
  },
  startswith: (args) => { arity(args, 2, 2, 'startsWith'); return str(args[0], 'startsWith').toLowerCase().startsWith(str(args[1], 'startsWith').toLowerCase()); },
  endswith: (args) => { arity(args, 2, 2, 'endsWith'); return str(args[0], 'endsWith').toLowerCase().endsWith(str(args[1], 'endsWith').toLowerCase()); },
  indexof: (args) => { arity(args, 2, 2, 'indexOf'); return str(args[0], 'indexOf').toLowerCase().indexOf(str(args[1], 'indexOf').toLowerCase()); },
  trim: (args) => { arity(args, 1, 1, 'trim'); return str(args[0], 'trim').trim(); },
  replace: (args) => { arity(args, 3, 3, 'replace'); return str(args[0], 'replace').split(str(args[1], 'replace')).join(str(args[2], 'replace')); },
  split: (args) => {
    arity(args, 2, 2, 'split');
    const s = str(args[0], 'split');
    const seps = Array.isArray(args[1]) ? args[1].map((d) => str(d, 'split')) : [str(args[1], 'split')];
    let pieces = [s];
    for (const d of seps) pieces = pieces.flatMap((p) => p.split(d));
    return pieces;
  },
  substring: (args) => {
    arity(args, 2, 3, 'substring');
    const s = str(args[0], 'substring');
    const start = int(args[1], 'substring');
    const len = args.length > 2 ? int(args[2], 'substring') : s.length - start;
    if (start < 0 || len < 0 || start + len > s.length) throw new FunctionError('substring: index out of range');
    return s.slice(start, start + len);
  },
  take: (args) => {
    arity(args, 2, 2, 'take');
    const n = Math.max(0, int(args[1], 'take'));
    if (typeof args[0] === 'string' || Array.isArray(args[0])) return args[0].slice(0, n);
    throw new FunctionError('take expects a string or array');
  },
  skip: (args) => {
    arity(args, 2, 2, 'skip');
    const n = Math.max(0, int(args[1], 'skip'));
    if (typeof args[0] === 'string' || Array.isArray(args[0])) return args[0].slice(n);
    throw new FunctionError('skip expects a string or array');
  },
  first: (args) => {
    arity(args, 1, 1, 'first');
    if (typeof args[0] === 'string' || Array.isArray(args[0])) return args[0].length > 0 ? args[0][0] : null;
    throw new FunctionError('first expects a string or array');
  },
  last: (args) => {
    arity(args, 1, 1, 'last');
    if (typeof args[0] === 'string' || Array.isArray(args[0])) return args[0].length > 0 ? args[0][args[0].length - 1] : null;
    throw new FunctionError('last expects a string or array');
  },
  createarray: (args) => [...args],
  array: (args) => { arity(args, 1, 1, 'array'); return Array.isArray(args[0]) ? args[0] : [args[0]]; },
  createobject: (args) => {
    if (args.length % 2 !== 0) throw new FunctionError('createObject takes key/value pairs');
    const o: Record<string, unknown> = {};
    for (let i = 0; i < args.length; i += 2) o[str(args[i], 'createObject')] = args[i + 1];
    return o;
  },
  union: union,
  add: (args) => { arity(args, 2, 2, 'add'); return int(args[0], 'add') + int(args[1], 'add'); },
  sub: (args) => { arity(args, 2, 2, 'sub'); return int(args[0], 'sub') - int(args[1], 'sub'); },
  mul: (args) => { arity(args, 2, 2, 'mul'); return int(args[0], 'mul') * int(args[1], 'mul'); },
  div: (args) => {
    arity(args, 2, 2, 'div');
    const d = int(args[1], 'div');
    if (d === 0) throw new FunctionError('div by zero');
    return Math.trunc(int(args[0], 'div') / d);
  },
  mod: (args) => {
    arity(args, 2, 2, 'mod');
    const d = int(args[1], 'mod');
    if (d === 0) throw new FunctionError('mod by zero');
    return int(args[0], 'mod') % d;
  },
  min: (args) => Math.min(...(args.length === 1 && Array.isArray(args[0]) ? args[0] : args).map((x) => int(x, 'min'))),
  max: (args) => Math.max(...(args.length === 1 && Array.isArray(args[0]) ? args[0] : args).map((x) => int(x, 'max'))),
  range: (args) => {
    arity(args, 2, 2, 'range');
    const count = int(args[1], 'range');
    if (count < 0 || count > 10_000) throw new FunctionError('range: count out of bounds');
    return Array.from({ length: count }, (_, i) => int(args[0], 'range') + i);
  },
  padleft: (args) => {
    arity(args, 2, 3, 'padLeft');
    const s = stringify(args[0]);
    const width = int(args[1], 'padLeft');
    const pad = args.length > 2 ? str(args[2], 'padLeft') : ' ';
    return width > s.length && pad.length > 0 ? pad[0].repeat(Math.min(width, 10_000) - s.length) + s : s;
  },
  uniquestring: (args) => uniqueStringPlaceholder(args.map((a) => str(a, 'uniqueString'))),
  guid: (args) => guidPlaceholder(args.map((a) => str(a, 'guid'))),
  subscription: () => subscriptionObject(),
  resourcegroup: () => resourceGroupObject(),
  tenant: () => tenantObject(),
  deployment: () => deploymentObject(),
  environment: () => environmentObject(),
  resourceid: idFn('resourceGroup'),
  subscriptionresourceid: idFn('subscription'),
  tenantresourceid: idFn('tenant'),
  extensionresourceid: (args) => {
    if (args.length < 3) throw new FunctionError('extensionResourceId takes a resource id, a type and names');
    const base = trimTrailingSlashes(str(args[0], 'extensionResourceId'));
    const names = args.slice(2).flatMap((a) => splitSegments([str(a, 'extensionResourceId')]));
    return base + literalOf(normalizeParts(providerPath(str(args[1], 'extensionResourceId'), names)));
  },
};

/** Functions whose result is always a boolean: with unknown inputs the result is one of [true, false]. */
export const BOOLEAN_FUNCTIONS = new Set([
  'true', 'false', 'not', 'and', 'or', 'equals', 'greater', 'greaterorequals', 'less', 'lessorequals', 'empty', 'contains', 'startswith', 'endswith', 'bool',
]);
