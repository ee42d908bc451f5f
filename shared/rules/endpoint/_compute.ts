/**
 * Endpoints and batch deployments name their compute in `properties.compute`, as an ARM id or (in templates and
 * older clients) a bare name. This finds it among the workspace's computes and runs compute rules on it, so the
 * endpoint families judge compute with the compute rules' own logic instead of a copy.
 */
import { asOutcomes } from '../engine';
import type { ArmResource, Rule, RuleContext, RuleOutcome, WorkspaceInventory } from '../types';
import { get, lastSegment, str } from '../_util';

export function computeRef(r: ArmResource): string | undefined {
  return str(get(r, 'properties.compute'));
}

/** The compute `ref` names: by id (case-insensitive), else by name within the inventory's workspace. */
export function findCompute(ref: string, inv: WorkspaceInventory): ArmResource | undefined {
  const id = ref.toLowerCase();
  const byId = inv.computes.find((c) => c.id.toLowerCase() === id);
  if (byId) return byId;
  if (ref.includes('/')) return undefined;
  const name = id.startsWith('azureml:') ? id.slice('azureml:'.length) : id;
  return inv.computes.find((c) => (c.name ?? lastSegment(c.id) ?? '').toLowerCase() === name);
}

export interface ComputeVerdict {
  rule: Rule;
  outcomes: RuleOutcome[];
}

/** Each rule's outcomes on the compute; a rule that throws is reported as a failure of that rule, as the engine does. */
export function judgeCompute(compute: ArmResource, rules: readonly Rule[], ctx: RuleContext): ComputeVerdict[] {
  return rules.map((rule) => {
    try {
      return { rule, outcomes: asOutcomes(rule.check(compute, ctx)) };
    } catch (err) {
      return { rule, outcomes: [{ status: 'fail', severity: 'critical', message: `Rule ${rule.id} could not evaluate the compute: ${(err as Error).message}` }] };
    }
  });
}
