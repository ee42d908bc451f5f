import type { RuleCases } from '../../../shared/rules/types';
import { workspace } from '../fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-WS-001',
  cases: [
    { name: 'public access disabled', resource: workspace({ publicNetworkAccess: 'Disabled' }), expect: 'pass' },
    { name: 'lower-case "disabled" (ARM casing varies)', resource: workspace({ publicNetworkAccess: 'disabled' }), expect: 'pass' },
    { name: 'public access enabled', resource: workspace({ publicNetworkAccess: 'Enabled' }), expect: 'fail' },
    { name: 'property missing counts as enabled', resource: workspace({ friendlyName: 'ml' }), expect: 'fail' },
    { name: 'workspace without a properties block', resource: workspace(undefined, { properties: undefined }), expect: 'fail' },
  ],
};
