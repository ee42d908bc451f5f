/**
 * Endpoints and their deployments are separate ARM resources; a deployment's id is its endpoint's id plus
 * `/deployments/<name>`. These helpers join them by that prefix (case-insensitively: ARM ids are).
 */
import type { ArmResource } from '../types';
import { lastSegment } from '../_util';

function prefixOf(parent: ArmResource): string {
  return `${parent.id.toLowerCase().replace(/\/+$/u, '')}/deployments/`;
}

/** The deployments under `parent` among `all`; undefined when `all` was not collected. */
export function childrenOf(parent: ArmResource, all: readonly ArmResource[] | undefined): ArmResource[] | undefined {
  if (!all) return undefined;
  const prefix = prefixOf(parent);
  return all.filter((d) => d.id.toLowerCase().startsWith(prefix));
}

/** The endpoint a deployment belongs to, or undefined when it is not in `parents`. */
export function parentOf(deployment: ArmResource, parents: readonly ArmResource[] | undefined): ArmResource | undefined {
  const id = deployment.id.toLowerCase();
  return (parents ?? []).find((p) => id.startsWith(prefixOf(p)));
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
