/**
 * Tree structure for permutation importance from the trees (treePermutation.ts): all trees flattened into one
 * node space, and per feature the leaves whose path tests it. For such a leaf and feature j, a row in the leaf
 * with only x_j changed stays in the leaf iff every test of j on the path answers as before (the other tests
 * see the same values; in a tree, a different answer leads to a different leaf). When those tests are order
 * tests (≤ < ≥ >), that is an interval of x_j, so most rows need no walk at all; the others walk down from the
 * first node testing j, since the path above it cannot change.
 */
import type { TreeEnsemble } from '../types';
import { compileTree } from './treeShap';

const MODES: Record<string, number> = { BRANCH_LEQ: 1, BRANCH_LT: 2, BRANCH_GTE: 3, BRANCH_GT: 4, BRANCH_EQ: 5, BRANCH_NEQ: 6 };

/** Node arrays indexed by global node (tree offset + node); MODE 0 marks leaves, 1–6 the modes above. */
export interface FlatTrees {
  F: Int32Array; TH: Float64Array; MODE: Int8Array; MISS: Uint8Array; TC: Int32Array; FC: Int32Array;
  /** Leaf values, LV[node * targets + target]. */
  LV: Float64Array;
  treeOf: Int32Array;
  roots: Int32Array;
  total: number;
}

export function flattenTrees(e: TreeEnsemble): FlatTrees {
  const comp = e.trees.map(compileTree);
  const K = e.targets;
  const total = comp.reduce((a, c) => a + c.mode.length, 0);
  const F = new Int32Array(total), TH = new Float64Array(total), MODE = new Int8Array(total), MISS = new Uint8Array(total);
  const TC = new Int32Array(total), FC = new Int32Array(total), LV = new Float64Array(total * K), treeOf = new Int32Array(total);
  const roots = new Int32Array(comp.length);
  const parents = new Uint8Array(total);
  let off = 0;
  comp.forEach((c, ti) => {
    const tr = c.tree;
    roots[ti] = off + c.root;
    for (let i = 0; i < c.mode.length; i++) {
      const g = off + i;
      treeOf[g] = ti;
      if (c.mode[i] === 0) { for (let k = 0; k < K; k++) LV[g * K + k] = tr.leafValues[i * K + k]; continue; }
      MODE[g] = MODES[tr.mode[i]]; F[g] = tr.feature[i]; TH[g] = tr.threshold[i]; MISS[g] = tr.missingTracksTrue[i];
      TC[g] = off + tr.trueChild[i]; FC[g] = off + tr.falseChild[i];
      // A node reached from two parents would make "the path to a leaf" ambiguous.
      if (parents[TC[g]]++ || parents[FC[g]]++) throw new Error(`tree ${ti} node ${i}: a node has two parents; permutation importance from the trees needs trees`);
    }
    off += c.mode.length;
  });
  return { F, TH, MODE, MISS, TC, FC, LV, treeOf, roots, total };
}

/** Bits of FeatureUses.flags. */
export const LO_INCLUSIVE = 1, HI_INCLUSIVE = 2, NO_INTERVAL = 4;

/** For one feature: parallel arrays over the (occupied) leaves whose path tests it. */
export interface FeatureUses {
  leaf: Int32Array;
  /** The first node on the leaf's path that tests the feature. */
  start: Int32Array;
  /** x_j keeps the row in the leaf iff lo < x_j < hi (bounds inclusive per flags), unless NO_INTERVAL. */
  lo: Float64Array;
  hi: Float64Array;
  flags: Uint8Array;
}

/** Whether a (non-missing) value v keeps every test of the feature on the path as it was. */
export function inInterval(v: number, lo: number, hi: number, flags: number): boolean {
  if (flags & NO_INTERVAL || v !== v) return false;
  return ((flags & LO_INCLUSIVE) ? v >= lo : v > lo) && ((flags & HI_INCLUSIVE) ? v <= hi : v < hi);
}

