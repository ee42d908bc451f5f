import type { ArmResource } from '../../../shared/rules/types';
import { child, SUB, RG } from '../fixtures';

export const LINKED_STORAGE_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/stmltest01`;

/** A datastore as GET …/datastores/{name} returns it (secrets are never in the body). */
export function datastore(name: string, properties: Record<string, unknown>): ArmResource {
  return {
    id: child('datastores', name),
    name,
    type: 'Microsoft.MachineLearningServices/workspaces/datastores',
    properties: { description: null, tags: {}, properties: {}, isDefault: false, ...properties },
    systemData: { createdAt: '2026-01-10T09:00:00Z', createdByType: 'User', lastModifiedAt: '2026-01-10T09:00:00Z' },
  };
}

/** An Azure Blob datastore on the given account with the given credential type. */
export function blob(name: string, accountName: string, credentialsType: string, extra: Record<string, unknown> = {}): ArmResource {
  return datastore(name, {
    datastoreType: 'AzureBlob',
    accountName,
    containerName: 'data',
    endpoint: 'core.windows.net',
    protocol: 'https',
    credentials: { credentialsType },
    ...extra,
  });
}

export function storageAccount(properties: Record<string, unknown>): ArmResource {
  return { id: LINKED_STORAGE_ID, name: 'stmltest01', type: 'Microsoft.Storage/storageAccounts', kind: 'StorageV2', properties };
}
