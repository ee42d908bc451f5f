/**
 * Who may invoke each endpoint: the role assignments that apply at the endpoint (on it, on the workspace, or above)
 * whose role grants the invoke action. Pure: inventory in, table out. Reported, not judged: who should call a model
 * is the owner's decision, the reviewer needs to see it.
 */
import { definitionOf, principalType, roleLabel, scopeOf } from '../../rules/access/_roles';
import type { ArmResource, RuleContext, WorkspaceInventory } from '../../rules/types';

/** Scoring an online endpoint with an Entra token; creating a job on a batch endpoint. */
export const INVOKE_ACTION = {
  online: 'Microsoft.MachineLearningServices/workspaces/onlineEndpoints/score/action',
  batch: 'Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments/jobs/write',
} as const;

export interface Invoker {
  principalId: string;
  principalType: string;
  role: string;
  scope: string;
}

export interface EndpointInvokers {
  endpointId: string;
  kind: 'online' | 'batch';
  invokers: Invoker[];
}

/** ARM action patterns: `*` matches any run of characters, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase();
  const a = action.toLowerCase();
  const parts = p.split('*');
  if (parts.length === 1) return p === a;
  if (!a.startsWith(parts[0]) || !a.endsWith(parts[parts.length - 1])) return false;
  let at = parts[0].length;
  for (const mid of parts.slice(1, -1)) {
    const i = a.indexOf(mid, at);
    if (i < 0) return false;
    at = i + mid.length;
  }
  return at <= a.length - parts[parts.length - 1].length;
}

/** True when some permission block allows `action` and does not take it back with notActions. */
export function roleGrants(definition: ArmResource | undefined, action: string): boolean {
  const perms = (definition?.properties?.permissions ?? []) as Array<{ actions?: string[]; notActions?: string[] }>;
  return perms.some((p) => (p.actions ?? []).some((x) => actionMatches(x, action)) && !(p.notActions ?? []).some((x) => actionMatches(x, action)));
}

function appliesTo(scope: string, resourceId: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, '');
  const r = resourceId.toLowerCase();
  return s === '' || s === '/' || r === s || r.startsWith(`${s}/`);
}

export function whoMayInvoke(inventory: WorkspaceInventory): EndpointInvokers[] {
  const ctx: RuleContext = { inventory, now: new Date(0), options: {} };
  const endpoints: Array<{ e: ArmResource; kind: 'online' | 'batch' }> = [
    ...(inventory.onlineEndpoints ?? []).map((e) => ({ e, kind: 'online' as const })),
    ...(inventory.batchEndpoints ?? []).map((e) => ({ e, kind: 'batch' as const })),
  ];
  return endpoints.map(({ e, kind }) => ({
    endpointId: e.id,
    kind,
    invokers: inventory.roleAssignments
      .filter((a) => {
        const scope = scopeOf(a);
        return scope !== undefined && appliesTo(scope, e.id) && roleGrants(definitionOf(a, ctx), INVOKE_ACTION[kind]);
      })
      .map((a) => ({
        principalId: String(a.properties?.principalId ?? 'unknown'),
        principalType: principalType(a) ?? 'Unknown',
        role: roleLabel(a, ctx),
        scope: scopeOf(a)!,
      }))
      .sort((x, y) => x.scope.length - y.scope.length || x.principalId.localeCompare(y.principalId)),
  }));
}
