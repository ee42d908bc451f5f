import type { RuleCases } from '../../../shared/rules/types';
import { blob, datastore } from './_datastores';

export const cases: RuleCases = {
  ruleId: 'AML-DS-001',
  cases: [
    { name: 'identity-based blob datastore', resource: blob('trainingdata', 'stdata01', 'None'), expect: 'pass' },
    { name: 'credentialsType in odd casing', resource: blob('trainingdata', 'stdata01', 'NONE'), expect: 'pass' },
    { name: 'account key (as the workspaceblobstore default)', resource: blob('workspaceblobstore', 'stmltest01', 'AccountKey'), expect: 'fail', severity: 'high' },
    { name: 'SAS token', resource: blob('partnerdrop', 'stpartner', 'Sas'), expect: 'fail', severity: 'medium' },
    {
      name: 'ADLS Gen2 with service principal (client secret stored)',
      resource: datastore('lake', {
        datastoreType: 'AzureDataLakeGen2',
        accountName: 'stlake01',
        filesystem: 'raw',
        credentials: { credentialsType: 'ServicePrincipal', tenantId: '00000000-1111-2222-3333-444444444444', clientId: '00000000-1111-2222-3333-555555555555', secrets: { secretsType: 'ServicePrincipal' } },
      }),
      expect: 'fail',
      severity: 'medium',
    },
    { name: 'certificate credential', resource: blob('certstore', 'stdata01', 'Certificate', { credentials: { credentialsType: 'Certificate', thumbprint: 'ABCDEF0123' } }), expect: 'fail', severity: 'medium' },
    { name: 'credential type from a newer api-version (Kerberos) is judged secret-bearing', resource: datastore('hdfs', { datastoreType: 'Hdfs', nameNodeAddress: 'namenode.contoso.local', credentials: { credentialsType: 'KerberosPassword' } }), expect: 'fail', severity: 'medium' },
    { name: 'no credentials block at all', resource: datastore('odd', { datastoreType: 'AzureBlob', accountName: 'stdata01' }), expect: 'fail', severity: 'medium' },
  ],
};
