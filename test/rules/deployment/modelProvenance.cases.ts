import type { RuleCases } from '../../../shared/rules/types';
import { RG, SUB, WS_ID, onlineDeployment } from '../fixtures';

const withModel = (model: unknown) => onlineDeployment('ep', 'blue', { model });
const OTHER_WS = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/mlw-sandbox`;

export const cases: RuleCases = {
  ruleId: 'AML-OD-004',
  cases: [
    { name: 'ARM id of a model version in this workspace', resource: withModel(`${WS_ID}/models/fraud/versions/7`), expect: 'pass' },
    { name: 'ARM id with different casing', resource: withModel(`${WS_ID.toUpperCase()}/models/fraud/versions/7`), expect: 'pass' },
    { name: 'short form azureml:name:version', resource: withModel('azureml:fraud:7'), expect: 'pass' },
    { name: 'azureml:// URI of this workspace', resource: withModel(`azureml://subscriptions/${SUB}/resourcegroups/${RG}/workspaces/mlw-test/models/fraud/versions/7`), expect: 'pass' },
    { name: 'registry model, no registry allow-list', resource: withModel('azureml://registries/azureml/models/distilbert-base/versions/3'), expect: 'pass' },
    { name: 'registry model from an allowed registry', resource: withModel('azureml://registries/contoso-prod/models/fraud/versions/7'), options: { allowedModelRegistries: ['Contoso-Prod'] }, expect: 'pass' },
    { name: 'registry model from a registry not allowed', resource: withModel('azureml://registries/azureml/models/distilbert-base/versions/3'), options: { allowedModelRegistries: ['contoso-prod'] }, expect: 'fail', severity: 'medium' },
    { name: 'service-normalised location URI', resource: withModel('azureml://locations/eastus2/workspaces/0f5e2c1a-3b4d-4e6f-8a9b-1c2d3e4f5a6b/models/fraud/versions/7'), expect: 'pass' },
    { name: 'ARM id of a model in an allowed registry', resource: withModel(`/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/registries/contoso-prod/models/fraud/versions/7`), options: { allowedModelRegistries: ['contoso-prod'] }, expect: 'pass' },
    { name: 'ARM id of a model in a registry not allowed', resource: withModel(`/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/registries/sandbox/models/fraud/versions/7`), options: { allowedModelRegistries: ['contoso-prod'] }, expect: 'fail' },
    { name: 'model registered in another workspace', resource: withModel(`${OTHER_WS}/models/fraud/versions/7`), expect: 'fail' },
    { name: 'a datastore path, not a model', resource: withModel('azureml://datastores/workspaceblobstore/paths/models/fraud/'), expect: 'fail' },
    { name: 'a blob URL', resource: withModel('https://stml.blob.core.windows.net/models/fraud.pkl'), expect: 'fail' },
    { name: 'a local path, in production', resource: withModel('./model/fraud.pkl'), options: { production: true }, expect: 'fail', severity: 'high' },
    { name: 'no model: custom container', resource: onlineDeployment('ep', 'blue'), expect: 'skip' },
  ],
};
