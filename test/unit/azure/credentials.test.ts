/**
 * Credential wiring without a network: the token cache and masking around identity, error descriptions
 * built from identity's real error types, and tenant / authority decisions.
 */
import * as assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { AuthenticationError, CredentialUnavailableError } from '@azure/identity';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { AuthError, ConfigError, isPublicAuthorityHost, type AzureRmConnection } from '../../../shared/azure/cloud';
import {
  SharedTokenCredential,
  createArmCredential,
  describeAuthError,
  identityTenant,
} from '../../../shared/azure/credentials';

function conn(over: Partial<AzureRmConnection> = {}): AzureRmConnection {
  return {
    id: randomUUID(),
    scheme: 'ServicePrincipal',
    tenantId: randomUUID(),
    clientId: randomUUID(),
    subscriptionId: randomUUID(),
    managementUrl: 'https://management.azure.com/',
    authorityHost: 'https://login.microsoftonline.com/',
    armScope: 'https://management.core.windows.net//.default',
    secret: { kind: 'key', value: randomBytes(24).toString('base64url') },
    ...over,
  };
}

/** An inner credential that issues a new token per call and counts calls. */
class CountingCredential implements TokenCredential {
  calls: Array<{ scopes: string | string[]; options?: GetTokenOptions }> = [];
  constructor(private readonly lifeMs: number, private readonly clock: () => number, private readonly fail?: unknown) {}
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    this.calls.push({ scopes, options });
    await new Promise((r) => setImmediate(r));
    if (this.fail) throw this.fail;
    return { token: `t${this.calls.length}.${randomBytes(8).toString('hex')}`, expiresOnTimestamp: this.clock() + this.lifeMs };
  }
}

