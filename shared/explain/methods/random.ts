/**
 * Seeded randomness for the explainers. Every random choice (shuffles, background samples, KernelSHAP coalitions,
 * ICE rows) comes from here, so a run is reproducible from its seed.
 *
 * Algorithm: sfc32 ("small fast counter", Chris Doty-Humphrey, PractRand), 32-bit state words a, b, c and a
 * counter d. Seeding: a = seed, b = stream, c = 0x6A09E667, d = 1, then 15 outputs are discarded so that nearby
 * seeds diverge. Floats take 53 bits from two outputs; integers below n use rejection, so they are unbiased.
 * `stream` gives independent sequences from one seed (one per feature, per explained row), which keeps results
 * independent of the order the work is done in.
 */

export interface Rng {
  /** Next uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform float in [0, 1) with 53 random bits. */
  float(): number;
  /** Uniform integer in [0, n), 1 ≤ n ≤ 2^32. */
  int(n: number): number;
}

const MAX_SEED = 0xffffffff;

/** Throws a clear error unless `seed` is an integer 0..4294967295. `name` is the input's name for the message. */
export function checkSeed(seed: number, name = 'seed'): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`${name} must be an integer from 0 to ${MAX_SEED}; got ${String(seed)}. Set ${name} to a whole number such as 42.`);
  }
  return seed;
}

export function createRng(seed: number, stream = 0): Rng {
  checkSeed(seed);
  let a = seed >>> 0;
  let b = stream >>> 0;
  let c = 0x6a09e667;
  let d = 1;
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) nextUint32();
  return {
    nextUint32,
    float(): number {
      const hi = nextUint32() >>> 5; // 27 bits
      const lo = nextUint32() >>> 6; // 26 bits
      return (hi * 67108864 + lo) / 9007199254740992;
    },
    int(n: number): number {
      if (!(n >= 1 && n <= 0x100000000) || !Number.isInteger(n)) throw new RangeError(`int(n) needs an integer 1..2^32, got ${n}`);
      // Reject the top partial block of 2^32 so every residue is equally likely.
      const limit = 0x100000000 - (0x100000000 % n);
      for (;;) {
        const r = nextUint32();
        if (r < limit) return r % n;
      }
    },
  };
}

/** Fisher–Yates shuffle in place; returns the array. */
export function shuffle<T extends { length: number; [i: number]: any }>(array: T, rng: Rng): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
  return array;
}

/** A uniformly random permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return shuffle(p, rng);
}

/**
 * k distinct indices from 0..n-1, uniformly, in the order drawn (partial Fisher–Yates; sparse for k ≪ n so a
 * 100-row sample of a million rows does not allocate a million entries).
 */
export function sampleWithoutReplacement(n: number, k: number, rng: Rng): number[] {
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`cannot sample ${k} of ${n} items without replacement`);
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const vj = swapped.get(j) ?? j;
    const vi = swapped.get(i) ?? i;
    swapped.set(j, vi);
    out.push(vj);
  }
  return out;
}
