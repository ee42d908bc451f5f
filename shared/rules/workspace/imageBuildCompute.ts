import type { ArmResource, Rule } from '../types';
import { eqi, get, str } from '../_util';
import { learnRef } from './_refs';

const PATH = 'properties.imageBuildCompute';

/** An ACR that ACR Tasks cannot reach from the public build agents: public access off, or a firewall denying by default. */
function registryIsPrivate(acr: ArmResource): boolean {
  return eqi(get(acr, 'properties.publicNetworkAccess'), 'Disabled') || eqi(get(acr, 'properties.networkRuleSet.defaultAction'), 'Deny');
}

export const rule: Rule = {
  id: 'AML-WS-012',
  title: 'Workspace with a private container registry names an image build compute',
  severity: 'low',
  resourceKind: 'workspace',
  rationale:
    'When the linked container registry is not publicly reachable, environment images cannot be built by ACR Tasks; ' +
    'without an image build compute, builds fail or teams re-open the registry to make them work.',
  remediation:
    'Set properties.imageBuildCompute to a compute cluster inside the network (az ml workspace update --image-build-compute <cluster name>).',
  references: [learnRef('Secure an Azure Machine Learning workspace with virtual networks: enable image builds', 'how-to-secure-workspace-vnet')],
  check(ws, ctx) {
    const acr = ctx.inventory.containerRegistry;
    if (!acr) return { status: 'skip', reason: 'the workspace links no container registry' };
    if (!registryIsPrivate(acr)) return { status: 'skip', reason: 'the linked container registry is publicly reachable, so ACR Tasks can build images' };
    if (str(get(ws, PATH))) return { status: 'pass' };
    return { status: 'fail', path: PATH, message: 'The linked container registry is private but no image build compute is set, so environment images cannot be built.' };
  },
};
