import * as assert from 'node:assert/strict';
import { DEFAULT_ALLOWED_HOSTS, hostAllowed, hostOf, redactTarget } from '../../../shared/rules/datastore/_hosts';

describe('datastore/_hosts', () => {
  it('extracts the host from URLs, bare hosts and scp-style Git addresses', () => {
    assert.equal(hostOf('https://pkgs.dev.azure.com/contoso/_packaging/ml/pypi/simple/'), 'pkgs.dev.azure.com');
    assert.equal(hostOf('HTTPS://User:Secret@Registry.Example.COM:8443/v2/'), 'registry.example.com');
    assert.equal(hostOf('git@github.com:contoso/training.git'), 'github.com');
    assert.equal(hostOf('acrmltest.azurecr.io'), 'acrmltest.azurecr.io');
    assert.equal(hostOf('stdata.blob.core.windows.net.'), 'stdata.blob.core.windows.net');
    assert.equal(hostOf('https:///nohost'), undefined);
  });

  it('matches a suffix only on a label boundary', () => {
    assert.ok(hostAllowed('stdata.blob.core.windows.net', ['core.windows.net']));
    assert.ok(hostAllowed('core.windows.net', ['.core.windows.net']));
    assert.ok(!hostAllowed('evilcore.windows.net', ['core.windows.net']));
    assert.ok(!hostAllowed('core.windows.net.example.org', ['core.windows.net']));
    assert.ok(!hostAllowed('anything.example', []));
  });

  it('approves the sovereign storage suffixes by default but no public package hosts', () => {
    assert.ok(hostAllowed('st.blob.core.chinacloudapi.cn', DEFAULT_ALLOWED_HOSTS));
    assert.ok(hostAllowed('st.blob.core.usgovcloudapi.net', DEFAULT_ALLOWED_HOSTS));
    assert.ok(!hostAllowed('pypi.org', DEFAULT_ALLOWED_HOSTS));
    assert.ok(!hostAllowed('myvm.westeurope.cloudapp.azure.com', DEFAULT_ALLOWED_HOSTS));
  });

  it('removes user info and query strings before a target is printed', () => {
    // Built at run time so no credential-shaped literal sits in the repository.
    const token = ['tok', 'en', String(Date.now())].join('');
    const out = redactTarget(`https://build:${token}@dev.azure.com/org/_git/repo?sv=2022&sig=${token}`);
    assert.ok(!out.includes(token), out);
    assert.equal(out, 'https://***@dev.azure.com/org/_git/repo?***');
  });
});