/** Per feature, the occupied leaves (some row in leafStart[g] .. leafStart[g + 1]) whose path tests it, with where and which interval. */
export function featureUses(t: FlatTrees, cols: number, leafStart: Int32Array): FeatureUses[] {
  const { F, TH, MODE, TC, FC, roots } = t;
  const lists = Array.from({ length: cols }, () => ({ leaf: [] as number[], start: [] as number[], lo: [] as number[], hi: [] as number[], flags: [] as number[] }));
  // Depth-first with the path kept explicitly: pathNode[d] and the direction taken there, pathTrue[d].
  const pathNode: number[] = [], pathTrue: number[] = [];
  const stackNode: number[] = [], stackDepth: number[] = [], stackTrue: number[] = [];
  // Per feature, while summarising one leaf's path: stamp (leaf + 1 when set for this leaf), first node, interval.
  const stamp = new Int32Array(cols), first = new Int32Array(cols), lo = new Float64Array(cols), hi = new Float64Array(cols), fl = new Uint8Array(cols);
  const seen: number[] = [];
  for (const root of roots) {
    stackNode.push(root); stackDepth.push(0); stackTrue.push(0);
    while (stackNode.length) {
      const g = stackNode.pop()!, d = stackDepth.pop()!, dir = stackTrue.pop()!;
      if (d > 0) pathTrue[d - 1] = dir;
      if (MODE[g] !== 0) {
        pathNode[d] = g;
        stackNode.push(FC[g], TC[g]); stackDepth.push(d + 1, d + 1); stackTrue.push(0, 1);
        continue;
      }
      if (leafStart[g + 1] === leafStart[g]) continue;
      seen.length = 0;
      for (let k = 0; k < d; k++) {
        const n = pathNode[k], f = F[n];
        if (stamp[f] !== g + 1) { stamp[f] = g + 1; first[f] = n; lo[f] = -Infinity; hi[f] = Infinity; fl[f] = 0; seen.push(f); }
        tighten(f, MODE[n], TH[n], pathTrue[k] === 1, lo, hi, fl);
      }
      for (const f of seen) {
        const l = lists[f];
        l.leaf.push(g); l.start.push(first[f]); l.lo.push(lo[f]); l.hi.push(hi[f]); l.flags.push(fl[f]);
      }
    }
  }
  return lists.map((l) => ({ leaf: Int32Array.from(l.leaf), start: Int32Array.from(l.start), lo: Float64Array.from(l.lo), hi: Float64Array.from(l.hi), flags: Uint8Array.from(l.flags) }));
}

/** Narrows feature f's interval by one test answered `yes` (true branch taken) or not. */
function tighten(f: number, mode: number, th: number, yes: boolean, lo: Float64Array, hi: Float64Array, fl: Uint8Array): void {
  // Each order test is an upper or a lower bound, inclusive or not: x ≤ th, x < th, x ≥ th, x > th.
  let upper: boolean, inclusive: boolean;
  switch (mode) {
    case 1: upper = yes; inclusive = yes; break; // ≤ th, else > th
    case 2: upper = yes; inclusive = !yes; break; // < th, else ≥ th
    case 3: upper = !yes; inclusive = yes; break; // ≥ th, else < th
    case 4: upper = !yes; inclusive = !yes; break; // > th, else ≤ th
    default: fl[f] |= NO_INTERVAL; return; // = and ≠ are not intervals: always walk
  }
  if (upper) {
    if (th < hi[f] || (th === hi[f] && !inclusive)) { hi[f] = th; fl[f] = inclusive ? fl[f] | HI_INCLUSIVE : fl[f] & ~HI_INCLUSIVE; }
  } else if (th > lo[f] || (th === lo[f] && !inclusive)) {
    lo[f] = th; fl[f] = inclusive ? fl[f] | LO_INCLUSIVE : fl[f] & ~LO_INCLUSIVE;
  }
}
