import type { RuleCases } from '../../../shared/rules/types';
import { batchDeployment } from '../fixtures';
import { storageConnectionString } from '../deployment/_secrets';

const withVars = (vars: Record<string, unknown>) => batchDeployment('bep', 'nightly', { environmentVariables: vars });

export const cases: RuleCases = {
  ruleId: 'AML-BD-002',
  cases: [
    { name: 'ordinary settings', resource: withVars({ AZUREML_BI_OUTPUT_PATH: 'predictions', BATCH_SIZE: '32' }), expect: 'pass' },
    { name: 'storage connection string', resource: withVars({ OUTPUT_STORE: storageConnectionString() }), expect: 'fail' },
    { name: 'Key Vault reference', resource: withVars({ OUTPUT_STORE_KEY: '@Microsoft.KeyVault(SecretUri=https://kv-ml.vault.azure.net/secrets/out)' }), expect: 'pass' },
    { name: 'no variables', resource: batchDeployment('bep', 'nightly'), expect: 'pass' },
  ],
};
