import type { RuleCases } from '../../../shared/rules/types';
import { RG, SUB, workspace } from '../fixtures';

const KV = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/kv-ml-cmk`;
const cmk = (status: string, keyIdentifier?: string) => ({
  encryption: { status, keyVaultProperties: { keyVaultArmId: KV, ...(keyIdentifier === undefined ? {} : { keyIdentifier }) } },
});
const KEY = 'https://kv-ml-cmk.vault.azure.net/keys/mlw-key/0a1b2c3d4e5f60718293a4b5c6d7e8f9';

export const cases: RuleCases = {
  ruleId: 'AML-WS-006',
  cases: [
    { name: 'CMK enabled with a key', resource: workspace(cmk('Enabled', KEY)), expect: 'pass' },
    { name: 'status casing varies', resource: workspace(cmk('enabled', KEY)), expect: 'pass' },
    { name: 'no encryption block (Microsoft-managed keys)', resource: workspace({ publicNetworkAccess: 'Disabled' }), expect: 'fail', severity: 'medium' },
    { name: 'encryption disabled', resource: workspace(cmk('Disabled')), expect: 'fail', severity: 'medium' },
    { name: 'enabled but key identifier empty', resource: workspace(cmk('Enabled', '')), expect: 'fail' },
    { name: 'no CMK with regulated data is high', resource: workspace({}), options: { sensitiveData: true }, expect: 'fail', severity: 'high' },
    { name: 'project workspace inherits from its hub', resource: workspace({}, { kind: 'Project' }), expect: 'skip' },
  ],
};
