/**
 * The whole credential path against the local Azure (test/azure): a connection read from agent-shaped
 * endpoint data, @azure/identity speaking HTTPS to the emulator's Entra, Azure DevOps and managed identity
 * endpoints, and the token used on the emulator's ARM.
 *
 * The process must trust the emulator's CA: NODE_EXTRA_CA_CERTS=.cache/test-ca/ca.pem (npm test sets it).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { get } from 'node:https';
import { join, resolve } from 'node:path';
import { AuthError, type AzureRmConnection } from '../../../shared/azure/cloud';
import { createArmCredential } from '../../../shared/azure/credentials';
import { OidcTokenError, requestOidcToken } from '../../../shared/azure/oidc';
import { readAzureRmConnection } from '../../../shared/pipeline/serviceConnection';
import { startLocalAzure, type LocalAzure } from '../../azure/server';
import { decodeJwt } from '../../azure/tokens';
import { fakeReader, type FakeEndpoint, type FakeJob } from './fakeReader';

const repoRoot = join(__dirname, '..', '..', '..', '..');
const caDir = join(repoRoot, '.cache', 'test-ca');
const INPUT = 'azureSubscription';

function armGet(url: string, token: string): Promise<{ status: number; body: any }> {
  return new Promise((done, fail) => {
    get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    }).on('error', fail);
  });
}

describe('ARM credentials against the local Azure', function () {
  this.timeout(60_000);
  let azure: LocalAzure;
  let masked: string[];
  const mask = (s: string) => { masked.push(s); };

  before(async () => {
    const extra = process.env.NODE_EXTRA_CA_CERTS;
    assert.ok(extra && resolve(extra) === resolve(caDir, 'ca.pem'),
      `run mocha with NODE_EXTRA_CA_CERTS=${join(caDir, 'ca.pem')} (npm test does; else: node build/test/azure/ca.js .cache/test-ca first)`);
    azure = await startLocalAzure({ caDir, scenarios: ['hardened'] });
  });
  after(async () => { await azure?.close(); });
  beforeEach(() => {
    masked = [];
    azure.settings.tokenLifetimeSec = 3600;
    azure.settings.oidcTokenLifetimeSec = 600;
  });

  const cloudData = () => ({ subscriptionId: azure.subscriptionId, activeDirectoryAuthority: azure.authorityHost });

  function spConnection(auth: Record<string, string>, id = 'sc-sp'): { conn: AzureRmConnection; readMasks: string[] } {
    const ep: FakeEndpoint = { url: azure.armUrl, scheme: 'ServicePrincipal', auth: { tenantid: azure.tenantId, serviceprincipalid: azure.clientId, ...auth }, data: cloudData() };
    const r = fakeReader({ endpoints: { [id]: ep } });
    return { conn: readAzureRmConnection(INPUT, id, r), readMasks: r.masked };
  }

  function wifJob(systemAccessToken: string, connectionId = azure.federatedConnectionId): FakeJob {
    const d = azure.devops;
    return {
      endpoints: {
        [connectionId]: { url: azure.armUrl, scheme: 'WorkloadIdentityFederation', auth: { tenantid: azure.tenantId, serviceprincipalid: azure.clientId }, data: cloudData() },
        SYSTEMVSSCONNECTION: { url: azure.collectionUri, scheme: 'OAuth', auth: { AccessToken: systemAccessToken } },
      },
      variables: {
        'System.CollectionUri': azure.collectionUri,
        'System.TeamProjectId': d.projectId,
        'System.HostType': d.hubName,
        'System.PlanId': d.planId,
        'System.JobId': d.jobId,
        'System.OidcRequestUri': d.oidcRequestUri,
      },
    };
  }

  async function assertArmAccepts(token: string): Promise<void> {
    const ws = azure.scenarios[0];
    const res = await armGet(`${azure.armUrl}${ws.workspaceId.replace(/^\//, '')}?api-version=2022-10-01`, token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.name, ws.workspaceName);
  }

  it('service principal key: gets an ARM token ARM accepts, masks it, and reuses it', async () => {
    const { conn, readMasks } = spConnection({ authenticationType: 'spnKey', serviceprincipalkey: azure.clientSecret });
    assert.deepEqual(readMasks, [azure.clientSecret]);
    assert.equal(conn.armScope, `${azure.armUrl}/.default`);
    const before = azure.stats().entraTokens;
    const cred = createArmCredential(conn, { mask });
    const t1 = await cred.getToken(conn.armScope);
    const t2 = await cred.getToken(conn.armScope);
    assert.ok(t1 && t2);
    assert.equal(t1.token, t2.token);
    assert.equal(azure.stats().entraTokens - before, 1, 'one sign-in for both calls');
    assert.deepEqual(masked, [t1.token]);
    await assertArmAccepts(t1.token);
  });

  it('service principal certificate: signs in with the in-memory PEM', async () => {
    const { conn, readMasks } = spConnection({ authenticationType: 'spnCertificate', servicePrincipalCertificate: azure.certificatePem });
    assert.ok(readMasks.length > 10, 'private key lines masked on read');
    const cred = createArmCredential(conn, { mask });
    const t = await cred.getToken(conn.armScope);
    assert.ok(t);
    assert.equal(decodeJwt(t.token)?.payload.appidacr, '2', 'certificate authentication');
    assert.deepEqual(masked, [t.token]);
    await assertArmAccepts(t.token);
  });

  it('wrong secret: one readable line naming the connection and AADSTS7000215, secret not in it', async () => {
    const wrong = randomBytes(30).toString('base64url');
    const { conn } = spConnection({ authenticationType: 'spnKey', serviceprincipalkey: wrong }, 'sc-broken');
    const cred = createArmCredential(conn, { mask });
    await assert.rejects(cred.getToken(conn.armScope), (e: unknown) => {
      assert.ok(e instanceof AuthError, String(e));
      assert.equal(e.name, 'AuthError', 'the task runner prints AuthError messages as they are');
      assert.equal(e.code, 'AADSTS7000215');
      assert.match(e.message, /^Sign-in to Microsoft Entra ID failed for service connection 'sc-broken' \(AADSTS7000215\): the service principal key is wrong/);
      assert.ok(!/[\r\n]/.test(e.message), e.message);
      assert.ok(!e.message.includes(wrong));
      return true;
    });
    assert.deepEqual(masked, []);
  });

  it('workload identity federation: OIDC token from Azure DevOps, exchanged for an ARM token; everything masked', async () => {
    const r = fakeReader(wifJob(azure.systemAccessToken));
    const conn = readAzureRmConnection(INPUT, azure.federatedConnectionId, r);
    assert.deepEqual(r.masked, [azure.systemAccessToken]);
    const before = azure.stats();
    const cred = createArmCredential(conn, { mask });
    const t = await cred.getToken(conn.armScope);
    assert.ok(t);
    const after = azure.stats();
    assert.equal(after.oidcTokens - before.oidcTokens, 1);
    assert.equal(after.entraTokens - before.entraTokens, 1);
    await assertArmAccepts(t.token);
    const oidc = masked.filter((m) => decodeJwt(m)?.payload.aud === 'api://AzureADTokenExchange');
    assert.equal(oidc.length, 1, 'the OIDC token was masked');
    assert.ok(masked.includes(t.token), 'the access token was masked');
  });

  it('workload identity federation: each new Entra token is bought with a new OIDC token, so expiry never bites', async () => {
    // Tokens shorter-lived than MSAL's 5-minute renewal window: every acquisition goes to Entra.
    azure.settings.tokenLifetimeSec = 120;
    azure.settings.oidcTokenLifetimeSec = 300;
    let skewMs = 0;
    const conn = readAzureRmConnection(INPUT, azure.federatedConnectionId, fakeReader(wifJob(azure.systemAccessToken)));
    const cred = createArmCredential(conn, { mask, now: () => Date.now() + skewMs });
    const before = azure.stats();
    const first = await cred.getToken(conn.armScope);
    // Both clocks move past the first OIDC token's expiry (and the access token's).
    azure.advanceClock(400);
    skewMs = 400_000;
    const second = await cred.getToken(conn.armScope);
    assert.ok(first && second);
    assert.notEqual(first.token, second.token);
    const after = azure.stats();
    assert.equal(after.oidcTokens - before.oidcTokens, 2, 'a fresh OIDC token for the second sign-in');
    assert.equal(after.entraTokens - before.entraTokens, 2);
    await assertArmAccepts(second.token);
    const oidc = masked.filter((m) => decodeJwt(m)?.payload.aud === 'api://AzureADTokenExchange');
    assert.equal(oidc.length, 2);
    for (const t of [first.token, second.token]) assert.ok(masked.includes(t));
  });

  it('workload identity federation: a reused (stale) OIDC token is what fails, with AADSTS700024', async () => {
    // The control for the test above: hand MSAL the same assertion twice and the emulator refuses it.
    azure.settings.tokenLifetimeSec = 120;
    azure.settings.oidcTokenLifetimeSec = 300;
    let skewMs = 0;
    const r = fakeReader(wifJob(azure.systemAccessToken));
    const conn = readAzureRmConnection(INPUT, azure.federatedConnectionId, r);
    let stale: string | undefined;
    const fetchOnce = async (): Promise<string> => (stale ??= await requestOidcToken(conn.devops!, conn.id, mask));
    const cred = createArmCredential(conn, { mask, fetchOidcToken: fetchOnce, now: () => Date.now() + skewMs });
    await cred.getToken(conn.armScope);
    azure.advanceClock(400);
    skewMs = 400_000;
    await assert.rejects(cred.getToken(conn.armScope), (e: unknown) => {
      assert.ok(e instanceof AuthError);
      assert.equal(e.code, 'AADSTS700024');
      assert.match(e.message, /OIDC token from Azure DevOps was expired/);
      return true;
    });
  });

  it('workload identity federation: a refused job token fails with HTTP 401 and the fix', async () => {
    const conn = readAzureRmConnection(INPUT, azure.federatedConnectionId, fakeReader(wifJob(`x${randomBytes(40).toString('base64url')}`)));
    const cred = createArmCredential(conn, { mask });
    await assert.rejects(cred.getToken(conn.armScope), (e: unknown) => {
      assert.ok(e instanceof OidcTokenError, String(e));
      assert.equal(e.name, 'AuthError');
      assert.equal(e.status, 401);
      assert.match(e.message, new RegExp(`service connection '${azure.federatedConnectionId}' \\(HTTP 401\\): the job access token was refused`));
      return true;
    });
    assert.deepEqual(masked, []);
  });

  it('workload identity federation: an unknown connection is reported as not found / not federated', async () => {
    const other = 'f0f0f0f0-0000-4000-8000-000000000000';
    const conn = readAzureRmConnection(INPUT, other, fakeReader(wifJob(azure.systemAccessToken, other)));
    const cred = createArmCredential(conn, { mask });
    await assert.rejects(cred.getToken(conn.armScope), /'f0f0f0f0-0000-4000-8000-000000000000' \(HTTP 404\): check that the connection exists/);
  });

  it('managed identity (App Service endpoint of the emulator): token for the user-assigned identity', async () => {
    // In a child process: MSAL picks the managed identity source once per process (a static), so another
    // test's emulator would otherwise answer. IDENTITY_ENDPOINT/IDENTITY_HEADER make it the App Service
    // source, so it never falls back to IMDS and nothing leaves loopback.
    const ep: FakeEndpoint = { url: azure.armUrl, scheme: 'ManagedServiceIdentity', auth: { tenantid: azure.tenantId }, data: { ...cloudData(), msiclientId: azure.managedIdentity.clientId } };
    const conn = readAzureRmConnection(INPUT, 'sc-msi', fakeReader({ endpoints: { 'sc-msi': ep } }));
    const script = `
      const { createArmCredential } = require(${JSON.stringify(join(__dirname, '..', '..', '..', 'shared', 'azure', 'credentials.js'))});
      const conn = JSON.parse(process.env.TEST_CONN);
      const masked = [];
      createArmCredential(conn, { mask: (s) => masked.push(s) }).getToken(conn.armScope)
        .then((t) => process.stdout.write(JSON.stringify({ token: t.token, masked })), (e) => process.stdout.write(JSON.stringify({ error: e.message })));`;
    const before = azure.stats().managedIdentityTokens;
    const out = await new Promise<string>((done, fail) => {
      execFile(process.execPath, ['-e', script], {
        env: { ...process.env, TEST_CONN: JSON.stringify(conn), IDENTITY_ENDPOINT: azure.managedIdentity.endpoint, IDENTITY_HEADER: azure.managedIdentity.header },
        cwd: repoRoot,
      }, (err, stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : done(stdout)));
    });
    const res = JSON.parse(out) as { token?: string; masked?: string[]; error?: string };
    assert.equal(res.error, undefined);
    assert.equal(azure.stats().managedIdentityTokens - before, 1);
    assert.equal(decodeJwt(res.token!)?.payload.appid, azure.managedIdentity.clientId);
    assert.deepEqual(res.masked, [res.token]);
    await assertArmAccepts(res.token!);
  });
});
