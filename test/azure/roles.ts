/**
 * Azure RBAC as ARM serves it: the built-in role definitions (same guid in every tenant) and the scope
 * rules of role assignment lists (`$filter=atScope()` = at the scope or above it).
 */
import type { ArmResource } from '../../shared/rules/types';
import { armKey, isAtOrAbove } from './armPaths';

interface Permissions {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

const perms = (actions: string[], notActions: string[] = [], dataActions: string[] = []): Permissions => ({
  actions,
  notActions,
  dataActions,
  notDataActions: [],
});

/** Built-in roles the scenarios use, with their published permissions. */
export const BUILT_IN_ROLES: ReadonlyArray<{ guid: string; roleName: string; description: string; permissions: Permissions }> = [
  {
    guid: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    roleName: 'Owner',
    description: 'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    permissions: perms(['*']),
  },
  {
    guid: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    roleName: 'Contributor',
    description: 'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.',
    permissions: perms(
      ['*'],
      [
        'Microsoft.Authorization/*/Delete',
        'Microsoft.Authorization/*/Write',
        'Microsoft.Authorization/elevateAccess/Action',
        'Microsoft.Blueprint/blueprintAssignments/write',
        'Microsoft.Blueprint/blueprintAssignments/delete',
      ],
    ),
  },
  {
    // Reader's real id. (acdd72a7-3ff1-… sometimes quoted is not a built-in role.)
    guid: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    roleName: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    permissions: perms(['*/read']),
  },
  {
    guid: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    roleName: 'User Access Administrator',
    description: 'Lets you manage user access to Azure resources.',
    permissions: perms(['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*']),
  },
  {
    guid: 'f6c7c914-8db3-469d-8ca1-694a8f32e121',
    roleName: 'AzureML Data Scientist',
    description:
      'Can perform all actions within an Azure Machine Learning workspace, except for creating or deleting compute resources and modifying the workspace itself.',
    permissions: perms(
      [
        'Microsoft.MachineLearningServices/workspaces/*/read',
        'Microsoft.MachineLearningServices/workspaces/*/action',
        'Microsoft.MachineLearningServices/workspaces/*/delete',
        'Microsoft.MachineLearningServices/workspaces/*/write',
      ],
      [
        'Microsoft.MachineLearningServices/workspaces/delete',
        'Microsoft.MachineLearningServices/workspaces/write',
        'Microsoft.MachineLearningServices/workspaces/computes/*/write',
        'Microsoft.MachineLearningServices/workspaces/computes/*/delete',
        'Microsoft.MachineLearningServices/workspaces/computes/listKeys/action',
        'Microsoft.MachineLearningServices/workspaces/listKeys/action',
        'Microsoft.MachineLearningServices/workspaces/hubs/write',
        'Microsoft.MachineLearningServices/workspaces/hubs/delete',
        'Microsoft.MachineLearningServices/workspaces/featurestores/write',
        'Microsoft.MachineLearningServices/workspaces/featurestores/delete',
      ],
    ),
  },
  {
    guid: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
    roleName: 'Storage Blob Data Contributor',
    description: 'Allows for read, write and delete access to Azure Storage blob containers and data',
    permissions: perms(
      [
        'Microsoft.Storage/storageAccounts/blobServices/containers/delete',
        'Microsoft.Storage/storageAccounts/blobServices/containers/read',
        'Microsoft.Storage/storageAccounts/blobServices/containers/write',
        'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
      ],
      [],
      [
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action',
        'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
      ],
    ),
  },
];

export const ROLE_IDS = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  azureMlDataScientist: 'f6c7c914-8db3-469d-8ca1-694a8f32e121',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
} as const;

const ROLE_DEFINITIONS = '/providers/Microsoft.Authorization/roleDefinitions';

/** A built-in role definition as ARM returns it at `/subscriptions/<s>/providers/…` (or `/providers/…` without one). */
export function builtInRoleDefinition(guid: string, subscriptionId?: string): ArmResource | undefined {
  const role = BUILT_IN_ROLES.find((r) => r.guid === guid.toLowerCase());
  if (!role) return undefined;
  return {
    id: `${subscriptionId ? `/subscriptions/${subscriptionId}` : ''}${ROLE_DEFINITIONS}/${role.guid}`,
    name: role.guid,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: role.roleName,
      type: 'BuiltInRole',
      description: role.description,
      assignableScopes: ['/'],
      permissions: [structuredClone(role.permissions)],
      createdOn: '2015-02-02T21:55:09.8806423Z',
      updatedOn: '2024-03-15T17:43:41.9021523Z',
      createdBy: null,
      updatedBy: null,
    },
  };
}

/** The scope an assignment applies at: `properties.scope`, else its id before `/providers/Microsoft.Authorization`. */
export function assignmentScope(ra: ArmResource): string {
  const scope = ra.properties?.scope;
  if (typeof scope === 'string' && scope) return scope;
  const i = ra.id.toLowerCase().indexOf('/providers/microsoft.authorization/roleassignments/');
  return i > 0 ? ra.id.slice(0, i) : '/';
}

/**
 * Role assignments a list at `scope` returns. ARM's `$filter` grammar is small: `atScope()` (assignments at
 * the scope or above it), `principalId eq '<id>'` (any that apply at, above or below, for that principal),
 * and `assignedTo('<id>')`, joined with `and`. Without a filter: at, above and below the scope.
 */
export function filterAssignments(all: ArmResource[], scope: string, filter: string | null): ArmResource[] {
  const f = (filter ?? '').trim();
  const atScopeOnly = /\batScope\(\)/i.test(f);
  const principal = /principalId\s+eq\s+'([^']+)'/i.exec(f)?.[1] ?? /assignedTo\('([^']+)'\)/i.exec(f)?.[1];
  const scopeKey = armKey(scope);
  return all.filter((ra) => {
    const s = assignmentScope(ra);
    const above = isAtOrAbove(s, scope);
    const below = armKey(s).startsWith(`${scopeKey}/`);
    if (!(above || (!atScopeOnly && below))) return false;
    return !principal || String(ra.properties?.principalId ?? '').toLowerCase() === principal.toLowerCase();
  });
}
