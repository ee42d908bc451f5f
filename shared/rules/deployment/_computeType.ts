/** Online deployments run on managed compute or on a Kubernetes compute (`properties.endpointComputeType`). */
import type { ArmResource, RuleOutcome } from '../types';
import { eqi, get, show } from '../_util';

export function computeTypeOf(dep: ArmResource): unknown {
  return get(dep, 'properties.endpointComputeType');
}

/** Missing counts as Managed: the type is required, and templates that omit it deploy managed. */
export function isManaged(dep: ArmResource): boolean {
  const t = computeTypeOf(dep);
  return t === undefined || eqi(t, 'Managed');
}

export function skipUnlessManaged(dep: ArmResource, why: string): RuleOutcome | undefined {
  if (isManaged(dep)) return undefined;
  return { status: 'skip', reason: `${why}; this deployment's endpointComputeType is ${show(computeTypeOf(dep))}` };
}
