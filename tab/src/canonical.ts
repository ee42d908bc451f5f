/**
 * Canonical JSON as shared/report/canonicalJson.ts writes it (sorted keys, no whitespace: RFC 8785 for the
 * values we use). Repeated here because that module imports node:crypto, which a browser bundle cannot.
 * test/tab/evidence.test.ts checks both give the same bytes.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

// Into one parts list rather than nested joins: records with 10,000 findings are hashed several times per page.
function write(value: unknown, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
      out.push(JSON.stringify(value));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i) out.push(',');
          if (value[i] === undefined) out.push('null');
          else write(value[i], out);
        }
        out.push(']');
        return;
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      out.push('{');
      let first = true;
      for (const k of keys) {
        if (obj[k] === undefined) continue;
        if (!first) out.push(',');
        first = false;
        out.push(JSON.stringify(k), ':');
        write(obj[k], out);
      }
      out.push('}');
      return;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

/** Bytes of canonical base64 (padded, no whitespace), or undefined for anything else. */
export function decodeBase64Strict(s: string): Uint8Array | undefined {
  // A plain character-class test: the grouped form of this check took seconds on a 3 MB payload.
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  let bin: string;
  try {
    bin = atob(s);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  // Unused bits in the last character must be zero, else two strings decode to the same bytes.
  return btoa(bin) === s ? bytes : undefined;
}

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
