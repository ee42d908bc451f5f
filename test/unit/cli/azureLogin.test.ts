/** CLI sign-in: which credential the environment selects, the cloud URLs, and what is masked. */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { AzureCliLogin, azureCliReason, cliAzure } from '../../../shared/cli/azureLogin';
import { registerSecret } from '../../agent/sweep';

const SUB = '11111111-2222-4333-8444-555555555555';

function generated(): string {
  const v = randomBytes(24).toString('base64url');
  registerSecret(v);
  return v;
}

describe('CLI sign-in (azureLogin)', () => {
  it('uses a service principal from AZURE_CLIENT_ID/TENANT_ID/CLIENT_SECRET and masks the secret at once', () => {
    const secret = generated();
    const masked: string[] = [];
    const a = cliAzure({ subscriptionId: SUB, env: { AZURE_CLIENT_ID: 'app-1', AZURE_TENANT_ID: 'tenant-1', AZURE_CLIENT_SECRET: secret }, mask: (s) => masked.push(s) });
    assert.deepEqual(masked, [secret]);
    assert.equal(a.connection.scheme, 'ServicePrincipal');
    assert.deepEqual(a.connection.secret, { kind: 'key', value: secret });
    assert.equal(a.connection.subscriptionId, SUB);
    assert.equal(a.connection.managementUrl, 'https://management.azure.com/');
    assert.equal(a.connection.authorityHost, 'https://login.microsoftonline.com/');
    assert.equal(a.connection.armScope, 'https://management.azure.com//.default');
    assert.ok(!a.signIn.includes(secret));
    assert.match(a.signIn, /service principal app-1 \(AZURE_CLIENT_SECRET\)/);
  });

  it('takes the cloud from --management-url over AZURE_RESOURCE_MANAGER_URL, and the authority from AZURE_AUTHORITY_HOST', () => {
    const env = { AZURE_RESOURCE_MANAGER_URL: 'https://management.usgovcloudapi.net', AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us' };
    const fromEnv = cliAzure({ subscriptionId: SUB, env, mask: () => undefined, azureCli: () => fakeCli() });
    assert.equal(fromEnv.connection.managementUrl, 'https://management.usgovcloudapi.net/');
    assert.equal(fromEnv.connection.authorityHost, 'https://login.microsoftonline.us/');
    const fromFlag = cliAzure({ subscriptionId: SUB, managementUrl: 'https://127.0.0.1:8443/', env, mask: () => undefined, azureCli: () => fakeCli() });
    assert.equal(fromFlag.connection.managementUrl, 'https://127.0.0.1:8443/');
    assert.equal(fromFlag.connection.armScope, 'https://127.0.0.1:8443//.default');
  });

  it('refuses plain-HTTP URLs for tokens, naming where the URL came from', () => {
    assert.throws(() => cliAzure({ subscriptionId: SUB, managementUrl: 'http://127.0.0.1:1/', env: {}, mask: () => undefined }), /--management-url .*https/);
    assert.throws(() => cliAzure({ subscriptionId: SUB, env: { AZURE_AUTHORITY_HOST: 'http://127.0.0.1:1/' }, mask: () => undefined }), /AZURE_AUTHORITY_HOST .*https/);
    assert.throws(() => cliAzure({ subscriptionId: SUB, env: { AZURE_RESOURCE_MANAGER_URL: 'not a url' }, mask: () => undefined }), /AZURE_RESOURCE_MANAGER_URL is 'not a url', which is not a URL/);
  });

  it('reads a certificate PEM from AZURE_CLIENT_CERTIFICATE_PATH, masks its key lines, and refuses one without a key or with a password', () => {
    const keyLine = generated();
    const pem = `-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n${keyLine}\n-----END PRIVATE KEY-----\n`;
    const masked: string[] = [];
    const env = { AZURE_CLIENT_ID: 'app-1', AZURE_TENANT_ID: 'tenant-1', AZURE_CLIENT_CERTIFICATE_PATH: '/x/sp.pem' };
    const a = cliAzure({ subscriptionId: SUB, env, mask: (s) => masked.push(s), readFile: () => pem });
    assert.deepEqual(a.connection.secret, { kind: 'certificate', pem });
    assert.ok(masked.includes(keyLine));
    assert.throws(() => cliAzure({ subscriptionId: SUB, env, mask: () => undefined, readFile: () => '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n' }), /holds no private key/);
    assert.throws(() => cliAzure({ subscriptionId: SUB, env: { ...env, AZURE_CLIENT_CERTIFICATE_PASSWORD: 'x' }, mask: () => undefined, readFile: () => pem }), /unencrypted PEM/);
    assert.throws(() => cliAzure({ subscriptionId: SUB, env, mask: () => undefined, readFile: () => { throw Object.assign(new Error('no'), { code: 'ENOENT' }); } }), /cannot be read \(ENOENT\)/);
  });

  it('falls back to the Azure CLI login, for the subscription and tenant given, and says why a partial service principal was not used', async () => {
    const asked: unknown[] = [];
    const a = cliAzure({ subscriptionId: SUB, env: { AZURE_CLIENT_ID: 'app-1', AZURE_TENANT_ID: 'tenant-1' }, mask: () => undefined, azureCli: (o) => { asked.push(o); return fakeCli(); } });
    assert.deepEqual(asked, [{ tenantId: 'tenant-1', subscription: SUB }]);
    assert.match(a.signIn, /az login.*AZURE_CLIENT_ID is set, but not with/);
    assert.equal(a.connection.secret, undefined);
    const token = await a.credential.getToken(a.connection.armScope);
    assert.equal(token?.token, 'cli-token');
  });

  it('turns Azure CLI failures into one line that says what to run, and masks the token it gets', async () => {
    const failing: TokenCredential = { getToken: () => Promise.reject(new Error("Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions and then, once installed, authenticate to your Azure account using 'az login'.")) };
    await assert.rejects(new AzureCliLogin(failing, SUB).getToken('s'), (err: Error) => {
      assert.equal(err.name, 'AuthError');
      assert.match(err.message, /^Sign-in with the Azure CLI failed: the az command is not installed or not on PATH; run 'az login'/);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
    assert.equal(azureCliReason(new Error("Please run 'az login' from a command prompt to authenticate before using this credential.")), 'not logged in');
    assert.equal(azureCliReason(new Error("ERROR: Subscription 'x' not found. Check the spelling and casing and try again.")), "ERROR: Subscription 'x' not found");

    const masked: string[] = [];
    const a = cliAzure({ subscriptionId: SUB, env: {}, mask: (s) => masked.push(s), azureCli: () => fakeCli() });
    await a.credential.getToken(a.connection.armScope);
    assert.ok(masked.includes('cli-token'));
  });
});

function fakeCli(): TokenCredential {
  return { getToken: async (): Promise<AccessToken> => ({ token: 'cli-token', expiresOnTimestamp: Date.now() + 3600_000 }) };
}
