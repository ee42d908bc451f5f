import type { RuleCases } from '../../../shared/rules/types';
import { WS_ID, batchDeployment } from '../fixtures';

const withModel = (model: unknown) => batchDeployment('bep', 'nightly', { model });

export const cases: RuleCases = {
  ruleId: 'AML-BD-003',
  cases: [
    { name: 'Id reference to a workspace model version', resource: withModel({ referenceType: 'Id', assetId: `${WS_ID}/models/churn/versions/3` }), expect: 'pass' },
    { name: 'Id reference to an allowed registry', resource: withModel({ referenceType: 'Id', assetId: 'azureml://registries/contoso-prod/models/churn/versions/3' }), options: { allowedModelRegistries: ['contoso-prod'] }, expect: 'pass' },
    { name: 'Id reference to a registry not allowed', resource: withModel({ referenceType: 'Id', assetId: 'azureml://registries/public-sandbox/models/churn/versions/3' }), options: { allowedModelRegistries: ['contoso-prod'] }, expect: 'fail' },
    { name: 'datastore path', resource: withModel({ referenceType: 'DataPath', datastoreId: `${WS_ID}/datastores/workspaceblobstore`, path: 'models/churn' }), expect: 'fail' },
    { name: 'job output, production', resource: withModel({ referenceType: 'OutputPath', jobId: `${WS_ID}/jobs/train-42`, path: 'outputs/model' }), options: { production: true }, expect: 'fail', severity: 'high' },
    { name: 'Id without assetId', resource: withModel({ referenceType: 'Id' }), expect: 'fail' },
    { name: 'no model: pipeline component deployment', resource: batchDeployment('bep', 'nightly'), expect: 'skip' },
  ],
};
