/** The gate with a fake explainer and the real report writers: verdicts, outputs, fail-closed paths. */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExplanationResult } from '../../../../shared/explain/types';
import type { ExplainEngine } from '../../../../shared/gates/explain/engine';
import { parseExplainInputs } from '../../../../shared/gates/explain/inputs';
import { runExplainGate } from '../../../../shared/gates/explain/run';
import { defaultReports } from '../../../../shared/gates/explain/wiring';
import { compareWithChampion } from '../../../../shared/explain/methods/champion';
import type { GateHost } from '../../../../shared/pipeline/host';
import { explanation } from './fixtures';

function host(): GateHost & { lines: string[] } {
  const lines: string[] = [];
  const log = (l: string) => { lines.push(l); };
  return { lines, info: log, debug: log, warning: log, setSecret: () => undefined, variable: () => undefined, input: () => undefined, setOutput: () => undefined, uploadSummary: () => undefined, addAttachment: () => undefined, succeed: () => undefined, fail: () => undefined };
}

function fakeEngine(results: Record<string, ExplanationResult | Error>): ExplainEngine & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    loadTable: async (_path, source) => ({ columns: ['income', 'default'], values: [new Float64Array([1, 2]), new Float64Array([0, 1])], rowCount: 2, source }),
    explain: async (req) => {
      calls.push(req.modelPath);
      const r = results[req.modelPath];
      if (r instanceof Error) throw r;
      const result = { ...r, model: { ...r.model, path: req.modelPath } };
      if (req.champion) {
        calls.push(req.champion.modelPath);
        const c = results[req.champion.modelPath];
        if (c instanceof Error) result.warnings = [...result.warnings, `not computed: champion comparison: ${c.message}`];
        else result.champion = compareWithChampion(r.permutationImportance, { model: { sha256: c.model.sha256 }, metrics: c.metrics, importance: c.permutationImportance });
      }
      return { result };
    },
  };
}

