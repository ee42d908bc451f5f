import type { RuleCases } from '../../../shared/rules/types';
import { AKS_CLUSTER_ID, cluster, compute, instance } from './_fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-CMP-013',
  cases: [
    { name: 'compute cluster', resource: cluster({}), expect: 'pass' },
    { name: 'compute instance', resource: instance({}), expect: 'pass' },
    { name: 'Kubernetes attach (identity-based)', resource: compute('k8s', 'Kubernetes', {}, { resourceId: AKS_CLUSTER_ID }), expect: 'pass' },
    { name: 'attached VM (admin SSH credential; secret not returned)', resource: compute('dsvm', 'VirtualMachine', { virtualMachineSize: 'Standard_D4s_v3', sshPort: 22, address: '10.0.0.4', administratorAccount: { username: 'azureuser' } }), expect: 'fail' },
    { name: 'HDInsight attach', resource: compute('hdi', 'HDInsight', { sshPort: 22, address: 'hdi-ml-ssh.azurehdinsight.net' }), expect: 'fail' },
    { name: 'Databricks attach, type in lower case', resource: compute('dbx', 'databricks', { workspaceUrl: 'https://adb-1234567890123456.7.azuredatabricks.net' }), expect: 'fail' },
  ],
};
