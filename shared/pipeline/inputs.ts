/**
 * Typed, validated task inputs. Reading is abstracted (`InputSource`) so the CLI can feed the same parsers
 * from flags; every rejection names the input, the value and what would be valid.
 */
export class InputError extends Error {
  constructor(readonly input: string, message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Returns the raw input value, or undefined/'' when unset. */
export type InputSource = (name: string) => string | undefined;

function raw(src: InputSource, name: string): string | undefined {
  const v = src(name);
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

export function requiredString(src: InputSource, name: string, rule?: { pattern: RegExp; expected: string }): string {
  const v = raw(src, name);
  if (v === undefined) throw new InputError(name, `Input '${name}' is required${rule ? `: ${rule.expected}` : ''}.`);
  if (rule && !rule.pattern.test(v)) throw new InputError(name, `Input '${name}' has the value '${v}', which is not valid: ${rule.expected}.`);
  return v;
}

export function optionalString(src: InputSource, name: string): string | undefined {
  return raw(src, name);
}

export function choice<T extends string>(src: InputSource, name: string, allowed: readonly T[], fallback: T): T {
  const v = raw(src, name);
  if (v === undefined) return fallback;
  const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
  if (!hit) throw new InputError(name, `Input '${name}' has the value '${v}'; use one of: ${allowed.join(', ')}.`);
  return hit;
}

export function integer(src: InputSource, name: string, fallback: number, min: number, max: number): number {
  const v = raw(src, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InputError(name, `Input '${name}' has the value '${v}'; use a whole number from ${min} to ${max}.`);
  }
  return n;
}

export function boolean(src: InputSource, name: string, fallback: boolean): boolean {
  const v = raw(src, name);
  if (v === undefined) return fallback;
  if (/^(true|yes|1)$/i.test(v)) return true;
  if (/^(false|no|0)$/i.test(v)) return false;
  throw new InputError(name, `Input '${name}' has the value '${v}'; use true or false.`);
}

/** ARM naming rules, so a typo fails here with a clear message instead of as a 404 later. */
export const NAME_RULES = {
  resourceGroup: { pattern: /^[-\w.()]{0,89}[-\w()]$/u, expected: 'a resource group name: 1-90 letters, digits, underscores, hyphens, periods or parentheses' },
  workspace: { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{2,32}$/, expected: 'an Azure Machine Learning workspace name: 3-33 letters, digits, hyphens or underscores, starting with a letter or digit' },
  endpoint: { pattern: /^[A-Za-z][A-Za-z0-9-]{1,30}[A-Za-z0-9]$/, expected: 'an Azure Machine Learning endpoint name: 3-32 letters, digits or hyphens, starting with a letter and not ending with a hyphen' },
} as const;
