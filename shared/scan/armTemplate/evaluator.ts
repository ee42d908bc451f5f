/**
 * Evaluates ARM template expressions against the template's parameters (value from a parameters file, else
 * defaultValue) and variables. Anything a template does not fix becomes an Unknown (see unknown.ts), carried
 * through string building (so names and ids keep their known parts) and through functions whose inputs have a
 * small known set of values (so `if(param, 'Enabled', 'Disabled')` is one of two strings, not "anything").
 */
import { classify, ExpressionError, parseExpression, printExpr, type Expr } from './expression';
import { BOOLEAN_FUNCTIONS, deepEqual, FUNCTIONS, FunctionError, member } from './functions';
import { providerPath, resourceIdParts, splitSegments } from './ids';
import { setOwn } from './json';
import { containsUnknown, derived, isUnknown, normalizeParts, partsOf, render, Unknown, type Part } from './unknown';

export interface EvalScope {
  /** Copy-loop indexes by loop name; the key '' is the resource's own loop (copyIndex() without a name). */
  copy?: ReadonlyMap<string, number>;
}

/** Functions whose value exists only at deployment (or changes on every run); always unknown. */
const RUNTIME_FUNCTIONS = new Set(['reference', 'list', 'listkeys', 'listsecrets', 'listaccountsas', 'listservicesas', 'listconnectionstrings', 'utcnow', 'newguid', 'pickzones', 'providers', 'managementgroup', 'managementgroupresourceid']);

/** Functions that only move values around: unknown values inside their arguments are carried, not a reason to give up. */
const CARRIERS = new Set(['createarray', 'createobject', 'union', 'array', 'first', 'last', 'take', 'skip', 'length']);

/** Functions whose result is a string built from their arguments: unknown arguments become holes. */
const STRING_BUILDERS = new Set(['concat', 'format', 'tolower', 'toupper', 'resourceid', 'subscriptionresourceid', 'tenantresourceid', 'extensionresourceid']);

/** Upper bound on argument combinations tried when every unknown argument has known candidates. */
const MAX_COMBINATIONS = 64;
/** Property and variable copy loops longer than this are cut (they only repeat the same shape). */
export const MAX_COPY = 32;

interface Declared { name: string; decl: Record<string, unknown> }

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function findCi(section: unknown, name: string): Declared | undefined {
  if (!isObject(section)) return undefined;
  const lower = name.toLowerCase();
  const k = Object.prototype.hasOwnProperty.call(section, name) ? name : Object.keys(section).find((x) => x.toLowerCase() === lower);
  return k === undefined ? undefined : { name: k, decl: section[k] as Record<string, unknown> };
}

export class Evaluator {
  /** Things the reader should know (expressions that did not parse, cut loops); deduplicated, in order. */
  readonly notes: string[] = [];
  private readonly params = new Map<string, unknown>();
  private readonly vars = new Map<string, unknown>();
  private readonly busy = new Set<string>();

  /**
   * @param template The plain template JSON.
   * @param parameterValues `parameters` of a deployment parameters file: `{ name: { value } | { reference } }`.
   */
  constructor(private readonly template: Record<string, unknown>, private readonly parameterValues?: Record<string, unknown>) {}

  note(msg: string): void {
    if (!this.notes.includes(msg) && this.notes.length < 50) this.notes.push(msg);
  }

