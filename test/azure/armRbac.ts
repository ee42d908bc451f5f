/**
 * Microsoft.Authorization reads, which ARM answers from more than the path: role assignment lists include
 * inherited assignments, and built-in role definitions exist at every scope without being stored.
 */
import type { ArmResource } from '../../shared/rules/types';
import { notFound, pageReply } from './armCommon';
import { parseArmPath, type ArmPath } from './armPaths';
import { armView } from './armView';
import type { EmulatorContext } from './context';
import { armError, json, type EmuRequest, type Reply } from './http';
import { builtInRoleDefinition, BUILT_IN_ROLES, filterAssignments } from './roles';

const ASSIGNMENTS = 'Microsoft.Authorization/roleAssignments';
const DEFINITIONS = 'Microsoft.Authorization/roleDefinitions';

export function isRbacType(p: ArmPath, type: 'roleAssignments' | 'roleDefinitions'): boolean {
  return p.namespace.toLowerCase() === 'microsoft.authorization' && p.types.length === 1 && p.types[0].toLowerCase() === type.toLowerCase();
}

/** GET <scope>/providers/Microsoft.Authorization/roleAssignments[?$filter=…]. */
export function listRoleAssignments(ctx: EmulatorContext, req: EmuRequest, p: ArmPath, apiVersion: string): Reply {
  const scope = p.ownerPath || '/';
  if (p.ownerPath && !ctx.store.has(p.ownerPath)) return notFound(ctx.store, p.ownerPath);
  const items = filterAssignments(ctx.store.ofType(ASSIGNMENTS), scope, req.query.get('$filter')).map((r) => armView(r, apiVersion));
  return pageReply(req, items, ctx.settings.pageSize);
}

/** Built-in definition (any scope) or a stored custom one, by guid. */
export function findRoleDefinition(ctx: EmulatorContext, guid: string, subscriptionId: string | undefined): ArmResource | undefined {
  return builtInRoleDefinition(guid, subscriptionId) ?? ctx.store.ofType(DEFINITIONS).find((d) => String(d.name).toLowerCase() === guid.toLowerCase());
}

/** GET <scope>/providers/Microsoft.Authorization/roleDefinitions[/<guid>]. */
export function getRoleDefinitions(ctx: EmulatorContext, req: EmuRequest, p: ArmPath, apiVersion: string): Reply {
  if (p.ownerPath && !ctx.store.has(p.ownerPath)) return notFound(ctx.store, p.ownerPath);
  if (p.kind === 'resource') {
    const def = findRoleDefinition(ctx, p.name ?? '', p.subscriptionId);
    if (!def) return armError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${p.name ?? ''}' does not exist.`);
    return json(200, armView(def, apiVersion));
  }
  const builtIns = BUILT_IN_ROLES.map((r) => builtInRoleDefinition(r.guid, p.subscriptionId) as ArmResource);
  const filter = req.query.get('$filter') ?? '';
  const byName = /roleName\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
  const byType = /type\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
  const items = [...builtIns, ...ctx.store.ofType(DEFINITIONS)].filter(
    (d) => (!byName || String(d.properties?.roleName).toLowerCase() === byName) && (!byType || String(d.properties?.type).toLowerCase() === byType),
  );
  return pageReply(req, items.map((d) => armView(d, apiVersion)), ctx.settings.pageSize);
}

/**
 * Checks and completes a role assignment PUT body: the role must exist and `properties.scope` is set from
 * the path, as ARM does. Returns an error reply, or undefined when the body is fine.
 */
export function prepareRoleAssignment(ctx: EmulatorContext, path: string, body: ArmResource): Reply | undefined {
  const props = body.properties;
  if (!props || typeof props.roleDefinitionId !== 'string' || typeof props.principalId !== 'string') {
    return armError(400, 'InvalidRoleAssignmentRequest', 'properties.roleDefinitionId and properties.principalId are required.');
  }
  const guid = props.roleDefinitionId.split('/').pop() ?? '';
  if (!findRoleDefinition(ctx, guid, parseArmPath(path).subscriptionId)) {
    return armError(400, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${guid}' does not exist.`);
  }
  const p = parseArmPath(path);
  props.scope = p.ownerPath || '/';
  props.principalType ??= 'User';
  return undefined;
}
