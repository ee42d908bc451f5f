import type { Rule, RuleOutcome } from '../types';
import { get, show, str } from '../_util';
import { learnRef } from '../workspace/_refs';

const PATH = 'properties.requestSettings';

export const rule: Rule = {
  id: 'AML-OD-008',
  title: 'Online deployment sets its request timeout and concurrency explicitly',
  severity: 'low',
  resourceKind: 'onlineDeployment',
  rationale:
    'The request timeout and the number of concurrent requests per instance bound how long and how many expensive calls one caller ' +
    'can hold; left to defaults nobody chose, a slow model or a burst of large requests exhausts every instance.',
  remediation:
    'Set properties.requestSettings.requestTimeout (ISO 8601, e.g. PT10S) and maxConcurrentRequestsPerInstance (request_settings: ' +
    'request_timeout_ms, max_concurrent_requests_per_instance in the deployment YAML) to values measured for the model.',
  references: [learnRef('CLI (v2) managed online deployment YAML schema', 'reference-yaml-deployment-managed-online')],
  check(dep) {
    const out: RuleOutcome[] = [];
    const timeout = get(dep, `${PATH}.requestTimeout`);
    if (!str(timeout)) out.push({ status: 'fail', path: `${PATH}.requestTimeout`, message: `requestSettings.requestTimeout is ${show(timeout)}; no request timeout was chosen.` });
    const conc = get(dep, `${PATH}.maxConcurrentRequestsPerInstance`);
    if (!(typeof conc === 'number' && Number.isInteger(conc) && conc >= 1)) {
      out.push({ status: 'fail', path: `${PATH}.maxConcurrentRequestsPerInstance`, message: `requestSettings.maxConcurrentRequestsPerInstance is ${show(conc)}; no per-instance concurrency limit was chosen.` });
    }
    return out.length > 0 ? out : { status: 'pass' };
  },
};
