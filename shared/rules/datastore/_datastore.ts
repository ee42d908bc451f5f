import { isIpStyleHost } from '../../azure/blobEndpoint';
import type { ArmResource, RuleContext } from '../types';
import { eqi, get, lastSegment, str } from '../_util';

/** `properties.credentials.credentialsType` (2022-10-01: AccountKey | Certificate | None | Sas | ServicePrincipal). */
export function credentialsType(ds: ArmResource): string | undefined {
  return str(get(ds, 'properties.credentials.credentialsType'));
}

export function datastoreType(ds: ArmResource): string | undefined {
  return str(get(ds, 'properties.datastoreType'));
}

/** Storage sub-domain per datastore type; types without a storage account (Gen1, OneLake, Hdfs) are absent. */
const SERVICE_LABEL: Record<string, string> = { azureblob: 'blob', azuredatalakegen2: 'dfs', azurefile: 'file' };

/** Datastore types whose `endpoint` is a storage suffix and whose `protocol` selects http or https. */
export function hasStorageEndpoint(ds: ArmResource): boolean {
  const t = datastoreType(ds);
  return t !== undefined && t.toLowerCase() in SERVICE_LABEL;
}

/**
 * The account (Blob, ADLS Gen2, File: `accountName`; ADLS Gen1: `storeName`) and the full host the
 * datastore reaches, e.g. `stdata.blob.core.windows.net`. A missing `endpoint` is the cloud's default
 * suffix; the public-cloud one is assumed here, which only matters for messages and allow-lists.
 */
export function storageTarget(ds: ArmResource): { account: string; host: string; path: string } | undefined {
  const t = (datastoreType(ds) ?? '').toLowerCase();
  if (t === 'azuredatalakegen1') {
    const store = str(get(ds, 'properties.storeName'));
    return store ? { account: store, host: `${store}.azuredatalakestore.net`.toLowerCase(), path: 'properties.storeName' } : undefined;
  }
  const label = SERVICE_LABEL[t];
  const account = str(get(ds, 'properties.accountName'));
  if (!label || !account) return undefined;
  const endpoint = (str(get(ds, 'properties.endpoint')) ?? 'core.windows.net').replace(/^\.+/, '');
  // An IP or localhost endpoint (an emulator, a private IP) is addressed path-style: the host is the endpoint itself.
  if (isIpStyleHost(endpoint)) return { account, host: endpoint.toLowerCase().replace(/:\d+$/, ''), path: 'properties.endpoint' };
  return { account, host: `${account}.${label}.${endpoint}`.toLowerCase(), path: 'properties.accountName' };
}

/** Name of the storage account the workspace links (`properties.storageAccount`), from the inventory or the id. */
export function linkedStorageName(ctx: RuleContext): string | undefined {
  return str(ctx.inventory.storageAccount?.name) ?? lastSegment(get(ctx.inventory.workspace, 'properties.storageAccount'));
}

/** True when the datastore's account is the workspace's own linked storage account. */
export function targetsLinkedStorage(ds: ArmResource, ctx: RuleContext): boolean {
  const account = str(get(ds, 'properties.accountName'));
  const linked = linkedStorageName(ctx);
  return account !== undefined && linked !== undefined && eqi(account, linked);
}
