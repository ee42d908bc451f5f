import * as assert from 'node:assert/strict';
import { explainModel } from '../../../../shared/explain/methods/explain';
import { computePerformance, defaultBins, histogram, sampleRows } from '../../../../shared/explain/methods/performance';
import type { Matrix } from '../../../../shared/explain/types';
import { fnPredictor, names } from './fixtures';

const close = (a: number[], b: number[]) => assert.deepEqual(a.map((v) => Number(v.toFixed(9))), b);

describe('explain performance data (target distribution, confusion, histograms, scatter)', () => {
  it('histogram: equal-width bins, last bin closed, values on an edge open that bin, NaN skipped', () => {
    assert.deepEqual(histogram([1, 2, 3, 4, NaN], 3), { edges: [1, 2, 3, 4], counts: [1, 1, 2] });
    const p = histogram([0, 0.1, 0.6, 0.3, 1], 10, [0, 1]);
    assert.equal(p.edges[6], 0.6);
    assert.deepEqual(p.counts, [1, 1, 0, 1, 0, 0, 1, 0, 0, 1]);
    assert.deepEqual(histogram([5, 5, 5], 2), { edges: [4.5, 5, 5.5], counts: [0, 3] });
    assert.deepEqual(histogram([NaN], 4), { edges: [], counts: [] });
    assert.throws(() => histogram([1], 0), /bins must be a whole number/);
    assert.equal(defaultBins(1), 5);
    assert.equal(defaultBins(2500), 13);
    assert.equal(defaultBins(1e9), 30);
  });

  it('regression: target and residual (actual − predicted) histograms, every row in the scatter', () => {
    const p = computePerformance('regression', [1, 2, 3, 4], [1.5, 2, 2, 5], { seed: 1, bins: 3 });
    assert.deepEqual(p.targetDistribution, { edges: [1, 2, 3, 4], counts: [1, 1, 2] });
    // residuals −0.5, 0, 1, −1 over [−1, 1] in thirds
    close(p.residualHistogram!.edges, [-1, -0.333333333, 0.333333333, 1]);
    assert.deepEqual(p.residualHistogram!.counts, [2, 1, 1]);
    assert.deepEqual(p.predictedVsActual, { actual: [1, 2, 3, 4], predicted: [1.5, 2, 2, 5] });
    assert.equal(p.confusion, undefined);
  });

  it('regression scatter: at most 500 distinct rows in row order, the same for a seed, other rows for another', () => {
    const y = Float64Array.from({ length: 2000 }, (_, i) => i);
    const a = computePerformance('regression', y, y, { seed: 3 }).predictedVsActual!;
    const b = computePerformance('regression', y, y, { seed: 3 }).predictedVsActual!;
    const c = computePerformance('regression', y, y, { seed: 4 }).predictedVsActual!;
    assert.equal(a.actual.length, 500);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.actual, c.actual);
    assert.ok(a.actual.every((v, i) => i === 0 || v > a.actual[i - 1]), 'ascending, no repeats');
    assert.deepEqual(sampleRows(3, 500, 1), [0, 1, 2]);
  });

  it('binary classification: confusion at 0.5 on the explained class, class counts, probability histogram by true class', () => {
    const p = computePerformance('classification', [0, 0, 1, 1, 1], [0.1, 0.6, 0.4, 0.5, 0.9], { seed: 1, classLabels: ['no', 'yes'] });
    assert.deepEqual(p.targetDistribution, { labels: ['no', 'yes'], counts: [2, 3] });
    assert.deepEqual(p.confusion, { labels: ['no', 'yes'], matrix: [[1, 1], [1, 2]], threshold: 0.5 });
    assert.deepEqual(p.probabilityHistogram!.labels, ['no', 'yes']);
    assert.deepEqual(p.probabilityHistogram!.countsByClass, [[0, 1, 0, 0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 0, 1, 1, 0, 0, 0, 1]]);
    assert.equal(p.probabilityHistogram!.edges.length, 11);
    // Explained class 0: a probability ≥ 0.5 predicts class 0.
    const q = computePerformance('classification', [0, 1], [0.8, 0.3], { seed: 1, positiveClass: 0 });
    assert.deepEqual(q.confusion!.matrix, [[1, 0], [0, 1]]);
    assert.deepEqual(q.targetDistribution, { labels: [0, 1], counts: [1, 1] });
  });

  it('multiclass: explained class against the rest with one probability column; argmax with all columns', () => {
    const y = [0, 1, 2, 2];
    const one = computePerformance('classification', y, [0.7, 0.2, 0.9, 0.3], { seed: 1, classLabels: ['a', 'b', 'c'], positiveClass: 2 });
    assert.deepEqual(one.confusion, { labels: ['not c', 'c'], matrix: [[1, 1], [1, 1]], threshold: 0.5 });
    assert.deepEqual(one.targetDistribution, { labels: ['a', 'b', 'c'], counts: [1, 1, 2] });
    assert.equal(one.probabilityHistogram!.countsByClass.length, 3);
    const probs: Matrix = { rows: 4, cols: 3, data: Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.05, 0.05, 0.9, 0.2, 0.5, 0.3]) };
    const all = computePerformance('classification', y, [0.1, 0.6, 0.9, 0.3], { seed: 1, classLabels: ['a', 'b', 'c'], positiveClass: 2, probabilities: probs });
    assert.deepEqual(all.confusion, { labels: ['a', 'b', 'c'], matrix: [[1, 0, 0], [0, 0, 1], [0, 1, 1]] });
  });

  it('bad input: clear errors naming the problem', () => {
    assert.throws(() => computePerformance('regression', [1, 2], [1], { seed: 1 }), /2 targets but 1 predictions/);
    assert.throws(() => computePerformance('regression', [NaN], [1], { seed: 1 }), /no row has both a target and a prediction/);
    assert.throws(() => computePerformance('classification', [0, 1.5], [0.1, 0.2], { seed: 1 }), /row 1 has target 1\.5, not a class index/);
    assert.throws(() => computePerformance('classification', [0, 1], [0.1, 0.2], { seed: 1, positiveClass: 4 }), /explained class index 4/);
  });

  it('explainModel adds it from the predictions it scored, and leaves it out without a target', async () => {
    const f = names(2);
    const x: Matrix = { rows: 40, cols: 2, data: Float64Array.from({ length: 80 }, (_, i) => ((i * 7) % 11) / 5 - 1) };
    const y = Float64Array.from({ length: 40 }, (_, r) => (x.data[r * 2] + 0.3 * x.data[r * 2 + 1] > 0 ? 1 : 0));
    const predictor = fnPredictor(f, (row) => 1 / (1 + Math.exp(-3 * (row[0] + 0.3 * row[1]))), 'probability');
    const base = { predictor, model: { path: 'm.onnx', sha256: 'x', outputName: 'p', backend: 'web' as const }, taskType: 'classification' as const, target: 'y', seed: 5, options: { repeats: 1, explainRows: 4, pdFeatures: 0 } };
    const r = await explainModel({ ...base, data: { featureNames: f, x, y, classLabels: ['n', 'p'] } });
    const c = r.performance!.confusion!;
    assert.deepEqual(c.labels, ['n', 'p']);
    assert.equal(c.matrix[0][1] + c.matrix[1][0], 0, 'a perfect separator');
    assert.equal(c.matrix[1][1], r.performance!.targetDistribution.counts[1]);
    const none = await explainModel({ ...base, data: { featureNames: f, x } });
    assert.equal(none.performance, undefined);
  });
});
