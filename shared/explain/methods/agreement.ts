/**
 * The guard in front of every closed-form path (TreeSHAP, linear SHAP, permutation importance from the trees):
 * the model as read from the graph must reproduce the runtime's outputs before its maths is trusted. Runtimes
 * compute in float32, so agreement means within 1e-4 absolute plus 1e-4 relative.
 */

/** Largest |a − b| relative to the tolerance 1e-4 + 1e-4·|b|; ≤ 1 means they agree. */
export function disagreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / (1e-4 + 1e-4 * Math.abs(b[i]));
    // NaN on either side is a disagreement, not a pass (Math.max would keep a NaN, and NaN > 1 is false).
    worst = d === d ? Math.max(worst, d) : Infinity;
  }
  return worst;
}

/** How far apart a and b are at worst (absolute), for messages. */
export function differenceText(a: ArrayLike<number>, b: ArrayLike<number>): string {
  if (a.length !== b.length) return `${a.length} outputs against ${b.length}`;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d < Infinity)) return `a missing or infinite value in row ${i + 1}`;
    worst = Math.max(worst, d);
  }
  return worst.toExponential(1);
}
