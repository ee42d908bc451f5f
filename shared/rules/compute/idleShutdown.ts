import type { Rule } from '../types';
import { eqi, get, str } from '../_util';
import { policyRef, psruleRef } from '../workspace/_refs';
import { INSTANCE, inner, skipUnlessType } from './_computeType';

/** True when a start/stop schedule would stop the instance: action "Stop" and not disabled (status defaults to enabled). */
function hasStopSchedule(schedules: unknown): boolean {
  return Array.isArray(schedules) && schedules.some((s) => eqi(get(s, 'action'), 'Stop') && !eqi(get(s, 'status'), 'Disabled'));
}

/**
 * idleTimeBeforeShutdown is not in the 2022-10-01 or 2024-10-01 stable GET (Azure/bicep-types-az lists it from 2025-12-01),
 * so when it is absent the rule falls back to schedules.computeStartStop, which every version reports.
 */
export const rule: Rule = {
  id: 'AML-CMP-006',
  title: 'Compute instance shuts down when idle',
  severity: 'low',
  resourceKind: 'compute',
  rationale:
    'An instance left running keeps costing money and keeps a live, credentialed machine exposed; idle shutdown or a stop ' +
    'schedule bounds both.',
  remediation:
    'Set idle shutdown (idle_time_before_shutdown_minutes in the compute YAML, or studio: compute instance > Schedule > Idle ' +
    'shutdown) or add a stop schedule under properties.properties.schedules.computeStartStop.',
  references: [
    policyRef('Azure Machine Learning compute instances should have idle shutdown', 'MachineLearningServices_IdleShutdown_Audit.json'),
    psruleRef('Azure.ML.ComputeIdleShutdown'),
  ],
  check(c) {
    const skip = skipUnlessType(c, [INSTANCE]);
    if (skip) return skip;
    if (str(inner(c, 'idleTimeBeforeShutdown'))) return { status: 'pass' };
    if (hasStopSchedule(inner(c, 'schedules.computeStartStop'))) return { status: 'pass' };
    return {
      status: 'fail',
      path: 'properties.properties.idleTimeBeforeShutdown',
      message: 'The instance reports neither idleTimeBeforeShutdown nor an enabled stop schedule, so nothing shuts it down.',
    };
  },
};
