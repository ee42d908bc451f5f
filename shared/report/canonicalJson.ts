/**
 * Canonical JSON for records that get hashed and signed: object keys sorted by UTF-16 code units, no
 * whitespace, `undefined` members dropped, numbers and strings as ECMAScript's JSON.stringify writes them.
 * For the value types used here (strings, finite numbers, booleans, null, arrays, plain objects) this is
 * the RFC 8785 (JCS) form, so any JCS implementation reproduces the digest.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`canonical JSON takes plain objects only, got ${proto?.constructor?.name ?? 'an object'}`);
      }
      const obj = value as Record<string, unknown>;
      const members = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

/** Lower-case hex SHA-256 of the canonical JSON (UTF-8). */
export function sha256Canonical(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
