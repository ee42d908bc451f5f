import type { Rule } from '../types';
import { learnRef } from '../workspace/_refs';
import { environmentOutcomes } from '../deployment/_environment';

export const rule: Rule = {
  id: 'AML-BD-004',
  title: 'Batch deployment pins its environment to one version',
  severity: 'low',
  resourceKind: 'batchDeployment',
  rationale:
    'An environment referenced by label or without a version resolves to whatever is newest when jobs next run, so untested packages ' +
    'score production data without review.',
  remediation:
    'Reference an explicit environment version in properties.environmentId (azureml:<name>:<version>, or …/environments/<name>/versions/<v>); ' +
    'for custom images, pin the image by @sha256 digest or build it in the workspace registry.',
  references: [learnRef('Manage Azure Machine Learning environments', 'how-to-manage-environments-v2')],
  check: environmentOutcomes,
};
