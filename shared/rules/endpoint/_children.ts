/**
 * Endpoints and their deployments are separate ARM resources; a deployment's id is its endpoint's id plus
 * `/deployments/<name>`. These helpers join them by that prefix (case-insensitively: ARM ids are).
 */
import type { ArmResource } from '../types';
import { lastSegment } from '../_util';

/** Lower-cased endpoint id of a deployment id (everything before its last `/deployments/`), or undefined. */
function parentKey(deploymentId: string): string | undefined {
  const id = deploymentId.toLowerCase();
  const at = id.lastIndexOf('/deployments/');
  return at > 0 ? id.slice(0, at) : undefined;
}

function keyOf(parent: ArmResource): string {
  return parent.id.toLowerCase().replace(/\/+$/u, '');
}

// Every rule asks for the children of every endpoint: grouping once per inventory array keeps that linear (a
// workspace with 200 endpoints and 600 deployments otherwise costs 120,000 comparisons per rule). Keyed by the
// array itself, so the memo lives exactly as long as the inventory and rules stay pure.
const byParent = new WeakMap<readonly ArmResource[], Map<string, ArmResource[]>>();
const byId = new WeakMap<readonly ArmResource[], Map<string, ArmResource>>();

/** The deployments under `parent` among `all`; undefined when `all` was not collected. */
export function childrenOf(parent: ArmResource, all: readonly ArmResource[] | undefined): ArmResource[] | undefined {
  if (!all) return undefined;
  let groups = byParent.get(all);
  if (!groups) {
    groups = new Map();
    for (const d of all) {
      const k = parentKey(d.id);
      if (k === undefined) continue;
      const list = groups.get(k);
      if (list) list.push(d);
      else groups.set(k, [d]);
    }
    byParent.set(all, groups);
  }
  return [...(groups.get(keyOf(parent)) ?? [])];
}

/** The endpoint a deployment belongs to, or undefined when it is not in `parents`. */
export function parentOf(deployment: ArmResource, parents: readonly ArmResource[] | undefined): ArmResource | undefined {
  if (!parents) return undefined;
  let index = byId.get(parents);
  if (!index) {
    index = new Map();
    for (const p of parents) if (!index.has(keyOf(p))) index.set(keyOf(p), p);
    byId.set(parents, index);
  }
  const k = parentKey(deployment.id);
  return k === undefined ? undefined : index.get(k);
}

/** A deployment's name as endpoints refer to it (traffic maps, defaults): `name`, else the last id segment. */
export function deploymentName(d: ArmResource): string {
  return (typeof d.name === 'string' && d.name !== '' ? d.name : lastSegment(d.id)) ?? d.id;
}

/** Case-insensitive lookup of a deployment by the name an endpoint uses for it. */
export function hasDeploymentNamed(children: readonly ArmResource[], name: string): boolean {
  const want = name.toLowerCase();
  return children.some((d) => deploymentName(d).toLowerCase() === want);
}
