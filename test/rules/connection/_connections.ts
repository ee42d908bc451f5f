import type { ArmResource } from '../../../shared/rules/types';
import { child } from '../fixtures';

/**
 * A workspace connection as GET …/connections/{name} returns it at api-version 2025-09-01: credentials
 * are never in the body, so only the auth type says whether one is stored.
 */
export function connection(name: string, properties: Record<string, unknown>, systemData: Record<string, unknown> = {}): ArmResource {
  return {
    id: child('connections', name),
    name,
    type: 'Microsoft.MachineLearningServices/workspaces/connections',
    properties: { category: 'CustomKeys', target: '_', isSharedToAll: false, ...properties },
    systemData: { createdAt: '2026-05-01T08:00:00Z', createdByType: 'User', lastModifiedAt: '2026-05-01T08:00:00Z', ...systemData },
  };
}
