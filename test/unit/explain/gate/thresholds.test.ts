import * as assert from 'node:assert/strict';
import { importanceRanking, judgeExplanation, mergeThresholds, parseMetricFloors, policyThresholds, type ExplainThresholds } from '../../../../shared/gates/explain/thresholds';
import { explanation } from './fixtures';

const none: ExplainThresholds = { metricFloors: {}, sensitiveFeatures: [], sensitiveTopK: 5 };
const err = (p: string) => new Error(p);

describe('explain gate thresholds', () => {
  it('passes a good explanation with no thresholds and with met ones', () => {
    assert.deepEqual(judgeExplanation(explanation(), none).failures, []);
    const t = { ...none, metricFloors: { auc: 0.8, logLoss: 0.5 }, sensitiveFeatures: ['gender'] };
    assert.deepEqual(judgeExplanation(explanation(), t).failures, []);
  });

  it('a metric below its floor names the threshold and the value; error metrics are ceilings', () => {
    const { failures } = judgeExplanation(explanation(), { ...none, metricFloors: { auc: 0.9, logLoss: 0.4 } });
    assert.equal(failures.length, 2);
    const auc = failures.find((f) => f.subject === 'auc')!;
    assert.equal(auc.kind, 'metric-floor');
    assert.equal(auc.threshold, 'auc >= 0.9');
    assert.equal(auc.value, '0.86');
    assert.match(auc.message, /auc is 0\.86, below its floor \(auc >= 0\.9\)/);
    const ll = failures.find((f) => f.subject === 'logLoss')!;
    assert.equal(ll.threshold, 'logLoss <= 0.4');
    assert.match(ll.message, /above its ceiling/);
  });

  it('a floor on a metric that was not computed fails closed', () => {
    const { failures } = judgeExplanation(explanation(), { ...none, metricFloors: { r2: 0.5 } });
    assert.equal(failures.length, 1);
    assert.equal(failures[0].kind, 'not-computed');
    assert.equal(failures[0].threshold, 'r2 >= 0.5');
    assert.equal(failures[0].value, 'not computed');
  });

  it('a sensitive feature within the top-k fails with its rank; outside, or without importance, it does not', () => {
    const r = explanation({ permutationImportance: { ...explanation().permutationImportance, mean: [0.2, 0.12, 0.01, 0.05, 0.15] } });
    const { failures } = judgeExplanation(r, { ...none, sensitiveFeatures: ['Gender'], sensitiveTopK: 3 });
    assert.equal(failures.length, 1);
    assert.deepEqual([failures[0].kind, failures[0].subject, failures[0].threshold, failures[0].value], ['sensitive-top-k', 'gender', 'sensitiveTopK = 3', 'rank 2 of 5']);
    assert.equal(judgeExplanation(r, { ...none, sensitiveFeatures: ['gender'], sensitiveTopK: 1 }).failures.length, 0);
    // gender has zero importance in the default fixture: rank 5 of 5, and even with k = 5 it drives nothing.
    assert.equal(judgeExplanation(explanation(), { ...none, sensitiveFeatures: ['gender'], sensitiveTopK: 5 }).failures.length, 0);
  });

  it('a sensitive feature the model does not take is a warning, not a failure', () => {
    const j = judgeExplanation(explanation(), { ...none, sensitiveFeatures: ['ethnicity'] });
    assert.equal(j.failures.length, 0);
    assert.match(j.warnings[0], /'ethnicity' is not a feature of the model/);
  });

  it('an importance shift above the limit names the feature, the limit and the signed shift', () => {
    const r = explanation({ champion: { model: { sha256: 'b'.repeat(64), version: '6' }, metrics: { rows: 400, auc: 0.84 }, importanceShift: { income: -0.3, debt_ratio: 0.1, gender: 0.31 }, maxShift: 0.31 } });
    const { failures } = judgeExplanation(r, { ...none, maxImportanceShift: 0.25 });
    assert.deepEqual(failures.map((f) => [f.kind, f.subject, f.threshold, f.value]), [
      ['importance-shift', 'gender', 'maxImportanceShift = 0.25', '+0.31'],
      ['importance-shift', 'income', 'maxImportanceShift = 0.25', '-0.3'],
    ]);
    assert.match(failures[0].message, /version 6/);
  });

  it('a shift limit without a champion comparison fails closed', () => {
    const { failures } = judgeExplanation(explanation(), { ...none, maxImportanceShift: 0.2 });
    assert.deepEqual(failures.map((f) => [f.kind, f.threshold, f.value]), [['not-computed', 'maxImportanceShift = 0.2', 'no champion comparison']]);
  });

  it('missing or non-finite explanation parts fail closed, each named', () => {
    const e = explanation();
    const broken = explanation({
      permutationImportance: { ...e.permutationImportance, mean: [NaN, 0, 0, 0, 0] },
      shap: { ...e.shap, values: [] },
      partialDependence: {},
    });
    const parts = judgeExplanation(broken, none).failures.map((f) => [f.kind, f.subject, f.value]);
    assert.deepEqual(parts, [
      ['not-computed', 'permutationImportance', 'not one finite value per feature'],
      ['not-computed', 'shap', 'no row explained'],
      ['not-computed', 'partialDependence', 'absent'],
    ]);
  });

  it("the explainers' 'not computed: ' warnings fail closed, each part once", () => {
    const e = explanation();
    const r = explanation({ shap: { ...e.shap, values: [] }, warnings: ['not computed: SHAP values: the runtime failed', 'background: sampled 100 rows'] });
    assert.deepEqual(judgeExplanation(r, none).failures.map((f) => [f.kind, f.subject, f.value]), [['not-computed', 'SHAP values', 'the runtime failed']]);
  });

  it('ranks by importance, ties by name', () => {
    const r = explanation({ permutationImportance: { ...explanation().permutationImportance, mean: [0.1, 0.1, 0.3, 0, 0] } });
    assert.deepEqual(importanceRanking(r).map((x) => x.feature), ['age', 'debt_ratio', 'income', 'gender', 'years_employed']);
  });

  it('parses metric floors and rejects unknown metrics, bad lines and duplicates', () => {
    assert.deepEqual(parseMetricFloors('auc=0.75\naccuracy >= 0.8, rmse<=2', err), { auc: 0.75, accuracy: 0.8, rmse: 2 });
    assert.deepEqual(parseMetricFloors('# none\n', err), {});
    assert.throws(() => parseMetricFloors('aucc=0.7', err), /unknown metric 'aucc'/);
    assert.throws(() => parseMetricFloors('auc 0.7', err), /'auc 0.7', which is not metric=value/);
    assert.throws(() => parseMetricFloors('auc=0.7\nAUC=0.8', err), /sets 'auc' twice/);
  });

  it('merges inputs and policy, the stricter value of each', () => {
    const merged = mergeThresholds(
      { metricFloors: { auc: 0.7, rmse: 3 }, sensitiveFeatures: ['age'], sensitiveTopK: 3, maxImportanceShift: 0.3 },
      policyThresholds({ metricFloors: { auc: 0.8, rmse: 4, f1: 0.5 }, sensitiveFeatures: ['gender', 'age'], sensitiveTopK: 5, maxImportanceShift: 0.2 }),
    );
    assert.deepEqual(merged, { metricFloors: { auc: 0.8, rmse: 3, f1: 0.5 }, sensitiveFeatures: ['age', 'gender'], sensitiveTopK: 5, maxImportanceShift: 0.2 });
    assert.deepEqual(mergeThresholds(none, policyThresholds(undefined)), none);
  });
});
