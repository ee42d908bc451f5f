import type { ArmResource, RuleCases } from '../../../shared/rules/types';
import { AKS_CLUSTER_ID, cluster, compute } from './_fixtures';

const k8s = compute('k8s-inference', 'Kubernetes', { namespace: 'azureml' }, { resourceId: AKS_CLUSTER_ID, isAttachedCompute: true });

function extension(settings: Record<string, string>): ArmResource {
  return {
    id: `${AKS_CLUSTER_ID}/providers/Microsoft.KubernetesConfiguration/extensions/azureml`,
    name: 'azureml',
    type: 'Microsoft.KubernetesConfiguration/extensions',
    properties: { extensionType: 'microsoft.azureml.kubernetes', configurationSettings: settings },
  };
}

const inference = (s: Record<string, string>) => ({ kubernetesExtensions: [extension({ enableInference: 'True', sslCname: 'score.contoso.com', ...s })] });

export const cases: RuleCases = {
  ruleId: 'AML-CMP-014',
  cases: [
    { name: 'public load balancer', resource: k8s, inventory: inference({ inferenceRouterServiceType: 'loadBalancer' }), expect: 'fail', severity: 'medium' },
    { name: 'service type casing differs (LoadBalancer)', resource: k8s, inventory: inference({ inferenceRouterServiceType: 'LoadBalancer' }), expect: 'fail' },
    { name: 'internal Azure load balancer', resource: k8s, inventory: inference({ inferenceRouterServiceType: 'loadBalancer', internalLoadBalancerProvider: 'azure' }), expect: 'pass' },
    { name: 'public load balancer allowed by policy', resource: k8s, inventory: inference({ inferenceRouterServiceType: 'loadBalancer' }), options: { allowPublicLoadBalancer: true }, expect: 'pass' },
    { name: 'clusterIP behind own ingress', resource: k8s, inventory: inference({ inferenceRouterServiceType: 'clusterIP' }), expect: 'pass' },
    { name: 'nodePort', resource: k8s, inventory: inference({ inferenceRouterServiceType: 'nodePort' }), expect: 'pass' },
    { name: 'training-only extension', resource: k8s, inventory: { kubernetesExtensions: [extension({ enableTraining: 'True', enableInference: 'False', inferenceRouterServiceType: 'loadBalancer' })] }, expect: 'skip' },
    { name: 'extensions not collected (SecurityGate on a template)', resource: k8s, expect: 'skip' },
    { name: 'not a Kubernetes compute', resource: cluster({}), inventory: inference({ inferenceRouterServiceType: 'loadBalancer' }), expect: 'skip' },
  ],
};
