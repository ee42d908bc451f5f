import type { Rule, RuleOutcome } from '../types';
import { get, show } from '../_util';
import { learnRef } from '../workspace/_refs';

const URIS = ['scoringUri', 'swaggerUri'] as const;

export const rule: Rule = {
  id: 'AML-OE-003',
  title: 'Online endpoint scoring and swagger URIs use HTTPS',
  severity: 'high',
  resourceKind: 'onlineEndpoint',
  rationale:
    'Over plain HTTP, scoring requests and responses, and the key or token that authenticates them, travel in clear text. ' +
    'Managed endpoints are always HTTPS; a Kubernetes endpoint is HTTP when its cluster extension allows insecure connections.',
  remediation:
    'Configure TLS on the AzureML cluster extension (allowInsecureConnections=False with sslCname and sslSecret, or sslCertPemFile/sslKeyPemFile) ' +
    'and recreate the endpoint so that its scoring URI is https://.',
  references: [
    learnRef('Configure a secure online endpoint with TLS/SSL', 'how-to-secure-kubernetes-online-endpoint'),
    learnRef('Online endpoints and deployments for real-time inference', 'concept-endpoints-online'),
  ],
  check(ep) {
    const out: RuleOutcome[] = [];
    let seen = 0;
    for (const key of URIS) {
      const v = get(ep, `properties.${key}`);
      if (v === undefined || v === null || v === '') continue;
      seen++;
      if (typeof v === 'string' && v.trim().toLowerCase().startsWith('https://')) continue;
      out.push({ status: 'fail', path: `properties.${key}`, message: `${key} is ${show(v)}, not an https:// URI, so traffic to it is not encrypted.` });
    }
    if (seen === 0) return { status: 'skip', reason: 'the endpoint reports no scoring or swagger URI (not provisioned yet, or a template)' };
    return out.length > 0 ? out : { status: 'pass' };
  },
};
