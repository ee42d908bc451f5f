import type { Rule } from '../types';
import { eqi, get, show } from '../_util';

// `properties.policies.quarantinePolicy.status`: "enabled" | "disabled" (default disabled). The other way to
// meet this row of the catalog, a Microsoft Defender for Containers plan, is a subscription setting the gate
// does not read: waive the finding when Defender scans the registry.
export const rule: Rule = {
  id: 'AML-LNK-ACR-004',
  title: 'Workspace container registry holds new images for scanning',
  severity: 'low',
  resourceKind: 'containerRegistry',
  rationale:
    'Environment images pull packages from public feeds; quarantine keeps a newly pushed image unavailable until a scanner marks it ' +
    'clean, so a vulnerable or tampered image is not used by jobs or endpoints in the meantime.',
  remediation:
    'Enable the quarantine policy (`properties.policies.quarantinePolicy.status: "enabled"`, Premium SKU) with a scanner that releases images, ' +
    'or enable Microsoft Defender for Containers on the subscription and waive this finding with that reason.',
  references: [
    { title: 'PSRule Azure.ACR.Quarantine', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.ACR.Quarantine/' },
    { title: 'PSRule Azure.ACR.ContainerScan', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.ACR.ContainerScan/' },
  ],
  check(acr) {
    const v = get(acr, 'properties.policies.quarantinePolicy.status');
    if (eqi(v, 'enabled')) return { status: 'pass' };
    return { status: 'fail', path: 'properties.policies.quarantinePolicy.status', message: `quarantinePolicy.status is ${show(v)}; new images are usable before any scan (a Defender for Containers plan, if enabled, is not visible to the gate).` };
  },
};
