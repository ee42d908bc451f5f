/** Linear closed form: equals the truth and KernelSHAP exact; logistic models in margin space, either class. */
import * as assert from 'node:assert/strict';
import type { LinearModel } from '../../../../shared/explain/types';
import { kernelShap } from '../../../../shared/explain/methods/kernelShap';
import { evaluateLinear, linearShap } from '../../../../shared/explain/methods/linearShap';
import { createRng } from '../../../../shared/explain/methods/random';
import { efficiencyResidual, fnPredictor, maxAbsDiff, names, randomMatrix } from './fixtures';

describe('explain/methods linearShap', () => {
  const rng = createRng(4);
  const bgx = randomMatrix(rng, 15, 5);
  const bg = { x: bgx, weights: Float64Array.from({ length: 15 }, (_, i) => (i + 1) / 120) };
  const x = randomMatrix(rng, 5, 5);

  it('matches exact KernelSHAP on the margin for a logistic classifier, for class 1 and class 0', async () => {
    const model: LinearModel = { coefficients: Float64Array.from([0.5, -1, 0, 2, 0.25]), intercepts: Float64Array.from([0.3]), targets: 1, postTransform: 'LOGISTIC' };
    const pos = linearShap(model, x, bg);
    assert.equal(pos.outputSpace, 'margin');
    const margin = (row: Float64Array) => evaluateLinear(model, { rows: 1, cols: 5, data: row }).raw.data[0];
    const k = await kernelShap(fnPredictor(names(5), margin, 'margin'), x, bg, { seed: 1 });
    assert.ok(maxAbsDiff(pos.values, k.values) < 1e-9);
    assert.ok(Math.abs(pos.baseValue - k.baseValue) < 1e-12);
    assert.ok(efficiencyResidual(pos.values, pos.baseValue, pos.outputs) < 1e-12);
    pos.values.forEach((row) => assert.equal(row[2], 0));
    const neg = linearShap(model, x, bg, { classIndex: 0 });
    assert.ok(maxAbsDiff(neg.values, pos.values.map((r) => r.map((v) => -v))) < 1e-15);
    // The probability output of class 1 is σ(margin).
    const out = evaluateLinear(model, x).output;
    pos.outputs.forEach((s, r) => assert.ok(Math.abs(out.data[r * 2 + 1] - 1 / (1 + Math.exp(-s))) < 1e-15));
  });

  it('explains the chosen target of a multi-target regressor in value space', () => {
    const model: LinearModel = { coefficients: Float64Array.from([1, 2, 3, 4, 5, -1, -2, -3, -4, -5]), intercepts: Float64Array.from([0, 1]), targets: 2, postTransform: 'NONE' };
    const r = linearShap(model, x, bg, { classIndex: 1 });
    assert.equal(r.outputSpace, 'value');
    const mean = [0, 1, 2, 3, 4].map((j) => Array.from({ length: 15 }, (_, b) => bg.weights[b] * bgx.data[b * 5 + j]).reduce((a, v) => a + v, 0));
    r.values.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - -(j + 1) * (x.data[i * 5 + j] - mean[j])) < 1e-12)));
    assert.throws(() => linearShap(model, x, bg, { classIndex: 2 }), /out of range: the model has 2 targets/);
  });
});
