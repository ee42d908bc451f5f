import type { ArmResource, RuleCases, WorkspaceInventory } from '../../../shared/rules/types';
import { AKS_CLUSTER_ID, compute, instance } from './_fixtures';

const k8s = compute('k8s-inference', 'Kubernetes', { namespace: 'azureml', defaultInstanceType: 'defaultinstancetype', extensionInstanceReleaseTrain: 'stable' }, { resourceId: AKS_CLUSTER_ID, isAttachedCompute: true });

function extension(settings: Record<string, string>, clusterId = AKS_CLUSTER_ID): ArmResource {
  return {
    id: `${clusterId}/providers/Microsoft.KubernetesConfiguration/extensions/azureml`,
    name: 'azureml',
    type: 'Microsoft.KubernetesConfiguration/extensions',
    properties: { extensionType: 'microsoft.azureml.kubernetes', releaseTrain: 'stable', configurationSettings: settings },
  };
}

/** `kubernetesExtensions` is a proposed inventory field (see shared/rules/compute/_clusterExtension.ts). */
const withExtensions = (exts: ArmResource[]) => ({ kubernetesExtensions: exts }) as unknown as Partial<WorkspaceInventory>;

export const cases: RuleCases = {
  ruleId: 'AML-CMP-012',
  cases: [
    { name: 'extension not collected by the inventory: skip, never pass or fail', resource: k8s, expect: 'skip' },
    { name: 'extension with TLS (sslCname) and inference on', resource: k8s, inventory: withExtensions([extension({ enableInference: 'True', allowInsecureConnections: 'False', sslCname: 'score.contoso.com', inferenceRouterServiceType: 'LoadBalancer' })]), expect: 'pass' },
    { name: 'training-only extension', resource: k8s, inventory: withExtensions([extension({ enableTraining: 'True', enableInference: 'False' })]), expect: 'pass' },
    { name: 'insecure connections allowed', resource: k8s, inventory: withExtensions([extension({ enableInference: 'True', allowInsecureConnections: 'True', inferenceRouterServiceType: 'NodePort' })]), expect: 'fail' },
    { name: 'inference on without a TLS name', resource: k8s, inventory: withExtensions([extension({ enableInference: 'true' })]), expect: 'fail' },
    { name: 'extensions collected, none on this cluster', resource: k8s, inventory: withExtensions([extension({ allowInsecureConnections: 'True' }, `${AKS_CLUSTER_ID}-other`)]), expect: 'skip' },
    { name: 'compute instance is out of scope', resource: instance({}), expect: 'skip' },
  ],
};
