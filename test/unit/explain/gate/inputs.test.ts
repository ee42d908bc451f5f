import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { InputError } from '../../../../shared/pipeline/inputs';
import { datastorePath } from '../../../../shared/gates/explain/download';
import { parseExplainInputs } from '../../../../shared/gates/explain/inputs';

const base = '/work/src';
const paths = { baseDir: base, outputDir: '/work/out', exists: (p: string) => !p.includes('missing') };
const parse = (v: Record<string, string>) => parseExplainInputs((n) => v[n], paths);
const ok = { model: 'model.onnx', data: 'test.csv', target: 'default' };

function rejects(v: Record<string, string>, input: string, message: RegExp): void {
  assert.throws(() => parse(v), (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.equal(e.input, input);
    assert.match(e.message, message);
    return true;
  });
}

describe('explain gate inputs', () => {
  it('reads the minimal inputs with their defaults', () => {
    const i = parse(ok);
    assert.deepEqual(i.model, { kind: 'file', path: join(base, 'model.onnx'), label: 'model.onnx' });
    assert.equal(i.target, 'default');
    assert.equal(i.workspace, undefined);
    assert.deepEqual([i.explainRows, i.seed, i.backend, i.taskType, i.thresholds.sensitiveTopK], [20, 42, 'web', undefined, 5]);
    assert.equal(i.reportOutput, '/work/out/mlops-gates/explainability-report.html');
    assert.equal(i.explanationOutput, '/work/out/mlops-gates/explainability-report.explanation.json');
    assert.equal(i.modelCardOutput, '/work/out/mlops-gates/explainability-report.model-card.json');
    assert.equal(i.sarifOutput, '/work/out/mlops-gates/explainability-report.sarif');
  });

  it('reads thresholds, champion and the explanation options', () => {
    const i = parse({ ...ok, sensitiveFeatures: 'gender\nage, gender', sensitiveTopK: '3', metricFloors: 'auc=0.75', championModel: 'champ.onnx', maxImportanceShift: '0.25', classIndex: '1', outputName: 'probabilities', explainRows: '5', seed: '7', backend: 'node', taskType: 'classification' });
    assert.deepEqual(i.thresholds, { metricFloors: { auc: 0.75 }, sensitiveFeatures: ['gender', 'age'], sensitiveTopK: 3, maxImportanceShift: 0.25 });
    assert.deepEqual([i.classIndex, i.outputName, i.explainRows, i.seed, i.backend, i.taskType, i.champion?.label], [1, 'probabilities', 5, 7, 'node', 'classification', 'champ.onnx']);
  });

  it('an azureml: asset needs the connection and workspace, and names why', () => {
    rejects({ ...ok, model: 'azureml:credit:3' }, 'azureSubscription', /is required: .*azureml:credit:3 is an Azure ML asset/);
    const i = parse({ ...ok, model: 'azureml:credit:3', azureSubscription: 'sub', resourceGroupName: 'rg', workspaceName: 'mlw-dev' });
    assert.deepEqual(i.model, { kind: 'azureml', asset: 'model', name: 'credit', version: '3', label: 'azureml:credit:3' });
    assert.deepEqual(i.workspace, { connectionId: 'sub', resourceGroupName: 'rg', workspaceName: 'mlw-dev' });
  });

  it('bad input gets a clear error naming the input and the fix', () => {
    rejects({ data: 'd.csv', target: 'y' }, 'model', /Input 'model' is required/);
    rejects({ ...ok, model: 'missing.onnx' }, 'model', /names '.*missing\.onnx', which does not exist; give the file's path/);
    rejects({ ...ok, data: 'azureml:credit' }, 'data', /azureml:<name>:<version>/);
    rejects({ ...ok, background: 'missing.csv' }, 'background', /does not exist/);
    rejects({ ...ok, classIndex: 'one' }, 'classIndex', /use the index of a class/);
    rejects({ ...ok, explainRows: '0' }, 'explainRows', /whole number from 1 to 1000/);
    rejects({ ...ok, seed: '-1' }, 'seed', /whole number from 0/);
    rejects({ ...ok, backend: 'gpu' }, 'backend', /use one of: web, node/);
    rejects({ ...ok, taskType: 'ranking' }, 'taskType', /auto, classification, regression/);
    rejects({ ...ok, metricFloors: 'auc=high' }, 'metricFloors', /'auc=high', which is not metric=value; write one metric=value per line/);
    rejects({ ...ok, maxImportanceShift: '2' }, 'maxImportanceShift', /from 0 to 1/);
    rejects({ ...ok, maxImportanceShift: '0.2' }, 'maxImportanceShift', /'championModel' is empty/);
    rejects({ ...ok, reportOutput: 'report.pdf' }, 'reportOutput', /end the path with \.html/);
    rejects({ ...ok, sensitiveTopK: '0' }, 'sensitiveTopK', /from 1 to 100/);
  });
});

describe('explain gate asset paths', () => {
  it('reads the datastore and path of an asset URI (long and short form), and refuses other URIs', () => {
    assert.deepEqual(datastorePath('azureml://datastores/workspaceblobstore/paths/data/credit%20test.csv', 'x'), { datastore: 'workspaceblobstore', path: 'data/credit test.csv' });
    assert.deepEqual(datastorePath('azureml://subscriptions/s/resourcegroups/rg/workspaces/w/datastores/ds/paths/models/m/3/', 'x'), { datastore: 'ds', path: 'models/m/3/' });
    assert.throws(() => datastorePath('https://acct.blob.core.windows.net/c/m.onnx', 'azureml:m:3'), /asset azureml:m:3.*not a datastore path/);
  });
});
