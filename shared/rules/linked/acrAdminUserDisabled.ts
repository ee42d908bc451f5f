import type { Rule } from '../types';
import { get, show } from '../_util';

// `properties.adminUserEnabled` defaults to false.
export const rule: Rule = {
  id: 'AML-LNK-ACR-001',
  title: 'Workspace container registry has the admin user disabled',
  severity: 'high',
  resourceKind: 'containerRegistry',
  rationale:
    'The admin user is a shared username and password with push and pull rights on every repository; anyone holding it can ' +
    'replace the images that training jobs and endpoints run.',
  remediation:
    'Set `properties.adminUserEnabled` to false (az acr update -n <registry> --admin-enabled false); Azure Machine Learning pulls ' +
    'with the workspace managed identity (AcrPull) when the workspace identity has access.',
  references: [
    { title: 'PSRule Azure.ACR.AdminUser', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.ACR.AdminUser/' },
    { title: 'Azure Policy: Container registries should have local admin account disabled', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Container%20Registry/ACR_AdminAccountDisabled_AuditDeny.json' },
  ],
  check(acr) {
    const v = get(acr, 'properties.adminUserEnabled');
    if (v !== true) return { status: 'pass' };
    return { status: 'fail', path: 'properties.adminUserEnabled', message: `adminUserEnabled is ${show(v)}; a shared admin password can push images to the workspace registry.` };
  },
};
