/** Partial dependence: a linear model's curve is a line with the coefficient's slope; grid rules; ICE lines. */
import * as assert from 'node:assert/strict';
import { mquantile, partialDependence, pdGrid } from '../../../../shared/explain/methods/partialDependence';
import { createRng } from '../../../../shared/explain/methods/random';
import { fnPredictor, names, randomMatrix } from './fixtures';

describe('explain/methods partialDependence', () => {
  const x = randomMatrix(createRng(1), 120, 3, (r, j) => (j === 2 ? r.int(3) : r.float() * 10));

  it('is a line with the coefficient as slope for a linear model, ICE lines parallel to it', async () => {
    const p = fnPredictor(names(3), (row) => 2.5 * row[0] - row[1] + 4 * row[2]);
    const pd = await partialDependence(p, x, 0, { seed: 1, iceRows: 5 });
    assert.equal(p.calls, 1);
    assert.equal(pd.grid.length, 20);
    for (let g = 1; g < pd.grid.length; g++) {
      const slope = (pd.average[g] - pd.average[g - 1]) / (pd.grid[g] - pd.grid[g - 1]);
      assert.ok(Math.abs(slope - 2.5) < 1e-9, `slope ${slope}`);
    }
    assert.equal(pd.ice!.length, 5);
    assert.equal(pd.iceRows!.length, 5);
    pd.ice!.forEach((line, i) => {
      const r = pd.iceRows![i];
      const offset = -x.data[r * 3 + 1] + 4 * x.data[r * 3 + 2];
      line.forEach((v, g) => assert.ok(Math.abs(v - (2.5 * pd.grid[g] + offset)) < 1e-9));
    });
    const again = await partialDependence(p, x, 0, { seed: 1, iceRows: 5 });
    assert.deepEqual(again.iceRows, pd.iceRows);
  });

  it('uses unique values for low-cardinality features and the 5–95 % quantiles otherwise', async () => {
    const pd = await partialDependence(fnPredictor(names(3), (row) => row[2]), x, 2, { seed: 1 });
    assert.deepEqual(pd.grid, [0, 1, 2]);
    assert.deepEqual(pd.average, [0, 1, 2]);
    assert.deepEqual(pdGrid([3, NaN, 1, 3, 2]), [1, 2, 3]);
    const values = Array.from({ length: 101 }, (_, i) => i); // scipy mquantiles(0..100, [.05, .95]) = [4.46, 95.54]
    const grid = pdGrid(values, 20);
    assert.ok(Math.abs(grid[0] - 4.46) < 1e-9 && Math.abs(grid[19] - 95.54) < 1e-9);
    assert.ok(Math.abs(mquantile(Float64Array.from([1, 2, 3, 4]), 0.5) - 2.5) < 1e-12);
  });

  it('samples rows above the cap, and names a feature without values', async () => {
    const p = fnPredictor(names(3), (row) => row[0]);
    const pd = await partialDependence(p, x, 0, { seed: 1, maxRows: 30, iceRows: 0 });
    assert.equal(pd.rowsUsed, 30);
    assert.equal(pd.ice, undefined);
    const empty = { rows: 2, cols: 3, data: Float64Array.from([NaN, 1, 1, NaN, 2, 2]) };
    await assert.rejects(partialDependence(p, empty, 0, { seed: 1 }), /feature f0 has no finite values/);
  });
});
