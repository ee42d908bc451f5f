import type { Rule } from '../types';
import { getCi, show, str } from '../_util';

// `properties.WorkspaceResourceId` (PascalCase for microsoft.insights/components; matched case-insensitively).
// Missing or empty means a classic component, retired by Azure in February 2024.
export const rule: Rule = {
  id: 'AML-LNK-AI-002',
  title: 'Workspace Application Insights is workspace-based',
  severity: 'low',
  resourceKind: 'applicationInsights',
  rationale:
    'Workspace-based Application Insights stores telemetry in Log Analytics, with its RBAC, retention, CMK and export options; ' +
    'classic components lack them and are retired.',
  remediation:
    'Migrate the component to a Log Analytics workspace: set `properties.WorkspaceResourceId` (az monitor app-insights component update ' +
    '--app <name> -g <rg> --workspace <log-analytics-id>).',
  references: [
    { title: 'PSRule Azure.AppInsights.Workspace', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.AppInsights.Workspace/' },
    { title: 'Azure Policy: Application Insights components should be linked to a Log Analytics workspace', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Monitoring/ApplicationInsightsComponent_WorkspaceAssociation_Deny.json' },
  ],
  check(ai) {
    const v = getCi(ai, 'properties.WorkspaceResourceId');
    if (str(v) !== undefined) return { status: 'pass' };
    return { status: 'fail', path: 'properties.WorkspaceResourceId', message: `WorkspaceResourceId is ${show(v)}; the Application Insights component is classic, not workspace-based.` };
  },
};
