/**
 * Both runtimes on every fixture: predictions match the closed form / the JS tree evaluation, and each other
 * to 1e-5. Also measures predict() throughput on a 100-tree ensemble x 10,000 rows (printed).
 */
import assert from 'node:assert/strict';
import { createPredictor } from '../../../../shared/explain/onnx/backend';
import { readModelInfo } from '../../../../shared/explain/onnx/modelInfo';
import { requireOrtNode } from '../../../../shared/explain/onnx/nodeBackend';
import { findWasmDir } from '../../../../shared/explain/onnx/webBackend';
import type { BackendName, Matrix } from '../../../../shared/explain/types';
import {
  linearRegressionModel, logisticRegressionModel, randomTrees, rng, treeClassifierModel, treeRegressorModel, writeModel,
} from '../onnxWriter';
import { predictOne } from './evalTrees';

const BACKENDS: BackendName[] = ['web', 'node'];

function randomMatrix(rows: number, cols: number, seed: number, nanRate = 0): Matrix {
  const r = rng(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = r() < nanRate ? NaN : Math.round((r() * 2.4 - 1.2) * 1e4) / 1e4;
  return { rows, cols, data };
}

const names = (n: number): string[] => Array.from({ length: n }, (_, k) => `f${k}`);

async function predictBoth(bytes: Uint8Array, x: Matrix, opts: { classIndex?: number; outputName?: string } = {}) {
  const info = readModelInfo(bytes);
  const out: Record<string, { y: Float64Array; p: Awaited<ReturnType<typeof createPredictor>> }> = {};
  for (const backend of BACKENDS) {
    const p = await createPredictor(bytes, info, { backend, featureNames: names(x.cols), ...opts });
    out[backend] = { y: await p.predict(x), p };
    await p.close();
  }
  return { info, web: out.web, node: out.node };
}

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  let worst = 0, at = -1;
  for (let i = 0; i < a.length; i++) { const d = Math.abs(a[i] - b[i]); if (!(d <= worst)) { worst = d; at = i; } }
  assert.ok(worst <= tol, `${what}: max |diff| ${worst} at row ${at} (${a[at]} vs ${b[at]}) > ${tol}`);
}

