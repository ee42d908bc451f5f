import type { RuleCases } from '../../../shared/rules/types';
import { SUBNET_ID, cluster, compute, instance } from '../compute/_fixtures';
import { batchDeployment, workspace } from '../fixtures';

const hardened = cluster({ subnet: { id: SUBNET_ID }, enableNodePublicIp: false, remoteLoginPortPublicAccess: 'Disabled' }, { disableLocalAuth: true });
const open = cluster({ enableNodePublicIp: true, remoteLoginPortPublicAccess: 'Enabled' }, { disableLocalAuth: false });
const onCompute = (ref: string) => batchDeployment('bep', 'nightly', { compute: ref });

export const cases: RuleCases = {
  ruleId: 'AML-BD-001',
  cases: [
    { name: 'hardened cluster', resource: onCompute(hardened.id), inventory: { computes: [hardened] }, expect: 'pass' },
    { name: 'cluster with local auth, public IPs and open SSH', resource: onCompute(open.id), inventory: { computes: [open] }, expect: 'fail' },
    { name: 'cluster named by bare name', resource: onCompute('cpu-cluster'), inventory: { computes: [open] }, expect: 'fail' },
    {
      name: 'managed VNet cluster without subnet or public IP',
      resource: onCompute(hardened.id),
      inventory: { computes: [cluster({ enableNodePublicIp: false }, { disableLocalAuth: true })], workspace: workspace({ managedNetwork: { isolationMode: 'AllowInternetOutbound' } }) },
      expect: 'pass',
    },
    { name: 'compute instance with local auth on', resource: onCompute(instance({}).id), inventory: { computes: [instance({ enableNodePublicIp: false })] }, expect: 'fail' },
    { name: 'Kubernetes compute: the cluster rules do not apply', resource: onCompute(compute('k8s', 'Kubernetes', undefined).id), inventory: { computes: [compute('k8s', 'Kubernetes', undefined)] }, expect: 'skip' },
    { name: 'compute not in the inventory', resource: onCompute(hardened.id), expect: 'skip' },
    { name: 'no compute named', resource: batchDeployment('bep', 'nightly'), expect: 'skip' },
  ],
};
