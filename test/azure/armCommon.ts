/**
 * Pieces the ARM routes share: not-found errors named the way ARM names them, and paged list replies with
 * an absolute nextLink that carries the request's query ($skiptoken = offset).
 */
import type { ArmResource } from '../../shared/rules/types';
import { joinPath, parseArmPath } from './armPaths';
import { armError, json, type EmuRequest, type Reply } from './http';
import type { ResourceStore } from './store';

/** The 404 for a path that does not exist: the outermost missing ancestor decides the error code. */
export function notFound(store: ResourceStore, path: string): Reply {
  const p = parseArmPath(path);
  for (const ancestor of p.ancestors) {
    if (!store.has(ancestor)) return missing(ancestor, true);
  }
  return missing(path, false);
}

function missing(path: string, isParent: boolean): Reply {
  const p = parseArmPath(path);
  if (p.resourceType === 'Microsoft.Resources/subscriptions') {
    return armError(404, 'SubscriptionNotFound', `The subscription '${p.subscriptionId ?? ''}' could not be found.`);
  }
  if (p.resourceType === 'Microsoft.Resources/resourceGroups') {
    return armError(404, 'ResourceGroupNotFound', `Resource group '${p.resourceGroup ?? ''}' could not be found.`);
  }
  const i = p.segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  const afterNamespace = i >= 0 ? p.segments.slice(i + 2) : p.segments;
  if (isParent) {
    const names = afterNamespace.filter((_, k) => k % 2 === 1).join('/');
    return armError(404, 'ParentResourceNotFound', `Can not perform requested operation on nested resource. Parent resource '${names}' not found.`);
  }
  const what = i >= 0 ? p.segments.slice(i + 1).join('/') : joinPath(p.segments);
  const where = p.resourceGroup ? ` under resource group '${p.resourceGroup}'` : '';
  return armError(404, 'ResourceNotFound', `The Resource '${what}'${where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
}

/** One page of `items` (already in response shape) starting at `$skiptoken`, with a nextLink when more remain. */
export function pageReply(req: EmuRequest, items: ArmResource[], pageSize: number): Reply {
  const token = req.query.get('$skiptoken');
  const skip = token === null ? 0 : Number.parseInt(token, 10);
  if (!Number.isInteger(skip) || skip < 0) return armError(400, 'InvalidSkipToken', `The skip token '${token ?? ''}' is not valid.`);
  const body: { value: ArmResource[]; nextLink?: string } = { value: items.slice(skip, skip + pageSize) };
  if (skip + pageSize < items.length) body.nextLink = linkWithSkipToken(req, String(skip + pageSize));
  return json(200, body);
}

/** The request's own URL (absolute) with `$skiptoken` set. */
export function linkWithSkipToken(req: EmuRequest, token: string): string {
  const q = new URLSearchParams(req.query);
  q.set('$skiptoken', token);
  return `${req.origin}${req.url.pathname}?${q.toString()}`;
}
