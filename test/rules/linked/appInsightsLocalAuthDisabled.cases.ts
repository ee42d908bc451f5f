import type { RuleCases } from '../../../shared/rules/types';
import { appInsights } from './_linked';

export const cases: RuleCases = {
  ruleId: 'AML-LNK-AI-001',
  cases: [
    { name: 'PascalCase DisableLocalAuth true', resource: appInsights({ DisableLocalAuth: true }), expect: 'pass' },
    { name: 'camelCase disableLocalAuth true (other api-versions)', resource: appInsights({ disableLocalAuth: true }), expect: 'pass' },
    { name: 'DisableLocalAuth false', resource: appInsights({ DisableLocalAuth: false }), expect: 'fail' },
    { name: 'missing (local auth on)', resource: appInsights({}), expect: 'fail' },
  ],
};
