import type { Rule } from '../types';
import { show } from '../_util';
import { learnRef } from '../workspace/_refs';
import { CLUSTER, INSTANCE, inner, skipUnlessType } from './_computeType';

const PATH = 'properties.properties.enableNodePublicIp';

export const rule: Rule = {
  id: 'AML-CMP-003',
  title: 'Compute nodes have no public IP address',
  severity: 'high',
  resourceKind: 'compute',
  rationale:
    'A public IP on each node makes the nodes reachable from the internet and gives jobs a direct egress path that bypasses ' +
    'the network\'s firewall.',
  remediation:
    'Create the compute with properties.properties.enableNodePublicIp false (az ml compute create … --enable-node-public-ip false); ' +
    'the setting cannot be changed later, so recreate the compute.',
  references: [learnRef('Secure a training environment with virtual networks (no public IP)', 'how-to-secure-training-vnet')],
  check(c) {
    const skip = skipUnlessType(c, [INSTANCE, CLUSTER]);
    if (skip) return skip;
    const v = inner(c, 'enableNodePublicIp');
    if (v === false) return { status: 'pass' };
    // Missing means true: the service default for both clusters and instances.
    return { status: 'fail', path: PATH, message: `enableNodePublicIp is ${v === undefined ? 'not set (service default true)' : show(v)}, so nodes get public IP addresses.` };
  },
};
