/**
 * KernelSHAP against truths computed here: for a linear model (and a logistic model's logit) interventional SHAP
 * is w·(x − E_bg[x]); a zero-weight feature gets zero; efficiency holds on every row; the sampled estimate
 * approaches full enumeration as the budget grows; one model call per explained row.
 */
import * as assert from 'node:assert/strict';
import { kernelShap, sampleCoalitions, shapleyWeights } from '../../../../shared/explain/methods/kernelShap';
import { createRng } from '../../../../shared/explain/methods/random';
import { efficiencyResidual, fnPredictor, maxAbsDiff, names, randomMatrix } from './fixtures';

function weighted(seed: number, rows: number, cols: number) {
  const rng = createRng(seed, 3);
  const x = randomMatrix(rng, rows, cols);
  const w = Float64Array.from({ length: rows }, () => 0.1 + rng.float());
  const s = w.reduce((a, b) => a + b, 0);
  return { x, weights: w.map((v) => v / s) };
}

function linearTruth(w: number[], x: { rows: number; cols: number; data: Float64Array }, bg: ReturnType<typeof weighted>): number[][] {
  const mean = w.map((_, j) => Array.from({ length: bg.x.rows }, (_, b) => bg.weights[b] * bg.x.data[b * bg.x.cols + j]).reduce((a, v) => a + v, 0));
  return Array.from({ length: x.rows }, (_, r) => w.map((wj, j) => wj * (x.data[r * x.cols + j] - mean[j])));
}

function relErr(a: number[][], truth: number[][]): number {
  const scale = Math.max(...truth.flat().map(Math.abs));
  return maxAbsDiff(a, truth) / scale;
}

