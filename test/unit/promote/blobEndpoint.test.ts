import * as assert from 'node:assert/strict';
import { accountBlobUrl, isIpStyleHost } from '../../../shared/azure/blobEndpoint';

describe('blob endpoint addressing', () => {
  it('a storage suffix puts the account in the host name', () => {
    assert.equal(accountBlobUrl('stdata01', 'core.windows.net'), 'https://stdata01.blob.core.windows.net');
    assert.equal(accountBlobUrl('stdata01', 'core.chinacloudapi.cn'), 'https://stdata01.blob.core.chinacloudapi.cn');
    assert.equal(accountBlobUrl('stdata01', undefined), 'https://stdata01.blob.core.windows.net', 'a missing endpoint is the public cloud');
    assert.equal(accountBlobUrl('stdata01', '.core.windows.net'), 'https://stdata01.blob.core.windows.net');
  });

  it('an IP or localhost endpoint puts the account in the path (IP-style), port kept', () => {
    assert.equal(accountBlobUrl('stdata01', '127.0.0.1:10000'), 'https://127.0.0.1:10000/stdata01');
    assert.equal(accountBlobUrl('stdata01', 'localhost:41301'), 'https://localhost:41301/stdata01');
    assert.equal(accountBlobUrl('stdata01', 'LOCALHOST'), 'https://localhost/stdata01');
    assert.equal(accountBlobUrl('stdata01', '10.1.2.3'), 'https://10.1.2.3/stdata01');
    assert.equal(accountBlobUrl('stdata01', '[::1]:10000'), 'https://[::1]:10000/stdata01');
  });

  it('a scheme is dropped: storage is always HTTPS', () => {
    assert.equal(accountBlobUrl('stdata01', 'http://127.0.0.1:10000/'), 'https://127.0.0.1:10000/stdata01');
  });

  it('host names that only look numeric, or contain localhost, stay host-style', () => {
    assert.equal(isIpStyleHost('256.1.1.1'), false);
    assert.equal(isIpStyleHost('localhost.contoso.com'), false);
    assert.equal(isIpStyleHost('1.2.3.4.nip.io'), false);
    assert.equal(accountBlobUrl('stdata01', '1.2.3.4.nip.io'), 'https://stdata01.blob.1.2.3.4.nip.io');
    assert.equal(isIpStyleHost('127.0.0.1:10000'), true);
  });

  it('refuses endpoints and accounts that are not host- or account-shaped', () => {
    assert.throws(() => accountBlobUrl('stdata01', 'core.windows.net/evil?x'), /datastore endpoint 'core\.windows\.net\/evil\?x'/);
    assert.throws(() => accountBlobUrl('stdata01', 'user@host'), /datastore endpoint/);
    assert.throws(() => accountBlobUrl('St_Data', 'core.windows.net'), /storage account name 'St_Data'/);
  });
});
