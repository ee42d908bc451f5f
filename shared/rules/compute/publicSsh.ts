import type { Rule } from '../types';
import { eqi, show, str } from '../_util';
import { learnRef } from '../workspace/_refs';
import { CLUSTER, INSTANCE, computeTypeOf, inner, skipUnlessType } from './_computeType';

export const rule: Rule = {
  id: 'AML-CMP-004',
  title: 'Compute SSH port is closed to the internet',
  severity: 'high',
  resourceKind: 'compute',
  rationale:
    'An SSH port open to the internet invites credential guessing and exploitation of the node, which holds job data and the ' +
    'identity tokens of the compute.',
  remediation:
    'Compute instance: create it with properties.properties.sshSettings.sshPublicAccess "Disabled". Compute cluster: set ' +
    'properties.properties.remoteLoginPortPublicAccess "Disabled" (ssh_public_access_enabled: false in the compute YAML), or run it in ' +
    'a subnet or without node public IPs.',
  references: [
    learnRef('Create a compute instance: SSH access', 'how-to-create-compute-instance'),
    learnRef('Create a compute cluster', 'how-to-create-attach-compute-cluster'),
  ],
  check(c) {
    const skip = skipUnlessType(c, [INSTANCE, CLUSTER]);
    if (skip) return skip;
    if (eqi(computeTypeOf(c), INSTANCE)) {
      const v = inner(c, 'sshSettings.sshPublicAccess');
      // Missing means "Disabled", the service default for compute instances.
      if (v === undefined || eqi(v, 'Disabled')) return { status: 'pass' };
      return { status: 'fail', path: 'properties.properties.sshSettings.sshPublicAccess', message: `sshPublicAccess is ${show(v)}; public SSH to the instance is open.` };
    }
    const path = 'properties.properties.remoteLoginPortPublicAccess';
    const v = inner(c, 'remoteLoginPortPublicAccess');
    if (eqi(v, 'Disabled')) return { status: 'pass' };
    if (eqi(v, 'Enabled')) return { status: 'fail', path, message: 'remoteLoginPortPublicAccess is "Enabled"; the SSH port is open on every public node.' };
    // "NotSpecified" (also the default when missing) closes the port only when the cluster sits in a subnet; a node
    // without a public IP cannot be reached from the internet either way.
    if (str(inner(c, 'subnet.id')) || inner(c, 'enableNodePublicIp') === false) return { status: 'pass' };
    return {
      status: 'fail',
      path,
      message: `remoteLoginPortPublicAccess is ${v === undefined ? 'not set ("NotSpecified")' : show(v)} and the cluster has no subnet, so the SSH port is open on its public nodes.`,
    };
  },
};
