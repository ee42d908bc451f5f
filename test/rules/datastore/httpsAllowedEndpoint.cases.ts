import type { RuleCases } from '../../../shared/rules/types';
import { blob, datastore } from './_datastores';

export const cases: RuleCases = {
  ruleId: 'AML-DS-004',
  cases: [
    { name: 'https to core.windows.net', resource: blob('data', 'stdata01', 'None'), expect: 'pass' },
    { name: 'Azure China endpoint passes by default', resource: blob('data', 'stdata01', 'None', { endpoint: 'core.chinacloudapi.cn' }), expect: 'pass' },
    { name: 'Azure US Government endpoint passes by default', resource: blob('data', 'stdata01', 'None', { endpoint: 'core.usgovcloudapi.net' }), expect: 'pass' },
    { name: 'protocol and endpoint missing (service defaults https + cloud suffix)', resource: blob('data', 'stdata01', 'None', { protocol: undefined, endpoint: undefined }), expect: 'pass' },
    { name: 'protocol in upper case', resource: blob('data', 'stdata01', 'None', { protocol: 'HTTPS' }), expect: 'pass' },
    { name: 'plain http', resource: blob('data', 'stdata01', 'None', { protocol: 'http' }), expect: 'fail' },
    { name: 'endpoint outside Azure storage', resource: blob('data', 'stdata01', 'None', { endpoint: 'storage.example.net' }), expect: 'fail' },
    { name: 'a look-alike suffix (core.windows.net.example.org) does not match', resource: blob('data', 'stdata01', 'None', { endpoint: 'core.windows.net.example.org' }), expect: 'fail' },
    {
      name: 'policy list replaces the defaults',
      resource: blob('data', 'stdata01', 'None'),
      options: { allowedHosts: ['core.usgovcloudapi.net'] },
      expect: 'fail',
    },
    {
      name: 'policy approves a private endpoint suffix',
      resource: blob('data', 'stdata01', 'None', { endpoint: 'storage.contoso.internal' }),
      options: { allowedHosts: ['.contoso.internal'] },
      expect: 'pass',
    },
    { name: 'an IP endpoint (path-style, e.g. a storage emulator) is not approved by default', resource: blob('data', 'stdata01', 'None', { endpoint: '127.0.0.1:10000' }), expect: 'fail' },
    {
      name: 'policy approves an IP endpoint by its address (the port does not matter)',
      resource: blob('data', 'stdata01', 'None', { endpoint: '127.0.0.1:10000' }),
      options: { allowedHosts: ['core.windows.net', '127.0.0.1'] },
      expect: 'pass',
    },
    { name: 'ADLS Gen2 over https', resource: datastore('lake', { datastoreType: 'AzureDataLakeGen2', accountName: 'stlake01', filesystem: 'raw', endpoint: 'core.windows.net', protocol: 'https', credentials: { credentialsType: 'None' } }), expect: 'pass' },
    { name: 'Azure Files over http', resource: datastore('share', { datastoreType: 'AzureFile', accountName: 'stfiles01', fileShareName: 'share', endpoint: 'core.windows.net', protocol: 'http', credentials: { credentialsType: 'AccountKey' } }), expect: 'fail' },
    { name: 'ADLS Gen1 has no endpoint or protocol', resource: datastore('gen1', { datastoreType: 'AzureDataLakeGen1', storeName: 'adlsgen1store', credentials: { credentialsType: 'None' } }), expect: 'skip' },
  ],
};
