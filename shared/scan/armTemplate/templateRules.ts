/**
 * Which live-audit rules judge a template, and the few that need a template-specific reading. Every decision
 * here is listed, with its reason, in README.md (same folder).
 */
import { get } from '../../rules/_util';
import type { Rule } from '../../rules/types';

/** Rules never run on templates: what they judge is filled in by ARM after deployment. */
export const NOT_FOR_TEMPLATES: Readonly<Record<string, string>> = {
  'AML-IAM-003':
    'principalType is resolved by ARM on a live assignment; a template may omit it without the principal being unresolvable ' +
    '(AML-IAM-001/004 treat a missing principalType as undetermined instead)',
};

/**
 * Child rules that read the workspace or its linked storage account; they cannot be judged when the template
 * deploys computes or datastores into a workspace it does not declare.
 */
export const NEEDS_WORKSPACE: Readonly<Record<string, string>> = {
  'AML-CMP-002': 'a compute without subnet passes when the workspace runs a managed VNet',
  'AML-DS-002': 'reads the workspace systemDatastoresAuthMode',
  'AML-DS-003': 'reads the network settings of the workspace storage account',
  'AML-DS-005': 'compares the datastore account with the workspace storage account',
};

const CHILD_KINDS = new Set(['compute', 'datastore', 'connection']);

/**
 * AML-WS-003 on a template: private endpoints are often deployed by a separate network template, so a template
 * that declares none says nothing about them (AML-WS-001 still reports a workspace open to the internet). When the
 * template does declare a private endpoint or connection for the workspace, the rule judges it as usual.
 */
function privateEndpointWhenDeclared(rule: Rule): Rule {
  return {
    ...rule,
    check(ws, ctx) {
      const embedded = get(ws, 'properties.privateEndpointConnections');
      const declared = ctx.inventory.privateEndpointConnections.length > 0 || (Array.isArray(embedded) && embedded.length > 0);
      if (!declared) return { status: 'skip', reason: 'the template declares no private endpoint for the workspace' };
      return rule.check(ws, ctx);
    },
  };
}

export function rulesForTemplate(all: readonly Rule[], stub: boolean): Rule[] {
  return all
    .filter((r) => !(r.id in NOT_FOR_TEMPLATES))
    .filter((r) => !stub || (CHILD_KINDS.has(r.resourceKind) && !(r.id in NEEDS_WORKSPACE)))
    .map((r) => (r.id === 'AML-WS-003' ? privateEndpointWhenDeclared(r) : r));
}
