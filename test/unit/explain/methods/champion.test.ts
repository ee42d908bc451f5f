/** Champion comparison: importance shares, shift per feature, max shift. */
import * as assert from 'node:assert/strict';
import { compareWithChampion, metricDeltas } from '../../../../shared/explain/methods/champion';

describe('explain/methods champion', () => {
  it('compares normalised importance and keeps the champion metrics', () => {
    const c = compareWithChampion(
      { featureNames: ['a', 'b', 'c'], mean: [3, 1, 0] },
      { model: { sha256: 'abc', version: '2' }, metrics: { rows: 10, r2: 0.8 }, importance: { featureNames: ['a', 'b', 'd'], mean: [1, -1, 2] } },
    );
    assert.deepEqual(c.importanceShift, { a: 0.75 - 0.25, b: 0.25 - 0.25, c: 0, d: -0.5 });
    assert.equal(c.maxShift, 0.5);
    assert.equal(c.metrics.r2, 0.8);
    assert.deepEqual(metricDeltas({ rows: 10, r2: 0.9, mae: 1 }, c.metrics), { r2: 0.9 - 0.8 });
    assert.equal(compareWithChampion({ featureNames: ['a'], mean: [0] }, { model: { sha256: 'x' }, metrics: { rows: 1 }, importance: { featureNames: ['a'], mean: [0] } }).maxShift, 0);
  });
});
