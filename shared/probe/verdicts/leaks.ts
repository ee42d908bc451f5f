/** AML-PRB-005 from the anonymous answer: headers and the first 16 KiB of the body. */
import { PRB_LEAKS } from '../rules';
import type { AnonymousObservation } from '../observations';
import { bodyLeaks, describeLeaks, headerLeaks } from '../leaks';
import { unreachable, type Verdict } from './verdict';

export function judgeLeaks(o: AnonymousObservation, display: string): Verdict {
  if (o.kind !== 'response') return unreachable(PRB_LEAKS, o, `get an answer from ${display} to inspect`);
  const headers = headerLeaks(o.headers);
  const body = bodyLeaks(o.body);
  if (headers.length === 0 && body.length === 0) {
    return { ruleId: PRB_LEAKS, status: 'pass', message: `The anonymous answer from ${display} (HTTP ${o.status}) names no server version, framework, stack trace or source path.`, evidence: { httpStatus: o.status } };
  }
  const all = [...headers, ...body];
  return {
    ruleId: PRB_LEAKS,
    status: 'fail',
    // Version banners alone help fingerprinting; traces and paths show the code itself.
    severity: body.length > 0 ? 'medium' : 'low',
    message: `The anonymous answer from ${display} (HTTP ${o.status}) reveals ${describeLeaks(all)}.`,
    evidence: { httpStatus: o.status, headerLeaks: headers.length, bodyLeaks: body.length },
  };
}
