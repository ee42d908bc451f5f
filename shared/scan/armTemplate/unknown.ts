/**
 * A value a template does not fix: a parameter without default, `reference()`, `listKeys()`, a function the
 * evaluator does not know. It is never guessed; the rules are run with it left open (see worlds.ts).
 */

/** A piece of a partly known string: literal text, or a hole named by the expression that fills it. */
export type Part = string | { hole: string };

export class Unknown {
  /**
   * @param text Canonical source of the expression, e.g. `parameters('pna')`; names the unknown in messages.
   * @param parts The value as a string with holes, when it was built by string functions (`concat('st', x)`);
   *   it keeps names and resource ids comparable even when part of them is unknown.
   * @param candidates Every value it can take, when that set is known and small (a parameter's allowedValues,
   *   a bool, `if(x, 'a', 'b')`); undefined when the value is open.
   */
  constructor(
    readonly text: string,
    readonly parts: readonly Part[] = [{ hole: text }],
    readonly candidates?: readonly unknown[],
    /**
     * The open inputs it comes from (`parameters('x')`, `reference(…)`), named in messages instead of the whole
     * expression, whose other string literals are template content that is not repeated in findings.
     */
    readonly causes: readonly string[] = [text],
  ) {}
}

/** The causes of every unknown inside `values` (nested in arrays and objects too), each once. */
export function causesOf(values: readonly unknown[]): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, depth: number) => {
    if (isUnknown(v)) { for (const c of v.causes) out.add(c); return; }
    if (depth > 64 || v === null || typeof v !== 'object') return;
    for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth + 1);
  };
  for (const v of values) visit(v, 0);
  return [...out];
}

/** An unknown computed from other values: it inherits their causes. */
export function derived(text: string, inputs: readonly unknown[], parts?: readonly Part[], candidates?: readonly unknown[]): Unknown {
  const causes = causesOf(inputs);
  return new Unknown(text, parts ?? [{ hole: text }], candidates, causes.length > 0 ? causes : [text]);
}

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

/** The string form of an unknown: literal parts as they are, holes as `{expression}`. */
export function render(u: Unknown): string {
  return renderParts(u.parts);
}

export function renderParts(parts: readonly Part[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : `{${p.hole}}`)).join('');
}

/** Parts of any value used in string building: a known value is one literal part. */
export function partsOf(v: unknown): Part[] {
  if (isUnknown(v)) return [...v.parts];
  return [stringify(v)];
}

/** ARM's string conversion: strings as they are, everything else as JSON. */
export function stringify(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isUnknown(v)) return render(v);
  return JSON.stringify(v) ?? 'null';
}

/** Adjacent literal parts merged, so equal strings with holes have equal parts. */
export function normalizeParts(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else if (p !== '') out.push(p);
  }
  return out;
}

/** True when a value or anything inside it is unknown. */
export function containsUnknown(v: unknown, depth = 0): boolean {
  if (isUnknown(v)) return true;
  if (depth > 64 || v === null || typeof v !== 'object') return false;
  return Array.isArray(v) ? v.some((x) => containsUnknown(x, depth + 1)) : Object.values(v).some((x) => containsUnknown(x, depth + 1));
}
