import type { ArmResource, WorkspaceInventory } from '../../shared/rules/types';

export const SUB = '3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f';
export const RG = 'rg-ml-test';
export const WS_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.MachineLearningServices/workspaces/mlw-test`;

/** A child resource id under the test workspace, e.g. child('computes', 'cpu-cluster'). */
export function child(collection: string, name: string): string {
  return `${WS_ID}/${collection}/${name}`;
}

export function workspace(properties: Record<string, unknown> = {}, extra: Partial<ArmResource> = {}): ArmResource {
  return { id: WS_ID, name: 'mlw-test', type: 'Microsoft.MachineLearningServices/workspaces', properties, ...extra };
}

/** The smallest inventory rules can run on; case tables merge their own pieces over it. */
export function baseInventory(): WorkspaceInventory {
  return {
    workspace: workspace(),
    computes: [],
    datastores: [],
    connections: [],
    privateEndpointConnections: [],
    diagnosticSettings: [],
    roleAssignments: [],
    roleDefinitions: [],
  };
}
