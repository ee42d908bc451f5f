/** Compute resources in the REST shape (two `properties` levels) for the compute case tables. */
import type { ArmResource } from '../../../shared/rules/types';
import { RG, SUB, child } from '../fixtures';

export const SUBNET_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-training`;
export const AKS_CLUSTER_ID = `/subscriptions/${SUB}/resourcegroups/${RG}/providers/Microsoft.ContainerService/managedClusters/aks-inference`;

/**
 * `inner` becomes properties.properties; pass `undefined` to omit the block (as attached-AKS GETs do).
 * `common` is merged into the outer properties (disableLocalAuth, resourceId…); `extra` into the resource (identity…).
 */
export function compute(
  name: string,
  computeType: string,
  inner: Record<string, unknown> | undefined,
  common: Record<string, unknown> = {},
  extra: Partial<ArmResource> = {},
): ArmResource {
  return {
    id: child('computes', name),
    name,
    type: 'Microsoft.MachineLearningServices/workspaces/computes',
    location: 'eastus2',
    properties: {
      computeType,
      provisioningState: 'Succeeded',
      createdOn: '2026-01-10T09:00:00.0000000+00:00',
      ...common,
      ...(inner === undefined ? {} : { properties: inner }),
    },
    ...extra,
  };
}

export const instance = (inner: Record<string, unknown>, common: Record<string, unknown> = {}, extra: Partial<ArmResource> = {}) =>
  compute('ci-alice', 'ComputeInstance', { vmSize: 'STANDARD_DS3_V2', state: 'Running', ...inner }, common, extra);

export const cluster = (inner: Record<string, unknown>, common: Record<string, unknown> = {}, extra: Partial<ArmResource> = {}) =>
  compute('cpu-cluster', 'AmlCompute', { vmSize: 'STANDARD_DS3_V2', vmPriority: 'Dedicated', osType: 'Linux', ...inner }, common, extra);
