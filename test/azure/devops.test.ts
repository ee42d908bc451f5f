import * as assert from 'node:assert/strict';
import { AzurePipelinesCredential, ClientAssertionCredential } from '@azure/identity';
import { WebApi, getHandlerFromToken } from 'azure-devops-node-api';
import type { LocalAzure } from './server';
import { jwtClaims, raw, useLocalAzure } from './testSupport';

const ARM_SCOPE = 'https://management.azure.com/.default';

/** What variant B of the OIDC request does: POST System.OidcRequestUri?api-version=7.1&serviceConnectionId=… */
async function requestOidc(a: LocalAzure, token = a.systemAccessToken, connectionId = a.federatedConnectionId) {
  return raw(a, 'POST', `${a.devops.oidcRequestUri}?api-version=7.1&serviceConnectionId=${connectionId}`, { token, body: {} });
}

describe('local Azure: Azure DevOps OIDC and workload identity federation', () => {
  const azure = useLocalAzure({ scenarios: ['hardened'] });

  it('answers TaskApi.createOidcToken (location discovery, then POST) with a federation token', async () => {
    const a = azure();
    a.resetRequests();
    const conn = new WebApi(a.collectionUri, getHandlerFromToken(a.systemAccessToken));
    const api = await conn.getTaskApi();
    const before = a.stats().oidcTokens;
    const { oidcToken } = await api.createOidcToken({}, a.devops.projectId, 'build', a.devops.planId, a.devops.jobId, a.federatedConnectionId);
    assert.ok(oidcToken);
    const c = jwtClaims(oidcToken);
    assert.equal(c.iss, `https://vstoken.dev.azure.com/${a.devops.orgId}`);
    assert.equal(c.sub, `sc://demo-org/${a.devops.projectName}/${a.devops.serviceConnectionName}`);
    assert.equal(c.aud, 'api://AzureADTokenExchange');
    assert.equal(c.exp - c.iat, 600);
    assert.equal(a.stats().oidcTokens, before + 1);
    assert.deepEqual(
      a.requests().map((r) => `${r.method} ${r.path.split('/').slice(-1)[0]}`),
      ['OPTIONS distributedtask', 'POST oidctoken'],
    );
  });

  it('answers the raw form (api-version=7.1) and refuses a wrong job token or connection', async () => {
    const a = azure();
    assert.equal((await requestOidc(a)).status, 200);
    const wrongToken = await requestOidc(a, `${a.systemAccessToken}x`);
    assert.equal(wrongToken.status, 401);
    assert.equal(wrongToken.json.typeKey, 'UnauthorizedRequestException');
    assert.equal((await requestOidc(a, a.systemAccessToken, '00000000-0000-0000-0000-000000000000')).status, 404);
    assert.equal((await raw(a, 'POST', `${a.devops.oidcRequestUri}?api-version=7.1&serviceConnectionId=${a.federatedConnectionId}`, { body: {} })).status, 401);
  });

  it('AzurePipelinesCredential: OIDC token exchanged at Entra, ARM accepts the result', async () => {
    const a = azure();
    const saved = process.env.SYSTEM_OIDCREQUESTURI;
    process.env.SYSTEM_OIDCREQUESTURI = a.devops.oidcRequestUri;
    try {
      const cred = new AzurePipelinesCredential(a.tenantId, a.clientId, a.federatedConnectionId, a.systemAccessToken, {
        authorityHost: a.authorityHost,
        disableInstanceDiscovery: true,
      });
      const t = await cred.getToken(ARM_SCOPE);
      assert.equal(jwtClaims(t.token).appidacr, '2');
      const ws = await raw(a, 'GET', `${a.scenarios[0].workspaceId}?api-version=2025-09-01`, { token: t.token });
      assert.equal(ws.status, 200);
    } finally {
      if (saved === undefined) delete process.env.SYSTEM_OIDCREQUESTURI;
      else process.env.SYSTEM_OIDCREQUESTURI = saved;
    }
  });

  it('counts every OIDC token it issues and every Entra token, so tests can relate the two', async () => {
    const a = azure();
    let callbacks = 0;
    const credential = () =>
      new ClientAssertionCredential(
        a.tenantId,
        a.clientId,
        async () => {
          callbacks++;
          return (await requestOidc(a)).json.oidcToken as string;
        },
        { authorityHost: a.authorityHost, disableInstanceDiscovery: true },
      );
    const lifetime = a.settings.tokenLifetimeSec;
    try {
      // MSAL renews a cached token within 5 minutes of its expiry, so a 60 s token is renewed on every call.
      a.settings.tokenLifetimeSec = 60;
      let s0 = a.stats();
      callbacks = 0;
      const short = credential();
      await short.getToken(ARM_SCOPE);
      await short.getToken(ARM_SCOPE);
      let s1 = a.stats();
      assert.equal(s1.entraTokens - s0.entraTokens, 2);
      assert.equal(s1.oidcTokens - s0.oidcTokens, callbacks);
      assert.ok(callbacks >= 2);

      a.settings.tokenLifetimeSec = 3600;
      s0 = a.stats();
      callbacks = 0;
      const long = credential();
      await long.getToken(ARM_SCOPE);
      await long.getToken(ARM_SCOPE);
      s1 = a.stats();
      assert.equal(s1.entraTokens - s0.entraTokens, 1, 'the second call is served from the MSAL cache');
      assert.equal(s1.oidcTokens - s0.oidcTokens, callbacks);
    } finally {
      a.settings.tokenLifetimeSec = lifetime;
    }
  });

  it('refuses an expired or altered federation token at the token endpoint', async () => {
    const a = azure();
    const oidc = (await requestOidc(a)).json.oidcToken as string;
    const exchange = (assertion: string) =>
      raw(a, 'POST', `${a.tenantId}/oauth2/v2.0/token`, {
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: a.clientId,
          scope: ARM_SCOPE,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    assert.equal((await exchange(oidc)).status, 200);

    const [h, p, s] = oidc.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'sc://demo-org/other/conn' })).toString('base64url')}.${s}`;
    const altered = await exchange(forged);
    assert.equal(altered.status, 401);
    assert.deepEqual(altered.json.error_codes, [50013]);

    a.advanceClock(601);
    try {
      const expired = await exchange(oidc);
      assert.deepEqual(expired.json.error_codes, [700024]);
    } finally {
      a.advanceClock(-601);
    }
  });
});
