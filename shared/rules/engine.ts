import { createHash } from 'node:crypto';
import type { ArmResource, Finding, ResourceKind, Rule, RuleContext, RuleOptions, RuleOutcome, WorkspaceInventory } from './types';

/** Every resource of one kind in an inventory. Linked resources appear only when the workspace links one. */
export function resourcesOfKind(inv: WorkspaceInventory, kind: ResourceKind): ArmResource[] {
  switch (kind) {
    case 'workspace': return [inv.workspace];
    case 'compute': return inv.computes;
    case 'datastore': return inv.datastores;
    case 'connection': return inv.connections;
    case 'storageAccount': return inv.storageAccount ? [inv.storageAccount] : [];
    case 'keyVault': return inv.keyVault ? [inv.keyVault] : [];
    case 'containerRegistry': return inv.containerRegistry ? [inv.containerRegistry] : [];
    case 'applicationInsights': return inv.applicationInsights ? [inv.applicationInsights] : [];
    case 'roleAssignment': return inv.roleAssignments;
    case 'roleDefinition': return inv.roleDefinitions;
    case 'onlineEndpoint': return inv.onlineEndpoints ?? [];
    case 'onlineDeployment': return inv.onlineDeployments ?? [];
    case 'batchEndpoint': return inv.batchEndpoints ?? [];
    case 'batchDeployment': return inv.batchDeployments ?? [];
  }
}

/** Stable across runs and re-orderings: depends only on what is wrong and where, never on the message text. */
export function fingerprintOf(ruleId: string, resourceId: string, path = ''): string {
  return createHash('sha256').update(`${ruleId}|${resourceId.toLowerCase()}|${path}`).digest('hex').slice(0, 32);
}

export interface Evaluation {
  findings: Finding[];
  /** (rule, resource) pairs that produced at least one outcome other than skip. */
  checks: number;
  passed: number;
  skipped: number;
  rulesRun: string[];
}

export function asOutcomes(o: RuleOutcome | RuleOutcome[]): RuleOutcome[] {
  return Array.isArray(o) ? o : [o];
}

/**
 * Runs every rule over every resource of its kind. A rule that throws is a bug in the rule, but the
 * gate must not pass silently because of it: the throw becomes a critical finding naming the rule.
 */
export function evaluate(rules: Rule[], inventory: WorkspaceInventory, now: Date, options: RuleOptions = {}): Evaluation {
  const ctx: RuleContext = { inventory, now, options };
  const out: Evaluation = { findings: [], checks: 0, passed: 0, skipped: 0, rulesRun: [] };
  for (const rule of rules) {
    out.rulesRun.push(rule.id);
    for (const resource of resourcesOfKind(inventory, rule.resourceKind)) {
      let outcomes: RuleOutcome[];
      try {
        outcomes = asOutcomes(rule.check(resource, ctx));
      } catch (err) {
        outcomes = [{ status: 'fail', severity: 'critical', message: `Rule ${rule.id} could not evaluate this resource: ${(err as Error).message}` }];
      }
      if (outcomes.every((o) => o.status === 'skip')) { out.skipped++; continue; }
      out.checks++;
      let failed = false;
      for (const o of outcomes) {
        if (o.status !== 'fail') continue;
        failed = true;
        out.findings.push({
          ruleId: rule.id,
          title: rule.title,
          severity: o.severity ?? rule.severity,
          resourceKind: rule.resourceKind,
          resourceId: resource.id,
          message: o.message,
          path: o.path,
          fingerprint: fingerprintOf(rule.id, resource.id, o.path),
        });
      }
      if (!failed) out.passed++;
    }
  }
  return out;
}
