/** explainModel: fast-path choice and its guard, warnings instead of throws, champion comparison, determinism. */
import * as assert from 'node:assert/strict';
import type { FeatureData, LinearModel, ModelInfo, TreeEnsemble } from '../../../../shared/explain/types';
import { explainModel, failureWarnings, NOT_COMPUTED, type ExplainArgs } from '../../../../shared/explain/methods/explain';
import { evaluateEnsemble } from '../../../../shared/explain/methods/treeShap';
import { createRng } from '../../../../shared/explain/methods/random';
import { efficiencyResidual, fnPredictor, matrixPredictor, names, randomEnsemble, randomMatrix } from './fixtures';

const info = (extra: Partial<ModelInfo>): ModelInfo => ({ sha256: 'f'.repeat(64), irVersion: 8, opsets: [], inputs: [], outputs: [], customDomains: [], zipMapOutputs: [], ...extra });
const model = { path: 'model.onnx', sha256: 'f'.repeat(64), outputName: 'variable', backend: 'web' as const };

describe('explain/methods explainModel', () => {
  const w = [2, 0, -1, 0.5];
  const rng = createRng(1);
  const x = randomMatrix(rng, 150, 4);
  const y = Float64Array.from({ length: 150 }, (_, r) => w.reduce((a, wj, j) => a + wj * x.data[r * 4 + j], 1) + 0.05 * (rng.float() - 0.5));
  const data: FeatureData = { featureNames: names(4), x, y };
  const linear: LinearModel = { coefficients: Float64Array.from(w), intercepts: Float64Array.from([1]), targets: 1, postTransform: 'NONE' };
  const predictor = () => fnPredictor(names(4), (row) => w.reduce((a, wj, j) => a + wj * row[j], 1));
  const base = (): ExplainArgs => ({ predictor: predictor(), data, model, taskType: 'regression', target: 'y', seed: 42, options: { repeats: 3, explainRows: 20, backgroundRows: 30, pdFeatures: 2 } });

  it('takes the linear fast path when the graph reproduces the runtime, and fills every section', async () => {
    const r = await explainModel({ ...base(), modelInfo: info({ linear }) });
    assert.equal(r.schema, 'mlops-gates/explanation@1');
    assert.equal(r.shap.method, 'linear');
    assert.equal(r.shap.outputSpace, 'value');
    assert.equal(r.shap.values.length, 20);
    assert.deepEqual(r.shap.background, { rows: 30, method: 'sample' });
    assert.ok(efficiencyResidual(r.shap.values, r.shap.baseValue, r.shap.outputs) < 1e-9);
    assert.ok(r.metrics.r2! > 0.99 && r.metrics.rows === 150);
    assert.equal(r.permutationImportance.mean[1], 0);
    assert.deepEqual(Object.keys(r.partialDependence), ['f0', 'f2']); // top two by importance
    assert.deepEqual(r.warnings, []);
    for (const k of ['predict', 'permutationImportance', 'shap', 'partialDependence', 'total']) assert.ok(typeof r.timings[k] === 'number', k);
  });

  it('falls back to KernelSHAP with a note when the graph disagrees with the runtime', async () => {
    const wrong: LinearModel = { ...linear, coefficients: Float64Array.from([2, 0, -1, 0.6]) };
    const r = await explainModel({ ...base(), modelInfo: info({ linear: wrong }) });
    assert.equal(r.shap.method, 'kernel-exact');
    assert.match(r.warnings.join('\n'), /linear SHAP not used/);
    assert.deepEqual(failureWarnings(r.warnings), []);
    const fast = await explainModel({ ...base(), modelInfo: info({ linear }) });
    r.shap.values.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - fast.shap.values[i][j]) < 1e-9)));
  });

  it('explains a LOGISTIC tree classifier with TreeSHAP in margin space', async () => {
    const e: TreeEnsemble = randomEnsemble(5, { op: 'TreeEnsembleClassifier', trees: 6, postTransform: 'LOGISTIC', spec: { features: 4, maxDepth: 4, targets: 1, continuous: true } });
    const prob = matrixPredictor(names(4), (m) => { const o = evaluateEnsemble(e, m).output; return Float64Array.from({ length: m.rows }, (_, r) => o.data[r * 2 + 1]); }, 'probability');
    const p = evaluateEnsemble(e, x).output;
    const labels = Float64Array.from({ length: 150 }, (_, r) => (p.data[r * 2 + 1] > 0.5 ? 1 : 0));
    const r = await explainModel({ ...base(), predictor: prob, taskType: 'classification', data: { ...data, y: labels }, modelInfo: info({ treeEnsemble: e }) });
    assert.equal(r.shap.method, 'tree');
    assert.equal(r.shap.outputSpace, 'margin');
    assert.equal(r.permutationImportance.metric, 'auc');
    assert.equal(r.metrics.accuracy, 1);
    assert.deepEqual(r.warnings, []);
  });

  it('reports what it could not compute as NOT_COMPUTED warnings and carries on', async () => {
    const r = await explainModel({ ...base(), data: { ...data, y: undefined }, options: { ...base().options, pdFeatures: ['f0', 'nope'] } });
    const failed = failureWarnings(r.warnings);
    assert.equal(failed.length, 3, r.warnings.join('\n'));
    assert.ok(failed.every((f) => f.startsWith(NOT_COMPUTED)));
    assert.match(failed.join('\n'), /metrics: the evaluation data has no target column 'y'/);
    assert.match(failed.join('\n'), /'nope' is not a feature/);
    assert.equal(r.permutationImportance.repeats, 0);
    assert.equal(r.shap.method, 'kernel-exact');
    assert.ok(r.partialDependence.f0);
  });

  it('compares with a champion and is deterministic for a seed', async () => {
    const champ = fnPredictor(names(4), (row) => 2 * row[0] + row[1] + 1);
    const a = await explainModel({ ...base(), champion: { predictor: champ, model: { sha256: 'c'.repeat(64), version: '3' } } });
    assert.ok(a.champion);
    assert.equal(a.champion.model.version, '3');
    assert.ok(a.champion.metrics.r2! < a.metrics.r2!);
    assert.ok(a.champion.maxShift > 0.1);
    const b = await explainModel({ ...base(), champion: { predictor: champ, model: { sha256: 'c'.repeat(64), version: '3' } } });
    assert.deepEqual({ ...a, timings: {} }, { ...b, timings: {} });
  });

  it('refuses data whose columns are not the model\'s features', async () => {
    await assert.rejects(explainModel({ ...base(), data: { ...data, featureNames: ['f0', 'f1', 'fX', 'f3'] } }), /expects feature 'f2' in column 3 but the data has 'fX'/);
    await assert.rejects(explainModel({ ...base(), seed: -3 }), /seed must be an integer/);
  });
});
