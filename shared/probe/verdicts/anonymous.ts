/**
 * AML-PRB-001 from the anonymous answer. Only 401 and 403 pass: anything else means the request was handled
 * before (or without) authentication, or that the probe cannot tell.
 *
 * Decisions: 2xx served a stranger (critical). 3xx was not followed (it may lead anywhere) and fails: a scoring
 * API refuses, it does not send callers elsewhere. 404 fails (medium): either the URI is stale or the server routes
 * before it authenticates; a protected endpoint answers 401 for any path. Other 4xx fail (high): the empty body
 * reached input handling without credentials. 5xx fails (medium): a server error to an anonymous caller. 407, 408
 * and 429 say nothing about the endpoint's own auth and are unreachable (could not judge).
 */
import { PRB_ANONYMOUS } from '../rules';
import type { AnonymousObservation } from '../observations';
import { cap, quote } from '../leaks';
import { unreachable, type Verdict } from './verdict';

export function judgeAnonymous(o: AnonymousObservation, display: string): Verdict {
  if (o.kind !== 'response') return unreachable(PRB_ANONYMOUS, o, `send an anonymous request to ${display}`);
  const s = o.status;
  const evidence = { httpStatus: s };
  const base = { ruleId: PRB_ANONYMOUS, evidence };
  if (s === 401 || s === 403) return { ...base, status: 'pass', message: `An anonymous POST to ${display} was refused with HTTP ${s}.` };
  if (s === 407 || s === 408 || s === 429) {
    return { ...base, status: 'unreachable', message: `An anonymous POST to ${display} got HTTP ${s}, which says nothing about the endpoint's own authentication.` };
  }
  if (s >= 200 && s < 300) {
    return { ...base, status: 'fail', severity: 'critical', message: `An anonymous POST to ${display} was served: HTTP ${s} without any credential.` };
  }
  if (s >= 300 && s < 400) {
    const to = o.headers.location ? ` to ${quote(cap(o.headers.location))}` : '';
    return {
      ...base,
      status: 'fail',
      severity: 'high',
      message: `An anonymous POST to ${display} was redirected (HTTP ${s}${to}) instead of refused with 401/403; the redirect was not followed.`,
    };
  }
  if (s === 404) {
    return {
      ...base,
      status: 'fail',
      severity: 'medium',
      message: `An anonymous POST to ${display} got HTTP 404 instead of 401/403: the URI is stale, or the server routes requests before authenticating them.`,
    };
  }
  if (s >= 400 && s < 500) {
    return {
      ...base,
      status: 'fail',
      severity: 'high',
      message: `An anonymous POST to ${display} got HTTP ${s} instead of 401/403: the request reached input handling without credentials.`,
    };
  }
  if (s >= 500 && s < 600) {
    return { ...base, status: 'fail', severity: 'medium', message: `${display} answered an anonymous request with a server error (HTTP ${s}) instead of 401/403.` };
  }
  return { ...base, status: 'fail', severity: 'medium', message: `An anonymous POST to ${display} got an unexpected HTTP status ${s} instead of 401/403.` };
}
