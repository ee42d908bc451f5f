/**
 * The pure parts of `promote` and `verify` and the AzureCli scheme: exit codes from a result, key values that
 * name files, the account a token names, and how the scheme reaches credentials and messages.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { signInLabel, type AzureRmConnection } from '../../../shared/azure/cloud';
import { createArmCredential, describeAuthError } from '../../../shared/azure/credentials';
import { cliAzure } from '../../../shared/cli/azureLogin';
import { exitCode, keyFileContents, promoteHelp, tokenIdentity } from '../../../shared/cli/promoteCommand';
import { publicKeyTexts, VERIFY_USAGE } from '../../../shared/cli/verifyCommand';
import { EXIT_CODES, USAGE } from '../../../shared/cli/main';
import { ed25519Pair } from '../evidence/fixtures';

const SUB = '11111111-2222-4333-8444-555555555555';
const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('CLI promote and verify (pure parts)', () => {
  it('promote exit codes: 0 passed, 1 a refusing plan (nothing written), 2 any other failure', () => {
    assert.equal(exitCode({ verdict: 'passed' }), 0);
    assert.equal(exitCode({ verdict: 'failed', plan: { kind: 'refuse', reasons: ['x'] } }), 1);
    assert.equal(exitCode({ verdict: 'failed' }), 2, 'could not read: fails closed, not a judged refusal');
    assert.equal(exitCode({ verdict: 'failed', plan: { kind: 'write', action: 'copied', tags: {}, properties: {}, changes: [] } }), 2, 'incomplete write');
  });

  it('a key value that names a file stands for its contents; key text and unknown names pass through', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlops-cli-keys-'));
    const a = ed25519Pair().signer.publicKeyPem();
    const b = ed25519Pair().signer.publicKeyPem();
    writeFileSync(join(dir, 'keys.pem'), `${a}\n${b}`);
    assert.equal(keyFileContents('keys.pem', dir), `${a}\n${b}`);
    assert.equal(keyFileContents(a, dir), a);
    assert.equal(keyFileContents('MCowBQYDK2VwAyEA', dir), 'MCowBQYDK2VwAyEA');
    assert.deepEqual(publicKeyTexts('keys.pem', dir), [a.trim(), b.trim()]);
    assert.deepEqual(publicKeyTexts(a, dir), [a.trim()]);
    assert.throws(() => publicKeyTexts('missing/key.pem', dir), /'missing\/key\.pem' is not an existing file, nor a PEM or base64 key/);
    writeFileSync(join(dir, 'empty.pem'), '\n');
    assert.throws(() => publicKeyTexts('empty.pem', dir), /holds no key/);
  });

  it('names the signed-in account from the token: upn first, then object id; nothing for a non-JWT', () => {
    assert.equal(tokenIdentity(jwt({ upn: 'dev@contoso.com', oid: 'o-1' })), 'dev@contoso.com');
    assert.equal(tokenIdentity(jwt({ oid: 'o-1', appid: 'a-1' })), 'o-1');
    assert.equal(tokenIdentity('opaque'), undefined);
    assert.equal(tokenIdentity(undefined), undefined);
  });

  it('every help text states the exit codes; promote --help lists every task input', () => {
    assert.ok(USAGE.includes(EXIT_CODES));
    assert.match(VERIFY_USAGE, /Exit codes: 0 verified, 1 refused/);
    const help = promoteHelp();
    for (const flag of ['--evidence-bundle <path>', '--trusted-public-keys <glob> (repeatable)', '--[no-]dry-run', '--target-type <choice>', '--stage-tag']) assert.ok(help.includes(flag), flag);
    assert.match(help, /Exit codes: 0 promoted/);
  });
});

describe('AzureCli scheme', () => {
  const fake: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: 'cli-token-value', expiresOnTimestamp: Date.now() + 3600_000 }) };

  it('the CLI without a service principal is an AzureCli connection, whose credential createArmCredential builds', async () => {
    const a = cliAzure({ subscriptionId: SUB, env: {}, mask: () => undefined, azureCli: () => fake });
    assert.equal(a.connection.scheme, 'AzureCli');
    assert.equal(a.connection.clientId, undefined);
    const masked: string[] = [];
    const cred = createArmCredential(a.connection, { mask: (s) => masked.push(s), azureCli: () => fake });
    assert.equal((await cred.getToken(a.connection.armScope))?.token, 'cli-token-value');
    assert.deepEqual(masked, ['cli-token-value']);
  });

  it('messages name the Azure CLI login, not a service connection', () => {
    const conn: AzureRmConnection = { id: SUB, name: 'az login', scheme: 'AzureCli', tenantId: '', subscriptionId: SUB, managementUrl: 'https://management.azure.com/', authorityHost: 'https://login.microsoftonline.com/', armScope: 'x' };
    assert.equal(signInLabel(conn), 'your Azure CLI login (az login)');
    assert.equal(signInLabel({ ...conn, scheme: 'ServicePrincipal', name: 'prod' }), `service connection 'prod' (${SUB})`);
    assert.match(describeAuthError(new Error('boom'), conn), /^Sign-in to Microsoft Entra ID failed for your Azure CLI login \(az login\)/);
  });

  it('reads the Key Vault domain of another cloud from AZURE_KEYVAULT_DNS_SUFFIX and AZURE_KEYVAULT_RESOURCE', () => {
    const a = cliAzure({ subscriptionId: SUB, env: { AZURE_KEYVAULT_DNS_SUFFIX: 'vault.local.azurestack.external', AZURE_KEYVAULT_RESOURCE: 'https://vault.local.azurestack.external' }, mask: () => undefined, azureCli: () => fake });
    assert.deepEqual(a.keyVaultData, { dnsSuffix: 'vault.local.azurestack.external', resourceId: 'https://vault.local.azurestack.external' });
  });
});
