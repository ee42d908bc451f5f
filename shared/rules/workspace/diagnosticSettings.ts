import type { ArmResource, Rule } from '../types';
import { get, inI, str } from '../_util';
import { learnRef, policyRef } from './_refs';

const PATH = 'providers/Microsoft.Insights/diagnosticSettings';
const DESTINATIONS = ['workspaceId', 'storageAccountId', 'eventHubAuthorizationRuleId', 'marketplacePartnerId'];
/** Category groups that keep up with new log categories by themselves. */
const GROUPS = ['allLogs', 'audit'];

interface LogEntry { category?: unknown; categoryGroup?: unknown; enabled?: unknown }

function enabledLogs(s: ArmResource): LogEntry[] {
  const logs = get(s, 'properties.logs');
  return Array.isArray(logs) ? (logs as LogEntry[]).filter((l) => l !== null && typeof l === 'object' && l.enabled === true) : [];
}

function hasDestination(s: ArmResource): boolean {
  return DESTINATIONS.some((d) => str(get(s, `properties.${d}`)) !== undefined);
}

/**
 * Judges ctx.inventory.diagnosticSettings (Microsoft.Insights, not the ML RP). The legacy per-log retentionPolicy is
 * ignored: retention now lives in the destination, and the built-in policy's 365-day check is deprecated.
 */
export const rule: Rule = {
  id: 'AML-WS-009',
  title: 'Workspace resource logs are sent to a destination',
  severity: 'medium',
  resourceKind: 'workspace',
  rationale:
    'Resource logs record who read or changed models, datastores, computes and deployments; without a diagnostic setting they ' +
    'are not kept anywhere, so incidents cannot be investigated.',
  remediation:
    'Add a diagnostic setting on the workspace that enables the "allLogs" (or "audit") category group and sends it to a Log Analytics ' +
    'workspace, storage account or event hub (az monitor diagnostic-settings create --resource <workspace id> --logs \'[{"categoryGroup":"allLogs","enabled":true}]\' --workspace <law id>).',
  references: [
    policyRef('Resource logs in Azure Machine Learning workspaces should be enabled', 'MachineLearningServices_AuditDiagnosticLog_Audit.json'),
    learnRef('Monitor Azure Machine Learning', 'monitor-azure-machine-learning'),
  ],
  check(_ws, ctx) {
    const settings = ctx.inventory.diagnosticSettings;
    if (settings.length === 0) return { status: 'fail', path: PATH, message: 'The workspace has no diagnostic setting, so its resource logs are not kept.' };
    const delivering = settings.filter(hasDestination);
    if (delivering.some((s) => enabledLogs(s).some((l) => inI(l.categoryGroup, GROUPS)))) return { status: 'pass' };
    const categories = [...new Set(delivering.flatMap((s) => enabledLogs(s).map((l) => str(l.category)).filter((c): c is string => !!c)))];
    if (categories.length > 0) {
      // Individually picked categories work, but categories added later by the service are silently missed.
      return {
        status: 'fail',
        path: PATH,
        severity: 'low',
        message: `Only individual log categories are enabled (${categories.join(', ')}); enable the "allLogs" or "audit" category group so new categories are captured.`,
      };
    }
    const withLogs = settings.some((s) => enabledLogs(s).length > 0);
    return {
      status: 'fail',
      path: PATH,
      message: withLogs
        ? 'The diagnostic settings that enable resource logs have no destination (Log Analytics, storage or event hub).'
        : `None of the ${settings.length} diagnostic setting(s) enables a resource log category.`,
    };
  },
};
