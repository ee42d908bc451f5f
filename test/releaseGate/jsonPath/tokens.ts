/**
 * A JSON document as Json.NET's LINQ-to-JSON sees it, which JSONPath selection depends on: an object's
 * children are *properties* (a name and one value), not its values. A filter `[?(…)]` tests the children of
 * what it is applied to, so on an object it tests properties, which match no `@.name` path.
 */
import { JsonProperty } from '../expression/values';

export type JToken = JObject | JArray | JProp | JValue;

export interface JObject { kind: 'object'; source: Record<string, unknown>; children: JProp[] }
export interface JArray { kind: 'array'; source: unknown[]; children: JToken[] }
export interface JProp { kind: 'property'; name: string; children: [JToken] }
export interface JValue { kind: 'value'; value: string | number | boolean | null }

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Wraps parsed JSON (as JSON.parse returns it) once; `source` keeps the original objects for identity. */
export function toToken(json: unknown): JToken {
  if (Array.isArray(json)) return { kind: 'array', source: json, children: json.map(toToken) };
  if (isObject(json)) {
    return { kind: 'object', source: json, children: Object.entries(json).map(([name, v]) => ({ kind: 'property', name, children: [toToken(v)] })) };
  }
  if (json === undefined) return { kind: 'value', value: null };
  if (typeof json === 'string' || typeof json === 'number' || typeof json === 'boolean' || json === null) return { kind: 'value', value: json };
  throw new TypeError(`not JSON: ${typeof json}`);
}

export function childrenOf(t: JToken): readonly JToken[] {
  return t.kind === 'value' ? [] : t.children;
}

export function isContainer(t: JToken): boolean {
  return t.kind !== 'value';
}

/** Every token below `t`, depth first in document order (a property before its value). */
export function descendants(t: JToken): JToken[] {
  const out: JToken[] = [];
  const walk = (x: JToken) => {
    for (const c of childrenOf(x)) {
      out.push(c);
      walk(c);
    }
  };
  walk(t);
  return out;
}

/** o[name]: case-sensitive, first property of that name. */
export function propertyValue(o: JObject, name: string): JToken | undefined {
  return o.children.find((p) => p.name === name)?.children[0];
}

/** What the expression language receives for a match: the JSON value, or a JsonProperty for a property. */
export function toResult(t: JToken): unknown {
  switch (t.kind) {
    case 'object':
    case 'array':
      return t.source;
    case 'value':
      return t.value;
    case 'property':
      return new JsonProperty(t.name, toResult(t.children[0]));
  }
}
