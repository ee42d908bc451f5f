import type { RuleCases } from '../../../shared/rules/types';
import { AKS_CLUSTER_ID, SUBNET_ID, cluster, compute, instance } from './_fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-CMP-004',
  cases: [
    { name: 'instance SSH disabled', resource: instance({ sshSettings: { sshPublicAccess: 'Disabled', adminUserName: 'azureuser', sshPort: 4001 } }), expect: 'pass' },
    { name: 'instance without sshSettings (default Disabled)', resource: instance({}), expect: 'pass' },
    { name: 'instance SSH enabled', resource: instance({ sshSettings: { sshPublicAccess: 'Enabled', adminUserName: 'azureuser', sshPort: 22 } }), expect: 'fail' },
    { name: 'cluster remote login disabled', resource: cluster({ remoteLoginPortPublicAccess: 'Disabled' }), expect: 'pass' },
    { name: 'cluster remote login enabled, even in a subnet', resource: cluster({ remoteLoginPortPublicAccess: 'Enabled', subnet: { id: SUBNET_ID } }), expect: 'fail' },
    { name: 'cluster NotSpecified in a subnet', resource: cluster({ remoteLoginPortPublicAccess: 'NotSpecified', subnet: { id: SUBNET_ID } }), expect: 'pass' },
    { name: 'cluster NotSpecified without subnet', resource: cluster({ remoteLoginPortPublicAccess: 'NotSpecified' }), expect: 'fail' },
    { name: 'cluster field missing (default NotSpecified), no subnet', resource: cluster({ enableNodePublicIp: true }), expect: 'fail' },
    { name: 'cluster NotSpecified, no subnet but no public IP (managed VNet)', resource: cluster({ remoteLoginPortPublicAccess: 'notspecified', enableNodePublicIp: false }), expect: 'pass' },
    { name: 'Kubernetes compute is out of scope', resource: compute('k8s', 'Kubernetes', {}, { resourceId: AKS_CLUSTER_ID }), expect: 'skip' },
  ],
};
