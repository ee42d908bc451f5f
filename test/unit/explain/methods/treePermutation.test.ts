/**
 * Permutation importance from the trees against the model-call path on the same trees: same seed, same numbers
 * (to 1e-12) for regressors and classifiers (NONE, LOGISTIC, SOFTMAX; SUM, AVERAGE, MIN, MAX; every node mode;
 * missing values; float32 rounding of continuous inputs), in the predictor's output space; and explainModel
 * takes it only when the trees reproduce the runtime.
 */
import * as assert from 'node:assert/strict';
import type { FeatureData, Matrix, MetricName, ModelInfo, OutputSpace, PermutationImportance, TreeEnsemble } from '../../../../shared/explain/types';
import { explainModel, failureWarnings, type ExplainArgs } from '../../../../shared/explain/methods/explain';
import { permutationImportance } from '../../../../shared/explain/methods/permutation';
import { createRng, permutation } from '../../../../shared/explain/methods/random';
import { treePermutationImportance, treePermutationUnsupported, treeRowModel, type TreePermutationOptions } from '../../../../shared/explain/methods/treePermutation';
import { evaluateEnsemble } from '../../../../shared/explain/methods/treeShap';
import { discreteMatrix, ensemblePredictor, names, randomEnsemble, randomMatrix, type CountingPredictor } from './fixtures';

type Pick = Parameters<typeof ensemblePredictor>[2];

function closeTo(a: PermutationImportance, b: PermutationImportance, tol = 1e-12): void {
  assert.ok(Math.abs(a.baseline - b.baseline) <= tol, `baseline ${a.baseline} vs ${b.baseline}`);
  a.mean.forEach((m, j) => {
    assert.ok(Math.abs(m - b.mean[j]) <= tol, `feature ${j}: mean ${m} vs ${b.mean[j]}`);
    assert.ok(Math.abs(a.std[j] - b.std[j]) <= tol, `feature ${j}: std ${a.std[j]} vs ${b.std[j]}`);
  });
  assert.equal(a.mean.length, b.mean.length);
}

/** Labels from the model's own output with 15 % flipped, so every metric is defined and shuffles hurt. */
function labels(pred: Float64Array, threshold: number, seed: number): Float64Array {
  const rng = createRng(seed, 9);
  return pred.map((p) => ((p > threshold) !== (rng.float() < 0.15) ? 1 : 0));
}

async function both(e: TreeEnsemble, x: Matrix, pick: Pick, space: OutputSpace, metric: MetricName, y: Float64Array | ((p: Float64Array) => Float64Array), classIndex?: number) {
  const predictor = ensemblePredictor(e, x.cols, pick, space);
  const yy = typeof y === 'function' ? y(await predictor.predict(x)) : y;
  const data: FeatureData = { featureNames: names(x.cols), x, y: yy };
  const opts = { repeats: 3, seed: 17, metric, positiveClass: classIndex ?? 1 };
  const calls = await permutationImportance(predictor, data, opts);
  const r = await treePermutationImportance(e, data, { ...opts, classIndex, outputSpace: space });
  assert.ok('importance' in r, 'reason' in r ? r.reason : '');
  assert.equal(calls.method, 'model-calls');
  assert.equal(r.importance.method, 'tree');
  closeTo(r.importance, calls);
  return { tree: r.importance, calls, walked: r.walked };
}

