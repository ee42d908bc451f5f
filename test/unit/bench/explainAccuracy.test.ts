import * as assert from 'node:assert/strict';
import { absError, compareImportance, efficiencyResidual, meanAbs, ranks, spearman, topK } from '../../../bench/explainAccuracy';

describe('bench: explain accuracy figures', () => {
  it('measures mean and largest absolute error, and refuses matrices of different shapes', () => {
    assert.deepEqual(absError([[1, 2], [3, 4]], [[1, 2.5], [2, 4]]), { mean: 0.375, max: 1 });
    assert.throws(() => absError([[1]], [[1], [2]]), /1 rows against 2/);
    assert.throws(() => absError([[1, 2]], [[1]]), /row 0 has 2 values against 1/);
    assert.equal(meanAbs([[-1, 1], [2, -4]]), 2);
  });

  it('checks efficiency: base + Σφ against each output', () => {
    // Row 0: 0.5 + 0.3 − 0.8 = 0; row 1: 0.5 + 0.2 − 0.7 = 0 (up to round-off); then a row off by 0.1.
    assert.ok(efficiencyResidual([[0.1, 0.2], [0.3, -0.1]], 0.5, [0.8, 0.7]) < 1e-15);
    assert.ok(Math.abs(efficiencyResidual([[0.1, 0.2]], 0.5, [0.9]) - 0.1) < 1e-12);
    assert.throws(() => efficiencyResidual([[1]], 0, [1, 2]), /1 rows but 2 outputs/);
  });

  it('ranks with ties sharing the mean rank, and correlates ranks (Spearman)', () => {
    assert.deepEqual(ranks([10, 30, 20, 20]), [1, 4, 2.5, 2.5]);
    assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 400]), 1);
    assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
    assert.deepEqual(topK([0.1, 0.5, 0.5, 0.2], 2), [1, 2]);
  });

  it('compares two permutation importances within their shuffle noise', () => {
    const ours = { mean: [0.05, 0.01, 0, 0.002], std: [0.01, 0.004, 0, 0.001] };
    const ref = { mean: [0.06, 0.02, 0, 0.001], std: [0.01, 0.003, 0, 0.001] };
    const c = compareImportance(ours, ref, 2);
    assert.equal(c.features, 4);
    // Feature 0: |Δ| 0.01 ≤ √2·0.01; feature 1: |Δ| 0.01 > 0.005 (2 sd); feature 2: both exactly 0; feature 3: 0.001 ≤ 0.0014.
    assert.equal(c.withinSd, 3);
    assert.ok(Math.abs(c.worstSdRatio - 2) < 1e-9);
    assert.ok(Math.abs(c.maxAbsDiff - 0.01) < 1e-12);
    assert.equal(c.topOverlap, 2);
    assert.equal(c.spearman, 1);
    assert.throws(() => compareImportance(ours, { mean: [1], std: [1] }), /feature counts differ/);
  });
});
