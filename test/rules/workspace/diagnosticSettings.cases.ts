import type { ArmResource, RuleCases } from '../../../shared/rules/types';
import { RG, SUB, WS_ID, workspace } from '../fixtures';

const LAW = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/law-security`;
const ST = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/stauditlogs`;

function setting(name: string, logs: Array<Record<string, unknown>>, dest: Record<string, unknown>): ArmResource {
  return {
    id: `${WS_ID}/providers/Microsoft.Insights/diagnosticSettings/${name}`,
    name,
    type: 'Microsoft.Insights/diagnosticSettings',
    properties: { logs, metrics: [{ category: 'AllMetrics', enabled: true }], ...dest },
  };
}

const ws = workspace({ publicNetworkAccess: 'Disabled' });

export const cases: RuleCases = {
  ruleId: 'AML-WS-009',
  cases: [
    { name: 'allLogs to Log Analytics', resource: ws, inventory: { diagnosticSettings: [setting('to-law', [{ categoryGroup: 'allLogs', enabled: true }], { workspaceId: LAW })] }, expect: 'pass' },
    { name: 'audit group to storage', resource: ws, inventory: { diagnosticSettings: [setting('to-st', [{ categoryGroup: 'audit', enabled: true, retentionPolicy: { enabled: false, days: 0 } }], { storageAccountId: ST })] }, expect: 'pass' },
    {
      name: 'one setting without destination, another complete',
      resource: ws,
      inventory: { diagnosticSettings: [setting('broken', [{ categoryGroup: 'allLogs', enabled: true }], {}), setting('ok', [{ categoryGroup: 'AllLogs', enabled: true }], { workspaceId: LAW })] },
      expect: 'pass',
    },
    { name: 'no diagnostic setting', resource: ws, expect: 'fail', severity: 'medium' },
    { name: 'metrics only', resource: ws, inventory: { diagnosticSettings: [setting('metrics', [], { workspaceId: LAW })] }, expect: 'fail', severity: 'medium' },
    { name: 'allLogs present but disabled', resource: ws, inventory: { diagnosticSettings: [setting('off', [{ categoryGroup: 'allLogs', enabled: false }], { workspaceId: LAW })] }, expect: 'fail', severity: 'medium' },
    { name: 'logs enabled but no destination', resource: ws, inventory: { diagnosticSettings: [setting('nowhere', [{ categoryGroup: 'allLogs', enabled: true }], { workspaceId: null })] }, expect: 'fail', severity: 'medium' },
    {
      name: 'individually picked categories only (new categories missed)',
      resource: ws,
      inventory: { diagnosticSettings: [setting('picked', [{ category: 'AmlComputeClusterEvent', enabled: true }, { category: 'ModelsChangeEvent', enabled: true }], { workspaceId: LAW })] },
      expect: 'fail',
      severity: 'low',
    },
  ],
};