describe('explain/methods treePermutationImportance', () => {
  it('equals the model-call path on regressors (SUM, AVERAGE, MIN, MAX; all node modes; missing values)', async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const m = 4 + (seed % 3);
      const aggregate = (['SUM', 'AVERAGE', 'MIN', 'MAX'] as const)[seed % 4];
      const e = randomEnsemble(seed, { trees: 3 + seed, aggregate, spec: { features: m, maxDepth: 5, targets: 1 } });
      const x = discreteMatrix(createRng(seed, 1), 60, m, 0.15);
      const y = (p: Float64Array) => p.map((v, i) => v + 0.3 * Math.sin(i));
      for (const metric of ['r2', 'rmse', 'mae'] as const) {
        const { tree } = await both(e, x, { raw: 0 }, 'value', metric, y);
        assert.ok(tree.mean.some((v) => v !== 0), `${aggregate} ${metric}: every importance is 0`);
      }
    }
  });

  it('equals the model-call path on continuous inputs, which it rounds to float32 as the runtime does', async () => {
    const e = randomEnsemble(3, { trees: 30, aggregate: 'AVERAGE', spec: { features: 6, maxDepth: 6, targets: 1, continuous: true } });
    // Values within float32 rounding of the thresholds: float64 and float32 comparisons disagree on some rows.
    const thresholds: number[][] = Array.from({ length: 6 }, () => []);
    for (const t of e.trees) t.feature.forEach((f, i) => { if (t.mode[i] !== 'LEAF') thresholds[f].push(t.threshold[i]); });
    const rng = createRng(4, 2);
    const x = randomMatrix(rng, 120, 6, (r, j) => (r.float() < 0.5 ? thresholds[j][r.int(thresholds[j].length)] + (r.float() - 0.5) * 1e-8 : r.float() * 4 - 2));
    await both(e, x, { raw: 0 }, 'value', 'r2', (p) => p.map((v, i) => v + 0.1 * Math.cos(i)));
    const unrounded = treeRowModel(e, x, { outputSpace: 'value', float32Inputs: false }).base;
    const rounded = treeRowModel(e, x, { outputSpace: 'value' }).base;
    assert.ok(rounded.some((v, i) => v !== unrounded[i]), 'the data should exercise float32 rounding');
  });

  it('equals the model-call path on probability-leaf classifiers (NONE, AVERAGE; binary one-column and 3 classes)', async () => {
    for (let seed = 11; seed <= 14; seed++) {
      const multi = seed % 2 === 0;
      const e = randomEnsemble(seed, {
        op: 'TreeEnsembleClassifier', trees: 12, aggregate: 'AVERAGE', baseValues: new Float64Array(multi ? 3 : 1),
        spec: { features: 5, maxDepth: 5, targets: multi ? 3 : 1, positiveLeaves: true },
      });
      const x = discreteMatrix(createRng(seed, 1), 80, 5);
      const cls = multi ? 2 : 1;
      for (const metric of ['auc', 'logLoss', 'accuracy', 'f1'] as const) {
        await both(e, x, { output: cls }, 'probability', metric, (p) => labels(p, median(p), seed).map((v) => (v ? cls : 0)), cls);
      }
    }
  });

  it('equals the model-call path on LOGISTIC and SOFTMAX classifiers, in probability and in margin space', async () => {
    for (let seed = 21; seed <= 23; seed++) {
      const e = randomEnsemble(seed, { op: 'TreeEnsembleClassifier', trees: 10, postTransform: 'LOGISTIC', spec: { features: 5, maxDepth: 4, targets: 1 } });
      const x = discreteMatrix(createRng(seed, 1), 70, 5);
      const y = (p: Float64Array) => labels(p, median(p), seed);
      await both(e, x, { output: 1 }, 'probability', 'auc', y, 1);
      await both(e, x, { raw: 0 }, 'margin', 'logLoss', y, 1);
      // Class 0 explained: the predictor answers −margin; labels count class 0 as positive.
      await both(e, x, { raw: 0, sign: -1 }, 'margin', 'auc', (p) => labels(p, median(p), seed), 0);
      const soft = randomEnsemble(seed, { op: 'TreeEnsembleClassifier', trees: 8, postTransform: 'SOFTMAX', spec: { features: 5, maxDepth: 4, targets: 3 } });
      await both(soft, x, { output: 0 }, 'probability', 'logLoss', (p) => labels(p, median(p), seed), 0);
    }
  });

  it('shuffled outputs are bit-identical to evaluating the shuffled matrix, with or without row-by-row leaf values', async () => {
    const cases: [TreeEnsemble, OutputSpace, number | undefined, Pick][] = [
      [randomEnsemble(41, { trees: 9, spec: { features: 5, maxDepth: 5, targets: 1 } }), 'value', undefined, { raw: 0 }],
      [randomEnsemble(42, { op: 'TreeEnsembleClassifier', trees: 9, aggregate: 'AVERAGE', baseValues: new Float64Array(3), spec: { features: 5, maxDepth: 5, targets: 3, positiveLeaves: true } }), 'probability', 1, { output: 1 }],
      [randomEnsemble(43, { op: 'TreeEnsembleClassifier', trees: 9, postTransform: 'LOGISTIC', spec: { features: 5, maxDepth: 5, targets: 1 } }), 'margin', 0, { raw: 0, sign: -1 }],
      [randomEnsemble(44, { op: 'TreeEnsembleClassifier', trees: 9, postTransform: 'SOFTMAX', spec: { features: 5, maxDepth: 5, targets: 3 } }), 'probability', 2, { output: 2 }],
    ];
    for (const [e, outputSpace, classIndex, pick] of cases) {
      const x = discreteMatrix(createRng(4, 1), 40, 5);
      const reference = ensemblePredictor(e, 5, pick, outputSpace);
      const a = treeRowModel(e, x, { outputSpace, classIndex });
      const b = treeRowModel(e, x, { outputSpace, classIndex, leafValuePairs: 0 });
      assert.deepEqual(a.base, await reference.predict(x));
      assert.deepEqual(b.base, a.base);
      const rng = createRng(5);
      for (let j = 0; j < 5; j++) {
        const perm = permutation(40, rng);
        const xs = { ...x, data: x.data.slice() };
        for (let r = 0; r < 40; r++) xs.data[r * 5 + j] = x.data[perm[r] * 5 + j];
        const want = await reference.predict(xs);
        assert.deepEqual(a.shuffled(j, perm), want);
        assert.deepEqual(b.shuffled(j, perm), want);
        assert.deepEqual(a.shuffled(j, perm), want, 'a shuffle leaves the model as it was');
      }
    }
  });

  it('walks only the rows whose path tests the shuffled feature: a feature no tree tests scores exactly 0', async () => {
    const e = randomEnsemble(7, { trees: 40, spec: { features: 20, maxDepth: 4, targets: 1, continuous: true } });
    const x = randomMatrix(createRng(7, 1), 100, 21); // column 20 is not a feature of any tree
    const { tree, walked } = await both(e, x, { raw: 0 }, 'value', 'r2', (p) => p.map((v, i) => v + 0.2 * Math.sin(i)));
    assert.equal(tree.mean[20], 0);
    assert.equal(tree.std[20], 0);
    // Re-evaluating every tree on every row per shuffle would walk all of these; a path tests ≤ 4 of 20 features.
    const everything = 21 * 3 * 40 * 100;
    assert.ok(walked < everything * 0.2, `walked ${walked} of ${everything} (tree, row) pairs`);
    assert.ok(walked > 0);
  });

  it('guards: returns a reason when the trees do not reproduce the runtime, accepts float32 output noise', async () => {
    const e = randomEnsemble(5, { trees: 10, spec: { features: 4, maxDepth: 4, targets: 1 } });
    const x = discreteMatrix(createRng(5, 1), 50, 4);
    const base = treeRowModel(e, x, { outputSpace: 'value' }).base;
    const data: FeatureData = { featureNames: names(4), x, y: base.map((v, i) => v + Math.sin(i)) };
    const opts: TreePermutationOptions = { repeats: 2, seed: 1, metric: 'r2', outputSpace: 'value' };
    const ok = await treePermutationImportance(e, data, { ...opts, runtimeOutputs: base.map(Math.fround) });
    assert.ok('importance' in ok);
    const off = await treePermutationImportance(e, data, { ...opts, runtimeOutputs: base.map((v, i) => (i === 7 ? v + 0.01 : v)) });
    assert.ok('reason' in off);
    assert.match(off.reason, /does not reproduce the runtime's outputs \(off by up to 1\.0e-2\)/);
    const nan = await treePermutationImportance(e, data, { ...opts, runtimeOutputs: base.map((v, i) => (i === 3 ? NaN : v)) });
    assert.ok('reason' in nan);
  });

  it('says what it cannot take, and checks the data as the model-call path does', async () => {
    const e = randomEnsemble(2, { trees: 4, spec: { features: 6, maxDepth: 3, targets: 1, continuous: true } });
    assert.equal(treePermutationUnsupported(e, { rows: 100, cols: 6 }), undefined);
    assert.match(treePermutationUnsupported(e, { rows: 6_000_000, cols: 6 })!, /6000000 rows × 4 trees is more than the 20,000,000 \(tree, row\) pairs/);
    assert.match(treePermutationUnsupported(e, { rows: 10, cols: 2 })!, /a tree tests feature [2-5] but the data has 2 columns/);
    assert.match(treePermutationUnsupported({ ...e, trees: [] }, { rows: 10, cols: 6 })!, /no trees/);
    const x = randomMatrix(createRng(2), 30, 6);
    const shared: TreeEnsemble = { ...e, trees: [{
      feature: Int32Array.from([0, -1]), threshold: Float64Array.from([0, 0]), mode: ['BRANCH_LEQ', 'LEAF'], trueChild: Int32Array.from([1, -1]),
      falseChild: Int32Array.from([1, -1]), missingTracksTrue: new Uint8Array(2), leafValues: Float64Array.from([0, 1]),
    }] };
    assert.throws(() => treeRowModel(shared, x, { outputSpace: 'value' }), /tree 0 node 0: a node has two parents/);
    const opts: TreePermutationOptions = { repeats: 2, seed: 1, metric: 'r2', outputSpace: 'value' };
    const narrow = await treePermutationImportance(e, { featureNames: names(2), x: randomMatrix(createRng(2), 30, 2), y: new Float64Array(30).map((_, i) => i) }, opts);
    assert.ok('reason' in narrow && /a tree tests feature [2-5] but the data has 2 columns/.test(narrow.reason));
    await assert.rejects(treePermutationImportance(e, { featureNames: names(6), x }, opts), /needs the target column/);
    await assert.rejects(treePermutationImportance(e, { featureNames: names(6), x, y: new Float64Array(30) }, { ...opts, repeats: 0 }), /repeats must be an integer from 1/);
    await assert.rejects(treePermutationImportance(e, { featureNames: names(6), x, y: new Float64Array(30) }, opts), /metric 'r2' is undefined/);
  });
});

