/**
 * Which rules each gate runs. One catalog holds every rule (so one policy file can name any id); the gates
 * split it by the kind of resource they read.
 */
import type { ResourceKind, Rule } from './types';

export const ENDPOINT_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>([
  'onlineEndpoint',
  'onlineDeployment',
  'batchEndpoint',
  'batchDeployment',
]);

/**
 * Compute rules EndpointHardeningCheck also runs, on the Kubernetes computes that host its deployments: TLS of the
 * inference router and its load balancer live there, not on the endpoint.
 */
export const ENDPOINT_COMPUTE_RULE_IDS: ReadonlySet<string> = new Set(['AML-CMP-011', 'AML-CMP-012', 'AML-CMP-014']);

/** SecurityGate: everything that judges the workspace and what hangs off it. */
export function workspaceAuditRules<R extends Pick<Rule, 'resourceKind'>>(all: readonly R[]): R[] {
  return all.filter((r) => !ENDPOINT_KINDS.has(r.resourceKind));
}

/** EndpointHardeningCheck: endpoint and deployment rules plus the hosting computes' inference rules. */
export function endpointRules<R extends Pick<Rule, 'resourceKind' | 'id'>>(all: readonly R[]): R[] {
  return all.filter((r) => ENDPOINT_KINDS.has(r.resourceKind) || ENDPOINT_COMPUTE_RULE_IDS.has(r.id));
}
