/**
 * Compute resources carry two `properties` levels: `properties.<common>` (computeType, disableLocalAuth,
 * resourceId) and `properties.properties.<type-specific>`. These helpers name that split once.
 */
import type { ArmResource, RuleOutcome } from '../types';
import { eqi, get, show } from '../_util';

export const INSTANCE = 'ComputeInstance';
export const CLUSTER = 'AmlCompute';

export function computeTypeOf(r: ArmResource): unknown {
  return get(r, 'properties.computeType');
}

/** The type-specific block, `properties.properties` (absent on some GETs, e.g. attached AKS). */
export function inner(r: ArmResource, path: string): unknown {
  return get(r, `properties.properties.${path}`);
}

/**
 * A skip outcome when the compute is not one of `types`, else undefined. Type names are compared
 * case-insensitively because ARM is not consistent about enum casing.
 */
export function skipUnlessType(r: ArmResource, types: readonly string[]): RuleOutcome | undefined {
  const t = computeTypeOf(r);
  if (types.some((want) => eqi(t, want))) return undefined;
  return { status: 'skip', reason: `applies to ${types.join(' and ')} computes; this one is ${show(t)}` };
}