describe('explain/onnx backends (onnxruntime-web and onnxruntime-node)', function () {
  this.timeout(120000);

  it('finds the wasm files of onnxruntime-web', () => {
    assert.match(findWasmDir(), /onnxruntime-web[\\/]dist$/);
  });

  it('linear regression (MatMul+Add): both runtimes equal the closed form', async () => {
    const coef = [0.5, -2, 3, 0.25], b = 0.75;
    const x = randomMatrix(500, 4, 1);
    const { web, node } = await predictBoth(linearRegressionModel(coef, b), x);
    const expect = Array.from({ length: x.rows }, (_, r) => coef.reduce((s, c, j) => s + c * Math.fround(x.data[r * 4 + j]), b));
    assertClose(web.y, expect, 1e-5, 'web vs closed form');
    assertClose(node.y, web.y, 1e-5, 'node vs web');
    assert.equal(web.p.outputSpace, 'value');
    assert.equal(web.p.explainedClass, undefined);
  });

  for (const zipMap of [false, true]) {
    it(`logistic regression (LinearClassifier${zipMap ? ' + ZipMap' : ''}): P(class 1) from both runtimes`, async () => {
      const coef = [1.25, -0.5, 2], b = -0.3;
      const x = randomMatrix(400, 3, 2);
      const { web, node } = await predictBoth(logisticRegressionModel(coef, b, { zipMap }), x);
      const expect = Array.from({ length: x.rows }, (_, r) => 1 / (1 + Math.exp(-coef.reduce((s, c, j) => s + c * Math.fround(x.data[r * 3 + j]), b))));
      assertClose(web.y, expect, 1e-5, 'web vs sigmoid');
      assertClose(node.y, web.y, 1e-5, 'node vs web');
      assert.equal(web.p.outputSpace, 'probability');
      assert.deepEqual(web.p.explainedClass, { index: 1, label: 1 });
      assert.equal(web.p.fetchedOutput, 'probabilities');
      assert.equal(web.p.outputName, zipMap ? 'output_probability' : 'probabilities');
    });
  }

  it('explains class 0 on request, with string labels', async () => {
    const x = randomMatrix(50, 2, 3);
    const { web, node } = await predictBoth(logisticRegressionModel([1, 1], 0, { zipMap: true, labels: ['no', 'yes'] }), x, { classIndex: 0 });
    assert.deepEqual(web.p.explainedClass, { index: 0, label: 'no' });
    for (let r = 0; r < x.rows; r++) assert.ok(Math.abs(web.y[r] - 1 / (1 + Math.exp(Math.fround(x.data[2 * r]) + Math.fround(x.data[2 * r + 1])))) < 1e-5);
    assertClose(node.y, web.y, 1e-5, 'node vs web');
  });

  it('TreeEnsembleRegressor with mixed branch modes and missing values: equals the JS evaluation', async () => {
    const ft = randomTrees({ count: 20, depth: 4, features: 5, targets: [0], seed: 21, mixedModes: true });
    const x = randomMatrix(1000, 5, 4, 0.05);
    const { info, web, node } = await predictBoth(treeRegressorModel(ft, { features: 5, base: [0.5] }), x);
    const expect = Array.from({ length: x.rows }, (_, r) => predictOne(info.treeEnsemble!, x.data.subarray(r * 5, r * 5 + 5)));
    assertClose(web.y, expect, 1e-5, 'web vs JS trees');
    assertClose(node.y, web.y, 1e-5, 'node vs web');
  });

  it('TreeEnsembleRegressor with double (_as_tensor) attributes and AVERAGE', async () => {
    const ft = randomTrees({ count: 6, depth: 3, features: 3, targets: [0], seed: 8 });
    const x = randomMatrix(300, 3, 9);
    const { info, web, node } = await predictBoth(treeRegressorModel(ft, { features: 3, base: [1], asTensor: true, aggregate: 'AVERAGE' }), x);
    const expect = Array.from({ length: x.rows }, (_, r) => predictOne({ ...info.treeEnsemble! }, x.data.subarray(r * 3, r * 3 + 3)));
    assertClose(web.y, expect, 1e-5, 'web vs JS trees');
    assertClose(node.y, web.y, 1e-5, 'node vs web');
  });

  it('TreeEnsembleClassifier, binary, two columns + ZipMap (random forest as skl2onnx emits it)', async () => {
    const ft = randomTrees({ count: 10, depth: 3, features: 4, targets: [0, 1], seed: 31, leaf: (r) => Math.round(r() * 100) / 1000 });
    const x = randomMatrix(800, 4, 5);
    const { info, web, node } = await predictBoth(treeClassifierModel(ft, { features: 4, labels: [0, 1], postTransform: 'NONE', zipMap: true }), x);
    assert.equal(info.treeEnsemble!.targets, 2);
    const expect = Array.from({ length: x.rows }, (_, r) => predictOne(info.treeEnsemble!, x.data.subarray(r * 4, r * 4 + 4)));
    assertClose(web.y, expect, 1e-5, 'web vs JS trees');
    assertClose(node.y, web.y, 1e-5, 'node vs web');
    assert.equal(web.p.outputSpace, 'probability');
  });

  for (const post of ['LOGISTIC', 'NONE'] as const) {
    it(`TreeEnsembleClassifier, binary one-column (${post}) + ZipMap: the column is the positive class`, async () => {
      const positive = post === 'NONE';
      const ft = randomTrees({ count: 8, depth: 3, features: 3, targets: [0], seed: 41, leaf: positive ? (r) => Math.round(r() * 100) / 1000 : undefined });
      const x = randomMatrix(600, 3, 6);
      const { info, web, node } = await predictBoth(treeClassifierModel(ft, { features: 3, labels: [0, 1], postTransform: post, base: positive ? undefined : [-0.2], zipMap: true }), x);
      assert.equal(info.treeEnsemble!.targets, 1);
      const expect = Array.from({ length: x.rows }, (_, r) => predictOne(info.treeEnsemble!, x.data.subarray(r * 3, r * 3 + 3)));
      assertClose(web.y, expect, 1e-5, 'web vs JS trees');
      assertClose(node.y, web.y, 1e-5, 'node vs web');
    });
  }

  it('refuses custom domains, unknown outputs, multiclass without a class, and names the fix', async () => {
    const custom = writeModel({
      opsets: [{ domain: '', version: 15 }, { domain: 'com.example', version: 1 }],
      inputs: [{ name: 'X', elem: 'float', shape: ['N', 1] }], outputs: [{ name: 'Y', elem: 'float', shape: ['N', 1] }],
      nodes: [{ op: 'Magic', domain: 'com.example', inputs: ['X'], outputs: ['Y'] }],
    });
    await assert.rejects(createPredictor(custom, readModelInfo(custom), { backend: 'web', featureNames: ['a'] }), /custom domains \(com\.example\)/);
    const lin = linearRegressionModel([1, 2], 0);
    await assert.rejects(createPredictor(lin, readModelInfo(lin), { backend: 'web', featureNames: ['a', 'b'], outputName: 'nope' }), /no output "nope"; its outputs are: Y/);
    await assert.rejects(createPredictor(lin, readModelInfo(lin), { backend: 'web', featureNames: ['a'] }), /takes 2 features but 1 were given/);
    await assert.rejects(createPredictor(lin, readModelInfo(lin), { backend: 'gpu' as BackendName, featureNames: ['a', 'b'] }), /`backend` input is "gpu"/);
    const ft = randomTrees({ count: 2, depth: 2, features: 2, targets: [0, 1, 2], seed: 1 });
    const multi = treeClassifierModel(ft, { features: 2, labels: [10, 20, 30], postTransform: 'SOFTMAX', zipMap: true });
    await assert.rejects(createPredictor(multi, readModelInfo(multi), { backend: 'web', featureNames: ['a', 'b'] }), /3 classes \(10, 20, 30\); choose the class/);
    const p = await createPredictor(multi, readModelInfo(multi), { backend: 'web', featureNames: ['a', 'b'], classIndex: 2 });
    assert.deepEqual(p.explainedClass, { index: 2, label: 30 });
    const y = await p.predict(randomMatrix(10, 2, 1));
    assert.ok(y.every((v) => v > 0 && v < 1));
    await assert.rejects(p.predict({ rows: 1, cols: 3, data: new Float64Array(3) }), /3 columns for 2 features/);
    await p.close();
  });

  it('names the `backend` input when onnxruntime-node cannot be found', () => {
    assert.throws(() => requireOrtNode(['/nonexistent/dir/x.js']), /`backend` input is `node`.*not installed.*ONNXRUNTIME_NODE_INSTALL=skip/);
  });

  it('throughput: 100-tree TreeEnsembleRegressor x 10,000 rows, both runtimes', async function () {
    const ft = randomTrees({ count: 100, depth: 6, features: 10, targets: [0], seed: 77, mixedModes: false, missing: false });
    const bytes = treeRegressorModel(ft, { features: 10 });
    const info = readModelInfo(bytes);
    const x = randomMatrix(10000, 10, 12);
    const results: Record<string, Float64Array> = {};
    const lines: string[] = [];
    for (const backend of BACKENDS) {
      const t0 = performance.now();
      const p = await createPredictor(bytes, info, { backend, featureNames: names(10) });
      const created = performance.now() - t0;
      results[backend] = await p.predict(x); // warm-up
      const times: number[] = [];
      for (let k = 0; k < 5; k++) { const t = performance.now(); await p.predict(x); times.push(performance.now() - t); }
      await p.close();
      times.sort((a, b) => a - b);
      const med = times[2];
      lines.push(`${backend}: session ${created.toFixed(0)} ms, predict(10,000 rows) median ${med.toFixed(1)} ms (best ${times[0].toFixed(1)}) = ${(10000 / med * 1000 / 1e6).toFixed(2)} M rows/s`);
    }
    console.log(`      throughput, 100 trees (depth 6) x 10 features:\n        ${lines.join('\n        ')}`);
    assertClose(results.node, results.web, 1e-5, 'node vs web');
    const expect = Array.from({ length: 200 }, (_, r) => predictOne(info.treeEnsemble!, x.data.subarray(r * 10, r * 10 + 10)));
    assertClose(results.web.subarray(0, 200), expect, 1e-4, 'web vs JS trees (first 200 rows)');
  });
});
