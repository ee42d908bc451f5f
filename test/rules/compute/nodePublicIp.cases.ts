import type { RuleCases } from '../../../shared/rules/types';
import { SUBNET_ID, cluster, compute, instance } from './_fixtures';

export const cases: RuleCases = {
  ruleId: 'AML-CMP-003',
  cases: [
    { name: 'cluster without public IP', resource: cluster({ subnet: { id: SUBNET_ID }, enableNodePublicIp: false }), expect: 'pass' },
    { name: 'instance without public IP', resource: instance({ enableNodePublicIp: false }), expect: 'pass' },
    { name: 'cluster with public IP', resource: cluster({ enableNodePublicIp: true }), expect: 'fail' },
    { name: 'instance, field missing (default true)', resource: instance({ subnet: { id: SUBNET_ID } }), expect: 'fail' },
    { name: 'string "false" is not a boolean false', resource: cluster({ enableNodePublicIp: 'false' }), expect: 'fail' },
    { name: 'Synapse Spark is out of scope', resource: compute('synapse', 'SynapseSpark', {}), expect: 'skip' },
  ],
};
