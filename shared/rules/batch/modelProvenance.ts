import type { Rule } from '../types';
import { eqi, get, show, str } from '../_util';
import { learnRef, policyRef } from '../workspace/_refs';
import { provenanceOutcome } from '../deployment/_model';

const PATH = 'properties.model';

export const rule: Rule = {
  id: 'AML-BD-003',
  title: 'Batch deployment scores with a registered model from the workspace or an allowed registry',
  severity: 'medium',
  resourceKind: 'batchDeployment',
  rationale:
    'A batch deployment whose model is a datastore path or job output, or comes from an unapproved registry, runs a model with no ' +
    'reviewed lineage over production data.',
  remediation:
    'Register the model and reference it by id (model.referenceType "Id" with model.assetId azureml:<name>:<version> or a registry asset id ' +
    'from allowedModelRegistries).',
  references: [
    learnRef('Machine learning registries for MLOps', 'concept-machine-learning-registries-mlops'),
    policyRef('Azure Machine Learning Model Registry Deployments are restricted except for the allowed Registry', 'OnlyDeployAllowedRegistryModels_Deny.json'),
  ],
  check(dep, ctx) {
    const model = get(dep, PATH);
    // Pipeline component deployments have no model.
    if (model === undefined || model === null) return { status: 'skip', reason: 'the deployment has no model (a pipeline component deployment)' };
    const severity = ctx.options.production === true ? 'high' : 'medium';
    const type = get(model, 'referenceType');
    if (!eqi(type, 'Id')) {
      const what = eqi(type, 'DataPath') ? 'a datastore path' : eqi(type, 'OutputPath') ? 'a job output' : `a ${show(type)} reference`;
      return { status: 'fail', path: `${PATH}.referenceType`, severity, message: `The model is ${what}, not a registered model version, so what scores the data has no reviewed lineage.` };
    }
    const assetId = str(get(model, 'assetId'));
    if (!assetId) return { status: 'fail', path: `${PATH}.assetId`, severity, message: 'The model reference has referenceType "Id" but no assetId.' };
    return provenanceOutcome(assetId, `${PATH}.assetId`, ctx, severity);
  },
};
