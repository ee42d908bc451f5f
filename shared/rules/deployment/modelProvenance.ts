import type { Rule } from '../types';
import { get } from '../_util';
import { learnRef, policyRef } from '../workspace/_refs';
import { provenanceOutcome } from './_model';

const PATH = 'properties.model';

export const rule: Rule = {
  id: 'AML-OD-004',
  title: 'Online deployment serves a registered model from the workspace or an allowed registry',
  severity: 'medium',
  resourceKind: 'onlineDeployment',
  rationale:
    'A model deployed from a file path or an unapproved registry has no reviewed lineage: nobody can tell which training run produced ' +
    'it, and a tampered or unvetted model can reach production without passing the promotion process.',
  remediation:
    'Register the model and deploy it by asset id (azureml:<name>:<version>, or azureml://registries/<registry>/models/<name>/versions/<v> ' +
    'from a registry listed in the policy option allowedModelRegistries).',
  references: [
    learnRef('Machine learning registries for MLOps', 'concept-machine-learning-registries-mlops'),
    policyRef('Azure Machine Learning Model Registry Deployments are restricted except for the allowed Registry', 'OnlyDeployAllowedRegistryModels_Deny.json'),
  ],
  check(dep, ctx) {
    const ref = get(dep, PATH);
    // Custom containers may bake the model into the image; AML-OD-005 judges the environment then.
    if (ref === undefined || ref === null || ref === '') return { status: 'skip', reason: 'the deployment names no model (a custom container with the model in its image)' };
    const severity = ctx.options.production === true ? 'high' : 'medium';
    if (typeof ref !== 'string') return { status: 'fail', path: PATH, severity, message: `properties.model is ${JSON.stringify(ref)}, not a model asset reference.` };
    return provenanceOutcome(ref, PATH, ctx, severity);
  },
};
