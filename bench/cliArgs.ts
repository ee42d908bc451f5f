/** Argument pieces the bench scripts' command lines share. */

/** A flag's value as a non-negative integer, or an error naming the flag. */
export function nonNegativeInt(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
  return n;
}

/** `--node <label>=<bin>`. */
export function nodeBin(v: string): { label: string; bin: string } {
  const eq = v.indexOf('=');
  return { label: v.slice(0, eq), bin: v.slice(eq + 1) };
}
