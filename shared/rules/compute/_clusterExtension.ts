/**
 * TLS for Kubernetes compute lives in the AzureML cluster extension
 * (`{cluster}/providers/Microsoft.KubernetesConfiguration/extensions/{name}`, extensionType
 * "microsoft.azureml.kubernetes"), a different resource provider from the ML compute.
 *
 * The live inventory collects it (`kubernetesExtensions`); an inventory without it (an ARM template) makes
 * `extensionsCollected` false and the rules skip.
 */
import type { ArmResource, WorkspaceInventory } from '../types';
import { eqi, get, str } from '../_util';

export function extensionsCollected(inv: WorkspaceInventory): boolean {
  return Array.isArray(inv.kubernetesExtensions);
}

/** The AzureML extension installed on the cluster a Kubernetes compute points at (`properties.resourceId`). */
export function azureMlExtension(compute: ArmResource, inv: WorkspaceInventory): ArmResource | undefined {
  const cluster = str(get(compute, 'properties.resourceId'));
  if (!cluster) return undefined;
  const prefix = `${cluster.toLowerCase()}/providers/microsoft.kubernetesconfiguration/extensions/`;
  return (inv.kubernetesExtensions ?? []).find(
    (e) => e.id.toLowerCase().startsWith(prefix) && eqi(get(e, 'properties.extensionType'), 'microsoft.azureml.kubernetes'),
  );
}

/** Extension configuration settings are strings ("True"/"False"); booleans are accepted too. */
export function settingIsTrue(v: unknown): boolean {
  return v === true || eqi(v, 'true');
}
