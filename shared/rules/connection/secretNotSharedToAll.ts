import type { Rule } from '../types';
import { get, show } from '../_util';
import { authType, isSecretBearing } from './_authType';

// `properties.isSharedToAll` (api-version >= 2024-10-01). Missing is judged as false, the property's default;
// connections created with older api-versions carry no sharing flag.
export const rule: Rule = {
  id: 'AML-CONN-003',
  title: 'Secret-bearing connection is not shared with every user',
  severity: 'medium',
  resourceKind: 'connection',
  rationale:
    'A connection shared to all lets every workspace or project user act with its stored credential, erasing who did what at the ' +
    'target; sharing it with named users keeps the credential to the people who need it.',
  remediation:
    'Set `properties.isSharedToAll` to false and list the users who need it in `properties.sharedUserList`, or switch the connection ' +
    'to an identity-based authType so each user acts as themselves (AML-CONN-001).',
  references: [
    { title: 'Create connections (Azure Machine Learning)', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-connection' },
    { title: 'Microsoft cloud security benchmark: PA-7 Follow just enough administration (least privilege)', url: 'https://learn.microsoft.com/security/benchmark/azure/mcsb-privileged-access#pa-7-follow-just-enough-administration-least-privilege-principle' },
  ],
  check(conn) {
    if (!isSecretBearing(conn)) return { status: 'skip', reason: 'connection stores no secret' };
    const shared = get(conn, 'properties.isSharedToAll');
    if (shared !== true) return { status: 'pass' };
    return {
      status: 'fail',
      path: 'properties.isSharedToAll',
      message: `Connection with stored credential (authType ${show(authType(conn))}) is shared to all users (isSharedToAll true).`,
    };
  },
};
