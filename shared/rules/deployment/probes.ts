import type { Rule, RuleOutcome } from '../types';
import { get } from '../_util';
import { learnRef } from '../workspace/_refs';

const PROBES = ['livenessProbe', 'readinessProbe'] as const;

export const rule: Rule = {
  id: 'AML-OD-007',
  title: 'Online deployment defines liveness and readiness probes',
  severity: 'low',
  resourceKind: 'onlineDeployment',
  rationale:
    'Without a readiness probe, instances receive traffic before the model is loaded; without a liveness probe, a hung scoring ' +
    'container keeps its share of traffic and is never restarted.',
  remediation:
    'Set properties.livenessProbe and properties.readinessProbe (liveness_probe / readiness_probe in the deployment YAML) with a timeout, ' +
    'period and failure threshold that fit the model\'s load time.',
  references: [
    learnRef('CLI (v2) managed online deployment YAML schema', 'reference-yaml-deployment-managed-online'),
    learnRef('Troubleshoot online endpoint deployment and scoring', 'how-to-troubleshoot-online-endpoints'),
  ],
  check(dep) {
    const out: RuleOutcome[] = [];
    for (const p of PROBES) {
      const v = get(dep, `properties.${p}`);
      if (v === null || typeof v !== 'object') out.push({ status: 'fail', path: `properties.${p}`, message: `The deployment defines no ${p}.` });
    }
    return out.length > 0 ? out : { status: 'pass' };
  },
};
