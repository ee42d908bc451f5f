/**
 * Values of the Azure DevOps expression language and its conversions, as expressions.md documents them and
 * the open-source copy of the engine (GitHub.DistributedTask.Expressions, once in actions/runner
 * src/Sdk/DTExpressions) implements them:
 *
 * - kinds: Null, Boolean, Number, String, Version, Array, Object (JSON arrays and objects are used as is);
 * - eq/ne/in convert the RIGHT value to the LEFT value's kind; a failed conversion means "not equal";
 * - strings compare ordinally, ignoring case;
 * - arrays and objects are equal only to themselves (the same reference).
 *
 * DateTime values are left out: nothing in a JSON response or in our criterion produces one.
 */

export type Kind = 'Null' | 'Boolean' | 'Number' | 'String' | 'Version' | 'Array' | 'Object';

/** A version literal or conversion result: 2 to 4 non-negative components (.NET System.Version). */
export class Version {
  constructor(readonly parts: readonly number[]) {}

  toString(): string {
    return this.parts.join('.');
  }

  /** .NET compares Major, Minor, Build, Revision, a missing component counting as -1. */
  compare(other: Version): number {
    for (let i = 0; i < 4; i++) {
      const a = this.parts[i] ?? -1;
      const b = other.parts[i] ?? -1;
      if (a !== b) return a < b ? -1 : 1;
    }
    return 0;
  }
}

/** What `x.*` and `x[*]` produce: an array whose further indexing applies to each item. */
export class FilteredArray {
  constructor(readonly items: unknown[]) {}
}

/** A JSONPath match that is a property (name and value), not a JSON value: opaque to the language. */
export class JsonProperty {
  constructor(readonly name: string, readonly value: unknown) {}
}

export class TypeCastError extends Error {
  override name = 'TypeCastError';
  constructor(readonly from: Kind, readonly to: Kind) {
    super(`Unable to convert from ${from} to ${to}.`);
  }
}

export function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) return 'Null';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'string') return 'String';
  if (value instanceof Version) return 'Version';
  if (Array.isArray(value) || value instanceof FilteredArray) return 'Array';
  return 'Object';
}

export function toBoolean(value: unknown): boolean {
  switch (kindOf(value)) {
    case 'Null':
      return false;
    case 'Boolean':
      return value as boolean;
    case 'Number':
      return (value as number) !== 0;
    case 'String':
      return (value as string) !== '';
    default:
      return true; // Version, Array, Object
  }
}

// .NET Decimal.TryParse with AllowDecimalPoint | AllowLeadingSign | AllowLeadingWhite | AllowThousands |
// AllowTrailingWhite, invariant culture: group separators only before the decimal point.
const NUMBER_TEXT = /^[ \t\n\v\f\r]*[+-]?(?:\d[\d,]*)?(?:\.\d*)?[ \t\n\v\f\r]*$/;

export function tryToNumber(value: unknown): number | undefined {
  switch (kindOf(value)) {
    case 'Null':
      return 0;
    case 'Boolean':
      return value ? 1 : 0;
    case 'Number':
      return value as number;
    case 'String': {
      const s = value as string;
      if (s === '') return 0;
      if (!NUMBER_TEXT.test(s) || !/\d/.test(s)) return undefined;
      return Number(s.trim().replace(/,/g, ''));
    }
    default:
      return undefined;
  }
}

/** Number to text: format "0.#######" (at most seven decimals, no exponent, no group separator). */
export function formatNumber(n: number): string {
  const text = n.toFixed(7).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

export function tryToString(value: unknown): string | undefined {
  switch (kindOf(value)) {
    case 'Null':
      return '';
    case 'Boolean':
      return value ? 'true' : 'false'; // expressions.md; the engine's "True" compares the same, ignoring case
    case 'Number':
      return formatNumber(value as number);
    case 'String':
      return value as string;
    case 'Version':
      return (value as Version).toString();
    default:
      return undefined;
  }
}

/** .NET Version.TryParse: Major.Minor[.Build[.Revision]], each an Int32 >= 0. */
export function parseVersion(text: string): Version | undefined {
  const parts = text.trim().split('.');
  if (parts.length < 2 || parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    if (!/^\s*\+?\d+\s*$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 2147483647) return undefined;
    nums.push(n);
  }
  return new Version(nums);
}

export function tryToVersion(value: unknown): Version | undefined {
  switch (kindOf(value)) {
    case 'Version':
      return value as Version;
    case 'Number':
      return parseVersion(formatNumber(value as number));
    case 'String':
      return parseVersion(value as string);
    default:
      return undefined;
  }
}

function convert<T>(value: unknown, to: Kind, attempt: (v: unknown) => T | undefined): T {
  const result = attempt(value);
  if (result === undefined) throw new TypeCastError(kindOf(value), to);
  return result;
}

export const toNumber = (v: unknown) => convert(v, 'Number', tryToNumber);
export const toText = (v: unknown) => convert(v, 'String', tryToString);
export const toVersion = (v: unknown) => convert(v, 'Version', tryToVersion);

/** One UTF-16 unit upper-cased when that keeps it one unit: .NET's ordinal ignore-case mapping. */
function upperUnit(c: string): string {
  const u = c.toUpperCase();
  return u.length === 1 ? u : c;
}

/** Ordinal ignore-case folding of a whole string (length preserved). */
export function foldCase(text: string): string {
  let out = '';
  for (const c of text) out += c.length === 1 ? upperUnit(c) : c;
  return out;
}

export function equalsIgnoreCase(a: string, b: string): boolean {
  return a.length === b.length && foldCase(a) === foldCase(b);
}

/** Equality as eq/ne/in evaluate it: the right side converted to the left side's kind. */
export function valuesEqual(left: unknown, right: unknown): boolean {
  switch (kindOf(left)) {
    case 'Null':
      return kindOf(right) === 'Null' || right === '';
    case 'Boolean':
      return left === toBoolean(right);
    case 'Number': {
      const n = tryToNumber(right);
      return n !== undefined && n === left;
    }
    case 'Version': {
      const v = tryToVersion(right);
      return v !== undefined && v.compare(left as Version) === 0 && v.parts.length === (left as Version).parts.length;
    }
    case 'String': {
      const s = tryToString(right);
      return s !== undefined && equalsIgnoreCase(left as string, s);
    }
    default:
      return kindOf(right) === kindOf(left) && left === right; // arrays and objects: the same reference
  }
}

/**
 * Ordering as gt/ge/lt/le evaluate it: the right side converted to the left side's kind, a failed conversion
 * is an error. A left side that is not a scalar is converted to a number first (an array cannot be).
 */
export function compareValues(left: unknown, right: unknown): number {
  const kind = kindOf(left);
  switch (kind) {
    case 'Boolean':
      return Number(left) - Number(toBoolean(right));
    case 'String': {
      const a = foldCase(left as string);
      const b = foldCase(toText(right));
      return a < b ? -1 : a > b ? 1 : 0;
    }
    case 'Version':
      return (left as Version).compare(toVersion(right));
    default: {
      const a = kind === 'Number' ? (left as number) : toNumber(left);
      const b = toNumber(right);
      return a < b ? -1 : a > b ? 1 : 0;
    }
  }
}
