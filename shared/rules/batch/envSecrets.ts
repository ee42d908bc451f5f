import type { Rule } from '../types';
import { learnRef } from '../workspace/_refs';
import { environmentSecretOutcomes } from '../deployment/_envSecrets';

export const rule: Rule = {
  id: 'AML-BD-002',
  title: 'Batch deployment environment variables hold no literal secrets',
  severity: 'high',
  resourceKind: 'batchDeployment',
  rationale:
    'Environment variables are part of the deployment resource and come back in plain text to anyone with Reader on the workspace; a ' +
    'secret there is shared with everyone who can read the workspace and with every job log that prints its environment.',
  remediation:
    'Rotate the exposed secret, then read it at run time from Key Vault or a workspace connection with the endpoint\'s managed identity ' +
    'instead of passing it as a variable.',
  references: [
    learnRef('Authorization on batch endpoints', 'how-to-authenticate-batch-endpoint'),
    learnRef('Secret injection in online endpoints', 'concept-secret-injection'),
  ],
  check(dep) {
    const out = environmentSecretOutcomes(dep);
    return out.length > 0 ? out : { status: 'pass' };
  },
};
