import type { ArmResource, RuleContext } from '../types';
import { get, lastSegment, str } from '../_util';

/** Built-in role definition guids (the same in every tenant). */
export const ROLE = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  rbacAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
} as const;

/** The role guid an assignment names; ids come tenant-, subscription- or bare-scoped, so only the trailing guid counts. */
export function roleGuid(assignment: ArmResource): string | undefined {
  return lastSegment(get(assignment, 'properties.roleDefinitionId'))?.toLowerCase();
}

/** The definition an assignment names, looked up in the inventory by trailing guid, case-insensitively. */
export function definitionOf(assignment: ArmResource, ctx: RuleContext): ArmResource | undefined {
  const guid = roleGuid(assignment);
  if (!guid) return undefined;
  return ctx.inventory.roleDefinitions.find((d) => (lastSegment(d.id) ?? str(d.name) ?? '').toLowerCase() === guid);
}

const BUILT_IN_NAMES: Record<string, string> = {
  [ROLE.owner]: 'Owner',
  [ROLE.contributor]: 'Contributor',
  [ROLE.userAccessAdministrator]: 'User Access Administrator',
  [ROLE.rbacAdministrator]: 'Role Based Access Control Administrator',
};

/** The role's display name (from the inventory, else for the built-ins above), else its guid, for messages. */
export function roleLabel(assignment: ArmResource, ctx: RuleContext): string {
  const guid = roleGuid(assignment);
  return str(get(definitionOf(assignment, ctx), 'properties.roleName')) ?? (guid && BUILT_IN_NAMES[guid]) ?? guid ?? 'unknown role';
}

/**
 * True when the assignment names one of `guids`, or its definition's roleName is one of `names`
 * (a definition copied under another id keeps the name check useful).
 */
export function namesRole(assignment: ArmResource, ctx: RuleContext, guids: readonly string[], names: readonly string[]): boolean {
  const guid = roleGuid(assignment);
  if (guid && guids.includes(guid)) return true;
  const name = str(get(definitionOf(assignment, ctx), 'properties.roleName'))?.toLowerCase();
  return name !== undefined && names.some((n) => n.toLowerCase() === name);
}

/** `properties.scope`, or the part of the assignment id before `/providers/Microsoft.Authorization/roleAssignments/`. */
export function scopeOf(assignment: ArmResource): string | undefined {
  const scope = str(get(assignment, 'properties.scope'));
  if (scope) return scope;
  const i = assignment.id.toLowerCase().indexOf('/providers/microsoft.authorization/roleassignments/');
  return i >= 0 ? assignment.id.slice(0, i) || '/' : undefined;
}

/**
 * True when the assignment sits on a child of the workspace (a compute, an endpoint) and so does not grant
 * anything on the workspace itself. Management-group and other scopes that are not string prefixes of the
 * workspace id are kept: the inventory lists only assignments that apply at the workspace.
 */
export function isBelowWorkspace(assignment: ArmResource, ctx: RuleContext): boolean {
  const scope = scopeOf(assignment)?.toLowerCase().replace(/\/+$/, '');
  const ws = ctx.inventory.workspace.id.toLowerCase().replace(/\/+$/, '');
  return scope !== undefined && scope.startsWith(`${ws}/`);
}

/** `properties.principalType` (User | Group | ServicePrincipal | ForeignGroup | Device | Unknown), or undefined. */
export function principalType(assignment: ArmResource): string | undefined {
  return str(get(assignment, 'properties.principalType'));
}
