import * as assert from 'node:assert/strict';
import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import { makeClientCertificate } from './ca';
import { armToken, jwtClaims, raw, secretCredential, useLocalAzure } from './testSupport';

const ARM_SCOPE = 'https://management.azure.com/.default';

describe('local Azure: Entra ID', () => {
  const azure = useLocalAzure({ scenarios: ['hardened'] });

  it('serves OpenID discovery that MSAL accepts for a non-public authority', async () => {
    const a = azure();
    const res = await raw(a, 'GET', `${a.tenantId}/v2.0/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    assert.equal(res.json.issuer, `${a.authorityHost}${a.tenantId}/v2.0`);
    assert.equal(res.json.token_endpoint, `${a.authorityHost}${a.tenantId}/oauth2/v2.0/token`);
    const keys = await raw(a, 'GET', `${a.tenantId}/discovery/v2.0/keys`);
    const kid = JSON.parse(Buffer.from((await armToken(a)).split('.')[0], 'base64url').toString()).kid;
    assert.ok(keys.json.keys.some((k: { kid: string }) => k.kid === kid), 'the JWKS publishes the key that signs access tokens');
  });

  it('answers an unknown tenant with AADSTS90002', async () => {
    const res = await raw(azure(), 'GET', '11111111-2222-3333-4444-555555555555/v2.0/.well-known/openid-configuration');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json.error_codes, [90002]);
  });

  it('issues an ARM token to ClientSecretCredential', async () => {
    const a = azure();
    const before = a.stats().entraTokens;
    const t = await secretCredential(a).getToken(ARM_SCOPE);
    const c = jwtClaims(t.token);
    assert.equal(c.aud, 'https://management.azure.com');
    assert.equal(c.tid, a.tenantId);
    assert.equal(c.appid, a.clientId);
    assert.equal(c.appidacr, '1');
    assert.equal(c.iss, `https://sts.windows.net/${a.tenantId}/`);
    assert.equal(c.exp - c.iat, 3600);
    assert.equal(a.stats().entraTokens, before + 1);
  });

  it('rejects a wrong client secret with invalid_client / AADSTS7000215', async () => {
    const a = azure();
    const cred = new ClientSecretCredential(a.tenantId, a.clientId, `${a.clientSecret}x`, { authorityHost: a.authorityHost, disableInstanceDiscovery: true });
    await assert.rejects(cred.getToken(ARM_SCOPE), /AADSTS7000215/);
  });

  it('rejects an unknown client id with AADSTS700016', async () => {
    const a = azure();
    const cred = new ClientSecretCredential(a.tenantId, '99999999-8888-7777-6666-555555555555', a.clientSecret, { authorityHost: a.authorityHost, disableInstanceDiscovery: true });
    await assert.rejects(cred.getToken(ARM_SCOPE), /AADSTS700016/);
  });

  it('accepts ClientCertificateCredential with the registered certificate', async () => {
    const a = azure();
    const cred = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: a.certificatePem }, { authorityHost: a.authorityHost, disableInstanceDiscovery: true });
    const c = jwtClaims((await cred.getToken(ARM_SCOPE)).token);
    assert.equal(c.appid, a.clientId);
    assert.equal(c.appidacr, '2');
    const token = a.requests().filter((r) => r.path.endsWith('/oauth2/v2.0/token')).pop();
    assert.equal(token?.status, 200);
  });

  it('rejects a certificate assertion signed by an unregistered certificate (AADSTS700027)', async () => {
    const a = azure();
    const other = await makeClientCertificate('not-registered');
    const cred = new ClientCertificateCredential(a.tenantId, a.clientId, { certificate: other.pem }, { authorityHost: a.authorityHost, disableInstanceDiscovery: true });
    await assert.rejects(cred.getToken(ARM_SCOPE), /AADSTS700027/);
  });

  it('rejects a scope without /.default (AADSTS1002012) and a missing grant type', async () => {
    const a = azure();
    const post = (form: Record<string, string>) =>
      raw(a, 'POST', `${a.tenantId}/oauth2/v2.0/token`, { body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const badScope = await post({ grant_type: 'client_credentials', client_id: a.clientId, client_secret: a.clientSecret, scope: 'https://management.azure.com/user_impersonation' });
    assert.equal(badScope.status, 400);
    assert.equal(badScope.json.error, 'invalid_scope');
    const badGrant = await post({ grant_type: 'password', client_id: a.clientId, client_secret: a.clientSecret, scope: ARM_SCOPE });
    assert.equal(badGrant.json.error, 'unsupported_grant_type');
  });

  it('serves the v1 token endpoint with resource=', async () => {
    const a = azure();
    const res = await raw(a, 'POST', `${a.tenantId}/oauth2/token`, {
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: a.clientId, client_secret: a.clientSecret, resource: 'https://management.core.windows.net/' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 200);
    assert.equal(jwtClaims(res.json.access_token).aud, 'https://management.core.windows.net/');
    assert.equal(res.json.resource, 'https://management.core.windows.net/');
  });

  describe('managed identity (App Service: IDENTITY_ENDPOINT + IDENTITY_HEADER)', () => {
    const saved: Record<string, string | undefined> = {};
    before(() => {
      for (const k of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']) saved[k] = process.env[k];
      process.env.IDENTITY_ENDPOINT = azure().managedIdentity.endpoint;
      process.env.IDENTITY_HEADER = azure().managedIdentity.header;
    });
    after(() => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    it('issues a token ARM accepts to ManagedIdentityCredential', async () => {
      const a = azure();
      const cred = new ManagedIdentityCredential({ clientId: a.managedIdentity.clientId });
      const t = await cred.getToken(ARM_SCOPE);
      const c = jwtClaims(t.token);
      assert.equal(c.oid, a.managedIdentity.principalId);
      assert.equal(c.xms_mirid, a.managedIdentity.resourceId);
      const ws = await raw(a, 'GET', `${a.scenarios[0].workspaceId}?api-version=2025-09-01`, { token: t.token });
      assert.equal(ws.status, 200);
      assert.ok(a.stats().managedIdentityTokens >= 1);
    });

    it('refuses a wrong X-IDENTITY-HEADER and an unknown client id', async () => {
      const a = azure();
      const q = `?api-version=2019-08-01&resource=${encodeURIComponent('https://management.azure.com')}`;
      const wrong = await raw(a, 'GET', `${a.managedIdentity.endpoint}${q}`, { headers: { 'x-identity-header': 'nope' } });
      assert.equal(wrong.status, 401);
      const unknown = await raw(a, 'GET', `${a.managedIdentity.endpoint}${q}&client_id=00000000-0000-0000-0000-000000000000`, { headers: { 'x-identity-header': a.managedIdentity.header } });
      assert.equal(unknown.status, 400);
      const ok = await raw(a, 'GET', `${a.managedIdentity.endpoint}${q}`, { headers: { 'x-identity-header': a.managedIdentity.header } });
      assert.equal(ok.status, 200);
      assert.ok(Number(ok.json.expires_on) > Date.now() / 1000);
    });
  });
});
