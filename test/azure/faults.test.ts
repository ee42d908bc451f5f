import * as assert from 'node:assert/strict';
import { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { armToken, raw, secretCredential, useLocalAzure } from './testSupport';

describe('local Azure: fault injection', () => {
  const azure = useLocalAzure({ scenarios: ['hardened'], pageSize: 2 });
  let token = '';
  before(async () => {
    token = await armToken(azure());
  });
  afterEach(() => azure().faults.clear());
  const wsId = () => azure().scenarios[0].workspaceId;
  const computes = () => `${wsId()}/computes?api-version=2025-09-01`;

  it("'status' 429 carries Retry-After, and `times` limits how often a fault applies", async () => {
    const a = azure();
    a.faults.add({ match: { method: 'GET', path: '/computes' }, kind: 'status', status: 429, retryAfterSec: 7, times: 1 });
    const first = await raw(a, 'GET', computes(), { token });
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '7');
    assert.equal(first.json.error.code, 'TooManyRequests');
    assert.equal((await raw(a, 'GET', computes(), { token })).status, 200);
    assert.equal(a.faults.list().length, 1);
    assert.equal(a.faults.list()[0].hits, 1);
  });

  it("'status' matches method and a regular expression; other requests pass", async () => {
    const a = azure();
    a.faults.add({ match: { method: 'PUT', path: '/computes/[^/]+$' }, kind: 'status', status: 503 });
    assert.equal((await raw(a, 'GET', computes(), { token })).status, 200);
    const put = await raw(a, 'PUT', `${wsId()}/computes/x?api-version=2025-09-01`, { token, body: { properties: {} } });
    assert.equal(put.status, 503);
    assert.equal(put.json.error.code, 'ServiceUnavailable');
  });

  it("'status' 403 names the action and the scope, as ARM's AuthorizationFailed does", async () => {
    const a = azure();
    a.faults.add({ match: { path: '/computes' }, kind: 'status', status: 403 });
    const client = new AzureMachineLearningWorkspaces(secretCredential(a), a.subscriptionId, { endpoint: a.armUrl.replace(/\/$/, '') });
    await assert.rejects(
      async () => {
        for await (const _ of client.computeOperations.list('rg-ml-hardened', 'mlw-hardened')) void _;
      },
      (e: { statusCode?: number; code?: string; message: string }) => {
        assert.equal(e.statusCode, 403);
        assert.equal(e.code, 'AuthorizationFailed');
        assert.match(e.message, /perform action 'Microsoft\.MachineLearningServices\/workspaces\/computes\/read' over scope '\/subscriptions\/.+\/workspaces\/mlw-hardened\/computes'/);
        assert.match(e.message, /with object id '[0-9a-f-]{36}'/);
        return true;
      },
    );
  });

  it("the SDK's retry policy rides over a single 500", async () => {
    const a = azure();
    a.faults.add({ match: { path: 'workspaces/mlw-hardened$' }, kind: 'status', status: 500, times: 1 });
    a.resetRequests();
    const client = new AzureMachineLearningWorkspaces(secretCredential(a), a.subscriptionId, { endpoint: a.armUrl.replace(/\/$/, '') });
    const ws = await client.workspaces.get('rg-ml-hardened', 'mlw-hardened');
    assert.equal(ws.name, 'mlw-hardened');
    assert.deepEqual(a.requests().filter((r) => r.service === 'arm').map((r) => r.status), [500, 200]);
  });

  it("'status' on an Entra path answers in Entra's error shape", async () => {
    const a = azure();
    a.faults.add({ match: { method: 'POST', path: '/oauth2/v2.0/token' }, kind: 'status', status: 503, retryAfterSec: 1 });
    const res = await raw(a, 'POST', `${a.tenantId}/oauth2/v2.0/token`, { body: 'grant_type=client_credentials' });
    assert.equal(res.status, 503);
    assert.equal(res.json.error, 'temporarily_unavailable');
    assert.ok(Array.isArray(res.json.error_codes));
  });

  it("'slow' delays the normal answer", async () => {
    const a = azure();
    a.faults.add({ match: { path: '/computes' }, kind: 'slow', delayMs: 300 });
    const t0 = Date.now();
    const res = await raw(a, 'GET', computes(), { token });
    assert.ok(Date.now() - t0 >= 290, `answered after ${Date.now() - t0} ms`);
    assert.equal(res.status, 200);
    assert.equal(res.json.value.length, 2);
  });

  it("'badJson' answers 200 with a body that does not parse", async () => {
    const a = azure();
    a.faults.add({ match: { path: '/computes' }, kind: 'badJson' });
    const res = await raw(a, 'GET', computes(), { token });
    assert.equal(res.status, 200);
    assert.throws(() => JSON.parse(res.text));
  });

  it("'truncated' promises more bytes than it sends and cuts the connection", async () => {
    const a = azure();
    a.faults.add({ match: { path: '/computes' }, kind: 'truncated' });
    await assert.rejects(raw(a, 'GET', computes(), { token }));
    assert.equal(a.requests().pop()?.fault, 'truncated');
  });

  it("'reset' destroys the socket without an answer", async () => {
    const a = azure();
    a.faults.add({ match: { path: '/computes' }, kind: 'reset', times: 1 });
    await assert.rejects(raw(a, 'GET', computes(), { token }));
    assert.equal(a.requests().pop()?.status, 0);
    assert.equal((await raw(a, 'GET', computes(), { token })).status, 200);
  });

  it("'endlessNextLink' keeps returning pages with a fresh nextLink", async () => {
    const a = azure();
    a.faults.add({ match: { path: '/datastores' }, kind: 'endlessNextLink' });
    let url = `${wsId()}/datastores?api-version=2025-09-01`;
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await raw(a, 'GET', url, { token });
      assert.equal(res.status, 200);
      assert.ok(res.json.value.length > 0);
      assert.ok(res.json.nextLink && !seen.has(res.json.nextLink));
      seen.add(res.json.nextLink);
      url = res.json.nextLink;
    }
  });

  it('is driven over HTTP too: /_emulator/faults, /_emulator/requests, /_emulator/stats', async () => {
    const a = azure();
    const added = await raw(a, 'POST', '_emulator/faults', { body: [{ match: { path: '/computes' }, kind: 'status', status: 502, times: 2 }] });
    assert.equal(added.status, 201);
    assert.equal(added.json.ids.length, 1);
    assert.equal((await raw(a, 'POST', '_emulator/faults', { body: { match: { path: 'x' }, kind: 'explode' } })).status, 400);
    await raw(a, 'DELETE', '_emulator/requests');
    assert.equal((await raw(a, 'GET', computes(), { token })).status, 502);
    const listed = await raw(a, 'GET', '_emulator/faults');
    assert.equal(listed.json.value[0].hits, 1);
    const log = await raw(a, 'GET', '_emulator/requests');
    assert.deepEqual(log.json.value.map((r: { status: number; fault?: string }) => [r.status, r.fault]), [[502, 'status']]);
    assert.ok(!log.text.includes(token), 'the request log holds no credentials');
    assert.equal((await raw(a, 'DELETE', '_emulator/faults')).status, 204);
    assert.equal((await raw(a, 'GET', computes(), { token })).status, 200);
    assert.equal(typeof (await raw(a, 'GET', '_emulator/stats')).json.entraTokens, 'number');
  });
});

describe('local Azure: latencyMs', () => {
  const azure = useLocalAzure({ scenarios: [], latencyMs: 150 });

  it('adds the latency to every answer but not to control routes', async () => {
    const a = azure();
    let t0 = Date.now();
    assert.equal((await raw(a, 'GET', `${a.tenantId}/v2.0/.well-known/openid-configuration`)).status, 200);
    assert.ok(Date.now() - t0 >= 145, `answered after ${Date.now() - t0} ms`);
    t0 = Date.now();
    await raw(a, 'GET', '_emulator/stats');
    assert.ok(Date.now() - t0 < 145, 'control routes answer at once');
  });
});
