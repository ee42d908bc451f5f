import type { RuleCases } from '../../../shared/rules/types';
import { onlineDeployment } from '../fixtures';

const sized = (instanceType: unknown, extra: Record<string, unknown> = {}) => onlineDeployment('ep', 'blue', { instanceType, ...extra });

export const cases: RuleCases = {
  ruleId: 'AML-OD-010',
  now: '2026-06-01T00:00:00Z',
  cases: [
    { name: 'current size', resource: sized('Standard_DS3_v2'), expect: 'pass' },
    { name: 'A100 size', resource: sized('Standard_NC24ads_A100_v4'), expect: 'pass' },
    { name: 'NCv3 (retired 2025-09-30), listed casing', resource: sized('STANDARD_NC6S_V3'), expect: 'fail', severity: 'medium' },
    { name: 'NCv2 size', resource: sized('Standard_NC12s_v2'), expect: 'fail' },
    { name: 'NC promo size', resource: sized('Standard_NC6_Promo'), expect: 'fail' },
    { name: 'Kubernetes instance type is the cluster\'s', resource: sized('Standard_NC6s_v3', { endpointComputeType: 'Kubernetes' }), expect: 'skip' },
    { name: 'no instance type', resource: sized(undefined), expect: 'skip' },
  ],
};
