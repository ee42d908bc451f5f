import type { RuleCases } from '../../../shared/rules/types';
import { onlineDeployment } from '../fixtures';

const probe = { failureThreshold: 30, successThreshold: 1, timeout: 'PT2S', period: 'PT10S', initialDelay: 'PT10S' };

export const cases: RuleCases = {
  ruleId: 'AML-OD-007',
  cases: [
    { name: 'both probes', resource: onlineDeployment('ep', 'blue', { livenessProbe: probe, readinessProbe: probe }), expect: 'pass' },
    { name: 'Kubernetes deployment with both probes', resource: onlineDeployment('ep', 'blue', { endpointComputeType: 'Kubernetes', livenessProbe: probe, readinessProbe: probe }), expect: 'pass' },
    { name: 'liveness only (the 2022-10-01 Kubernetes example)', resource: onlineDeployment('ep', 'blue', { endpointComputeType: 'Kubernetes', livenessProbe: probe }), expect: 'fail' },
    { name: 'no probes', resource: onlineDeployment('ep', 'blue'), expect: 'fail' },
    { name: 'readiness probe null', resource: onlineDeployment('ep', 'blue', { livenessProbe: probe, readinessProbe: null }), expect: 'fail' },
  ],
};
