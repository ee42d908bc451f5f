import * as assert from 'node:assert/strict';
import { median, summarize } from '../stats';

describe('bench: statistics', () => {
  it('takes the middle value, or the mean of the two middle ones, without reordering its input', () => {
    const xs = [5, 1, 3];
    assert.equal(median(xs), 3);
    assert.deepEqual(xs, [5, 1, 3]);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]), /no samples/);
  });

  it('summarizes with one decimal', () => {
    assert.deepEqual(summarize([100.04, 250.36, 120.15]), { runs: 3, medianMs: 120.2, minMs: 100, maxMs: 250.4 });
  });
});
