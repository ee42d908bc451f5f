/**
 * AML-PRB-002 from the plain-HTTP attempt. Passes when nothing speaks HTTP there (refused, reset, closed, silent,
 * or a non-HTTP answer such as a TLS alert) or when the answer is a redirect to https. Any other HTTP answer fails:
 * the client's request, and any key in it, already crossed the network in clear.
 */
import { PRB_PLAIN_HTTP } from '../rules';
import type { PlainHttpObservation } from '../observations';
import { cap, quote } from '../leaks';
import { hostPort } from '../target';
import { unreachable, type Verdict } from './verdict';

export function judgePlainHttp(o: PlainHttpObservation, host: string, port: number, path: string): Verdict {
  const where = `http://${hostPort(host, port)}`;
  const ok = (message: string, evidence: Record<string, string | number | boolean> = {}): Verdict => ({ ruleId: PRB_PLAIN_HTTP, status: 'pass', message, evidence });
  switch (o.kind) {
    case 'refused': return ok(`Plain HTTP to ${where} was refused.`, { failure: o.kind });
    case 'reset':
    case 'closed': return ok(`Plain HTTP to ${where} was ${o.kind === 'reset' ? 'reset' : 'closed'} without an HTTP answer.`, { failure: o.kind });
    case 'timeout': return ok(`Plain HTTP to ${where} got no HTTP answer within ${o.timeoutMs} ms.`, { failure: o.kind, phase: o.phase });
    case 'not-http': return ok(`${where} answered plain HTTP with something that is not HTTP (a TLS-only listener).`, { answer: 'not-http' });
    case 'http': {
      const evidence = { httpStatus: o.status };
      if (o.status >= 300 && o.status < 400 && o.location && redirectsToHttps(o.location, host, port, path)) {
        return ok(`Plain HTTP to ${where} is redirected to https.`, evidence);
      }
      if (o.status >= 300 && o.status < 400) {
        const to = o.location ? quote(cap(o.location)) : 'no Location';
        return { ruleId: PRB_PLAIN_HTTP, status: 'fail', evidence, message: `${where} serves plain HTTP: it answered ${o.status} redirecting to ${to}, not to https.` };
      }
      const served = o.status >= 200 && o.status < 300;
      return {
        ruleId: PRB_PLAIN_HTTP,
        status: 'fail',
        evidence,
        severity: served ? 'high' : 'medium',
        message: served
          ? `${where} serves the scoring path over plain HTTP (HTTP ${o.status}).`
          : `${where} listens for plain HTTP and answered HTTP ${o.status}: requests, and any key in them, reach it in clear before being refused.`,
      };
    }
    default: return unreachable(PRB_PLAIN_HTTP, o, `try plain HTTP on ${where}`);
  }
}

/** Location resolved against the plain URL must be https. */
export function redirectsToHttps(location: string, host: string, port: number, path: string): boolean {
  try {
    return new URL(location, `http://${hostPort(host, port)}${path}`).protocol === 'https:';
  } catch {
    return false;
  }
}
