import type { Rule } from '../types';
import { get, show } from '../_util';
import { learnRef } from '../workspace/_refs';
import { identityKind } from './_identity';

/**
 * System-assigned passes: it is explicit, bound to the endpoint's life, and gets only the pull and read roles the
 * service grants on the workspace's own registry and storage. User-assigned is preferable where roles must be
 * reviewed before the endpoint exists, but failing every system-assigned endpoint would bury the real finding,
 * an endpoint with no identity at all.
 */
export const rule: Rule = {
  id: 'AML-OE-004',
  title: 'Online endpoint has an explicit managed identity',
  severity: 'low',
  resourceKind: 'onlineEndpoint',
  rationale:
    'The endpoint identity pulls the image and reads the model and any resources the scoring code uses; without a managed identity ' +
    'the scoring code falls back to stored credentials, which leak and are not centrally revocable.',
  remediation:
    'Create the endpoint with identity.type "UserAssigned" (identity: type: user_assigned with user_assigned_identities in the YAML) ' +
    'and grant that identity AcrPull and Storage Blob Data Reader, or at least keep the default "SystemAssigned".',
  references: [learnRef('Access Azure resources from an online endpoint with a managed identity', 'how-to-access-resources-from-endpoints-managed-identities')],
  check(ep) {
    if (identityKind(ep) !== 'none') return { status: 'pass' };
    const t = get(ep, 'identity.type');
    return {
      status: 'fail',
      path: 'identity.type',
      message: t !== undefined && String(t).toLowerCase().includes('userassigned')
        ? `identity.type is ${show(t)} but no user-assigned identity is listed.`
        : `identity.type is ${show(t)}; the endpoint has no managed identity.`,
    };
  },
};
