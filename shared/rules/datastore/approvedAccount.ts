import type { Rule } from '../types';
import { get, show } from '../_util';
import { linkedStorageName, storageTarget, targetsLinkedStorage } from './_datastore';
import { allowedHosts, hasExplicitAllowList, hostAllowed } from './_hosts';

// Reads option `allowedHosts`, but only when the policy sets it: the default list holds whole cloud suffixes
// (core.windows.net), which would approve every storage account in Azure and make this check empty. Without a
// policy list, only the workspace's own linked storage account is approved.
export const rule: Rule = {
  id: 'AML-DS-005',
  title: 'Datastore targets the linked or an approved storage account',
  severity: 'low',
  resourceKind: 'datastore',
  rationale:
    'Datastores decide where training data is read from and outputs are written to; an unreviewed account, possibly in ' +
    'another tenant, is a path for data exfiltration or for poisoned training data.',
  remediation:
    'Remove the datastore, or approve its account by listing its host (e.g. stdata.blob.core.windows.net, or a suffix) ' +
    'under `options.allowedHosts` in the policy file.',
  references: [
    { title: 'Data exfiltration prevention in Azure Machine Learning', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration' },
    { title: 'Create datastores', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-datastore' },
  ],
  check(ds, ctx) {
    const target = storageTarget(ds);
    if (!target) return { status: 'skip', reason: `datastore type ${show(get(ds, 'properties.datastoreType'))} names no storage account` };
    if (targetsLinkedStorage(ds, ctx)) return { status: 'pass' };
    if (hasExplicitAllowList(ctx) && hostAllowed(target.host, allowedHosts(ctx))) return { status: 'pass' };
    const linked = linkedStorageName(ctx);
    return {
      status: 'fail',
      path: target.path,
      message: `Datastore targets account "${target.account}" (${target.host}), which is not the workspace storage account${linked ? ` "${linked}"` : ''} and is not approved in allowedHosts.`,
    };
  },
};
