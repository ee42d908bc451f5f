import type { Rule } from '../types';
import { learnRef } from '../workspace/_refs';
import { environmentSecretOutcomes } from './_envSecrets';

export const rule: Rule = {
  id: 'AML-OD-003',
  title: 'Online deployment environment variables hold no literal secrets',
  severity: 'high',
  resourceKind: 'onlineDeployment',
  rationale:
    'Environment variables are part of the deployment resource and come back in plain text to anyone with Reader on the workspace, ' +
    'in ARM exports and in deployment logs; a secret there is shared with everyone who can read the workspace.',
  remediation:
    'Rotate the exposed secret, then reference it instead: secret injection (${{azureml://connections/<name>/credentials/<key>}}) ' +
    'or Key Vault read with the endpoint\'s managed identity; prefer managed identities over keys where the service supports them.',
  references: [
    learnRef('Secret injection in online endpoints', 'concept-secret-injection'),
    learnRef('Access Azure resources from an online endpoint with a managed identity', 'how-to-access-resources-from-endpoints-managed-identities'),
  ],
  check(dep) {
    const out = environmentSecretOutcomes(dep);
    return out.length > 0 ? out : { status: 'pass' };
  },
};
