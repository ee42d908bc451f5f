import type { Rule } from '../types';
import { get } from '../_util';
import { psruleRef } from './_refs';

const PATH = 'properties.allowPublicAccessWhenBehindVnet';

export const rule: Rule = {
  id: 'AML-WS-002',
  title: 'Workspace does not allow public access when behind a VNet',
  severity: 'high',
  resourceKind: 'workspace',
  rationale:
    'The legacy allowPublicAccessWhenBehindVnet flag re-opens a private-link workspace to the internet, undoing the network isolation.',
  remediation:
    'Set properties.allowPublicAccessWhenBehindVnet to false (or remove it) and use publicNetworkAccess "Disabled" ' +
    '(az ml workspace update --public-network-access Disabled).',
  references: [psruleRef('Azure.ML.PublicAccess')],
  check(ws) {
    // Missing means false, the service default.
    if (get(ws, PATH) !== true) return { status: 'pass' };
    return { status: 'fail', path: PATH, message: 'allowPublicAccessWhenBehindVnet is true, so the workspace accepts public traffic despite its private endpoint.' };
  },
};
