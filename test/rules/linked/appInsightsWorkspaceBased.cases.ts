import type { RuleCases } from '../../../shared/rules/types';
import { SUB } from '../fixtures';
import { appInsights } from './_linked';

const law = `/subscriptions/${SUB}/resourceGroups/rg-monitor/providers/Microsoft.OperationalInsights/workspaces/law-ml`;

export const cases: RuleCases = {
  ruleId: 'AML-LNK-AI-002',
  cases: [
    { name: 'workspace-based (PascalCase)', resource: appInsights({ WorkspaceResourceId: law, IngestionMode: 'LogAnalytics' }), expect: 'pass' },
    { name: 'workspace-based (camelCase)', resource: appInsights({ workspaceResourceId: law }), expect: 'pass' },
    { name: 'classic component', resource: appInsights({ IngestionMode: 'ApplicationInsights' }), expect: 'fail' },
    { name: 'empty id', resource: appInsights({ WorkspaceResourceId: '' }), expect: 'fail' },
  ],
};
