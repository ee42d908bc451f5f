/**
 * Sizes of NumPy dtype strings ('<f8', '|O', 'U5', 'V12', 'M8[ns]'), as written in .npy headers and in pickled
 * numpy.dtype arguments. A unicode 'U<n>' holds n UCS-4 characters (4n bytes).
 */

export interface DtypeInfo {
  kind: string;
  itemsize: number;
  hasObject: boolean;
}

const DTYPE = /^[<>|=]?([?bBhHiIlLqQpPefdgFDGSaUVOMmc]|[biufcSaUVOMm]\d{0,9})(?:\[\w{1,8}\])?$/;
const FIXED: Record<string, number> = {
  '?': 1, b: 1, B: 1, h: 2, H: 2, i: 4, I: 4, l: 8, L: 8, q: 8, Q: 8, p: 8, P: 8, e: 2, f: 4, d: 8, g: 16,
  F: 8, D: 16, G: 32, O: 8, M: 8, m: 8, c: 1,
};

/** Undefined when the string is not a simple dtype (a structured descr is a list and is handled by the caller). */
export function dtypeInfo(descr: string): DtypeInfo | undefined {
  const m = DTYPE.exec(descr);
  if (!m) return undefined;
  const code = m[1];
  const kind = code[0];
  const digits = code.slice(1);
  if (kind === 'O') return { kind, itemsize: 8, hasObject: true };
  if (digits === '') {
    const size = FIXED[kind];
    if (size === undefined) return undefined;
    return { kind, itemsize: size, hasObject: false };
  }
  const n = Number(digits);
  const itemsize = kind === 'U' ? 4 * n : n;
  return { kind, itemsize, hasObject: false };
}
