import type { Rule, RuleOutcome } from '../types';
import { get } from '../_util';
import { managedNetworkEnabled } from './_managedNetwork';
import { outboundProblem } from './_outboundRule';
import { learnRef } from './_refs';

const BASE = 'properties.managedNetwork.outboundRules';

/** ctx.options.allowedPrivateEndpointTargets: ARM id prefixes (case-insensitive); unset means private-endpoint targets are not judged. */
function allowedTargets(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length > 0 ? (v as string[]) : undefined;
}

/** Needs api-version ≥ 2023-10-01 (managedNetwork); one outcome per offending rule. */
export const rule: Rule = {
  id: 'AML-WS-005',
  title: 'Workspace managed VNet outbound rules are narrow',
  severity: 'medium',
  resourceKind: 'workspace',
  rationale:
    'An over-broad outbound rule (a bare or shared-suffix wildcard FQDN, the Internet service tag) turns an isolated managed ' +
    'VNet back into open egress, which is how data leaves a workspace.',
  remediation:
    'Replace the rule under properties.managedNetwork.outboundRules with specific FQDNs or service tags ' +
    '(az ml workspace outbound-rule set/remove), and point private-endpoint rules only at approved resources.',
  references: [learnRef('Workspace managed virtual network isolation: outbound rules', 'how-to-managed-network')],
  check(ws, ctx) {
    if (!managedNetworkEnabled(ws)) {
      return { status: 'skip', reason: 'the workspace has no managed VNet, so outbound rules do not apply (AML-WS-004 reports that)' };
    }
    const rules = get(ws, BASE);
    const entries = rules !== null && typeof rules === 'object' ? Object.entries(rules as Record<string, unknown>) : [];
    const allowed = allowedTargets(ctx.options.allowedPrivateEndpointTargets);
    const out: RuleOutcome[] = [];
    for (const [name, r] of entries) {
      const p = outboundProblem(name, r, BASE, allowed);
      if (p) out.push({ status: 'fail', ...p });
    }
    return out.length > 0 ? out : { status: 'pass' };
  },
};
