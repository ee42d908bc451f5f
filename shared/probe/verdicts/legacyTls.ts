/** AML-PRB-003 from the TLS 1.0/1.1-only handshake: any handshake failure after TCP connected passes. */
import { PRB_LEGACY_TLS } from '../rules';
import type { LegacyTlsObservation } from '../observations';
import { unreachable, type Verdict } from './verdict';

export function judgeLegacyTls(o: LegacyTlsObservation, where: string): Verdict {
  switch (o.kind) {
    case 'accepted':
      return {
        ruleId: PRB_LEGACY_TLS,
        status: 'fail',
        message: `${where} completed a ${o.protocol} handshake (cipher ${o.cipher}); TLS below 1.2 must be refused.`,
        evidence: { protocol: o.protocol, cipher: o.cipher },
      };
    case 'declined':
      return {
        ruleId: PRB_LEGACY_TLS,
        status: 'pass',
        message: `${where} refused a handshake offering only TLS 1.0 and 1.1${o.code && o.code !== 'closed' ? ` (${o.code})` : ''}.`,
        evidence: { refusal: o.code ?? 'unknown' },
      };
    case 'client-unsupported':
      return {
        ruleId: PRB_LEGACY_TLS,
        status: 'unreachable',
        message: `Could not offer TLS 1.0/1.1 from this agent (${o.detail}), so ${where} was not tested.`,
        evidence: { client: o.detail },
      };
    default:
      return unreachable(PRB_LEGACY_TLS, o, `test TLS 1.0/1.1 on ${where}`);
  }
}
