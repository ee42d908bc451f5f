/**
 * The release gate against the local Azure: model versions are PUT into a workspace and a registry over
 * HTTPS, then read back as the server would run ModelEvidenceGate's HttpRequest (URL from task.json's
 * EndpointUrl with the inputs substituted, headers from task.json, a bearer token of the connection) and as
 * the documented "Invoke REST API" environment check would, and the success criterion is evaluated on the
 * answer.
 */
import * as assert from 'node:assert/strict';
import { RELEASE_GATES, requireInputName, statusTag } from '../../shared/releaseGate/gates';
import { armToken, raw, useLocalAzure } from '../azure/testSupport';
import type { LocalAzure } from '../azure/server';
import { allPassed, gateCases, modelVersionBody, randomDigest, type GateCase } from './cases';
import { documentedCheck, readReleaseGateDoc, readTaskJson } from './docs';
import { runRestApiCheck, runServerTask, type ArmConnection } from './serverTask';

const RG = 'rg-ml-hardened';
const WS = 'mlw-hardened';
const REGISTRY = 'mlr-release-gates';
const MODEL = 'credit-scoring';
const API = '2024-10-01';
const CONNECTION_ID = '5e7a11ce-0000-4000-8000-00000000c0de';

describe('release gate against the local Azure', function () {
  this.timeout(60_000);
  const azureOf = useLocalAzure({ scenarios: ['hardened'] });
  const task = readTaskJson();
  const D = randomDigest();
  const cases = gateCases(D, randomDigest());
  let azure: LocalAzure;
  let token: string;
  let connection: ArmConnection;
  const versionOf = (i: number) => String(1000 + i);
  const versionNamed = (name: string) => {
    const i = cases.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`no case ${name}`);
    return versionOf(i);
  };

  const containerPath = (kind: 'workspaces' | 'registries', name: string) =>
    `/subscriptions/${azure.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/${kind}/${name}`;

  async function put(path: string, body: unknown): Promise<void> {
    const res = await raw(azure, 'PUT', `${path}?api-version=${API}`, { token, body });
    assert.ok(res.status >= 200 && res.status < 300, `PUT ${path}: ${res.status} ${res.text}`);
  }

  async function putVersion(kind: 'workspaces' | 'registries', container: string, version: string, c: Pick<GateCase, 'tags' | 'properties'>, modelUri?: string) {
    const base = containerPath(kind, container);
    await put(`${base}/models/${MODEL}`, { properties: { description: 'credit scoring model' } });
    const { properties } = modelVersionBody(MODEL, version, c) as { properties: Record<string, unknown> };
    await put(`${base}/models/${MODEL}/versions/${version}`, { properties: modelUri ? { ...properties, modelUri } : properties });
  }

  const inputs = (version: string, extra: Record<string, string> = {}) => ({
    azureSubscription: CONNECTION_ID,
    resourceGroupName: RG,
    workspaceName: WS,
    modelName: MODEL,
    modelVersion: version,
    ...extra,
  });
  const everyGate = Object.fromEntries(RELEASE_GATES.map((g) => [requireInputName(g), 'true']));

  before(async function () {
    azure = azureOf();
    token = await armToken(azure);
    connection = { id: CONNECTION_ID, url: azure.armUrl, subscriptionId: azure.subscriptionId, token: async () => token };
    for (const [i, c] of cases.entries()) await putVersion('workspaces', WS, versionOf(i), c);
    // Evidence for the default gates only (explainability never ran), and one where it failed.
    await putVersion('workspaces', WS, '2000', { tags: allPassed(D, ['security-gate', 'endpoint-hardening-check']) });
    await putVersion('workspaces', WS, '2001', { tags: { ...allPassed(D, ['security-gate', 'endpoint-hardening-check']), [statusTag('endpoint-hardening-check')]: 'failed' } });
    // A registry holding the promoted version (by reference to the workspace one) and a failed one.
    await put(containerPath('registries', REGISTRY), { location: 'westeurope', properties: {} });
    const promoted = `azureml://subscriptions/${azure.subscriptionId}/resourceGroups/${RG}/workspaces/${WS}/models/${MODEL}/versions/${versionOf(0)}`;
    await putVersion('registries', REGISTRY, '1', { tags: allPassed(D) }, promoted);
    await putVersion('registries', REGISTRY, '2', { tags: { ...allPassed(D), [statusTag('security-gate')]: 'failed' } }, promoted);
  });

  describe('ModelEvidenceGate (task.json HttpRequest), every gate required', () => {
    for (const [i, c] of cases.entries()) {
      it(`${c.name}: ${c.expected ? 'passes' : 'fails'}`, async () => {
        const run = await runServerTask(task, inputs(versionOf(i), everyGate), connection);
        assert.equal(run.status, 200, JSON.stringify(run.body));
        assert.equal(run.error, undefined);
        assert.equal(run.passed, c.expected);
      });
    }

    it('sends one GET to the model version URL, with the api-version from the task and the connection token', async () => {
      azure.resetRequests();
      const run = await runServerTask(task, inputs(versionOf(0), everyGate), connection);
      assert.equal(run.url, `${azure.armUrl}${containerPath('workspaces', WS).slice(1)}/models/${MODEL}/versions/${versionOf(0)}?api-version=${API}`);
      const arm = azure.requests().filter((r) => r.service === 'arm');
      assert.deepEqual(arm.map((r) => [r.method, r.path.toLowerCase(), r.query['api-version'], r.status]), [
        ['GET', `${containerPath('workspaces', WS)}/models/${MODEL}/versions/${versionOf(0)}`.toLowerCase(), API, 200],
      ]);
    });
  });

  describe('ModelEvidenceGate with its default inputs', () => {
    it('passes when SecurityGate and EndpointHardeningCheck passed (ExplainabilityReport is not required by default)', async () => {
      assert.equal((await runServerTask(task, inputs('2000'), connection)).passed, true);
      assert.equal((await runServerTask(task, inputs('2000', { requireExplainabilityReport: 'true' }), connection)).passed, false);
    });
    it('fails when a default gate failed, and passes once that gate is switched off', async () => {
      assert.equal((await runServerTask(task, inputs('2001'), connection)).passed, false);
      assert.equal((await runServerTask(task, inputs('2001', { requireEndpointHardeningCheck: 'false' }), connection)).passed, true);
    });
    it('fails when every gate is switched off', async () => {
      const off = Object.fromEntries(RELEASE_GATES.map((g) => [requireInputName(g), 'false']));
      assert.equal((await runServerTask(task, inputs('2000', off), connection)).passed, false);
    });
  });

  describe('ModelEvidenceGate on a registry', () => {
    it('reads registries/{registry}/models/… when the model lives in a registry', async () => {
      const run = await runServerTask(task, inputs('1', { ...everyGate, containerType: 'registries', workspaceName: REGISTRY }), connection);
      assert.match(run.url, new RegExp(`/registries/${REGISTRY}/models/${MODEL}/versions/1\\?`));
      assert.equal(run.status, 200);
      assert.equal(run.passed, true);
      assert.equal((await runServerTask(task, inputs('2', { ...everyGate, containerType: 'registries', workspaceName: REGISTRY }), connection)).passed, false);
    });
  });

  describe('ModelEvidenceGate when ARM does not answer 200', () => {
    it('fails on a version that does not exist (404)', async () => {
      const run = await runServerTask(task, inputs('9999'), connection);
      assert.equal(run.status, 404);
      assert.equal(run.passed, false);
    });
    it('fails when the connection cannot authenticate (401)', async () => {
      const run = await runServerTask(task, inputs(versionOf(0), everyGate), { ...connection, token: async () => 'not-a-token' });
      assert.equal(run.status, 401);
      assert.equal(run.passed, false);
    });
  });

  describe('the Invoke REST API check of docs/release-gate.md', () => {
    const check = documentedCheck(readReleaseGateDoc());
    const placeholders = () => ({ '<subscription-id>': azure.subscriptionId, '<resource-group>': RG, '<workspace>': WS, '<model>': MODEL });
    const run = (buildId: string) => {
      const urlSuffix = Object.entries(placeholders()).reduce((s, [k, v]) => s.split(k).join(v), check.urlSuffix);
      return runRestApiCheck({ ...check, urlSuffix }, { 'Build.BuildId': buildId }, connection);
    };

    it('passes for a version whose SecurityGate and EndpointHardeningCheck passed', async () => {
      const r = await run('2000');
      assert.equal(r.status, 200);
      assert.equal(r.passed, true);
      assert.match(r.url, new RegExp(`/workspaces/${WS}/models/${MODEL}/versions/2000\\?api-version=\\d{4}-\\d{2}-\\d{2}$`));
    });

    for (const [name, version] of [
      ['EndpointHardeningCheck failed', '2001'],
      ['status Passed (other case)', versionNamed('status Passed (other case)')],
      ['no tags at all', versionNamed('no tags at all')],
      ['one digest different', versionNamed('one digest different')],
      ['missing version', '9999'],
    ] as const) {
      it(`fails: ${name}`, async () => {
        assert.equal((await run(version)).passed, false);
      });
    }
  });
});