describe('explain gate run (fake explainer)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlops-explain-gate-'));
    for (const f of ['model.onnx', 'champ.onnx', 'test.csv']) writeFileSync(join(dir, f), 'x');
  });
  const inputs = (v: Record<string, string>) => parseExplainInputs((n) => ({ model: 'model.onnx', data: 'test.csv', target: 'default', ...v })[n], { baseDir: dir, outputDir: dir, exists: existsSync });
  const deps = (engine: ExplainEngine) => ({ host: host(), engine, reports: defaultReports(), tempDir: dir, context: { commit: 'abc123', runUrl: 'https://dev.azure.com/o/p/_build/results?buildId=1' } });

  it('passes a good model and writes every output', async () => {
    const r = await runExplainGate(inputs({ metricFloors: 'auc=0.8', sensitiveFeatures: 'gender' }), deps(fakeEngine({ 'model.onnx': explanation() })));
    assert.equal(r.verdict, 'passed', r.message);
    assert.match(r.message, /model\.onnx explained on test\.csv \(auc=0\.86\): every threshold met/);
    assert.equal(r.headlineMetric, 'auc=0.86');
    const json = JSON.parse(readFileSync(r.explanationPath!, 'utf8'));
    for (const k of ['permutationImportance', 'shap', 'partialDependence', 'metrics']) assert.ok(json[k], `${k} missing`);
    assert.match(readFileSync(r.reportPath, 'utf8'), /<html/i);
    assert.ok(JSON.parse(readFileSync(r.modelCardPath!, 'utf8')));
    assert.ok(readFileSync(r.modelCardMarkdownPath!, 'utf8').length > 100);
    const evidence = JSON.parse(readFileSync(r.evidencePath, 'utf8'));
    assert.equal(evidence.gate, 'ExplainabilityReport');
    assert.equal(evidence.verdict, 'passed');
    assert.deepEqual(evidence.inputs.metricFloors, ['auc=0.8']);
    assert.match(readFileSync(r.summaryPath, 'utf8'), /ExplainabilityReport/);
    const sarif = JSON.parse(readFileSync(r.sarifPath, 'utf8'));
    assert.equal(sarif.runs[0].results.length, 0);
  });

  it('fails on a sensitive feature in the top-k, naming threshold and value everywhere', async () => {
    const biased = explanation({ permutationImportance: { ...explanation().permutationImportance, mean: [0.2, 0.12, 0.01, 0.05, 0.3] } });
    const r = await runExplainGate(inputs({ sensitiveFeatures: 'gender', sensitiveTopK: '3' }), deps(fakeEngine({ 'model.onnx': biased })));
    assert.equal(r.verdict, 'failed');
    assert.match(r.message, /gender \(sensitiveTopK = 3; value rank 1 of 5\)/);
    const sarif = JSON.parse(readFileSync(r.sarifPath, 'utf8'));
    assert.deepEqual(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId), ['AML-XPL-002']);
    assert.match(sarif.runs[0].results[0].message.text, /Threshold: sensitiveTopK = 3; value: rank 1 of 5/);
    const summary = readFileSync(r.summaryPath, 'utf8');
    assert.match(summary, /sensitiveTopK = 3/);
    assert.match(summary, /rank 1 of 5/);
    assert.equal(JSON.parse(readFileSync(r.evidencePath, 'utf8')).findings[0].ruleId, 'AML-XPL-002');
  });

  it('a policy file waiver lets a reviewed finding pass; its thresholds add to the inputs', async () => {
    const policy = join(dir, '.mlops-gates.yml');
    writeFileSync(policy, [
      'version: 1',
      'options:',
      '  explainability:',
      '    metricFloors: { auc: 0.9 }',
      'waivers:',
      '  - rule: AML-XPL-001',
      '    owner: risk-team',
      '    reason: reviewed with the model risk committee',
      `    expires: "${new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10)}"`,
      '',
    ].join('\n'));
    const r = await runExplainGate(inputs({ policyFile: policy }), deps(fakeEngine({ 'model.onnx': explanation() })));
    assert.equal(r.failures[0].threshold, 'auc >= 0.9');
    assert.equal(r.outcome.waived.length, 1);
    assert.equal(r.verdict, 'passed');
    assert.match(r.message, /1 threshold not met, none failing the gate \(1 waived/);
  });

  it('fails closed when the model cannot load: every output says why', async () => {
    const r = await runExplainGate(inputs({}), deps(fakeEngine({ 'model.onnx': new Error('model.onnx is not an ONNX model (protobuf: truncated)') })));
    assert.equal(r.verdict, 'failed');
    assert.match(r.message, /could not be computed, so the gate fails closed: model\.onnx is not an ONNX model/);
    assert.equal(r.explanationPath, undefined);
    assert.match(readFileSync(r.reportPath, 'utf8'), /failed closed/);
    const evidence = JSON.parse(readFileSync(r.evidencePath, 'utf8'));
    assert.equal(evidence.verdict, 'failed');
    assert.match(evidence.error, /not an ONNX model/);
    assert.equal(JSON.parse(readFileSync(r.sarifPath, 'utf8')).runs[0].invocations[0].executionSuccessful, false);
  });

  it('compares with the champion on the same data and judges the shift', async () => {
    const champ = explanation({ permutationImportance: { ...explanation().permutationImportance, mean: [0.05, 0.12, 0.01, 0.2, 0] } });
    const engine = fakeEngine({ 'model.onnx': explanation(), 'champ.onnx': champ });
    const r = await runExplainGate(inputs({ championModel: 'champ.onnx', maxImportanceShift: '0.2' }), deps(engine));
    assert.deepEqual(engine.calls, ['model.onnx', 'champ.onnx']);
    assert.ok(r.explanation?.champion);
    assert.equal(r.verdict, 'failed');
    assert.deepEqual(r.failures.map((f) => f.kind), ['importance-shift', 'importance-shift']);
    assert.equal(r.failures[0].threshold, 'maxImportanceShift = 0.2');
  });

  it('a champion that cannot be explained fails closed, and so does the shift limit it leaves unjudged', async () => {
    const r = await runExplainGate(inputs({ championModel: 'champ.onnx', maxImportanceShift: '0.2' }), deps(fakeEngine({ 'model.onnx': explanation(), 'champ.onnx': new Error('boom') })));
    assert.equal(r.verdict, 'failed');
    assert.deepEqual(r.failures.map((f) => [f.kind, f.subject, f.value]), [['not-computed', 'champion comparison', 'boom'], ['not-computed', 'champion', 'no champion comparison']]);
  });
});