function entraError(code: number, text: string, status = 401): AuthenticationError {
  return new AuthenticationError(status, {
    error: 'invalid_client',
    error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: 2026-01-01 00:00:00Z`,
    error_codes: [code],
  } as never);
}

describe('SharedTokenCredential', () => {
  let now = 1_000_000;
  const clock = () => now;
  beforeEach(() => { now = 1_000_000; });

  it('serves one token per scope until it nears expiry, and masks each new token once', async () => {
    const inner = new CountingCredential(60 * 60_000, clock);
    const masked: string[] = [];
    const cred = new SharedTokenCredential(inner, conn(), (s) => masked.push(s), clock);
    const a = await cred.getToken('https://management.azure.com//.default');
    const b = await cred.getToken(['https://management.azure.com//.default']);
    assert.equal(a.token, b.token);
    assert.equal(inner.calls.length, 1);
    const other = await cred.getToken('https://storage.azure.com/.default');
    assert.notEqual(other.token, a.token);
    assert.equal(inner.calls.length, 2);
    now += 56 * 60_000; // inside the 5-minute head start before expiry
    const c = await cred.getToken('https://management.azure.com//.default');
    assert.notEqual(c.token, a.token);
    assert.equal(inner.calls.length, 3);
    assert.deepEqual(masked, [a.token, other.token, c.token]);
  });

  it('refreshes short-lived tokens at half their life', async () => {
    const inner = new CountingCredential(60_000, clock);
    const cred = new SharedTokenCredential(inner, conn(), () => {}, clock);
    await cred.getToken('s');
    now += 29_000;
    await cred.getToken('s');
    assert.equal(inner.calls.length, 1);
    now += 2_000;
    await cred.getToken('s');
    assert.equal(inner.calls.length, 2);
  });

  it('shares one request between concurrent callers', async () => {
    const inner = new CountingCredential(3_600_000, clock);
    const cred = new SharedTokenCredential(inner, conn(), () => {}, clock);
    const tokens = await Promise.all([cred.getToken('s'), cred.getToken('s'), cred.getToken('s')]);
    assert.equal(inner.calls.length, 1);
    assert.equal(new Set(tokens.map((t) => t.token)).size, 1);
  });

  it('sends a claims challenge to Entra instead of answering from the cache', async () => {
    const inner = new CountingCredential(3_600_000, clock);
    const cred = new SharedTokenCredential(inner, conn(), () => {}, clock);
    await cred.getToken('s');
    await cred.getToken('s', { claims: '{"access_token":{"nbf":{"essential":true}}}' });
    assert.equal(inner.calls.length, 2);
  });

  it('turns an identity error into a one-line AuthError with the AADSTS code', async () => {
    const c = conn();
    const inner = new CountingCredential(1, clock, entraError(7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'x'."));
    const cred = new SharedTokenCredential(inner, c, () => {}, clock);
    await assert.rejects(cred.getToken('s'), (e: unknown) => {
      assert.ok(e instanceof AuthError);
      assert.equal(e.code, 'AADSTS7000215');
      assert.ok(e.message.includes(c.id));
      assert.match(e.message, /\(AADSTS7000215\): the service principal key is wrong/);
      assert.ok(!/[\r\n]/.test(e.message));
      return true;
    });
  });
});

describe('describeAuthError', () => {
  it('uses the hint for known codes and the Entra sentence (without trace ids) for others', () => {
    const c = conn();
    const known = describeAuthError(entraError(700016, "Application with identifier 'x' was not found in the directory 'y'.", 400), c);
    assert.match(known, /\(AADSTS700016\): no application with client id/);
    assert.ok(known.includes(c.clientId!));
    const other = describeAuthError(entraError(9999999, 'Something new happened.', 400), c);
    assert.match(other, /\(AADSTS9999999\): Something new happened\.$/);
    assert.ok(!/Trace ID|Correlation ID|[\r\n]/.test(other), other);
  });

  it('explains the WIF federation mismatch codes', () => {
    const c = conn({ scheme: 'WorkloadIdentityFederation', secret: undefined });
    assert.match(describeAuthError(entraError(700213, 'No matching federated identity record found for presented assertion subject.'), c), /sc:\/\/<organization>\/<project>\/<connection name>/);
    assert.match(describeAuthError(entraError(700024, 'Client assertion is not within its valid time range.'), c), /OIDC token/);
  });

  it('says where managed identity works', () => {
    const c = conn({ scheme: 'ManagedServiceIdentity', clientId: undefined, secret: undefined });
    assert.match(describeAuthError(new CredentialUnavailableError('ManagedIdentityCredential: no endpoint'), c), /self-hosted agent running in Azure/);
  });

  it('passes configuration errors through unchanged', () => {
    assert.equal(describeAuthError(new ConfigError('fix it'), conn()), 'fix it');
  });
});

describe('credential choices', () => {
  it('uses the literal tenant "adfs" for ADFS authorities only', () => {
    assert.equal(identityTenant({ tenantId: 't', authorityHost: 'https://adfs.local.azurestack.external/adfs/' }), 'adfs');
    assert.equal(identityTenant({ tenantId: 't', authorityHost: 'https://login.microsoftonline.com/' }), 't');
  });

  it('knows the public authority hosts and nothing else', () => {
    for (const h of ['https://login.microsoftonline.com/', 'https://login.chinacloudapi.cn/', 'https://login.microsoftonline.us/', 'https://login.partner.microsoftonline.cn/']) {
      assert.ok(isPublicAuthorityHost(h), h);
    }
    for (const h of ['https://adfs.local.azurestack.external/adfs/', 'https://127.0.0.1:8443/', 'https://login.microsoftonline.com.evil.test/']) {
      assert.ok(!isPublicAuthorityHost(h), h);
    }
  });

  it('refuses to build a WIF credential without a way to get OIDC tokens', () => {
    assert.throws(() => createArmCredential(conn({ scheme: 'WorkloadIdentityFederation', secret: undefined }), { mask: () => {} }), ConfigError);
  });

  it('refuses a service principal without key or certificate', () => {
    assert.throws(() => createArmCredential(conn({ secret: undefined }), { mask: () => {} }), /has no key or certificate/);
  });
});
