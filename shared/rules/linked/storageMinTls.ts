import type { Rule } from '../types';
import { get, show, str } from '../_util';

// `properties.minimumTlsVersion`: TLS1_0 | TLS1_1 | TLS1_2 | TLS1_3. Missing is the historical default TLS1_0.
function tlsRank(v: string | undefined): number {
  const m = /^TLS1_(\d)$/i.exec(v ?? '');
  return m ? Number(m[1]) : -1;
}

export const rule: Rule = {
  id: 'AML-LNK-ST-003',
  title: 'Workspace storage account requires TLS 1.2 or later',
  severity: 'medium',
  resourceKind: 'storageAccount',
  rationale: 'TLS 1.0 and 1.1 have known weaknesses and are being retired across Azure; clients should not be able to negotiate them.',
  remediation: 'Set `properties.minimumTlsVersion` to "TLS1_2" (az storage account update -n <account> -g <rg> --min-tls-version TLS1_2).',
  references: [
    { title: 'PSRule Azure.Storage.MinTLS', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.Storage.MinTLS/' },
    { title: 'Azure Policy: Storage accounts should have the specified minimum TLS version', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Storage/StorageAccountMinimumTLSVersion_Audit.json' },
  ],
  check(sa) {
    const v = str(get(sa, 'properties.minimumTlsVersion'));
    if (tlsRank(v) >= 2) return { status: 'pass' };
    return { status: 'fail', path: 'properties.minimumTlsVersion', message: `minimumTlsVersion is ${show(v)}; clients can still connect with TLS older than 1.2.` };
  },
};
