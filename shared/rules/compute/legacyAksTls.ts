import type { Rule, RuleOutcome } from '../types';
import { inI, show } from '../_util';
import { learnRef } from '../workspace/_refs';
import { inner, skipUnlessType } from './_computeType';

/**
 * Legacy (v1) AKS inference compute. Attached-AKS GETs may omit properties.properties entirely; missing values are
 * judged as the service defaults: sslConfiguration "Disabled", loadBalancerType "PublicIp".
 */
export const rule: Rule = {
  id: 'AML-CMP-011',
  title: 'Legacy AKS inference compute uses TLS and an internal load balancer',
  severity: 'high',
  resourceKind: 'compute',
  rationale:
    'Without TLS, scoring requests, their data and the endpoint keys cross the network in clear text; a public load balancer ' +
    'exposes the scoring endpoint to the internet.',
  remediation:
    'Set properties.properties.sslConfiguration.status to "Enabled" (with cert/key or cname) or "Auto", and ' +
    'properties.properties.loadBalancerType to "InternalLoadBalancer"; better, migrate to Kubernetes compute or managed online endpoints.',
  references: [learnRef('Use TLS to secure a web service (v1)', 'v1/how-to-secure-web-service')],
  check(c) {
    const skip = skipUnlessType(c, ['AKS']);
    if (skip) return skip;
    const out: RuleOutcome[] = [];
    const ssl = inner(c, 'sslConfiguration.status');
    if (!inI(ssl, ['Enabled', 'Auto'])) {
      out.push({ status: 'fail', path: 'properties.properties.sslConfiguration.status', message: `TLS on the AKS inference compute is ${ssl === undefined ? 'not configured (service default "Disabled")' : show(ssl)}.` });
    }
    const lb = inner(c, 'loadBalancerType');
    if (!inI(lb, ['InternalLoadBalancer'])) {
      out.push({ status: 'fail', severity: 'medium', path: 'properties.properties.loadBalancerType', message: `The AKS scoring load balancer is ${lb === undefined ? 'not set (service default "PublicIp")' : show(lb)}, not "InternalLoadBalancer".` });
    }
    return out.length > 0 ? out : { status: 'pass' };
  },
};