  /** A JSON value with every expression string evaluated; property copy loops expanded. */
  value(v: unknown, scope: EvalScope = {}, depth = 0): unknown {
    if (depth > 300) return new Unknown('value nested too deeply');
    if (typeof v === 'string') return this.string(v, scope);
    if (Array.isArray(v)) return v.map((x) => this.value(x, scope, depth + 1));
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k.toLowerCase() === 'copy' && Array.isArray(x) && x.every((c) => isObject(c) && 'name' in c && 'input' in c)) {
        for (const loop of x as Array<Record<string, unknown>>) {
          const name = this.value(loop.name, scope, depth + 1);
          if (typeof name !== 'string') { this.note('a property copy loop has a name that is not a fixed string; it was not expanded'); continue; }
          setOwn(out, name, this.loop(name, loop.count, scope, (s) => this.value(loop.input, s, depth + 1)));
        }
        continue;
      }
      setOwn(out, this.key(k, scope), this.value(x, scope, depth + 1));
    }
    return out;
  }

  /** ARM evaluates expressions in property names too (`userAssignedIdentities: { "[resourceId(…)]": {} }`). */
  private key(k: string, scope: EvalScope): string {
    const c = classify(k);
    if (c.kind === 'literal') return c.value;
    const v = this.string(k, scope);
    return typeof v === 'string' ? v : isUnknown(v) ? render(v) : JSON.stringify(v);
  }

  /** Runs `body` once per iteration of a named copy loop (capped at MAX_COPY; once when the count is unknown). */
  loop(name: string, countRaw: unknown, scope: EvalScope, body: (s: EvalScope) => unknown): unknown[] {
    const count = this.value(countRaw, scope);
    let n: number;
    if (typeof count === 'number' && Number.isInteger(count) && count >= 0) {
      n = Math.min(count, MAX_COPY);
      if (count > MAX_COPY) this.note(`copy loop "${name}" has ${count} iterations; the first ${MAX_COPY} were evaluated`);
    } else {
      n = 1;
      this.note(`copy loop "${name}" has a count that cannot be evaluated; one iteration was evaluated`);
    }
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const copy = new Map(scope.copy ?? []);
      copy.set(name, i);
      out.push(body({ ...scope, copy }));
    }
    return out;
  }

  /** A JSON string: a literal, or an expression's value. */
  string(s: string, scope: EvalScope = {}): unknown {
    const c = classify(s);
    if (c.kind === 'literal') return c.value;
    let e: Expr;
    try {
      e = parseExpression(c.source);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      // Only the start of the expression is named: its literals are template content, possibly secret.
      this.note(`an expression starting "${expressionHead(c.source)}" could not be parsed (${err.message}); its value is treated as unknown`);
      return new Unknown('unparsable expression');
    }
    return this.expr(e, scope);
  }

  expr(e: Expr, scope: EvalScope): unknown {
    switch (e.k) {
      case 'str':
      case 'num':
      case 'lit':
        return e.v;
      case 'prop': return this.access(this.expr(e.obj, scope), e.name, printExpr(e));
      case 'index': {
        const idx = this.expr(e.index, scope);
        return this.access(this.expr(e.obj, scope), idx, printExpr(e));
      }
      case 'call': return this.call(e, scope);
    }
  }

  private access(obj: unknown, key: unknown, text: string): unknown {
    if (isUnknown(obj) || isUnknown(key)) {
      const objs = isUnknown(obj) ? obj.candidates : [obj];
      const keys = isUnknown(key) ? key.candidates : [key];
      if (objs && keys && objs.length * keys.length <= MAX_COMBINATIONS) {
        const results: unknown[] = [];
        for (const o of objs) for (const k of keys) {
          const r = this.accessKnown(o, k);
          if (r.found) pushUnique(results, r.value);
        }
        if (results.length === 1) return results[0];
        if (results.length > 1) return derived(text, [obj, key], undefined, results);
      }
      return derived(text, [obj, key]);
    }
    const r = this.accessKnown(obj, key);
    return r.found ? r.value : new Unknown(text);
  }

  private accessKnown(obj: unknown, key: unknown): { found: boolean; value?: unknown } {
    if (Array.isArray(obj) && typeof key === 'number') return key >= 0 && key < obj.length ? { found: true, value: obj[key] } : { found: false };
    if (typeof key === 'string') return member(obj, key);
    return { found: false };
  }

  private call(e: Extract<Expr, { k: 'call' }>, scope: EvalScope): unknown {
    const name = e.name.toLowerCase();
    const text = printExpr(e);
    switch (name) {
      case 'parameters': return this.named(e, scope, text, (n) => this.parameter(n, text));
      case 'variables': return this.named(e, scope, text, (n) => this.variable(n, text));
      case 'copyindex': return this.copyIndex(e, scope, text);
      case 'if': return this.conditional(e, scope, text);
      case 'and':
      case 'or': return this.logical(name, e, scope, text);
      case 'coalesce': return this.coalesce(e, scope, text);
    }
    const fn = FUNCTIONS[name];
    if (!fn || RUNTIME_FUNCTIONS.has(name) || name.startsWith('list')) return new Unknown(text);
    const args = e.args.map((a) => this.expr(a, scope));
    const stringBuilding = STRING_BUILDERS.has(name) && !args.some(Array.isArray);
    if (!(CARRIERS.has(name) ? args.some(isUnknown) : args.some((a) => containsUnknown(a)))) {
      try {
        return fn(args);
      } catch (err) {
        if (!(err instanceof FunctionError)) throw err;
        this.note(`${e.name}(): ${err.message}; its value is treated as unknown`);
        return new Unknown(text, undefined, undefined, [`${e.name}() with arguments ARM rejects`]);
      }
    }
    const candidates = this.combinations(fn, args);
    if (candidates && candidates.length === 1) return candidates[0];
    const parts = stringBuilding ? this.stringParts(name, args) : undefined;
    if (candidates && candidates.length > 1) return derived(text, args, parts, candidates);
    if (BOOLEAN_FUNCTIONS.has(name)) return derived(text, args, parts, [true, false]);
    return derived(text, args, parts);
  }

  /** Every result of `fn` over the candidates of its unknown arguments, or undefined when that set is open. */
  private combinations(fn: (args: unknown[]) => unknown, args: unknown[]): unknown[] | undefined {
    let combos: unknown[][] = [[]];
    for (const a of args) {
      if (isUnknown(a)) {
        if (!a.candidates || a.candidates.length === 0) return undefined;
        combos = combos.flatMap((c) => a.candidates!.map((x) => [...c, x]));
      } else if (containsUnknown(a)) {
        return undefined;
      } else {
        combos = combos.map((c) => [...c, a]);
      }
      if (combos.length > MAX_COMBINATIONS) return undefined;
    }
    const results: unknown[] = [];
    for (const c of combos) {
      try {
        pushUnique(results, fn(c));
      } catch (err) {
        // A combination ARM would reject cannot be deployed; it is no candidate.
        if (!(err instanceof FunctionError)) throw err;
      }
    }
    return results.length > 0 ? results : undefined;
  }

  /** The string with holes a string-building function makes from partly unknown arguments. */
  private stringParts(name: string, args: unknown[]): Part[] | undefined {
    switch (name) {
      case 'concat': return normalizeParts(args.flatMap(partsOf));
      case 'tolower':
      case 'toupper':
        return args.length === 1
          ? normalizeParts(partsOf(args[0]).map((p) => (typeof p === 'string' ? (name === 'tolower' ? p.toLowerCase() : p.toUpperCase()) : p)))
          : undefined;
      case 'format': return typeof args[0] === 'string' ? formatParts(args[0], args.slice(1)) : undefined;
      case 'resourceid': return resourceIdParts(args.map(partsOf), 'resourceGroup');
      case 'subscriptionresourceid': return resourceIdParts(args.map(partsOf), 'subscription');
      case 'tenantresourceid': return resourceIdParts(args.map(partsOf), 'tenant');
      case 'extensionresourceid': {
        const type = args.length >= 3 && typeof args[1] === 'string' ? args[1] : undefined;
        if (!type) return undefined;
        const names = args.slice(2).flatMap((a) => splitSegments(partsOf(a)));
        return normalizeParts([...partsOf(args[0]), ...providerPath(type, names)]);
      }
    }
    return undefined;
  }

  private named(e: Extract<Expr, { k: 'call' }>, scope: EvalScope, text: string, resolve: (n: string) => unknown): unknown {
    const arg = e.args.length === 1 ? this.expr(e.args[0], scope) : undefined;
    return typeof arg === 'string' ? resolve(arg) : derived(text, [arg]);
  }

  private copyIndex(e: Extract<Expr, { k: 'call' }>, scope: EvalScope, text: string): unknown {
    const args = e.args.map((a) => this.expr(a, scope));
    let loop = '';
    let offset = 0;
    for (const a of args) {
      if (typeof a === 'string') loop = a;
      else if (typeof a === 'number') offset = a;
      else return new Unknown(text);
    }
    const i = scope.copy?.get(loop);
    return i === undefined ? new Unknown(text) : i + offset;
  }

  /** `if` evaluates only the branch taken; with an unknown condition the value is one of both branches. */
  private conditional(e: Extract<Expr, { k: 'call' }>, scope: EvalScope, text: string): unknown {
    if (e.args.length !== 3) return new Unknown(text);
    const cond = this.expr(e.args[0], scope);
    if (typeof cond === 'boolean') return this.expr(e.args[cond ? 1 : 2], scope);
    const conds = isUnknown(cond) && cond.candidates ? cond.candidates : [true, false];
    const branches = [...new Set(conds.map((c) => (c === true || c === 'true' ? 1 : 2)))].map((i) => this.expr(e.args[i], scope));
    const inputs = [cond, ...branches];
    const results: unknown[] = [];
    for (const b of branches) {
      if (isUnknown(b)) {
        if (!b.candidates) return derived(text, inputs);
        for (const c of b.candidates) pushUnique(results, c);
      } else if (containsUnknown(b)) {
        return derived(text, inputs);
      } else {
        pushUnique(results, b);
      }
    }
    return results.length === 1 ? results[0] : derived(text, inputs, undefined, results);
  }

  /** `and`/`or` short-circuit on a known deciding value even when other arguments are unknown. */
  private logical(name: 'and' | 'or', e: Extract<Expr, { k: 'call' }>, scope: EvalScope, text: string): unknown {
    const decider = name === 'or';
    let open = false;
    const seen: unknown[] = [];
    for (const a of e.args) {
      const v = this.expr(a, scope);
      seen.push(v);
      if (isUnknown(v)) {
        if (v.candidates && v.candidates.every((c) => c === decider)) return decider;
        if (!(v.candidates && v.candidates.every((c) => c === !decider))) open = true;
        continue;
      }
      if (typeof v !== 'boolean') return derived(text, seen, undefined, [true, false]);
      if (v === decider) return decider;
    }
    return open ? derived(text, seen, undefined, [true, false]) : !decider;
  }

  private coalesce(e: Extract<Expr, { k: 'call' }>, scope: EvalScope, text: string): unknown {
    for (const a of e.args) {
      const v = this.expr(a, scope);
      if (isUnknown(v)) return derived(text, [v]);
      if (v !== null && v !== undefined) return v;
    }
    return null;
  }

  /** A parameter's value: the parameters file, else defaultValue, else unknown (with allowedValues as candidates). */
  parameter(name: string, text = `parameters('${name}')`): unknown {
    const key = name.toLowerCase();
    if (this.params.has(key)) return this.params.get(key);
    const found = findCi(this.template.parameters, name);
    let v: unknown;
    if (!found || !isObject(found.decl)) {
      this.note(`parameters('${name}') is not declared in the template`);
      v = new Unknown(text);
    } else if (isSecure(found.decl)) {
      // Secure parameters hold secrets; no rule needs their value, so it is never read (and never printed).
      v = new Unknown(text);
    } else {
      const supplied = findCi(this.parameterValues, name);
      if (supplied && isObject(supplied.decl) && 'value' in supplied.decl) {
        v = supplied.decl.value;
      } else if (supplied && isObject(supplied.decl) && 'reference' in supplied.decl) {
        v = new Unknown(text); // a Key Vault reference: a secret, never read
      } else if ('defaultValue' in found.decl) {
        v = this.guarded(`p:${key}`, text, () => this.value(found.decl.defaultValue));
      } else {
        v = new Unknown(text, undefined, parameterCandidates(found.decl));
      }
    }
    this.params.set(key, v);
    return v;
  }

  variable(name: string, text = `variables('${name}')`): unknown {
    const key = name.toLowerCase();
    if (this.vars.has(key)) return this.vars.get(key);
    const vars = this.template.variables;
    let v: unknown;
    const copied = this.copiedVariable(vars, name);
    if (copied !== undefined) {
      v = copied;
    } else {
      const found = findCi(vars, name);
      if (!found || found.name.toLowerCase() === 'copy') {
        this.note(`variables('${name}') is not declared in the template`);
        v = new Unknown(text);
      } else {
        v = this.guarded(`v:${key}`, text, () => this.value(found.decl));
      }
    }
    this.vars.set(key, v);
    return v;
  }

  /** A variable defined by the `copy` array of the variables section. */
  private copiedVariable(vars: unknown, name: string): unknown {
    const loops = isObject(vars) ? findCi(vars, 'copy')?.decl : undefined;
    if (!Array.isArray(loops)) return undefined;
    const loop = (loops as unknown[]).find((l) => isObject(l) && typeof l.name === 'string' && l.name.toLowerCase() === name.toLowerCase()) as Record<string, unknown> | undefined;
    if (!loop) return undefined;
    return this.guarded(`v:${name.toLowerCase()}`, `variables('${name}')`, () => this.loop(name, loop.count, {}, (s) => this.value(loop.input, s)));
  }

  /** Cycle guard: a parameter or variable that needs itself is unknown. */
  private guarded(key: string, text: string, f: () => unknown): unknown {
    if (this.busy.has(key)) {
      this.note(`${text} refers to itself; its value is treated as unknown`);
      return new Unknown(text);
    }
    this.busy.add(key);
    try {
      return f();
    } finally {
      this.busy.delete(key);
    }
  }
}

