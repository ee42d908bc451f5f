/** Background selection: all rows when few, seeded sample, k-means centres weighted by cluster size. */
import * as assert from 'node:assert/strict';
import { chooseBackground } from '../../../../shared/explain/methods/background';
import { createRng } from '../../../../shared/explain/methods/random';
import { randomMatrix } from './fixtures';

const sum = (w: Float64Array) => w.reduce((a, b) => a + b, 0);

describe('explain/methods chooseBackground', () => {
  const x = randomMatrix(createRng(1), 500, 3);

  it('keeps small data whole and samples large data reproducibly', () => {
    const all = chooseBackground({ ...x, rows: 50, data: x.data.subarray(0, 150) }, { seed: 1 });
    assert.equal(all.method, 'all');
    assert.equal(all.x.rows, 50);
    const a = chooseBackground(x, { seed: 1, maxRows: 40 });
    const b = chooseBackground(x, { seed: 1, maxRows: 40 });
    assert.equal(a.method, 'sample');
    assert.equal(a.x.rows, 40);
    assert.deepEqual(a.rowIndices, b.rowIndices);
    assert.equal(new Set(a.rowIndices).size, 40);
    assert.ok(Math.abs(sum(a.weights) - 1) < 1e-12);
    assert.notDeepEqual(chooseBackground(x, { seed: 2, maxRows: 40 }).rowIndices, a.rowIndices);
  });

  it('k-means finds well-separated clusters and weighs them by size', () => {
    const rng = createRng(3);
    const centres = [[0, 0], [10, 10], [-10, 10]];
    const sizes = [200, 100, 50];
    const rows: number[] = [];
    centres.forEach((c, k) => { for (let i = 0; i < sizes[k]; i++) rows.push(c[0] + rng.float() - 0.5, c[1] + rng.float() - 0.5); });
    const data = { rows: 350, cols: 2, data: Float64Array.from(rows) };
    const bg = chooseBackground(data, { seed: 4, maxRows: 3, method: 'kmeans' });
    assert.equal(bg.method, 'kmeans');
    assert.equal(bg.x.rows, 3);
    const found = Array.from({ length: 3 }, (_, i) => ({ x: bg.x.data[i * 2], y: bg.x.data[i * 2 + 1], w: bg.weights[i] })).sort((a, b) => b.w - a.w);
    found.forEach((f, k) => {
      assert.ok(Math.abs(f.x - centres[k][0]) < 0.5 && Math.abs(f.y - centres[k][1]) < 0.5, JSON.stringify(found));
      assert.ok(Math.abs(f.w - sizes[k] / 350) < 1e-12);
    });
    // Centres snap to values the data takes.
    for (const v of bg.x.data) assert.ok(rows.includes(v));
    assert.deepEqual(chooseBackground(data, { seed: 4, maxRows: 3, method: 'kmeans' }).x.data, bg.x.data);
  });

  it('falls back to a sample when k-means meets missing values, and rejects bad options', () => {
    const withNaN = { ...x, data: Float64Array.from(x.data, (v, i) => (i === 7 ? NaN : v)) };
    const bg = chooseBackground(withNaN, { seed: 1, maxRows: 10, method: 'kmeans' });
    assert.equal(bg.method, 'sample');
    assert.match(bg.note ?? '', /missing values/);
    assert.throws(() => chooseBackground(x, { seed: 1, maxRows: 0 }), /background rows must be a positive integer/);
    assert.throws(() => chooseBackground(x, { seed: 1, method: 'median' as never }), /'sample' or 'kmeans'/);
  });
});
