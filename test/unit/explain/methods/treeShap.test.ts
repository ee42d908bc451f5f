/**
 * TreeSHAP against its definition: on random small ensembles (depth ≤ 4, ≤ 6 features, repeated features on a
 * path, all six node modes, missing values routed both ways) the values must equal KernelSHAP by full
 * enumeration of the same interventional game over the same weighted background.
 */
import * as assert from 'node:assert/strict';
import type { Matrix, Tree, TreeEnsemble } from '../../../../shared/explain/types';
import { kernelShap } from '../../../../shared/explain/methods/kernelShap';
import { createRng } from '../../../../shared/explain/methods/random';
import { evaluateEnsemble, treeShap, treeShapUnsupported } from '../../../../shared/explain/methods/treeShap';
import { discreteMatrix, efficiencyResidual, ensemblePredictor, maxAbsDiff, randomEnsemble } from './fixtures';

function weightedBackground(seed: number, rows: number, cols: number) {
  const rng = createRng(seed, 5);
  const x = discreteMatrix(rng, rows, cols);
  const w = Float64Array.from({ length: rows }, () => 0.2 + rng.float());
  const s = w.reduce((a, b) => a + b, 0);
  return { x, weights: w.map((v) => v / s) };
}

async function compare(e: TreeEnsemble, m: number, seed: number, pick: Parameters<typeof ensemblePredictor>[2], classIndex?: number) {
  const bg = weightedBackground(seed, 12, m);
  const x = discreteMatrix(createRng(seed, 6), 8, m);
  const tree = treeShap(e, x, bg, { classIndex });
  const kernel = await kernelShap(ensemblePredictor(e, m, pick, 'value'), x, bg, { seed });
  assert.equal(kernel.method, 'kernel-exact');
  assert.ok(maxAbsDiff(tree.values, kernel.values) < 1e-9, `tree vs kernel differ by ${maxAbsDiff(tree.values, kernel.values)}`);
  assert.ok(Math.abs(tree.baseValue - kernel.baseValue) < 1e-9);
  assert.ok(maxAbsDiff([tree.outputs], [kernel.outputs]) < 1e-9);
  assert.ok(efficiencyResidual(tree.values, tree.baseValue, tree.outputs) < 1e-9);
  return tree;
}

describe('explain/methods treeShap', () => {
  it('equals exact KernelSHAP on random regressor ensembles (SUM and AVERAGE)', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const m = 3 + (seed % 4); // 3..6 features
      const e = randomEnsemble(seed, { trees: 2 + (seed % 3), spec: { features: m, maxDepth: 4, targets: 1 }, aggregate: seed % 2 ? 'SUM' : 'AVERAGE' });
      const r = await compare(e, m, seed, { raw: 0 });
      assert.equal(r.outputSpace, 'value');
    }
  });

  it('equals exact KernelSHAP in probability space for a NONE classifier with probability leaves', async () => {
    for (let seed = 11; seed <= 14; seed++) {
      const e = randomEnsemble(seed, { op: 'TreeEnsembleClassifier', trees: 4, aggregate: 'AVERAGE', baseValues: new Float64Array(3), spec: { features: 6, maxDepth: 4, targets: 3, positiveLeaves: true } });
      const r = await compare(e, 6, seed, { output: 2 }, 2);
      assert.equal(r.outputSpace, 'probability');
    }
  });

  it('equals exact KernelSHAP in margin space for LOGISTIC binary classifiers, for either class', async () => {
    for (let seed = 21; seed <= 24; seed++) {
      const e = randomEnsemble(seed, { op: 'TreeEnsembleClassifier', trees: 5, postTransform: 'LOGISTIC', spec: { features: 5, maxDepth: 4, targets: 1 } });
      const pos = await compare(e, 5, seed, { raw: 0 }, 1);
      assert.equal(pos.outputSpace, 'margin');
      const neg = await compare(e, 5, seed, { raw: 0, sign: -1 }, 0);
      assert.ok(maxAbsDiff(pos.values, neg.values.map((r) => r.map((v) => -v))) < 1e-12);
      // The margin explained is the logit of the probability the model outputs.
      const x = discreteMatrix(createRng(seed, 6), 8, 5);
      const probs = evaluateEnsemble(e, x).output;
      pos.outputs.forEach((s, r) => assert.ok(Math.abs(1 / (1 + Math.exp(-s)) - probs.data[r * 2 + 1]) < 1e-12));
    }
  });

  it('explains one class of a SOFTMAX multi-class ensemble in margin space', async () => {
    const e = randomEnsemble(31, { op: 'TreeEnsembleClassifier', trees: 3, postTransform: 'SOFTMAX', spec: { features: 4, maxDepth: 3, targets: 3 } });
    const r = await compare(e, 4, 31, { raw: 1 }, 1);
    assert.equal(r.outputSpace, 'margin');
  });

  it('gives zero to a feature no tree tests, and refuses MIN/MAX aggregation', () => {
    const e = randomEnsemble(41, { trees: 3, spec: { features: 3, maxDepth: 3, targets: 1 } }); // tests features 0..2 only
    const bg = weightedBackground(41, 10, 4);
    const x = discreteMatrix(createRng(41, 6), 6, 4);
    const r = treeShap(e, x, bg);
    r.values.forEach((row) => assert.equal(row[3], 0));
    assert.match(treeShapUnsupported({ ...e, aggregate: 'MAX' }) ?? '', /not additive/);
    assert.throws(() => treeShap({ ...e, aggregate: 'MIN' }, x, bg), /TreeSHAP cannot explain/);
  });
});