describe('explain/methods kernelShap', () => {
  const w = [1.5, -2, 0, 0.7, 3, -0.4, 0.05, 2.2];
  const m = w.length;
  const bg = weighted(1, 20, m);
  const x = randomMatrix(createRng(2), 6, m);

  it('exact enumeration of a linear model equals w·(x − E[x]); the zero-weight feature gets 0', async () => {
    const p = fnPredictor(names(m), (row) => 0.3 + w.reduce((a, wj, j) => a + wj * row[j], 0));
    const r = await kernelShap(p, x, bg, { seed: 1 });
    assert.equal(r.method, 'kernel-exact');
    assert.ok(relErr(r.values, linearTruth(w, x, bg)) < 1e-6, `relative error ${relErr(r.values, linearTruth(w, x, bg))}`);
    r.values.forEach((row) => assert.ok(Math.abs(row[2]) < 1e-12));
    assert.ok(efficiencyResidual(r.values, r.baseValue, r.outputs) < 1e-12);
    // One call for the background, one for the explained rows, one per explained row.
    assert.equal(p.calls, 2 + x.rows);
  });

  it('explains a logistic model on its logit exactly as the linear truth', async () => {
    const logit = (row: Float64Array) => -1 + w.reduce((a, wj, j) => a + wj * row[j], 0);
    const r = await kernelShap(fnPredictor(names(m), logit, 'margin'), x, bg, { seed: 1 });
    assert.ok(relErr(r.values, linearTruth(w, x, bg)) < 1e-6);
    // On the probability the values differ from the linear truth but still add up.
    const rp = await kernelShap(fnPredictor(names(m), (row) => 1 / (1 + Math.exp(-logit(row))), 'probability'), x, bg, { seed: 1 });
    assert.ok(efficiencyResidual(rp.values, rp.baseValue, rp.outputs) < 1e-12);
    rp.values.forEach((row) => assert.ok(Math.abs(row[2]) < 1e-12));
  });

  it('sampled KernelSHAP keeps efficiency exactly and approaches enumeration as the budget grows', async () => {
    const p = 12;
    const f = (row: Float64Array) => row[0] * row[1] + Math.sin(row[2]) * row[3] + row[4] ** 2 - row[5] * row[6] * row[7] + 0.5 * row[8] + Math.exp(0.3 * row[9]) * row[10] - row[11];
    const pred = fnPredictor(names(p), f);
    const b = weighted(5, 8, p);
    const xs = randomMatrix(createRng(6), 3, p);
    const exact = await kernelShap(pred, xs, b, { seed: 1, exactMaxFeatures: 12 });
    assert.equal(exact.method, 'kernel-exact');
    const errors: number[] = [];
    for (const budget of [60, 250, 1000, 3500]) {
      let err = 0;
      for (const seed of [1, 2, 3]) {
        const s = await kernelShap(pred, xs, b, { seed, exactMaxFeatures: 0, budget });
        assert.equal(s.method, 'kernel-sampled');
        assert.ok(s.samples! <= budget);
        assert.ok(efficiencyResidual(s.values, s.baseValue, s.outputs) < 1e-9);
        err += Math.sqrt(s.values.flat().reduce((a, v, i) => a + (v - exact.values.flat()[i]) ** 2, 0));
      }
      errors.push(err / 3);
    }
    assert.ok(errors[3] < errors[2] && errors[2] < errors[0] && errors[1] < errors[0], `errors by budget: ${errors.map((e) => e.toFixed(4)).join(', ')}`);
    assert.ok(errors[3] < 0.2 * errors[0], `errors by budget: ${errors.map((e) => e.toFixed(4)).join(', ')}`);
  });

  it('is deterministic for a seed and makes one call per row even when sampling', async () => {
    const p = 14;
    const pred = fnPredictor(names(p), (row) => row.reduce((a, v, j) => a + v * v * (j % 3) - v * row[(j + 1) % p], 0));
    const b = weighted(7, 5, p);
    const xs = randomMatrix(createRng(8), 2, p);
    const a1 = await kernelShap(pred, xs, b, { seed: 9 });
    const a2 = await kernelShap(pred, xs, b, { seed: 9 });
    const a3 = await kernelShap(pred, xs, b, { seed: 10 });
    assert.equal(a1.method, 'kernel-sampled');
    assert.equal(a1.samples, 2 * p + 2048);
    assert.deepEqual(a1.values, a2.values);
    assert.notDeepEqual(a1.values, a3.values);
    pred.calls = 0;
    await kernelShap(pred, xs, b, { seed: 9 });
    assert.equal(pred.calls, 2 + xs.rows);
  });

  it('splits a row batch only above the memory cap, with the same values', async () => {
    const p = fnPredictor(names(m), (row) => row[0] * row[1] + row[3]);
    const whole = await kernelShap(p, x, bg, { seed: 1 });
    p.calls = 0;
    const split = await kernelShap(p, x, bg, { seed: 1, maxBatchValues: 20 * m * 100 }); // 100 coalitions per call
    assert.equal(p.calls, 2 + x.rows * Math.ceil(254 / 100));
    assert.ok(maxAbsDiff(whole.values, split.values) < 1e-12);
  });

  it('gives 0 to features equal to every background value and everything to a lone varying feature', async () => {
    const b = { x: { rows: 2, cols: 3, data: Float64Array.from([1, 5, NaN, 2, 5, NaN]) }, weights: Float64Array.from([0.5, 0.5]) };
    const xs = { rows: 1, cols: 3, data: Float64Array.from([4, 5, NaN]) };
    const r = await kernelShap(fnPredictor(names(3), (row) => row[0] * row[1] + (Number.isNaN(row[2]) ? 1 : 0)), xs, b, { seed: 1 });
    assert.deepEqual(r.values, [[20 - 7.5, 0, 0]]);
  });

  it('samples coalitions with shap\'s scheme: full small sizes first, complements paired', () => {
    const s = sampleCoalitions(10, 100, createRng(1));
    assert.equal(s.count, 100);
    // Sizes 1 and 9 (20 coalitions) fit the budget and are enumerated first.
    for (let i = 0; i < 20; i++) {
      const ones = Array.from(s.masks.subarray(i * 10, i * 10 + 10)).reduce((a, v) => a + v, 0);
      assert.ok(ones === 1 || ones === 9);
    }
    assert.ok(Math.abs(s.weights.reduce((a, v) => a + v, 0) - 1) < 1e-12);
    const w = shapleyWeights(4);
    assert.deepEqual(Array.from(w).map((v) => Math.round(v * 1e12) / 1e12), [0.25, 1 / 12, 1 / 12, 0.25].map((v) => Math.round(v * 1e12) / 1e12));
  });
});
