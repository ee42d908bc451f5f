import type { Rule } from '../types';
import { eqi, get, show } from '../_util';
import { learnRef } from '../workspace/_refs';

const PATH = 'properties.authMode';

export const rule: Rule = {
  id: 'AML-BE-001',
  title: 'Batch endpoint uses Microsoft Entra token authentication',
  severity: 'low',
  resourceKind: 'batchEndpoint',
  rationale:
    'Batch endpoints support only Microsoft Entra tokens, which tie every job to an identity and an RBAC role; a template or client that ' +
    'declares another mode is wrong about what protects the endpoint.',
  remediation: 'Set properties.authMode to "AADToken" (auth_mode: aad_token) and grant invokers the batch endpoint data actions.',
  references: [learnRef('Authorization on batch endpoints', 'how-to-authenticate-batch-endpoint')],
  check(ep) {
    const v = get(ep, PATH);
    // Missing means the service default, which for batch endpoints is the only mode: AADToken.
    if (v === undefined || eqi(v, 'AADToken')) return { status: 'pass' };
    return { status: 'fail', path: PATH, message: `authMode is ${show(v)}; batch endpoints must use "AADToken".` };
  },
};
