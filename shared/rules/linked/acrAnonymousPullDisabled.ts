import type { Rule } from '../types';
import { get, show } from '../_util';

// `properties.anonymousPullEnabled` defaults to false (and exists only on Standard and Premium).
export const rule: Rule = {
  id: 'AML-LNK-ACR-002',
  title: 'Workspace container registry has anonymous pull disabled',
  severity: 'high',
  resourceKind: 'containerRegistry',
  rationale: 'Anonymous pull lets anyone on the internet download the environment images, which can embed code, packages and sometimes data or secrets.',
  remediation: 'Set `properties.anonymousPullEnabled` to false (az acr update -n <registry> --anonymous-pull-enabled false).',
  references: [
    { title: 'PSRule Azure.ACR.AnonymousAccess', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.ACR.AnonymousAccess/' },
    { title: 'Azure Policy: Container registries should have anonymous authentication disabled', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Container%20Registry/ACR_AnonymousPullDisabled_AuditDeny.json' },
  ],
  check(acr) {
    const v = get(acr, 'properties.anonymousPullEnabled');
    if (v !== true) return { status: 'pass' };
    return { status: 'fail', path: 'properties.anonymousPullEnabled', message: `anonymousPullEnabled is ${show(v)}; anyone can pull images from the workspace registry without signing in.` };
  },
};
