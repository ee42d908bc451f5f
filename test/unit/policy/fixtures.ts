/** Small builders for policy and report tests. Fingerprints come from the engine's own recipe. */
import { fingerprintOf } from '../../../shared/rules/engine';
import type { Finding, ResourceKind, Rule, Severity } from '../../../shared/rules/types';

export const WS = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws-prod';

export function makeRule(id: string, severity: Severity = 'high', resourceKind: ResourceKind = 'datastore'): Rule {
  return {
    id,
    title: `Title of ${id}`,
    severity,
    resourceKind,
    rationale: `Rationale for ${id}, long enough to read.`,
    remediation: `Remediation for ${id}: set the property.`,
    references: [{ title: `Reference ${id}`, url: `https://learn.microsoft.com/azure/machine-learning/${id.toLowerCase()}` }],
    check: () => ({ status: 'pass' }),
  };
}

export function makeFinding(ruleId: string, resourceId: string, severity: Severity = 'high', path?: string): Finding {
  return {
    ruleId,
    title: `Title of ${ruleId}`,
    severity,
    resourceKind: 'datastore',
    resourceId,
    message: `${ruleId} failed on ${resourceId.split('/').pop()}.`,
    path,
    fingerprint: fingerprintOf(ruleId, resourceId, path),
  };
}

export const datastore = (name: string) => `${WS}/datastores/${name}`;
