import type { ArmResource } from '../../../shared/rules/types';
import { SUB, RG } from '../fixtures';

const base = `/subscriptions/${SUB}/resourceGroups/${RG}/providers`;

/** The workspace's linked resources as their providers' GET returns them (only the fields the rules read). */
export function storage(properties: Record<string, unknown>, extra: Partial<ArmResource> = {}): ArmResource {
  return { id: `${base}/Microsoft.Storage/storageAccounts/stmltest01`, name: 'stmltest01', type: 'Microsoft.Storage/storageAccounts', kind: 'StorageV2', sku: { name: 'Standard_LRS', tier: 'Standard' }, properties, ...extra };
}

export function keyVault(properties: Record<string, unknown>): ArmResource {
  return { id: `${base}/Microsoft.KeyVault/vaults/kv-mltest`, name: 'kv-mltest', type: 'Microsoft.KeyVault/vaults', properties: { tenantId: '00000000-1111-2222-3333-444444444444', sku: { family: 'A', name: 'standard' }, ...properties } };
}

export function registry(properties: Record<string, unknown>, skuName = 'Premium'): ArmResource {
  return { id: `${base}/Microsoft.ContainerRegistry/registries/acrmltest`, name: 'acrmltest', type: 'Microsoft.ContainerRegistry/registries', sku: { name: skuName, tier: skuName }, properties: { loginServer: 'acrmltest.azurecr.io', ...properties } };
}

export function appInsights(properties: Record<string, unknown>): ArmResource {
  return { id: `${base}/Microsoft.Insights/components/appi-mltest`, name: 'appi-mltest', type: 'microsoft.insights/components', kind: 'web', properties: { Application_Type: 'web', ...properties } };
}