function median(p: Float64Array): number {
  const s = Array.from(p).sort((a, b) => a - b);
  return s[s.length >> 1];
}

describe('explain/methods explainModel permutation importance path', () => {
  const info = (e: TreeEnsemble): ModelInfo => ({ sha256: 'f'.repeat(64), irVersion: 8, opsets: [], inputs: [], outputs: [], customDomains: [], zipMapOutputs: [], treeEnsemble: e });
  const model = { path: 'model.onnx', sha256: 'f'.repeat(64), outputName: 'probabilities', backend: 'web' as const };
  const e = randomEnsemble(31, { op: 'TreeEnsembleClassifier', trees: 25, aggregate: 'AVERAGE', baseValues: new Float64Array(1), spec: { features: 6, maxDepth: 5, targets: 1, positiveLeaves: true, continuous: true } });
  const x = randomMatrix(createRng(31, 1), 120, 6);
  const prob = (ens: TreeEnsemble): CountingPredictor => {
    const p = ensemblePredictor(ens, 6, { output: 1 }, 'probability');
    return Object.assign(p, { explainedClass: { index: 1, label: 1 } });
  };
  const p0 = evaluateEnsemble(e, x).output;
  const y = labels(Float64Array.from({ length: 120 }, (_, r) => p0.data[r * 2 + 1]), 0.5, 31);
  const args = (predictor: CountingPredictor, extra: Partial<ExplainArgs['options']> = {}): ExplainArgs => ({
    predictor, data: { featureNames: names(6), x, y }, modelInfo: info(e), model, taskType: 'classification', target: 'y', seed: 42,
    options: { repeats: 4, explainRows: 10, backgroundRows: 20, pdFeatures: 0, ...extra },
  });

  it('computes it from the trees when they reproduce the runtime: same numbers as model calls, one model call', async () => {
    const p = prob(e);
    const fast = await explainModel(args(p));
    assert.equal(fast.permutationImportance.method, 'tree');
    assert.equal(p.calls, 1, 'only the predictions call');
    const slowP = prob(e);
    const slow = await explainModel(args(slowP, { permutationMethod: 'model-calls' }));
    assert.equal(slow.permutationImportance.method, 'model-calls');
    assert.equal(slowP.calls, 1 + 1 + 6 * 4);
    closeTo(fast.permutationImportance, slow.permutationImportance);
    assert.deepEqual(fast.warnings, []);
    assert.equal(fast.shap.method, 'tree');
    const again = await explainModel(args(prob(e)));
    assert.deepEqual(again.permutationImportance, fast.permutationImportance);
  });

  it('falls back to model calls with a note when the trees do not reproduce the runtime', async () => {
    const other = randomEnsemble(32, { op: 'TreeEnsembleClassifier', trees: 25, aggregate: 'AVERAGE', baseValues: new Float64Array(1), spec: { features: 6, maxDepth: 5, targets: 1, positiveLeaves: true, continuous: true } });
    const p = prob(other); // the runtime runs a different forest than the graph we read
    const r = await explainModel(args(p));
    assert.equal(r.permutationImportance.method, 'model-calls');
    assert.match(r.warnings.join('\n'), /permutation importance not computed from the trees \(the tree ensemble read from the graph does not reproduce the runtime's outputs/);
    assert.deepEqual(failureWarnings(r.warnings), []);
    const direct = await permutationImportance(prob(other), { featureNames: names(6), x, y }, { repeats: 4, seed: 42, metric: 'auc', positiveClass: 1 });
    closeTo(r.permutationImportance, direct, 0);
  });

  it('takes the tree path for the champion when its graph is given', async () => {
    const champ = randomEnsemble(33, { op: 'TreeEnsembleClassifier', trees: 15, aggregate: 'AVERAGE', baseValues: new Float64Array(1), spec: { features: 6, maxDepth: 4, targets: 1, positiveLeaves: true, continuous: true } });
    const cp = prob(champ);
    const r = await explainModel({ ...args(prob(e)), champion: { predictor: cp, model: { sha256: 'c'.repeat(64) }, modelInfo: info(champ) } });
    assert.ok(r.champion);
    assert.equal(cp.calls, 1);
    const cp2 = prob(champ);
    const s = await explainModel({ ...args(prob(e)), champion: { predictor: cp2, model: { sha256: 'c'.repeat(64) } } });
    assert.equal(cp2.calls, 1 + 1 + 6 * 4);
    assert.ok(Math.abs(r.champion.maxShift - s.champion!.maxShift) < 1e-12);
  });
});
