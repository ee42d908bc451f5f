/** The seeded generator: reproducible, independent streams, unbiased helpers, clear seed errors. */
import * as assert from 'node:assert/strict';
import { checkSeed, createRng, permutation, sampleWithoutReplacement } from '../../../../shared/explain/methods/random';

describe('explain/methods random', () => {
  it('repeats for a seed and differs across seeds and streams', () => {
    const seq = (seed: number, stream = 0) => { const r = createRng(seed, stream); return Array.from({ length: 5 }, () => r.nextUint32()); };
    assert.deepEqual(seq(42), seq(42));
    assert.notDeepEqual(seq(42), seq(43));
    assert.notDeepEqual(seq(42, 0), seq(42, 1));
  });

  it('draws floats in [0, 1) and integers without bias', () => {
    const r = createRng(1);
    const counts = new Array(6).fill(0);
    let sum = 0;
    for (let i = 0; i < 60000; i++) {
      const f = r.float();
      assert.ok(f >= 0 && f < 1);
      sum += f;
      counts[r.int(6)]++;
    }
    assert.ok(Math.abs(sum / 60000 - 0.5) < 0.01);
    counts.forEach((c) => assert.ok(Math.abs(c - 10000) < 400, counts.join(',')));
  });

  it('permutes and samples without replacement', () => {
    const r = createRng(2);
    assert.deepEqual(Array.from(permutation(50, r)).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
    const s = sampleWithoutReplacement(1_000_000, 100, r);
    assert.equal(new Set(s).size, 100);
    assert.ok(s.every((v) => v >= 0 && v < 1_000_000));
    assert.throws(() => sampleWithoutReplacement(3, 4, r), /cannot sample 4 of 3/);
  });

  it('rejects seeds that are not whole numbers in range', () => {
    assert.throws(() => checkSeed(1.5), /seed must be an integer from 0 to 4294967295; got 1.5/);
    assert.throws(() => createRng(-1), /seed must be an integer/);
    assert.equal(checkSeed(0), 0);
  });
});
