import type { Rule } from '../types';
import { get, show } from '../_util';
import { learnRef } from '../workspace/_refs';

const PATH = 'properties.appInsightsEnabled';

export const rule: Rule = {
  id: 'AML-OD-002',
  title: 'Online deployment sends telemetry to Application Insights',
  severity: 'low',
  resourceKind: 'onlineDeployment',
  rationale:
    'Without Application Insights the scoring container\'s requests, failures and logs are not kept, so abuse, errors and ' +
    'performance drift of the deployed model go unseen and cannot be investigated afterwards.',
  remediation: 'Set properties.appInsightsEnabled to true (app_insights_enabled: true in the deployment YAML) and update the deployment.',
  references: [learnRef('Monitor online endpoints', 'how-to-monitor-online-endpoints')],
  check(dep) {
    const v = get(dep, PATH);
    if (v === true) return { status: 'pass' };
    return { status: 'fail', path: PATH, message: `appInsightsEnabled is ${v === undefined ? 'not set (service default false)' : show(v)}, so scoring telemetry is not collected.` };
  },
};
