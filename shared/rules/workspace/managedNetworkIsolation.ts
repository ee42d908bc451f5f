import type { Rule } from '../types';
import { eqi, show } from '../_util';
import { ISOLATION_PATH, isolationMode } from './_managedNetwork';
import { learnRef, policyRef } from './_refs';

/**
 * Reads ctx.options.sensitiveData (default false): when true every failure is high.
 * `managedNetwork` needs api-version ≥ 2023-10-01; a workspace that does not report it is judged as the service
 * default, isolationMode "Disabled" (no managed VNet).
 */
export const rule: Rule = {
  id: 'AML-WS-004',
  title: 'Workspace managed VNet allows only approved outbound traffic',
  severity: 'medium',
  resourceKind: 'workspace',
  rationale:
    'A managed VNet in "AllowOnlyApprovedOutbound" mode stops computes from sending data to arbitrary internet hosts; ' +
    'without it, training and inference code can exfiltrate data freely.',
  remediation:
    'Set properties.managedNetwork.isolationMode to "AllowOnlyApprovedOutbound" (az ml workspace update --managed-network ' +
    'allow_only_approved_outbound) and add outbound rules for the hosts your jobs need.',
  references: [
    policyRef('Azure Machine Learning workspaces should use managed network isolation', 'ManagedNetworkIsolationMode_Audit.json'),
    learnRef('Workspace managed virtual network isolation', 'how-to-managed-network'),
  ],
  check(ws, ctx) {
    const mode = isolationMode(ws);
    if (eqi(mode, 'AllowOnlyApprovedOutbound')) return { status: 'pass' };
    const sensitive = ctx.options.sensitiveData === true;
    if (eqi(mode, 'AllowInternetOutbound')) {
      // The VNet exists and inbound is isolated; only egress is open, so this is a warning unless data is sensitive.
      return {
        status: 'fail',
        path: ISOLATION_PATH,
        severity: sensitive ? 'high' : 'low',
        message: 'The managed VNet is in "AllowInternetOutbound" mode, so computes can reach any internet host.',
      };
    }
    return {
      status: 'fail',
      path: ISOLATION_PATH,
      severity: sensitive ? 'high' : 'medium',
      message: `Managed network isolation is ${mode === undefined ? 'not reported (service default "Disabled")' : show(mode)}; ` +
        'it should be "AllowOnlyApprovedOutbound".',
    };
  },
};
