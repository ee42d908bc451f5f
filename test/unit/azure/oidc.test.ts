/**
 * requestOidcToken against a scripted loopback Azure DevOps (plain http: the retry and error logic does not
 * depend on TLS; the emulator-backed test in credentials.live.test.ts covers the real https path).
 */
import * as assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DevOpsJobContext } from '../../../shared/azure/cloud';
import { OidcTokenError, describeOidcFailure, requestOidcToken } from '../../../shared/azure/oidc';
import { oidcWorkerEntry, requestOidcTokenOffThread } from '../../../shared/azure/oidcInWorker';

const OIDC_LOCATION_ID = '69a319f4-28c1-4bfd-93e6-ea0ff5c6f1a2';

interface FakeDevOps {
  devops: DevOpsJobContext;
  /** Status codes for successive POSTs; 200 returns a token. The last entry repeats. */
  script: number[];
  posts: Array<{ url: string; auth?: string }>;
  issued: string[];
  close(): Promise<void>;
}

async function startFakeDevOps(script: number[]): Promise<FakeDevOps> {
  const posts: FakeDevOps['posts'] = [];
  const issued: string[] = [];
  const state = { script };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (req.method === 'OPTIONS' && req.url === '/org/_apis/distributedtask') {
      return send(200, { count: 1, value: [{
        id: OIDC_LOCATION_ID, area: 'distributedtask', resourceName: 'oidctoken',
        routeTemplate: '{scopeIdentifier}/_apis/distributedtask/hubs/{hubName}/plans/{planId}/jobs/{jobId}/oidctoken',
        resourceVersion: 1, minVersion: '7.1', maxVersion: '7.2', releasedVersion: '0.0',
      }] });
    }
    if (req.method === 'POST' && /\/oidctoken\?/.test(req.url ?? '')) {
      posts.push({ url: req.url!, auth: req.headers.authorization });
      const status = state.script[Math.min(posts.length - 1, state.script.length - 1)];
      if (status === 200) {
        const token = `eyJ.${randomBytes(24).toString('base64url')}.sig`;
        issued.push(token);
        return send(200, { oidcToken: token });
      }
      if (status === 0) return req.socket.destroy(); // no answer at all
      return send(status, { message: `scripted ${status}` });
    }
    send(404);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const devops: DevOpsJobContext = {
    collectionUri: `http://127.0.0.1:${port}/org/`,
    projectId: randomUUID(),
    hostType: 'build',
    planId: randomUUID(),
    jobId: randomUUID(),
    systemAccessToken: `job.${randomBytes(40).toString('base64url')}`,
  };
  return {
    devops, script, posts, issued,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const noWait = [0, 0, 0];

describe('requestOidcToken (scripted Azure DevOps)', () => {
  let fake: FakeDevOps | undefined;
  afterEach(async () => { await fake?.close(); fake = undefined; });

  it('POSTs to the job oidctoken route with the job token as bearer, and masks the token it returns', async () => {
    fake = await startFakeDevOps([200]);
    const conn = randomUUID();
    const masked: string[] = [];
    const token = await requestOidcToken(fake.devops, conn, (s) => masked.push(s), { retryDelaysMs: noWait });
    assert.equal(token, fake.issued[0]);
    assert.deepEqual(masked, [token]);
    const d = fake.devops;
    assert.equal(fake.posts.length, 1);
    assert.ok(fake.posts[0].url.startsWith(`/org/${d.projectId}/_apis/distributedtask/hubs/build/plans/${d.planId}/jobs/${d.jobId}/oidctoken?`), fake.posts[0].url);
    assert.ok(fake.posts[0].url.includes(`serviceConnectionId=${conn}`));
    assert.equal(fake.posts[0].auth, `Bearer ${d.systemAccessToken}`);
  });

  it('returns a new token on each call', async () => {
    fake = await startFakeDevOps([200]);
    const a = await requestOidcToken(fake.devops, 'c', () => {}, { retryDelaysMs: noWait });
    const b = await requestOidcToken(fake.devops, 'c', () => {}, { retryDelaysMs: noWait });
    assert.notEqual(a, b);
    assert.equal(fake.posts.length, 2);
  });

  it('retries transient failures (503, 429, dropped connection) and then succeeds', async () => {
    fake = await startFakeDevOps([503, 429, 0, 200]);
    const token = await requestOidcToken(fake.devops, 'c', () => {}, { retryDelaysMs: noWait });
    assert.equal(token, fake.issued[0]);
    assert.equal(fake.posts.length, 4);
  });

  it('gives up after the retries with the last HTTP status', async () => {
    fake = await startFakeDevOps([500]);
    await assert.rejects(requestOidcToken(fake.devops, 'conn-x', () => {}, { retryDelaysMs: [0, 0] }), (e: unknown) => {
      assert.ok(e instanceof OidcTokenError);
      assert.equal(e.status, 500);
      assert.match(e.message, /'conn-x'.*HTTP 500/);
      return true;
    });
    assert.equal(fake.posts.length, 3, 'one try and two retries');
  });

  it('does not retry a 401 and says the job token was refused', async () => {
    fake = await startFakeDevOps([401]);
    const masked: string[] = [];
    await assert.rejects(requestOidcToken(fake.devops, 'c', (s) => masked.push(s), { connectionLabel: "'sc-prod'", retryDelaysMs: noWait }), (e: unknown) => {
      assert.ok(e instanceof OidcTokenError);
      assert.equal(e.name, 'AuthError');
      assert.equal(e.status, 401);
      assert.match(e.message, /'sc-prod' \(HTTP 401\): the job access token was refused/);
      assert.ok(!e.message.includes(fake!.devops.systemAccessToken), 'no token in the message');
      assert.ok(!/\n/.test(e.message));
      return true;
    });
    assert.equal(fake.posts.length, 1);
    assert.deepEqual(masked, []);
  });

  it('reports an unreachable Azure DevOps after retrying', async () => {
    fake = await startFakeDevOps([200]);
    const devops = { ...fake.devops };
    await fake.close();
    fake = undefined;
    await assert.rejects(requestOidcToken(devops, 'c', () => {}, { retryDelaysMs: [0] }), /could not reach http:\/\/127\.0\.0\.1/);
  });
});

describe('requestOidcTokenOffThread (the request on its own thread)', () => {
  let fake: FakeDevOps | undefined;
  afterEach(async () => { await fake?.close(); fake = undefined; });

  it('the tsc build has the worker entry', () => {
    assert.ok(oidcWorkerEntry(), 'oidcWorker.js next to oidcInWorker.js');
  });

  it('returns the token from the worker, masks it once, and sends the job token as bearer', async () => {
    fake = await startFakeDevOps([503, 200]);
    const masked: string[] = [];
    const token = await requestOidcTokenOffThread(fake.devops, 'c', (s) => masked.push(s), { connectionLabel: "'sc'", retryDelaysMs: noWait });
    assert.equal(token, fake.issued[0]);
    assert.deepEqual(masked, [token]);
    assert.equal(fake.posts.length, 2, 'the worker retried the 503');
    assert.equal(fake.posts[1].auth, `Bearer ${fake.devops.systemAccessToken}`);
  });

  it('fails with the same one-line error, status and name as on the main thread', async () => {
    fake = await startFakeDevOps([403]);
    const opts = { connectionLabel: "'sc-prod'", retryDelaysMs: noWait };
    const here = (await requestOidcToken(fake.devops, 'c', () => {}, opts).catch((e: unknown) => e)) as OidcTokenError;
    const there = (await requestOidcTokenOffThread(fake.devops, 'c', () => {}, opts).catch((e: unknown) => e)) as OidcTokenError;
    assert.ok(there instanceof OidcTokenError);
    assert.deepEqual([there.name, there.status, there.message], [here.name, here.status, here.message]);
  });

  it('a worker that cannot start fails closed naming the connection; without a worker file the request runs here', async () => {
    fake = await startFakeDevOps([200]);
    await assert.rejects(requestOidcTokenOffThread(fake.devops, 'c', () => {}, { connectionLabel: "'sc'" }, '/nonexistent/oidcWorker.js'), (e: unknown) => {
      assert.ok(e instanceof OidcTokenError);
      assert.match(e.message, /service connection 'sc': the request's thread/);
      return true;
    });
    const token = await requestOidcTokenOffThread(fake.devops, 'c', () => {}, { connectionLabel: "'sc'" }, undefined);
    assert.equal(token, fake.issued.at(-1));
  });

  it("with the agent's proxy set by task-lib, the request stays on the main thread (a worker lacks task-lib's globals)", async () => {
    fake = await startFakeDevOps([200]);
    // What task-lib sets for an agent proxy; the loopback fake is on its bypass list, so requests still reach it.
    const proxy = { _vsts_task_lib_proxy: true, _vsts_task_lib_proxy_url: 'http://127.0.0.1:9', _vsts_task_lib_proxy_bypass: JSON.stringify(['127\\.0\\.0\\.1']) };
    Object.assign(globalThis, proxy);
    try {
      // A worker entry that cannot start would fail; the main-thread request succeeds.
      const token = await requestOidcTokenOffThread(fake.devops, 'c', () => {}, { connectionLabel: "'sc'" }, '/nonexistent/oidcWorker.js');
      assert.equal(token, fake.issued[0]);
    } finally {
      for (const k of Object.keys(proxy)) delete (globalThis as Record<string, unknown>)[k];
    }
  });
});

describe('describeOidcFailure', () => {
  const err = (statusCode?: number, message = 'x') => Object.assign(new Error(message), statusCode ? { statusCode } : {});
  it('names the fix for 403 and 404', () => {
    assert.match(describeOidcFailure(err(403), "'a'", 'https://dev.azure.com/o/').message, /HTTP 403.*grant this pipeline access/);
    assert.match(describeOidcFailure(err(404), "'a'", 'https://dev.azure.com/o/').message, /HTTP 404.*workload identity federation/);
  });
  it('recognizes a server without the OIDC API', () => {
    const e = describeOidcFailure(err(undefined, 'Failed to find api location for area: distributedtask id: 69a3'), "'a'", 'https://tfs/');
    assert.match(e.message, /does not offer the OIDC token API/);
  });
});
