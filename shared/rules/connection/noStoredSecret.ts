import type { Rule } from '../types';
import { eqi, show } from '../_util';
import { authType, isSecretBearing } from './_authType';

export const rule: Rule = {
  id: 'AML-CONN-001',
  title: 'Workspace connection stores no secret',
  severity: 'high',
  resourceKind: 'connection',
  rationale:
    'A PAT, password, key, client secret or OAuth token saved in a connection can be listed by anyone allowed to read connection ' +
    'secrets and works outside Azure Machine Learning; managed identity or Entra ID connections store nothing.',
  remediation:
    'Recreate the connection with `authType` "AAD" or "ManagedIdentity" (CLI v2 YAML: no `credentials`, or `credentials.type: managed_identity`) ' +
    'and grant the workspace identity access on the target; then revoke the stored secret at its source.',
  references: [
    { title: 'Create connections (Azure Machine Learning)', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-connection' },
    { title: 'Azure security baseline for Machine Learning (IM-1)', url: 'https://learn.microsoft.com/security/benchmark/azure/baselines/machine-learning-security-baseline' },
  ],
  check(conn) {
    if (!isSecretBearing(conn)) return { status: 'pass' };
    const t = authType(conn);
    // The catalog rates SAS medium: a SAS is limited to the permissions and lifetime it was signed with, while the
    // other stored credentials are long-lived or account-wide.
    const sas = eqi(t, 'SAS');
    return {
      status: 'fail',
      severity: sas ? 'medium' : 'high',
      path: 'properties.authType',
      message: `Connection stores a credential in the workspace (authType ${show(t)}); anyone who can list connection secrets can reuse it.`,
    };
  },
};
