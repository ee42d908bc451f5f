import type { ArmResource } from '../../../shared/rules/types';
import { RG, SUB, WS_ID } from '../fixtures';

export const SUB_SCOPE = `/subscriptions/${SUB}`;
export const RG_SCOPE = `${SUB_SCOPE}/resourceGroups/${RG}`;
export const GUID = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  dataScientist: 'f6c7c914-8db3-469d-8ca1-694a8f32e121',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  rbacAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
  custom: '6f1f4b5e-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
};

let n = 0;

/** A role assignment as GET …/providers/Microsoft.Authorization/roleAssignments returns it (api-version 2022-04-01). */
export function assignment(opts: { role: string; principalType?: string; scope?: string; roleDefinitionId?: string; principalId?: string }): ArmResource {
  const scope = opts.scope ?? WS_ID;
  const name = `0a0b0c0d-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const properties: Record<string, unknown> = {
    roleDefinitionId: opts.roleDefinitionId ?? `${SUB_SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${opts.role}`,
    principalId: opts.principalId ?? '9c3e6a1b-1111-4222-8333-444455556666',
    scope,
  };
  if (opts.principalType !== undefined) properties.principalType = opts.principalType;
  return { id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, name, type: 'Microsoft.Authorization/roleAssignments', properties };
}

/** A role definition as GET …/roleDefinitions/{guid} returns it. */
export function roleDefinition(guid: string, roleName: string, type: 'BuiltInRole' | 'CustomRole' | undefined, permissions: unknown[]): ArmResource {
  const properties: Record<string, unknown> = { roleName, description: roleName, assignableScopes: [SUB_SCOPE], permissions };
  if (type !== undefined) properties.type = type;
  return { id: `${SUB_SCOPE}/providers/Microsoft.Authorization/roleDefinitions/${guid}`, name: guid, type: 'Microsoft.Authorization/roleDefinitions', properties };
}

export function perm(actions: string[], notActions: string[] = [], dataActions: string[] = [], notDataActions: string[] = []) {
  return { actions, notActions, dataActions, notDataActions };
}