describe('explain/methods evaluateEnsemble', () => {
  // x0 <= 1 ? (x1 == 2 ? 10 : 20) : 30, with NaN in x0 going to the true branch, x1 NaN to the false branch.
  const tree: Tree = {
    feature: Int32Array.from([0, 1, -1, -1, -1]),
    threshold: Float64Array.from([1, 2, 0, 0, 0]),
    mode: ['BRANCH_LEQ', 'BRANCH_EQ', 'LEAF', 'LEAF', 'LEAF'],
    trueChild: Int32Array.from([1, 2, -1, -1, -1]),
    falseChild: Int32Array.from([4, 3, -1, -1, -1]),
    missingTracksTrue: Uint8Array.from([1, 0, 0, 0, 0]),
    leafValues: Float64Array.from([0, 0, 10, 20, 30]),
  };
  const rows: Matrix = { rows: 5, cols: 2, data: Float64Array.from([0, 2, 0, 3, 5, 2, NaN, 2, 1, NaN]) };
  const base: TreeEnsemble = { op: 'TreeEnsembleRegressor', trees: [tree, tree], targets: 1, baseValues: Float64Array.from([0.5]), aggregate: 'SUM', postTransform: 'NONE', inputName: 'X' };

  it('follows node modes and missing-value routing, aggregates and adds base values', () => {
    assert.deepEqual(Array.from(evaluateEnsemble(base, rows).output.data), [20.5, 40.5, 60.5, 20.5, 40.5]);
    assert.deepEqual(Array.from(evaluateEnsemble({ ...base, aggregate: 'AVERAGE' }, rows).output.data), [10.5, 20.5, 30.5, 10.5, 20.5]);
    assert.deepEqual(Array.from(evaluateEnsemble({ ...base, aggregate: 'MAX', trees: [tree] }, rows).raw.data), [10.5, 20.5, 30.5, 10.5, 20.5]);
  });

  it('applies the post transform; a one-column binary classifier gets two columns', () => {
    const clf: TreeEnsemble = { ...base, op: 'TreeEnsembleClassifier', baseValues: Float64Array.from([-20]), postTransform: 'LOGISTIC' };
    const out = evaluateEnsemble(clf, rows).output; // margins 0, 20, 40, 0, 20
    assert.equal(out.cols, 2);
    assert.ok(Math.abs(out.data[1] - 0.5) < 1e-15 && Math.abs(out.data[0] - 0.5) < 1e-15);
    assert.ok(Math.abs(out.data[3] - 1 / (1 + Math.exp(-20))) < 1e-15);
    const soft: TreeEnsemble = { ...base, targets: 2, baseValues: new Float64Array(2), postTransform: 'SOFTMAX', trees: [{ ...tree, leafValues: Float64Array.from([0, 0, 0, 0, 1, 0, 0, 1, 0, 0]) }] };
    const s = evaluateEnsemble(soft, rows).output;
    assert.ok(Math.abs(s.data[0] - Math.E / (Math.E + 1)) < 1e-15); // row 0 → leaf 2 → [1, 0]
    const probit: TreeEnsemble = { ...base, trees: [{ ...tree, leafValues: Float64Array.from([0, 0, 0.975, 0.5, 0.025]) }], baseValues: new Float64Array(1), postTransform: 'PROBIT' };
    const p = evaluateEnsemble(probit, rows).output.data;
    assert.ok(Math.abs(p[0] - 1.959963984540054) < 1e-9 && Math.abs(p[1]) < 1e-12 && Math.abs(p[2] + 1.959963984540054) < 1e-9);
  });

  it('rounds inputs to float32 before the tests unless told not to', () => {
    const t: Tree = { ...tree, threshold: Float64Array.from([Math.fround(0.1), 2, 0, 0, 0]) };
    const e: TreeEnsemble = { ...base, trees: [t], baseValues: new Float64Array(1) };
    const x: Matrix = { rows: 1, cols: 2, data: Float64Array.from([Math.fround(0.1) + 1e-10, 2]) }; // above the threshold in float64, equal to it in float32
    assert.equal(evaluateEnsemble(e, x).output.data[0], 10);
    assert.equal(evaluateEnsemble(e, x, { float32Inputs: false }).output.data[0], 30);
  });

  it('names a broken tree', () => {
    const broken: Tree = { ...tree, trueChild: Int32Array.from([1, 9, -1, -1, -1]) };
    assert.throws(() => evaluateEnsemble({ ...base, trees: [broken] }, rows), /tree 0 node 1: child 9/);
  });
});
