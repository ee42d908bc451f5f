import type { ArmResource, RuleCases } from '../../../shared/rules/types';
import { AKS_CLUSTER_ID, compute } from '../compute/_fixtures';
import { onlineEndpoint } from '../fixtures';

const k8s = compute('k8s-inference', 'Kubernetes', { namespace: 'azureml' }, { resourceId: AKS_CLUSTER_ID, isAttachedCompute: true });

function extension(settings: Record<string, string>): ArmResource {
  return {
    id: `${AKS_CLUSTER_ID}/providers/Microsoft.KubernetesConfiguration/extensions/azureml`,
    name: 'azureml',
    type: 'Microsoft.KubernetesConfiguration/extensions',
    properties: { extensionType: 'microsoft.azureml.kubernetes', configurationSettings: settings },
  };
}

const tls = extension({ enableInference: 'True', allowInsecureConnections: 'False', sslCname: 'score.contoso.com', inferenceRouterServiceType: 'loadBalancer' });
const insecure = extension({ enableInference: 'True', allowInsecureConnections: 'True', inferenceRouterServiceType: 'loadBalancer' });
const onK8s = onlineEndpoint('k8s-ep', { compute: k8s.id, publicNetworkAccess: undefined });

export const cases: RuleCases = {
  ruleId: 'AML-OE-005',
  cases: [
    { name: 'Kubernetes endpoint on a TLS cluster', resource: onK8s, inventory: { computes: [k8s], kubernetesExtensions: [tls] }, expect: 'pass' },
    { name: 'Kubernetes endpoint on a cluster allowing insecure connections', resource: onK8s, inventory: { computes: [k8s], kubernetesExtensions: [insecure] }, expect: 'fail', severity: 'high' },
    { name: 'compute named by bare name', resource: onlineEndpoint('k8s-ep', { compute: 'k8s-inference' }), inventory: { computes: [k8s], kubernetesExtensions: [insecure] }, expect: 'fail' },
    { name: 'managed endpoint (no compute)', resource: onlineEndpoint('ep'), inventory: { computes: [k8s], kubernetesExtensions: [insecure] }, expect: 'skip' },
    { name: 'extensions not collected: AML-CMP-012 cannot judge', resource: onK8s, inventory: { computes: [k8s] }, expect: 'skip' },
    { name: 'compute not in the inventory', resource: onK8s, inventory: { computes: [], kubernetesExtensions: [tls] }, expect: 'skip' },
  ],
};
