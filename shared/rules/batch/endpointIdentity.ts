import type { Rule } from '../types';
import { get, show } from '../_util';
import { learnRef } from '../workspace/_refs';
import { identityKind } from '../endpoint/_identity';

export const rule: Rule = {
  id: 'AML-BE-002',
  title: 'Batch endpoint has an explicit managed identity',
  severity: 'low',
  resourceKind: 'batchEndpoint',
  rationale:
    'Without a managed identity of its own, a batch endpoint\'s jobs read inputs and write outputs with whatever credentials the caller or ' +
    'the datastores carry, which cannot be scoped or revoked per endpoint.',
  remediation: 'Give the endpoint identity.type "SystemAssigned" or "UserAssigned" and grant that identity only the data it must read and write.',
  references: [
    learnRef('Authorization on batch endpoints', 'how-to-authenticate-batch-endpoint'),
    learnRef('Batch endpoints', 'concept-endpoints-batch'),
  ],
  check(ep) {
    if (identityKind(ep) !== 'none') return { status: 'pass' };
    return { status: 'fail', path: 'identity.type', message: `identity.type is ${show(get(ep, 'identity.type'))}; the batch endpoint has no managed identity.` };
  },
};
