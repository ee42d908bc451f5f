import type { Rule } from '../types';
import { learnRef } from '../workspace/_refs';
import { environmentOutcomes } from './_environment';

export const rule: Rule = {
  id: 'AML-OD-005',
  title: 'Online deployment pins its environment to one version',
  severity: 'low',
  resourceKind: 'onlineDeployment',
  rationale:
    'An environment referenced by label or without a version resolves to whatever is newest when the deployment is next updated or ' +
    'scaled, so untested packages or a different base image reach production without review.',
  remediation:
    'Reference an explicit environment version in properties.environmentId (azureml:<name>:<version>, or …/environments/<name>/versions/<v>); ' +
    'for custom images, pin the image by @sha256 digest or build it in the workspace registry.',
  references: [
    learnRef('Manage Azure Machine Learning environments', 'how-to-manage-environments-v2'),
    learnRef('What are Azure Machine Learning environments?', 'concept-environments'),
  ],
  check: environmentOutcomes,
};
