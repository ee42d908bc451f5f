import type { Rule } from '../types';
import { get, show, str } from '../_util';
import { isSecretBearing } from './_authType';

const DAY_MS = 86_400_000;

/** Option `connectionMaxLifetimeDays` (default 90): longest allowed span from the secret's last update to its expiry. */
export function maxLifetimeDays(options: { connectionMaxLifetimeDays?: number }): number {
  const v = options.connectionMaxLifetimeDays;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 90;
}

function parseTime(v: unknown): Date | undefined {
  const s = str(v);
  if (!s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

// `properties.expiryTime` exists from api-version 2023-06-01-preview / 2024-10-01 stable; missing means the
// connection never expires. The lifetime is counted from `systemData.lastModifiedAt` (a PUT that rotates the
// secret resets it), else `systemData.createdAt`, else the evaluation time.
export const rule: Rule = {
  id: 'AML-CONN-002',
  title: 'Secret-bearing connection expires within the allowed lifetime',
  severity: 'medium',
  resourceKind: 'connection',
  rationale:
    'A stored secret without an expiry is never forced through rotation; an expiry date in the workspace makes stale credentials ' +
    'visible and bounds how long a leaked one stays in use.',
  remediation:
    'Rotate the secret at its source, then update the connection with the new value and `properties.expiryTime` set within the policy ' +
    'window (`options.connectionMaxLifetimeDays`, default 90 days); better, switch it to an identity-based authType (AML-CONN-001).',
  references: [
    { title: 'Create connections (Azure Machine Learning)', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-connection' },
    { title: 'Microsoft cloud security benchmark: IM-8 Restrict the exposure of credentials and secrets', url: 'https://learn.microsoft.com/security/benchmark/azure/mcsb-identity-management#im-8-restrict-the-exposure-of-credential-and-secrets' },
  ],
  check(conn, ctx) {
    if (!isSecretBearing(conn)) return { status: 'skip', reason: 'connection stores no secret' };
    const raw = get(conn, 'properties.expiryTime');
    const path = 'properties.expiryTime';
    if (str(raw) === undefined) return { status: 'fail', path, message: 'Secret-bearing connection has no expiryTime, so its credential is never due for rotation.' };
    const expiry = parseTime(raw);
    if (!expiry) return { status: 'fail', path, message: `Secret-bearing connection has an unreadable expiryTime ${show(raw)}.` };
    if (expiry.getTime() <= ctx.now.getTime()) {
      return { status: 'fail', path, message: `Secret-bearing connection expired at ${expiry.toISOString()} and still holds its credential; rotate or remove it.` };
    }
    const start = parseTime(get(conn, 'systemData.lastModifiedAt')) ?? parseTime(get(conn, 'systemData.createdAt')) ?? ctx.now;
    const from = start.getTime() < ctx.now.getTime() ? start : ctx.now;
    const max = maxLifetimeDays(ctx.options);
    const days = (expiry.getTime() - from.getTime()) / DAY_MS;
    if (days > max) {
      return { status: 'fail', path, message: `Secret-bearing connection expires at ${expiry.toISOString()}, ${Math.ceil(days)} days after it was last set; the policy allows ${max}.` };
    }
    return { status: 'pass' };
  },
};
