import type { Rule } from '../types';
import { get, str } from '../_util';
import { learnRef } from '../workspace/_refs';
import { skipUnlessManaged } from './_computeType';
import { RETIRED_SERIES, retiredSeriesOf } from './_retiredSizes';

const PATH = 'properties.instanceType';

export const rule: Rule = {
  id: 'AML-OD-010',
  title: 'Managed online deployment does not use a retired VM size',
  severity: 'medium',
  resourceKind: 'onlineDeployment',
  rationale:
    'Azure deallocates VMs of a retired size: a deployment on one cannot scale out or be repaired and stops serving, and its hardware ' +
    'no longer receives support under SLA.',
  remediation:
    'Create a new deployment on a current size from the managed online endpoints SKU list (the NCv3 sizes move to NC A100 v4, NCasT4 v3 or ' +
    'NCads H100 v5), shift traffic to it, and delete the old deployment; the instance type of a deployment cannot be changed in place.',
  references: [
    learnRef('Managed online endpoints SKU list', 'reference-managed-online-endpoints-vm-sku-list'),
    ...RETIRED_SERIES.map((s) => s.reference),
  ],
  check(dep, ctx) {
    const skip = skipUnlessManaged(dep, 'Kubernetes instance types are defined by the cluster');
    if (skip) return skip;
    const type = str(get(dep, PATH));
    if (!type) return { status: 'skip', reason: 'the deployment reports no instanceType' };
    const series = retiredSeriesOf(type);
    if (!series) return { status: 'pass' };
    const day = new Date(`${series.retiresOn}T00:00:00Z`);
    if (ctx.now.getTime() < day.getTime()) {
      return { status: 'fail', severity: 'low', path: PATH, message: `instanceType "${type}" is an ${series.series} size that Azure retires on ${series.retiresOn}; move before then.` };
    }
    return { status: 'fail', path: PATH, message: `instanceType "${type}" is a retired ${series.series} size (${series.reference.url}); Azure deallocates such VMs, so the deployment cannot scale or recover.` };
  },
};
