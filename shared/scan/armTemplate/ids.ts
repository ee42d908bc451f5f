/**
 * ARM resource ids from types and names, over strings that may contain holes (unknown parts), so a workspace
 * named by a parameter without default still matches `resourceId('…/workspaces', parameters('name'))`.
 */
import { RESOURCE_GROUP, SUBSCRIPTION_ID } from './placeholders';
import { normalizeParts, type Part } from './unknown';

/** Splits on `/` inside literal parts; holes stay whole. */
export function splitSegments(parts: readonly Part[]): Part[][] {
  const out: Part[][] = [[]];
  for (const p of parts) {
    if (typeof p !== 'string') { out[out.length - 1].push(p); continue; }
    const pieces = p.split('/');
    pieces.forEach((piece, i) => {
      if (i > 0) out.push([]);
      if (piece !== '') out[out.length - 1].push(piece);
    });
  }
  return out.map(normalizeParts);
}

export function joinSegments(segs: readonly Part[][], sep = '/'): Part[] {
  const out: Part[] = [];
  segs.forEach((s, i) => {
    if (i > 0) out.push(sep);
    out.push(...s);
  });
  return normalizeParts(out);
}

export function isLiteral(parts: readonly Part[]): parts is string[] {
  return parts.every((p) => typeof p === 'string');
}

export function literalOf(parts: readonly Part[]): string | undefined {
  return isLiteral(parts) ? parts.join('') : undefined;
}

/**
 * `/providers/Namespace/t1/n1/t2/n2` for a fully qualified type and its name segments. When the counts do not
 * line up (a malformed template), names are appended as written so the id stays unique and readable.
 */
export function providerPath(type: string, names: readonly Part[][]): Part[] {
  const t = type.split('/').filter((x) => x !== '');
  const ns = t[0] ?? '';
  const kinds = t.slice(1);
  const out: Part[] = ['/providers/', ns];
  if (kinds.length === names.length) {
    kinds.forEach((k, i) => out.push('/', k, '/', ...names[i]));
  } else {
    out.push('/', kinds.join('/'), '/', ...joinSegments(names));
  }
  return normalizeParts(out);
}

export type IdScope = 'resourceGroup' | 'subscription' | 'tenant';

/**
 * resourceId([subscriptionId], [resourceGroupName], type, name1, name2, …) and its subscription/tenant variants.
 * The type is the first argument that is a literal containing a slash (subscription ids and group names never do).
 * Returns undefined when no such argument exists.
 */
export function resourceIdParts(args: readonly Part[][], scope: IdScope): Part[] | undefined {
  const t = args.findIndex((a) => isLiteral(a) && a.join('').includes('/'));
  if (t < 0) return undefined;
  const type = (args[t] as string[]).join('');
  const names = args.slice(t + 1).flatMap((a) => splitSegments(a));
  const before = args.slice(0, t);
  const prefix: Part[] = [];
  if (scope === 'resourceGroup') {
    const sub = before.length >= 2 ? before[0] : [SUBSCRIPTION_ID];
    const rg = before.length >= 2 ? before[1] : before.length === 1 ? before[0] : [RESOURCE_GROUP];
    prefix.push('/subscriptions/', ...sub, '/resourceGroups/', ...rg);
  } else if (scope === 'subscription') {
    const sub = before.length >= 1 ? before[0] : [SUBSCRIPTION_ID];
    prefix.push('/subscriptions/', ...sub);
  }
  return normalizeParts([...prefix, ...providerPath(type, names)]);
}

/** Without trailing slashes (a loop, not a regular expression, so long runs of slashes cost linear time). */
export function trimTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '/') end--;
  return s.slice(0, end);
}
