/**
 * ExplainabilityReport as the agent runs it (the bundle in a child process): the generated credit-risk scenario,
 * a good model that passes with its evidence sealed, a model that leans on a sensitive feature, a file that is
 * not ONNX (fails closed), a bad input. No Azure is involved there: the files are local and the key is Ed25519.
 * Then the same model and data registered as `azureml:` model and data versions of the hardened workspace at the
 * local Azure, their files in Azurite, which the task downloads through the workspace.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useLocalAzureWithBlobs } from '../azure/azurite';
import { registerDataFile, registerModel } from '../azure/registerAssets';
import type { LocalAzure } from '../azure/server';
import { ed25519Pair } from '../unit/evidence/fixtures';
import { writeCreditScenario, type CreditScenario } from '../unit/explain/gate/scenario';
import { secretConnection } from './connections';
import { connectionEnv, runTask, type TaskRun } from './runTask';
import { registerSecret } from './sweep';

const ENTRY = 'dist/tasks/ExplainabilityReport/index.js';
const CONNECTION = 'e1a2b3c4-0000-4d5e-8f9a-0b1c2d3e4f5a';

describe('ExplainabilityReport (agent-style runs of the bundle)', function () {
  this.timeout(120_000);
  let scenario: CreditScenario;
  let privatePem: string;
  let keyid: string;
  let spSecret: string;

  before(() => {
    scenario = writeCreditScenario(mkdtempSync(join(tmpdir(), 'mlops-explain-scenario-')));
    const pair = ed25519Pair();
    privatePem = pair.privatePem;
    keyid = pair.signer.keyid;
    spSecret = `sp~${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    registerSecret(spSecret);
  });

  /** A job whose sources hold the model (in model/) and the data; the connection is never called (Ed25519 key). */
  function run(model: string, inputs: Record<string, string> = {}): Promise<TaskRun> {
    const temp = mkdtempSync(join(tmpdir(), 'mlops-explain-agent-'));
    mkdirSync(join(temp, 's', 'model'), { recursive: true });
    copyFileSync(model, join(temp, 's', 'model', 'model.onnx'));
    copyFileSync(scenario.data, join(temp, 's', 'test.csv'));
    return runTask({
      entry: ENTRY,
      tempDir: temp,
      inputs: { model: 'model/model.onnx', data: 'test.csv', target: 'default', explainRows: '8', ...inputs },
      env: connectionEnv({
        id: CONNECTION, url: 'https://127.0.0.1:9/', scheme: 'ServicePrincipal',
        params: { serviceprincipalid: '11111111-2222-4333-8444-555555555555', serviceprincipalkey: spSecret, tenantid: '66666666-7777-4888-9999-000000000000', authenticationType: 'spnKey' },
        data: { subscriptionId: '00000000-1111-4222-8333-444444444444', environment: 'AzureCloud' },
      }),
    });
  }

  const sealed = () => ({
    azureSubscription: CONNECTION, resourceGroupName: 'rg-ml-dev', workspaceName: 'mlw-dev',
    modelPath: 'model', modelName: 'credit-risk', modelVersion: '3', signingKey: privatePem,
  });
  const attachment = (r: TaskRun, type: string) => r.commands.find((c) => c.event === 'addattachment' && c.props.type === type);

  it('passes a good model: report, explanation, model card, evidence sealed, attachments, no secret printed', async () => {
    const r = await run(scenario.good, { sensitiveFeatures: 'gender', metricFloors: 'auc=0.75', ...sealed() });
    assert.equal(r.result, 'Succeeded', `${r.resultMessage}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.resultMessage!, /model\/model\.onnx explained on test\.csv \(auc=0\.8\d*\): every threshold met/);
    assert.equal(r.outputs.verdict, 'passed');
    assert.match(r.outputs.headlineMetric, /^auc=0\.8\d*$/);
    for (const k of ['reportPath', 'explanationPath', 'modelCardPath', 'sarifPath', 'evidencePath', 'evidenceBundlePath']) assert.ok(existsSync(r.outputs[k]), `${k}: ${r.outputs[k]}`);
    const explanation = JSON.parse(readFileSync(r.outputs.explanationPath, 'utf8'));
    assert.deepEqual(explanation.featureNames, ['income', 'debt_ratio', 'age', 'years_employed', 'gender']);
    assert.equal(explanation.shap.values.length, 8);
    assert.ok(explanation.metrics.auc > 0.75);
    assert.match(readFileSync(r.outputs.reportPath, 'utf8'), /<html/i);
    assert.equal(attachment(r, 'mlops-gates.explanation')?.props.name, 'explainability-report.explanation.json');
    assert.equal(attachment(r, 'mlops-gates.model-card')?.data, r.outputs.modelCardPath);
    assert.ok(attachment(r, 'mlops-gates.sarif') && attachment(r, 'mlops-gates.evidence') && attachment(r, 'mlops-gates.evidence-bundle'));
    const bundle = JSON.parse(readFileSync(r.outputs.evidenceBundlePath, 'utf8'));
    assert.equal(bundle.envelopes.length, 1);
    assert.equal(bundle.model.name, 'credit-risk');
    const record = JSON.parse(readFileSync(r.outputs.evidencePath, 'utf8'));
    assert.equal(record.gate, 'ExplainabilityReport');
    assert.equal(record.inputs.signingKeyId, keyid);
    // The masking commands hand values to the agent on purpose; everything else must be clean.
    const printed = r.stdout.split('\n').filter((l) => !l.startsWith('##vso[task.setsecret]')).join('\n');
    const everything = [printed, r.stderr, ...['reportPath', 'explanationPath', 'modelCardPath', 'evidencePath', 'sarifPath'].map((k) => readFileSync(r.outputs[k], 'utf8'))].join('\n');
    const keyBody = privatePem.replace(/-----[A-Z ]+-----|\s/g, '');
    assert.ok(!everything.includes(keyBody) && !everything.includes(spSecret), 'a secret reached an output');
  });

  it('fails when a sensitive feature is among the top-k, naming the threshold and the value', async () => {
    const r = await run(scenario.biased, { sensitiveFeatures: 'gender', sensitiveTopK: '3' });
    assert.equal(r.result, 'Failed', r.stdout);
    assert.match(r.resultMessage!, /gender \(sensitiveTopK = 3; value rank [123] of 5\)/);
    assert.equal(r.outputs.verdict, 'failed');
    assert.equal(r.outputs.findingCount, '1');
    const summary = readFileSync(r.commands.find((c) => c.event === 'uploadsummary')!.data, 'utf8');
    assert.match(summary, /sensitiveTopK = 3/);
  });

  it('fails closed when the model cannot load, and says why', async () => {
    const r = await run(scenario.broken, { metricFloors: 'auc=0.75' });
    assert.equal(r.result, 'Failed');
    assert.match(r.resultMessage!, /could not be computed, so the gate fails closed: model\/model\.onnx cannot be read as an ONNX model/);
    assert.equal(r.outputs.verdict, 'failed');
    assert.equal(r.outputs.explanationPath, undefined);
    assert.match(readFileSync(r.outputs.reportPath, 'utf8'), /failed closed/);
    assert.equal(JSON.parse(readFileSync(r.outputs.evidencePath, 'utf8')).verdict, 'failed');
    assert.doesNotMatch(r.stdout, /\n\s+at /, 'a stack trace was printed');
  });

  it('bad input: a clear error naming the input, no stack trace', async () => {
    const r = await run(scenario.good, { metricFloors: 'auc>0.7' });
    assert.equal(r.result, 'Failed');
    assert.match(r.resultMessage!, /Input 'metricFloors' has the entry 'auc>0\.7', which is not metric=value/);
    assert.doesNotMatch(r.stdout, /\n\s+at /);
  });
});

describe('ExplainabilityReport on azureml: assets at the local Azure (model and data in Azurite)', function () {
  this.timeout(180_000);
  const local = useLocalAzureWithBlobs({ scenarios: ['hardened'] });
  const WS = { resourceGroup: 'rg-ml-hardened', workspace: 'mlw-hardened' };
  let azure: LocalAzure;
  let scenario: CreditScenario;
  let conn: { id: string; env: Record<string, string> };

  before(async () => {
    azure = local().azure;
    registerSecret(azure.clientSecret, azure.systemAccessToken);
    conn = secretConnection(azure);
    scenario = writeCreditScenario(mkdtempSync(join(tmpdir(), 'mlops-explain-assets-')));
    await registerModel(azure, { ...WS, name: 'credit-risk', version: '3', files: [{ name: 'model.onnx', data: readFileSync(scenario.good) }], jobName: 'train-credit-risk-3' });
    await registerDataFile(azure, { ...WS, name: 'credit-test', version: '1', file: { name: 'credit-test.csv', data: readFileSync(scenario.data) } });
  });
  beforeEach(() => azure.resetRequests());

  function run(inputs: Record<string, string>): Promise<TaskRun> {
    return runTask({
      entry: ENTRY,
      inputs: {
        azureSubscription: conn.id, resourceGroupName: WS.resourceGroup, workspaceName: WS.workspace,
        model: 'azureml:credit-risk:3', data: 'azureml:credit-test:1', target: 'default', explainRows: '8', metricFloors: 'auc=0.75', ...inputs,
      },
      env: conn.env,
      timeoutMs: 120_000,
    });
  }

  it('downloads the model version and the data version through the workspace and explains them', async () => {
    const r = await run({ sensitiveFeatures: 'gender' });
    assert.equal(r.result, 'Succeeded', `${r.resultMessage}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.resultMessage!, /azureml:credit-risk:3 explained on azureml:credit-test:1 \(auc=0\.8\d*\): every threshold met/);
    const explanation = JSON.parse(readFileSync(r.outputs.explanationPath, 'utf8'));
    assert.deepEqual(explanation.featureNames, ['income', 'debt_ratio', 'age', 'years_employed', 'gender']);
    assert.equal(explanation.model.name, 'credit-risk');
    assert.equal(explanation.model.version, '3');
    assert.equal(explanation.model.sha256, createHash('sha256').update(readFileSync(scenario.good)).digest('hex'), 'the explained model is the registered file');
    const arm = azure.requests().filter((q) => q.service === 'arm' && q.method === 'GET').map((q) => q.path.toLowerCase());
    assert.ok(arm.some((p) => p.endsWith('/models/credit-risk/versions/3')), arm.join('\n'));
    assert.ok(arm.some((p) => p.endsWith('/data/credit-test/versions/1')), arm.join('\n'));
    assert.ok(arm.some((p) => p.endsWith('/datastores/workspaceblobstore')), arm.join('\n'));
    assert.deepEqual(azure.requests().filter((q) => q.service === 'arm' && q.method !== 'GET'), [], 'explaining writes nothing to ARM');
  });

  it('an asset that does not exist fails closed, naming it and what is missing', async () => {
    const r = await run({ data: 'azureml:credit-test:9' });
    assert.equal(r.result, 'Failed', r.stdout);
    assert.match(r.resultMessage!, /fails closed: Could not read data asset azureml:credit-test:9 \(HTTP 404\): workspace mlw-hardened has no data version credit-test:9; register it/);
    assert.equal(r.outputs.verdict, 'failed');
    assert.doesNotMatch(r.stdout, /\n\s+at /, 'a stack trace was printed');
    const model = await run({ model: 'azureml:credit-risk-missing:1' });
    assert.equal(model.result, 'Failed', model.stdout);
    assert.match(model.resultMessage!, /model asset azureml:credit-risk-missing:1 \(HTTP 404\): workspace mlw-hardened has no model version credit-risk-missing:1/);
    const ws = await run({ workspaceName: 'mlw-missing' });
    assert.equal(ws.result, 'Failed', ws.stdout);
    assert.match(ws.resultMessage!, /model asset azureml:credit-risk:3 \(HTTP 404\): workspace mlw-missing was not found; check the resource group/);
  });
});