function isSecure(decl: Record<string, unknown>): boolean {
  return typeof decl.type === 'string' && ['securestring', 'secureobject'].includes(decl.type.toLowerCase());
}

/** The values a parameter without default can take: its allowedValues, or both booleans; else open. */
function parameterCandidates(decl: Record<string, unknown>): unknown[] | undefined {
  const allowed = decl.allowedValues;
  if (Array.isArray(allowed) && allowed.length > 0 && !allowed.some((a) => typeof a === 'string' && classify(a).kind === 'expression')) return [...allowed];
  if (typeof decl.type === 'string' && decl.type.toLowerCase() === 'bool') return [true, false];
  return undefined;
}

/** The function name (or first characters) of an expression, never its string literals. */
function expressionHead(source: string): string {
  let end = 0;
  while (end < source.length && end < 40 && source[end] !== "'" && source[end] !== '(') end++;
  return `${source.slice(0, end).trim()}${end < source.length ? '(…' : ''}`;
}

function pushUnique(list: unknown[], v: unknown): void {
  if (!list.some((x) => deepEqual(x, v))) list.push(v);
}

/** format() over partly unknown arguments; undefined when the format string itself is malformed. */
function formatParts(fmt: string, args: unknown[]): Part[] | undefined {
  const out: Part[] = [];
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if ((c === '{' || c === '}') && fmt[i + 1] === c) { out.push(c); i++; continue; }
    if (c !== '{') { out.push(c); continue; }
    const close = fmt.indexOf('}', i);
    if (close < 0) return undefined;
    const spec = fmt.slice(i + 1, close);
    let end = spec.length;
    for (const sep of [':', ',']) { const at = spec.indexOf(sep); if (at >= 0 && at < end) end = at; }
    const n = Number(spec.slice(0, end).trim());
    if (!Number.isInteger(n) || n < 0 || n >= args.length) return undefined;
    out.push(...partsOf(args[n]));
    i = close;
  }
  return normalizeParts(out);
}
