import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { LocalAzure } from './server';
import { useLocalAzureWithBlobs } from './azurite';
import { armToken, raw, secretCredential } from './testSupport';

const REG_API = 'api-version=2023-04-01';
const PUBLISH_API = 'api-version=2024-04-01';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Azurite wants a storage service version on every request. */
const V = { 'x-ms-version': '2023-11-03' };

function ml(a: LocalAzure): AzureMachineLearningWorkspaces {
  return new AzureMachineLearningWorkspaces(secretCredential(a), a.subscriptionId, { endpoint: a.armUrl.replace(/\/$/, '') });
}

async function storageToken(a: LocalAzure): Promise<string> {
  return (await secretCredential(a).getToken('https://storage.azure.com/.default')).token;
}

async function download(url: string, init: RequestInit = {}): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(url, init);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

describe('local Azure: Azure ML models, registries and model files', function () {
  this.timeout(30_000);
  const local = useLocalAzureWithBlobs({ scenarios: ['hardened', 'insecure'] });
  const azure = () => local().azure;
  let token = '';
  before(async () => {
    token = await armToken(azure());
  });
  afterEach(() => azure().faults.clear());
  const rgH = 'rg-ml-hardened';
  const ws = () => azure().scenarios.find((s) => s.name === 'hardened')!.workspaceId;
  const registry = () => `/subscriptions/${azure().subscriptionId}/resourceGroups/${rgH}/providers/Microsoft.MachineLearningServices/registries/contoso-models`;

  it('serves the scenario model credit-risk 1 and 2 through the ML SDK (2022-10-01), latest first', async () => {
    const client = ml(azure());
    const container = await client.modelContainers.get(rgH, 'mlw-hardened', 'credit-risk');
    assert.equal(container.properties.latestVersion, '2');
    assert.equal(container.properties.nextVersion, '3');
    const versions = [];
    for await (const v of client.modelVersions.list(rgH, 'mlw-hardened', 'credit-risk')) versions.push(v);
    assert.deepEqual(versions.map((v) => v.name), ['2', '1']);
    assert.equal(versions[0].properties.jobName, 'train-credit-risk-20250519');
    assert.match(versions[0].properties.modelUri ?? '', /^azureml:\/\/subscriptions\/.+\/workspaces\/mlw-hardened\/datastores\/workspaceblobstore\/paths\/models\/credit-risk\/2\/$/);
    const latest = [];
    for await (const v of client.modelVersions.list(rgH, 'mlw-hardened', 'credit-risk', { orderBy: 'createdtime desc', top: 1 })) latest.push(v.name);
    assert.deepEqual(latest, ['2']);
    const prod = [];
    for await (const v of client.modelVersions.list(rgH, 'mlw-hardened', 'credit-risk', { tags: 'stage=production' })) prod.push(v.name);
    assert.deepEqual(prod, ['1']);
    const ascending = await raw(azure(), 'GET', `${ws()}/models/credit-risk/versions?api-version=2025-09-01&$orderBy=version asc`, { token });
    assert.deepEqual(ascending.json.value.map((v: { name: string }) => v.name), ['1', '2']);
    assert.equal((await raw(azure(), 'GET', `${ws()}/models/credit-risk/versions?api-version=2025-09-01&$orderBy=size`, { token })).json.error.code, 'UserError');
  });

  it('version PUT: creates (201) with the container, updates mutable fields (200), refuses a new modelUri (409), lists pages', async () => {
    const a = azure();
    const client = ml(a);
    const uri = `azureml://subscriptions/${a.subscriptionId}/resourcegroups/${rgH}/workspaces/mlw-hardened/datastores/workspaceblobstore/paths/models/fraud/1/`;
    const path = `${ws()}/models/fraud-detector/versions/1?api-version=2022-10-01`;
    const created = await raw(a, 'PUT', path, { token, body: { properties: { modelUri: uri, modelType: 'custom_model', tags: { stage: 'dev' } } } });
    assert.equal(created.status, 201);
    assert.equal(created.json.systemData.createdBy, a.clientId);
    assert.equal(created.json.properties.isArchived, false);
    assert.equal((await client.modelContainers.get(rgH, 'mlw-hardened', 'fraud-detector')).properties.latestVersion, '1');
    const updated = await client.modelVersions.createOrUpdate(rgH, 'mlw-hardened', 'fraud-detector', '1', { properties: { modelUri: uri, tags: { stage: 'approved' } } });
    assert.equal(updated.properties.tags?.stage, 'approved');
    const moved = await raw(a, 'PUT', path, { token, body: { properties: { modelUri: `${uri}other/` } } });
    assert.equal(moved.status, 409);
    assert.equal(moved.json.error.code, 'UserError');
    assert.equal((await raw(a, 'PUT', path, { token, body: { properties: {} } })).status, 400);
    for (const v of ['2', '3']) await client.modelVersions.createOrUpdate(rgH, 'mlw-hardened', 'fraud-detector', v, { properties: { modelUri: uri } });
    await client.modelVersions.createOrUpdate(rgH, 'mlw-hardened', 'fraud-detector', '3', { properties: { modelUri: uri, isArchived: true } });
    const c = await client.modelContainers.get(rgH, 'mlw-hardened', 'fraud-detector');
    assert.deepEqual([c.properties.latestVersion, c.properties.nextVersion], ['3', '4']);
    a.settings.pageSize = 1;
    try {
      const active = [];
      for await (const v of client.modelVersions.list(rgH, 'mlw-hardened', 'fraud-detector', { orderBy: 'version asc' })) active.push(v.name);
      assert.deepEqual(active, ['1', '2']);
      const archived = [];
      for await (const v of client.modelVersions.list(rgH, 'mlw-hardened', 'fraud-detector', { listViewType: 'ArchivedOnly' })) archived.push(v.name);
      assert.deepEqual(archived, ['3']);
    } finally {
      a.settings.pageSize = 50;
    }
    await client.modelVersions.delete(rgH, 'mlw-hardened', 'fraud-detector', '3');
    assert.equal((await client.modelContainers.get(rgH, 'mlw-hardened', 'fraud-detector')).properties.latestVersion, '2');
    assert.equal((await raw(a, 'PUT', `${ws().replace('mlw-hardened', 'mlw-nope')}/models/x/versions/1?api-version=2022-10-01`, { token, body: { properties: { modelUri: uri } } })).json.error.code, 'ParentResourceNotFound');
  });

  it('registries need 2023-04-01: the registry, its models and versions, with credit-risk 1 published', async () => {
    const a = azure();
    for (const p of [registry(), `${registry()}/models`, `${registry()}/models/credit-risk/versions/1`]) {
      const old = await raw(a, 'GET', `${p}?api-version=2022-10-01`, { token });
      assert.equal(old.status, 400, p);
      assert.equal(old.json.error.code, 'NoRegisteredProviderFound', p);
    }
    const reg = await raw(a, 'GET', `${registry()}?${REG_API}`, { token });
    assert.equal(reg.status, 200);
    assert.equal(reg.json.properties.publicNetworkAccess, 'Disabled');
    assert.ok(reg.json.properties.regionDetails[0].storageAccountDetails[0].systemCreatedStorageAccount.storageAccountName);
    const models = await raw(a, 'GET', `${registry()}/models?${REG_API}`, { token });
    assert.deepEqual(models.json.value.map((m: { name: string }) => m.name), ['credit-risk']);
    const versions = await raw(a, 'GET', `${registry()}/models/credit-risk/versions?${REG_API}`, { token });
    assert.deepEqual(versions.json.value.map((v: { name: string }) => v.name), ['1']);
    assert.equal(versions.json.value[0].type, 'Microsoft.MachineLearningServices/registries/models/versions');
  });

  it('registry version PUT by reference to a workspace model: recorded as given, answered as a finished LRO', async () => {
    const a = azure();
    const ref = `azureml://subscriptions/${a.subscriptionId}/resourceGroups/${rgH}/workspaces/mlw-hardened/models/credit-risk/versions/2`;
    const put = await raw(a, 'PUT', `${registry()}/models/credit-risk/versions/2?${REG_API}`, { token, body: { properties: { modelUri: ref, tags: { stage: 'candidate' } } } });
    assert.equal(put.status, 201);
    assert.equal(put.json.properties.modelUri, ref);
    const status = await raw(a, 'GET', put.headers.get('azure-asyncoperation') ?? 'missing', { token });
    assert.equal(status.json.status, 'Succeeded');
    const got = await raw(a, 'GET', `${registry()}/models/credit-risk/versions/2?${REG_API}`, { token });
    assert.equal(got.json.properties.modelUri, ref);
    assert.equal((await raw(a, 'GET', `${registry()}/models/credit-risk?${REG_API}`, { token })).json.properties.latestVersion, '2');
    const wsGuid = (await raw(a, 'GET', `${ws()}?api-version=2022-10-01`, { token })).json.properties.workspaceId;
    const byGuid = `azureml://locations/westeurope/workspaces/${wsGuid}/models/credit-risk/versions/1`;
    assert.equal((await raw(a, 'PUT', `${registry()}/models/credit-risk-baseline/versions/1?${REG_API}`, { token, body: { properties: { modelUri: byGuid } } })).status, 201);
    const dangling = await raw(a, 'PUT', `${registry()}/models/credit-risk/versions/9?${REG_API}`, { token, body: { properties: { modelUri: ref.replace(/versions\/2$/, 'versions/99') } } });
    assert.equal(dangling.status, 400);
    assert.match(dangling.json.error.message, /does not exist/);
  });

  it('startPendingUpload hands out a writable blob folder; a version made from it keeps the files', async () => {
    const a = azure();
    const start = await raw(a, 'POST', `${registry()}/models/uploaded/versions/1/startPendingUpload?${REG_API}`, { token, body: { pendingUploadType: 'TemporaryBlobReference' } });
    assert.equal(start.status, 200);
    const ref = start.json.blobReferenceForConsumption;
    assert.equal(ref.credential.credentialType, 'SAS');
    assert.match(ref.storageAccountArmId, /\/providers\/Microsoft\.Storage\/storageAccounts\//);
    const [base, sas] = ref.credential.sasUri.split('?');
    assert.equal(base, ref.blobUri);
    const bytes = Buffer.from('onnx-bytes-for-upload-test');
    const up = await fetch(`${base}/model.onnx?${sas}`, { method: 'PUT', headers: { ...V, 'x-ms-blob-type': 'BlockBlob' }, body: bytes });
    assert.equal(up.status, 201, await up.text());
    assert.equal((await fetch(`${base}/model.onnx`, { method: 'PUT', headers: { ...V, 'x-ms-blob-type': 'BlockBlob' }, body: bytes })).status, 403, 'Azurite refuses a request without SAS or token');
    const list = await (await fetch(`${base}?restype=container&comp=list&${sas}`, { headers: V })).text();
    assert.match(list, /<Name>model\.onnx<\/Name>/);
    const got = await download(`${base}/model.onnx?${sas}`, { headers: V });
    assert.equal(sha256(got.bytes), sha256(bytes));
    assert.equal((await raw(a, 'PUT', `${registry()}/models/uploaded/versions/1?${REG_API}`, { token, body: { properties: { modelUri: ref.credential.sasUri } } })).status, 400);
    const empty = (await raw(a, 'POST', `${registry()}/models/uploaded/versions/2/startPendingUpload?${REG_API}`, { token, body: {} })).json.blobReferenceForConsumption.blobUri;
    assert.equal((await raw(a, 'PUT', `${registry()}/models/uploaded/versions/2?${REG_API}`, { token, body: { properties: { modelUri: empty } } })).status, 400);
    const made = await raw(a, 'PUT', `${registry()}/models/uploaded/versions/1?${REG_API}`, { token, body: { properties: { modelUri: ref.blobUri } } });
    assert.equal(made.status, 201);
  });

  it('publish copies a workspace version and its files into the registry (202, Location), from 2023-10-01 on', async () => {
    const a = azure();
    const publish = (api: string, body: unknown) => raw(a, 'POST', `${ws()}/models/credit-risk/versions/2/publish?${api}`, { token, body });
    assert.equal((await publish('api-version=2022-10-01', { registryName: 'contoso-models' })).status, 400);
    const res = await publish(PUBLISH_API, { registryName: 'contoso-models', destinationName: 'credit-risk-published', destinationVersion: '2' });
    assert.equal(res.status, 202);
    assert.equal((await raw(a, 'GET', res.headers.get('location') ?? 'missing', { token })).status, 200);
    const v = await raw(a, 'GET', `${registry()}/models/credit-risk-published/versions/2?${REG_API}`, { token });
    assert.equal(v.json.properties.jobName, 'train-credit-risk-20250519');
    assert.equal(v.json.properties.modelType, 'mlflow_model');
    const folder = v.json.properties.modelUri as string;
    assert.match(folder, /^https:\/\/127\.0\.0\.1:\d+\/[a-z0-9]+\/[0-9a-f-]+\/$/);
    const storage = await storageToken(a);
    for (const f of a.modelFiles.filter((m) => m.modelVersionId.endsWith('/workspaces/mlw-hardened/models/credit-risk/versions/2'))) {
      const copy = await download(`${folder}${f.file}`, { headers: { ...V, authorization: `Bearer ${storage}` } });
      assert.equal(sha256(copy.bytes), f.sha256, f.file);
    }
    assert.equal((await publish(PUBLISH_API, { registryName: 'contoso-models', destinationName: 'credit-risk-published', destinationVersion: '2' })).status, 409);
    assert.equal((await publish(PUBLISH_API, { registryName: 'no-such-registry' })).status, 404);
  });

  it('publishes the insecure churn-model, whose modelUri is a short datastore path', async () => {
    const a = azure();
    const wsInsecure = a.scenarios.find((s) => s.name === 'insecure')!.workspaceId;
    const res = await raw(a, 'POST', `${wsInsecure}/models/churn-model/versions/1/publish?${PUBLISH_API}`, { token, body: { registryName: 'contoso-models' } });
    assert.equal(res.status, 202);
    const v = await raw(a, 'GET', `${registry()}/models/churn-model/versions/1?${REG_API}`, { token });
    const file = a.modelFiles.find((m) => m.modelVersionId === `${wsInsecure}/models/churn-model/versions/1`)!;
    const copy = await download(`${v.json.properties.modelUri}model.onnx`, { headers: { ...V, authorization: `Bearer ${await storageToken(a)}` } });
    assert.equal(sha256(copy.bytes), file.sha256);
  });

  it('model files (in Azurite): readable with a storage token of the local Entra, with sha256 as exposed; refused without one or with an ARM token', async () => {
    const a = azure();
    assert.equal(a.modelFiles.length, 5);
    const storage = await storageToken(a);
    for (const f of a.modelFiles) {
      const res = await download(f.url, { headers: { ...V, authorization: `Bearer ${storage}` } });
      assert.equal(res.status, 200, f.url);
      assert.equal(res.bytes.length, f.size);
      assert.equal(sha256(res.bytes), f.sha256);
    }
    const one = a.modelFiles[0].url;
    assert.equal((await download(one, { headers: V })).status, 403);
    const arm = await download(one, { headers: { ...V, authorization: `Bearer ${token}` } });
    assert.equal(arm.status, 403, 'Azurite checks the audience');
    assert.match(arm.bytes.toString(), /audience/i);
    // The registry's copy of credit-risk 1 is the same file as the workspace's.
    const [wsV1, regV1] = [a.modelFiles[0], a.modelFiles.find((m) => m.modelVersionId.includes('/registries/'))!];
    assert.equal(regV1.sha256, wsV1.sha256);
  });

  it('faults still apply to model paths, shaped as ARM errors', async () => {
    const a = azure();
    a.faults.add({ match: { method: 'GET', path: '/models/credit-risk/versions' }, kind: 'status', status: 429, retryAfterSec: 3, times: 1 });
    const first = await raw(a, 'GET', `${ws()}/models/credit-risk/versions?api-version=2022-10-01`, { token });
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '3');
    assert.equal((await raw(a, 'GET', `${ws()}/models/credit-risk/versions?api-version=2022-10-01`, { token })).status, 200);
    a.faults.add({ match: { method: 'PUT', path: '/registries/' }, kind: 'status', status: 403 });
    const denied = await raw(a, 'PUT', `${registry()}/models/credit-risk/versions/5?${REG_API}`, { token, body: { properties: { modelUri: 'x' } } });
    assert.equal(denied.status, 403);
    assert.match(denied.json.error.message, /Microsoft\.MachineLearningServices\/registries\/models\/versions\/write/);
    const anonymous = await raw(a, 'GET', `${ws()}/models/credit-risk/versions?api-version=2022-10-01`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.error.code, 'AuthenticationFailed');
  });
});
