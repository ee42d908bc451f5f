import type { RuleCases } from '../../../shared/rules/types';
import { onlineDeployment } from '../fixtures';

const collector = (inputs: string, outputs: string) => ({
  collections: { model_inputs: { dataCollectionMode: inputs }, model_outputs: { dataCollectionMode: outputs } },
  requestLogging: { captureHeaders: ['x-request-id'] },
});

export const cases: RuleCases = {
  ruleId: 'AML-OD-006',
  cases: [
    { name: 'inputs and outputs collected', resource: onlineDeployment('ep', 'blue', { dataCollector: collector('Enabled', 'Enabled') }), expect: 'pass' },
    { name: 'outputs disabled', resource: onlineDeployment('ep', 'blue', { dataCollector: collector('Enabled', 'Disabled') }), expect: 'fail' },
    { name: 'only a custom collection', resource: onlineDeployment('ep', 'blue', { dataCollector: { collections: { features: { dataCollectionMode: 'Enabled' } } } }), expect: 'fail' },
    { name: 'no data collector', resource: onlineDeployment('ep', 'blue'), expect: 'fail' },
    { name: 'mode casing differs', resource: onlineDeployment('ep', 'blue', { dataCollector: collector('enabled', 'ENABLED') }), expect: 'pass' },
  ],
};
