import type { Rule } from '../types';
import { getCi, show } from '../_util';

// `properties.DisableLocalAuth` (PascalCase from microsoft.insights/components for some api-versions, camelCase
// for others: matched case-insensitively). Missing means local auth (instrumentation key ingestion) is on.
export const rule: Rule = {
  id: 'AML-LNK-AI-001',
  title: 'Workspace Application Insights requires Entra ID for ingestion',
  severity: 'medium',
  resourceKind: 'applicationInsights',
  rationale:
    'With local auth, anyone holding the instrumentation key or connection string (often embedded in scoring code) can write ' +
    'or spoof telemetry; Entra-only ingestion ties every write to an identity.',
  remediation:
    'Give telemetry publishers the Monitoring Metrics Publisher role, then set `properties.DisableLocalAuth` to true on the component ' +
    '(portal: Properties > Local Authentication > Disabled; PowerShell: Update-AzApplicationInsights -Name <name> -ResourceGroupName <rg> -DisableLocalAuth).',
  references: [
    { title: 'PSRule Azure.AppInsights.LocalAuth', url: 'https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.AppInsights.LocalAuth/' },
    { title: 'Microsoft Entra authentication for Application Insights', url: 'https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication' },
    { title: 'Azure Policy: Application Insights components should block non-Azure Active Directory based ingestion', url: 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Monitoring/ApplicationInsightsComponents_DisableLocalAuth_Deny.json' },
  ],
  check(ai) {
    const v = getCi(ai, 'properties.DisableLocalAuth');
    if (v === true) return { status: 'pass' };
    return { status: 'fail', path: 'properties.DisableLocalAuth', message: `DisableLocalAuth is ${show(v)}; telemetry can be ingested with the instrumentation key alone.` };
  },
};
