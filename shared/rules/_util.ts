/**
 * Small helpers every rule family uses on raw ARM JSON. Pure; no rule logic here.
 */

/** Reads a dotted path (`properties.credentials.credentialsType`, array indices as `items.0`); undefined when any step is missing. */
export function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * Like `get`, but each key is matched case-insensitively (an exact match wins). Some resource providers
 * return PascalCase property names for some api-versions (Application Insights: `DisableLocalAuth`).
 */
export function getCi(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const rec = cur as Record<string, unknown>;
    if (key in rec) { cur = rec[key]; continue; }
    const lower = key.toLowerCase();
    const found = Object.keys(rec).find((k) => k.toLowerCase() === lower);
    cur = found === undefined ? undefined : rec[found];
  }
  return cur;
}

/** Case-insensitive string equality; false when `a` is not a string (ARM enum casing is inconsistent). */
export function eqi(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** True when `a` equals any of `values`, ignoring case. */
export function inI(a: unknown, values: readonly string[]): boolean {
  return values.some((v) => eqi(a, v));
}

/** A trimmed non-empty string, or undefined for anything else (null, '', numbers, objects). */
export function str(x: unknown): string | undefined {
  return typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined;
}

/** The last segment of an ARM id (`…/storageAccounts/stml01` → `stml01`); undefined for an empty value. */
export function lastSegment(id: unknown): string | undefined {
  const s = str(id);
  if (!s) return undefined;
  const parts = s.split('/').filter((p) => p !== '');
  return parts.length > 0 ? parts[parts.length - 1] : undefined;
}

/** Renders a value for a failure message: strings quoted, missing values named as such. */
export function show(x: unknown): string {
  if (x === undefined) return 'not set';
  if (x === null) return 'null';
  return typeof x === 'string' ? `"${x}"` : JSON.stringify(x);
}
