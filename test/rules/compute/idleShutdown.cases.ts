import type { RuleCases } from '../../../shared/rules/types';
import { cluster, instance } from './_fixtures';

const stop = (status?: string) => ({
  computeStartStop: [{
    action: 'Stop',
    triggerType: 'Cron',
    cron: { expression: '0 19 * * 1-5', startTime: '2026-01-10T19:00:00', timeZone: 'UTC' },
    ...(status === undefined ? {} : { status }),
  }],
});

export const cases: RuleCases = {
  ruleId: 'AML-CMP-006',
  cases: [
    { name: 'idle shutdown set (≥2025-12-01 field)', resource: instance({ idleTimeBeforeShutdown: 'PT60M' }), expect: 'pass' },
    { name: 'no idle field, enabled stop schedule (older api-version fallback)', resource: instance({ schedules: stop('Enabled') }), expect: 'pass' },
    { name: 'stop schedule without status counts as enabled', resource: instance({ schedules: stop() }), expect: 'pass' },
    { name: 'stop schedule disabled', resource: instance({ schedules: stop('Disabled') }), expect: 'fail' },
    { name: 'only a start schedule', resource: instance({ schedules: { computeStartStop: [{ action: 'Start', status: 'Enabled', triggerType: 'Cron', cron: { expression: '0 8 * * 1-5' } }] } }), expect: 'fail' },
    { name: 'nothing configured', resource: instance({}), expect: 'fail' },
    { name: 'empty idle value', resource: instance({ idleTimeBeforeShutdown: '' }), expect: 'fail' },
    { name: 'clusters are out of scope', resource: cluster({}), expect: 'skip' },
  ],
};
