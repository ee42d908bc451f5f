import type { RuleCases } from '../../../shared/rules/types';
import { AKS_CLUSTER_ID, cluster, compute } from './_fixtures';

const aks = (inner: Record<string, unknown> | undefined) => compute('aks-legacy', 'AKS', inner, { resourceId: AKS_CLUSTER_ID, isAttachedCompute: true });

export const cases: RuleCases = {
  ruleId: 'AML-CMP-011',
  cases: [
    { name: 'TLS enabled, internal LB', resource: aks({ sslConfiguration: { status: 'Enabled', cname: 'score.contoso.com' }, loadBalancerType: 'InternalLoadBalancer' }), expect: 'pass' },
    { name: 'TLS auto (Microsoft certificate), internal LB', resource: aks({ sslConfiguration: { status: 'auto', leafDomainLabel: 'contoso' }, loadBalancerType: 'internalloadbalancer' }), expect: 'pass' },
    { name: 'TLS disabled', resource: aks({ sslConfiguration: { status: 'Disabled' }, loadBalancerType: 'InternalLoadBalancer' }), expect: 'fail', severity: 'high' },
    { name: 'TLS on, public load balancer is medium', resource: aks({ sslConfiguration: { status: 'Enabled' }, loadBalancerType: 'PublicIp' }), expect: 'fail', severity: 'medium' },
    { name: 'attached AKS without properties.properties: defaults Disabled/PublicIp', resource: aks(undefined), expect: 'fail' },
    { name: 'AmlCompute is out of scope', resource: cluster({}), expect: 'skip' },
  ],
};
