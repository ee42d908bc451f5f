import type { Rule } from '../types';
import { eqi, get, show, str } from '../_util';
import { learnRef, policyRef } from './_refs';

/** Reads ctx.options.sensitiveData (default false): when true a failure is high (regulated data). */
export const rule: Rule = {
  id: 'AML-WS-006',
  title: 'Workspace encrypts data with a customer-managed key',
  severity: 'medium',
  resourceKind: 'workspace',
  rationale:
    'With a customer-managed key you control, rotate and can revoke the key protecting workspace metadata and data; ' +
    'Microsoft-managed keys give no such control, which many compliance regimes require.',
  remediation:
    'Create the workspace with properties.encryption.status "Enabled" and keyVaultProperties.keyIdentifier set to a Key Vault key ' +
    '(customer_managed_key in the workspace YAML); encryption cannot be added to an existing workspace, so plan a migration.',
  references: [
    policyRef('Azure Machine Learning workspaces should be encrypted with a customer-managed key', 'Workspace_CMKEnabled_Audit.json'),
    learnRef('Customer-managed keys for Azure Machine Learning', 'concept-customer-managed-keys'),
  ],
  check(ws, ctx) {
    // Project workspaces inherit encryption from their hub; the built-in policy (V2) skips them too.
    if (eqi(ws.kind, 'project')) return { status: 'skip', reason: 'a project workspace inherits encryption from its hub' };
    const status = get(ws, 'properties.encryption.status');
    const key = str(get(ws, 'properties.encryption.keyVaultProperties.keyIdentifier'));
    if (eqi(status, 'Enabled') && key) return { status: 'pass' };
    const severity = ctx.options.sensitiveData === true ? 'high' : undefined;
    if (!eqi(status, 'Enabled')) {
      return { status: 'fail', severity, path: 'properties.encryption.status', message: `Customer-managed key encryption is ${show(status)}; it should be "Enabled".` };
    }
    return { status: 'fail', severity, path: 'properties.encryption.keyVaultProperties.keyIdentifier', message: 'Encryption is "Enabled" but no key identifier is set.' };
  },
};
