/** Permutation importance: a zero-weight feature scores 0, larger weights score more, one call per shuffle. */
import * as assert from 'node:assert/strict';
import type { FeatureData } from '../../../../shared/explain/types';
import { permutationImportance } from '../../../../shared/explain/methods/permutation';
import { createRng } from '../../../../shared/explain/methods/random';
import { fnPredictor, names, randomMatrix } from './fixtures';

function linearData(seed: number, w: number[], rows = 200): FeatureData {
  const rng = createRng(seed);
  const x = randomMatrix(rng, rows, w.length);
  const y = Float64Array.from({ length: rows }, (_, r) => w.reduce((a, wj, j) => a + wj * x.data[r * w.length + j], 0) + 0.1 * (rng.float() - 0.5));
  return { featureNames: names(w.length), x, y };
}

describe('explain/methods permutationImportance', () => {
  const w = [3, 0, 1, -0.5];
  const data = linearData(1, w);
  const model = () => fnPredictor(names(4), (row) => w.reduce((a, wj, j) => a + wj * row[j], 0));

  it('ranks by weight, gives a zero-weight feature 0, and calls the model once per (feature, repeat)', async () => {
    const p = model();
    const r = await permutationImportance(p, data, { repeats: 4, seed: 7, metric: 'r2' });
    assert.equal(p.calls, 1 + 4 * 4);
    assert.equal(r.metric, 'r2');
    assert.ok(r.baseline > 0.99);
    assert.equal(r.mean[1], 0);
    assert.equal(r.std[1], 0);
    assert.ok(r.mean[0] > r.mean[2] && r.mean[2] > r.mean[3] && r.mean[3] > 0, r.mean.join(', '));
    assert.ok(r.std[0] > 0);
  });

  it('turns loss metrics around so larger means more important, and is deterministic for a seed', async () => {
    const a = await permutationImportance(model(), data, { repeats: 3, seed: 7, metric: 'rmse' });
    const b = await permutationImportance(model(), data, { repeats: 3, seed: 7, metric: 'rmse' });
    const c = await permutationImportance(model(), data, { repeats: 3, seed: 8, metric: 'rmse' });
    assert.ok(a.mean[0] > 0);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.mean, c.mean);
  });

  it('scores classifiers on probabilities (margin predictors through the logistic)', async () => {
    const rng = createRng(3);
    const x = randomMatrix(rng, 300, 2);
    const y = Float64Array.from({ length: 300 }, (_, r) => (x.data[r * 2] + 0.3 * (rng.float() - 0.5) > 0 ? 1 : 0));
    const d: FeatureData = { featureNames: names(2), x, y };
    const logit = fnPredictor(names(2), (row) => 4 * row[0], 'margin');
    const r = await permutationImportance(logit, d, { repeats: 2, seed: 1, metric: 'logLoss' });
    assert.ok(r.mean[0] > 0.5 && r.mean[1] === 0);
  });

  it('says what is missing', async () => {
    await assert.rejects(permutationImportance(model(), { ...data, y: undefined }, { repeats: 2, seed: 1, metric: 'r2' }), /needs the target column/);
    await assert.rejects(permutationImportance(model(), data, { repeats: 0, seed: 1, metric: 'r2' }), /repeats must be an integer from 1/);
    const oneClass: FeatureData = { ...data, y: new Float64Array(data.x.rows).fill(1) };
    await assert.rejects(permutationImportance(model(), oneClass, { repeats: 2, seed: 1, metric: 'auc' }), /metric 'auc' is undefined/);
  });
});
