import type { Rule } from '../types';
import { eqi, get } from '../_util';
import { learnRef } from '../workspace/_refs';
import { deploymentName, parentOf } from '../endpoint/_children';
import { shareOf } from '../endpoint/_traffic';

const MIN = 2;

/** Instances the deployment keeps running: minInstances under autoscale (TargetUtilization), else sku.capacity. Default 1. */
function instanceFloor(dep: Parameters<Rule['check']>[0]): { count: unknown; path: string } {
  if (eqi(get(dep, 'properties.scaleSettings.scaleType'), 'TargetUtilization')) {
    return { count: get(dep, 'properties.scaleSettings.minInstances') ?? 1, path: 'properties.scaleSettings.minInstances' };
  }
  return { count: get(dep, 'sku.capacity') ?? 1, path: 'sku.capacity' };
}

export const rule: Rule = {
  id: 'AML-OD-009',
  title: 'Production online deployment keeps at least two instances',
  severity: 'medium',
  resourceKind: 'onlineDeployment',
  rationale:
    'A single instance is a single point of failure: a node repair, an OS upgrade or one crashed container takes the model offline. ' +
    'Microsoft recommends more than three instances for production deployments.',
  remediation:
    'Set sku.capacity (instance_count) to 2 or more, or with autoscale (scaleSettings TargetUtilization) set minInstances to 2 or more.',
  references: [learnRef('Managed online endpoints SKU list (instance count recommendation)', 'reference-managed-online-endpoints-vm-sku-list')],
  check(dep, ctx) {
    if (ctx.options.production !== true) return { status: 'skip', reason: 'applies when the policy marks the environment as production (options.production)' };
    const ep = parentOf(dep, ctx.inventory.onlineEndpoints);
    const name = deploymentName(dep);
    // A green deployment waiting for its rollout serves nobody yet; one instance is fine until it takes traffic.
    if (ep && shareOf(ep, 'traffic', name) === 0 && shareOf(ep, 'mirrorTraffic', name) === 0) {
      return { status: 'skip', reason: `the deployment receives no live or mirrored traffic from endpoint ${ep.name ?? ep.id}` };
    }
    const { count, path } = instanceFloor(dep);
    if (typeof count === 'number' && count >= MIN) return { status: 'pass' };
    return { status: 'fail', path, message: `The deployment keeps ${JSON.stringify(count)} instance(s) (${path}); production needs at least ${MIN}.` };
  },
};
