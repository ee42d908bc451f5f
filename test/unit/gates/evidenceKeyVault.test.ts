/** Which hosts may receive a Key Vault token: the connection's cloud decides, and the credential holds to it. */
import * as assert from 'node:assert/strict';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { audienceOnlyCredential, keyVaultDomainOf, keyVaultDomains } from '../../../shared/gates/evidenceKeyVault';

const PUBLIC = { managementUrl: 'https://management.azure.com/' };

describe('Key Vault domains of a service connection', () => {
  it('knows the public clouds by name or by their Resource Manager host', () => {
    assert.deepEqual(keyVaultDomains({ ...PUBLIC, environment: 'AzureCloud' }).map((d) => d.suffix), ['vault.azure.net', 'managedhsm.azure.net']);
    assert.deepEqual(keyVaultDomains(PUBLIC)[0], { suffix: 'vault.azure.net', audience: 'https://vault.azure.net' });
    assert.equal(keyVaultDomains({ managementUrl: 'https://management.chinacloudapi.cn/', environment: 'AzureChinaCloud' })[0].suffix, 'vault.azure.cn');
    assert.equal(keyVaultDomains({ managementUrl: 'https://management.usgovcloudapi.net/' })[0].suffix, 'vault.usgovcloudapi.net');
  });

  it('takes what the connection records, and derives Azure Stack Hub\'s as Microsoft\'s tasks do', () => {
    assert.deepEqual(keyVaultDomains({ ...PUBLIC, environment: 'AzureStack' }, { dnsSuffix: 'Vault.Local.AzureStack.External.', resourceId: 'https://vault.local.azurestack.external' }), [{ suffix: 'vault.local.azurestack.external', audience: 'https://vault.local.azurestack.external' }]);
    assert.deepEqual(keyVaultDomains({ managementUrl: 'https://management.region.contoso.com/', environment: 'AzureStack' }), [{ suffix: 'vault.region.contoso.com', audience: 'https://vault.region.contoso.com' }]);
    assert.deepEqual(keyVaultDomains({ managementUrl: 'https://127.0.0.1:8443/', environment: 'AzureStack' }), [], 'nothing to derive from an address');
    assert.deepEqual(keyVaultDomains({ managementUrl: 'https://arm.example.org/', environment: 'Custom' }), []);
  });

  it('accepts a key on a host of the domain, or on the one host the connection names, and nothing that only looks alike', () => {
    const pub = keyVaultDomains(PUBLIC);
    assert.equal(keyVaultDomainOf('https://kv-prod.vault.azure.net/keys/k', pub).audience, 'https://vault.azure.net');
    assert.equal(keyVaultDomainOf('https://hsm-prod.managedhsm.azure.net/keys/k/0123', pub).audience, 'https://managedhsm.azure.net');
    for (const look of ['https://kv.vault.azure.net.evil.example/keys/k', 'https://evilvault.azure.net/keys/k', 'https://kv.vault.azure.cn/keys/k', 'https://127.0.0.1/keys/k']) {
      assert.throws(() => keyVaultDomainOf(look, pub), (e: Error) => e.name === 'ConfigError' && /is not a Key Vault of the service connection's cloud \(hosts under vault.azure.net or managedhsm.azure.net\)/.test(e.message), look);
    }
    assert.equal(keyVaultDomainOf('https://127.0.0.1:8443/keys/k', [{ suffix: '127.0.0.1', audience: 'https://vault.azure.net' }]).suffix, '127.0.0.1');
    assert.throws(() => keyVaultDomainOf('https://kv.vault.azure.net/keys/k', []), /does not say where its cloud's Key Vault is/);
  });
});

describe('Audience-bound credential', () => {
  function recording(): { credential: TokenCredential; asked: Array<{ scopes: string | string[]; options?: GetTokenOptions }> } {
    const asked: Array<{ scopes: string | string[]; options?: GetTokenOptions }> = [];
    return {
      asked,
      credential: {
        async getToken(scopes, options): Promise<AccessToken> {
          asked.push({ scopes, options });
          return { token: 't', expiresOnTimestamp: Date.now() + 3600_000 };
        },
      },
    };
  }

  it('passes the Key Vault scope through with its options (tenant, CAE), however the challenge spells it', async () => {
    const { credential, asked } = recording();
    const kv = audienceOnlyCredential(credential, 'https://vault.azure.net', 'kv.vault.azure.net');
    await kv.getToken(['https://vault.azure.net/.default'], { tenantId: 't1', enableCae: true });
    await kv.getToken('https://VAULT.azure.net//.default');
    assert.equal(asked.length, 2);
    assert.deepEqual(asked[0], { scopes: ['https://vault.azure.net/.default'], options: { tenantId: 't1', enableCae: true } });
  });

  it('never asks for a token for another resource, whatever the vault\'s challenge names', async () => {
    const { credential, asked } = recording();
    const kv = audienceOnlyCredential(credential, 'https://vault.azure.net', 'kv.vault.azure.net');
    for (const scopes of [['https://management.azure.com//.default'], ['https://vault.azure.net/.default', 'openid'], 'https://storage.azure.com/.default']) {
      await assert.rejects(() => kv.getToken(scopes), (e: Error) => e.name === 'ConfigError' && /only https:\/\/vault.azure.net\/.default is sent there/.test(e.message));
    }
    assert.equal(asked.length, 0);
  });
});
