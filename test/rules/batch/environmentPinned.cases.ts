import type { RuleCases } from '../../../shared/rules/types';
import { WS_ID, batchDeployment } from '../fixtures';

const withEnv = (environmentId: string) => batchDeployment('bep', 'nightly', { environmentId });

export const cases: RuleCases = {
  ruleId: 'AML-BD-004',
  cases: [
    { name: 'explicit version', resource: withEnv(`${WS_ID}/environments/batch-env/versions/3`), expect: 'pass' },
    { name: 'floating label', resource: withEnv('azureml:batch-env@latest'), expect: 'fail' },
    { name: 'bare name', resource: withEnv('azureml:batch-env'), expect: 'fail' },
    { name: 'no environment', resource: batchDeployment('bep', 'nightly'), expect: 'skip' },
  ],
};
