/**
 * Deployment-time values a template cannot know (subscription, resource group, tenant) and the deterministic
 * stand-ins for ARM's hash functions. Fixed strings, so ids, names and fingerprints are the same on every run.
 */
import { createHash } from 'node:crypto';

export const SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000000';
export const TENANT_ID = '00000000-0000-0000-0000-000000000001';
export const RESOURCE_GROUP = 'template-resource-group';
export const LOCATION = 'template-location';
export const DEPLOYMENT_NAME = 'template-deployment';

export const RESOURCE_GROUP_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}`;

export function subscriptionObject(): Record<string, unknown> {
  return { id: `/subscriptions/${SUBSCRIPTION_ID}`, subscriptionId: SUBSCRIPTION_ID, tenantId: TENANT_ID, displayName: 'template-subscription' };
}

export function resourceGroupObject(): Record<string, unknown> {
  return { id: RESOURCE_GROUP_ID, name: RESOURCE_GROUP, type: 'Microsoft.Resources/resourceGroups', location: LOCATION, properties: { provisioningState: 'Succeeded' } };
}

export function tenantObject(): Record<string, unknown> {
  return { tenantId: TENANT_ID, countryCode: 'US', displayName: 'template-tenant' };
}

export function deploymentObject(): Record<string, unknown> {
  return { name: DEPLOYMENT_NAME, properties: {} };
}

/** The public cloud, so suffix-based rules (datastore endpoints) see the values a real deployment would. */
export function environmentObject(): Record<string, unknown> {
  return {
    name: 'AzureCloud',
    gallery: 'https://gallery.azure.com/',
    graph: 'https://graph.windows.net/',
    portal: 'https://portal.azure.com',
    resourceManager: 'https://management.azure.com/',
    authentication: { loginEndpoint: 'https://login.microsoftonline.com/', audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'], tenant: 'common' },
    suffixes: {
      storage: 'core.windows.net',
      keyvaultDns: '.vault.azure.net',
      acrLoginServer: '.azurecr.io',
      sqlServerHostname: '.database.windows.net',
      azureDatalakeStoreFileSystem: 'azuredatalakestore.net',
      azureDatalakeAnalyticsCatalogAndJob: 'azuredatalakeanalytics.net',
    },
  };
}

/** 13 lower-case base32 characters, like ARM's uniqueString, derived from the arguments (not ARM's hash). */
export function uniqueStringPlaceholder(args: string[]): string {
  const digest = createHash('sha256').update(args.join('\u0000')).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  for (let i = 0; i < 13; i++) out += alphabet[digest[i] % 32];
  return out;
}

/** A GUID-shaped value derived from the arguments, like ARM's guid() (not ARM's algorithm). */
export function guidPlaceholder(args: string[]): string {
  const h = createHash('sha256').update(`guid\u0000${args.join('\u0000')}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
