import type { RuleCases } from '../../../shared/rules/types';
import { AKS_CLUSTER_ID, cluster, compute, instance } from './_fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-CMP-001',
  cases: [
    { name: 'cluster with local auth disabled', resource: cluster({}, { disableLocalAuth: true }), expect: 'pass' },
    { name: 'instance with local auth disabled', resource: instance({}, { disableLocalAuth: true }), expect: 'pass' },
    { name: 'cluster with local auth enabled', resource: cluster({}, { disableLocalAuth: false }), expect: 'fail' },
    { name: 'instance, flag missing (default false)', resource: instance({}), expect: 'fail' },
    { name: 'computeType in lower case still applies', resource: compute('gpu', 'amlcompute', {}, { disableLocalAuth: false }), expect: 'fail' },
    { name: 'Kubernetes compute is out of scope', resource: compute('k8s', 'Kubernetes', { namespace: 'azureml' }, { resourceId: AKS_CLUSTER_ID }), expect: 'skip' },
  ],
};
