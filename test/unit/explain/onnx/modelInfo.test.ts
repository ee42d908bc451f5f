import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ModelFormatError, readModelInfo } from '../../../../shared/explain/onnx/modelInfo';
import { stripZipMap } from '../../../../shared/explain/onnx/zipMap';
import { parseModel } from '../../../../shared/explain/onnx/graph';
import {
  linearRegressionModel, logisticRegressionModel, randomTrees, rng, treeClassifierModel, treeRegressorModel, writeModel,
} from '../onnxWriter';
import { predictOne, rawScores } from './evalTrees';

describe('explain/onnx/modelInfo', () => {
  it('reads a MatMul+Add linear regression: io, opsets, producer, hash, closed form', () => {
    const bytes = linearRegressionModel([0.5, -2, 3], 0.25);
    const info = readModelInfo(bytes);
    assert.equal(info.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(info.irVersion, 8);
    assert.equal(info.producer, 'test-writer 1.0');
    assert.deepEqual(info.opsets, [{ domain: '', version: 15 }]);
    assert.deepEqual(info.inputs, [{ name: 'X', kind: 'tensor', elemType: 'float', shape: ['N', 3] }]);
    assert.deepEqual(info.outputs, [{ name: 'Y', kind: 'tensor', elemType: 'float', shape: ['N', 1] }]);
    assert.deepEqual(info.customDomains, []);
    assert.deepEqual(info.zipMapOutputs, []);
    assert.equal(info.treeEnsemble, undefined);
    assert.deepEqual(Array.from(info.linear!.coefficients), [0.5, -2, 3]);
    assert.deepEqual(Array.from(info.linear!.intercepts), [0.25]);
    assert.equal(info.linear!.postTransform, 'NONE');
  });

  it('reads raw_data initializers and a Sigmoid head (logistic link)', () => {
    const info = readModelInfo(linearRegressionModel([1.5, -0.125], -1, { raw: true, sigmoid: true }));
    assert.deepEqual(Array.from(info.linear!.coefficients), [1.5, -0.125]);
    assert.deepEqual(Array.from(info.linear!.intercepts), [-1]);
    assert.equal(info.linear!.postTransform, 'LOGISTIC');
  });

  it('reads a LinearClassifier with ZipMap: seq(map) output, ZipMap flagged, labels, closed form', () => {
    const info = readModelInfo(logisticRegressionModel([1, -1], 0.5, { zipMap: true }));
    assert.deepEqual(info.outputs[1], { name: 'output_probability', kind: 'sequence', elemType: 'float' });
    assert.deepEqual(info.zipMapOutputs, ['output_probability']);
    assert.deepEqual(info.classLabels, [0, 1]);
    assert.equal(info.linear!.targets, 2);
    assert.deepEqual(Array.from(info.linear!.coefficients), [-1, 1, 1, -1]);
    assert.deepEqual(Array.from(info.linear!.intercepts), [-0.5, 0.5]);
    assert.equal(info.linear!.postTransform, 'LOGISTIC');
    const noZip = readModelInfo(logisticRegressionModel([1, -1], 0.5, { zipMap: false, labels: ['no', 'yes'] }));
    assert.deepEqual(noZip.zipMapOutputs, []);
    assert.deepEqual(noZip.classLabels, ['no', 'yes']);
    assert.equal(noZip.outputs[0].elemType, 'string');
  });

  it('extracts a TreeEnsembleRegressor that evaluates like the flat attributes', () => {
    const ft = randomTrees({ count: 5, depth: 3, features: 4, targets: [0], seed: 7, mixedModes: true });
    const info = readModelInfo(treeRegressorModel(ft, { features: 4, base: [0.5], aggregate: 'SUM' }));
    const e = info.treeEnsemble!;
    assert.equal(e.op, 'TreeEnsembleRegressor');
    assert.equal(e.trees.length, 5);
    assert.equal(e.targets, 1);
    assert.equal(e.inputName, 'input');
    assert.deepEqual(Array.from(e.baseValues), [0.5]);
    for (const t of e.trees) {
      assert.equal(t.mode.length, 15);
      assert.notEqual(t.mode[0], 'LEAF', 'node 0 is the root');
      for (let n = 0; n < 15; n++) if (t.mode[n] === 'LEAF') assert.equal(t.feature[n], -1);
    }
    // Leaf sums equal the weights written, per tree.
    const total = e.trees.reduce((s, t) => s + t.leafValues.reduce((a, b) => a + b, 0), 0);
    const written = ft.wValue.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - written) < 1e-5);
    assert.equal(info.linear, undefined);
  });

  it('reads *_as_tensor (double) attributes of ai.onnx.ml v3', () => {
    const ft = randomTrees({ count: 3, depth: 2, features: 2, targets: [0, 1], seed: 3 });
    const info = readModelInfo(treeRegressorModel(ft, { features: 2, targets: 2, base: [1, 2], asTensor: true, aggregate: 'AVERAGE' }));
    const e = info.treeEnsemble!;
    assert.equal(e.targets, 2);
    assert.equal(e.aggregate, 'AVERAGE');
    assert.deepEqual(Array.from(e.baseValues), [1, 2]);
    assert.equal(info.inputs[0].elemType, 'double');
    // Double thresholds keep full precision (the float attribute would round them).
    assert.ok(e.trees[0].threshold.some((v) => v !== 0));
  });

  it('TreeEnsembleClassifier: per-class leaves, and the binary one-column case as the positive class', () => {
    const two = randomTrees({ count: 4, depth: 2, features: 3, targets: [0, 1], seed: 11, leaf: (r) => Math.round(r() * 100) / 400 });
    const rf = readModelInfo(treeClassifierModel(two, { features: 3, labels: [0, 1], postTransform: 'NONE', zipMap: true }));
    assert.equal(rf.treeEnsemble!.targets, 2);
    assert.deepEqual(rf.treeEnsemble!.classLabels, [0, 1]);
    assert.deepEqual(rf.zipMapOutputs, ['output_probability']);
    const one = randomTrees({ count: 4, depth: 2, features: 3, targets: [0], seed: 12 });
    const gb = readModelInfo(treeClassifierModel(one, { features: 3, labels: [0, 1], postTransform: 'LOGISTIC', base: [0.3], zipMap: true }));
    assert.equal(gb.treeEnsemble!.targets, 1);
    assert.deepEqual(Array.from(gb.treeEnsemble!.baseValues), [Math.fround(0.3)]);
    const row = [0.1, -0.2, 0.3];
    const s = rawScores(gb.treeEnsemble!, row)[0];
    assert.ok(Math.abs(predictOne(gb.treeEnsemble!, row) - 1 / (1 + Math.exp(-s))) < 1e-12);
  });

  it('flags custom operator domains', () => {
    const bytes = writeModel({
      opsets: [{ domain: '', version: 15 }, { domain: 'com.microsoft', version: 1 }],
      inputs: [{ name: 'X', elem: 'float', shape: ['N', 2] }],
      outputs: [{ name: 'Y', elem: 'float', shape: ['N', 2] }],
      nodes: [{ op: 'FastGelu', domain: 'com.microsoft', inputs: ['X'], outputs: ['Y'] }, { op: 'MyOp', domain: 'org.example', inputs: ['X'], outputs: ['Z'] }],
    });
    assert.deepEqual(readModelInfo(bytes).customDomains, ['com.microsoft', 'org.example']);
  });

  it('strips ZipMap into a tensor output and leaves other bytes intact', () => {
    const bytes = logisticRegressionModel([1, -1], 0.5, { zipMap: true });
    const { bytes: out, replacements } = stripZipMap(bytes, parseModel(bytes).graph);
    assert.deepEqual([...replacements], [['output_probability', 'probabilities']]);
    const g = parseModel(out).graph;
    assert.deepEqual(g.outputs.map((o) => [o.name, o.kind, o.elemType]), [['label', 'tensor', 'int64'], ['probabilities', 'tensor', 'float']]);
    assert.ok(!g.nodes.some((n) => n.opType === 'ZipMap'));
    assert.equal(g.nodes.length, 2);
    const plain = linearRegressionModel([1], 0);
    assert.equal(stripZipMap(plain, parseModel(plain).graph).bytes, plain);
  });

  it('rejects empty, truncated and corrupted files with ModelFormatError only', function () {
    this.timeout(60000);
    assert.throws(() => readModelInfo(new Uint8Array(0)), /empty/);
    assert.throws(() => readModelInfo(new TextEncoder().encode('not an onnx file at all')), ModelFormatError);
    const ft = randomTrees({ count: 2, depth: 2, features: 3, targets: [0, 1], seed: 5 });
    const fixtures = [linearRegressionModel([1, 2], 3), logisticRegressionModel([1, 2], 0, { zipMap: true }), treeClassifierModel(ft, { features: 3, labels: [0, 1], postTransform: 'NONE', zipMap: true })];
    let rejected = 0, accepted = 0;
    const r = rng(99);
    for (const full of fixtures) {
      // Every truncation point, then random single-byte corruptions.
      const variants: Uint8Array[] = [];
      for (let n = 1; n < full.length; n++) variants.push(full.subarray(0, n));
      for (let k = 0; k < 300; k++) { const c = Uint8Array.from(full); c[Math.floor(r() * c.length)] = Math.floor(r() * 256); variants.push(c); }
      for (const v of variants) {
        try {
          readModelInfo(v);
          accepted++;
        } catch (e) {
          assert.ok(e instanceof ModelFormatError, `unexpected ${(e as Error).name}: ${(e as Error).message}`);
          rejected++;
        }
      }
    }
    assert.ok(rejected > 100, `rejected ${rejected}, accepted ${accepted}`);
  });
});
