import type { Rule } from '../types';
import { eqi, get, show } from '../_util';
import { learnRef } from '../workspace/_refs';
import { azureMlExtension, extensionsCollected, settingIsTrue } from './_clusterExtension';
import { skipUnlessType } from './_computeType';

const SETTINGS = 'properties.configurationSettings';

/**
 * The inference router (azureml-fe) is exposed as the extension's inferenceRouterServiceType says; "loadBalancer"
 * gets a cloud load balancer, public unless internalLoadBalancerProvider is "azure" (AKS only). Like AML-CMP-012,
 * the rule skips when the inventory did not collect the cluster extensions.
 */
export const rule: Rule = {
  id: 'AML-CMP-014',
  title: 'Kubernetes compute does not expose inference through a public load balancer',
  severity: 'medium',
  resourceKind: 'compute',
  rationale:
    'With a public load balancer in front of the inference router, every Kubernetes online endpoint on the cluster is reachable from the ' +
    'internet, outside the workspace\'s private endpoints and network rules.',
  remediation:
    'Update the AzureML extension with internalLoadBalancerProvider=azure (AKS), or inferenceRouterServiceType=clusterIP behind your own ' +
    'private ingress (az k8s-extension update --name <ext> --cluster-name <c> --config internalLoadBalancerProvider=azure …). If a public ' +
    'load balancer is intended, set the policy option allowPublicLoadBalancer.',
  references: [
    learnRef('Deploy the Azure Machine Learning extension on AKS or Arc Kubernetes cluster', 'how-to-deploy-kubernetes-extension'),
    learnRef('Azure Machine Learning inference router and connectivity requirements', 'how-to-kubernetes-inference-routing-azureml-fe'),
  ],
  check(c, ctx) {
    const skip = skipUnlessType(c, ['Kubernetes']);
    if (skip) return skip;
    if (!extensionsCollected(ctx.inventory)) {
      return { status: 'skip', reason: 'the inference router\'s service type lives in the AzureML cluster extension, which this inventory did not collect' };
    }
    const ext = azureMlExtension(c, ctx.inventory);
    if (!ext) return { status: 'skip', reason: 'no AzureML extension was found on the cluster this compute points at' };
    if (!settingIsTrue(get(ext, `${SETTINGS}.enableInference`))) return { status: 'skip', reason: 'inference is not enabled on the AzureML extension' };
    const type = get(ext, `${SETTINGS}.inferenceRouterServiceType`);
    if (!eqi(type, 'loadBalancer')) return { status: 'pass' };
    if (eqi(get(ext, `${SETTINGS}.internalLoadBalancerProvider`), 'azure')) return { status: 'pass' };
    if (ctx.options.allowPublicLoadBalancer === true) return { status: 'pass' };
    return {
      status: 'fail',
      path: `${SETTINGS}.inferenceRouterServiceType`,
      message: `The AzureML extension ${ext.id} exposes the inference router as ${show(type)} without internalLoadBalancerProvider "azure", so it gets a public load balancer.`,
    };
  },
};
