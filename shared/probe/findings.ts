/**
 * Probe reports as findings on the online endpoint. Fail closed: a probe that could not judge is a finding at the
 * rule's severity, unless the caller expects the endpoint to be unreachable from here (public network access
 * disabled), in which case it is reported at info so the run still shows what was not probed.
 */
import { fingerprintOf } from '../rules/engine';
import type { Finding } from '../rules/types';
import { probeRule } from './rules';
import type { ProbeReport } from './types';

/** Every probe finding points at the endpoint's scoring URI. */
export const PROBE_PATH = 'properties.scoringUri';

export function probeFindings(reports: ProbeReport[], expectUnreachable: (endpointId: string) => boolean): Finding[] {
  const out: Finding[] = [];
  for (const r of reports) {
    for (const c of r.checks) {
      if (c.status === 'pass' || c.status === 'not-applicable') continue;
      const rule = probeRule(c.ruleId);
      const expected = c.status === 'unreachable' && expectUnreachable(r.endpointId);
      out.push({
        ruleId: rule.id,
        title: rule.title,
        severity: expected ? 'info' : c.status === 'fail' ? (c.severity ?? rule.severity) : rule.severity,
        resourceKind: 'onlineEndpoint',
        resourceId: r.endpointId,
        message: expected ? `${c.message} Expected: the endpoint does not accept public network traffic.` : c.message,
        path: PROBE_PATH,
        fingerprint: fingerprintOf(rule.id, r.endpointId, PROBE_PATH),
      });
    }
  }
  return out;
}
