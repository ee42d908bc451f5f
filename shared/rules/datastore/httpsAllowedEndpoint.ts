import type { Rule, RuleOutcome } from '../types';
import { get, show, str } from '../_util';
import { hasStorageEndpoint, storageTarget } from './_datastore';
import { allowedHosts, hostAllowed } from './_hosts';

// Reads option `allowedHosts` (default: Azure storage suffixes of the public, China and US Government clouds
// and the other Azure service suffixes in ./_hosts.ts). A missing `protocol` is the service default "https";
// a missing `endpoint` is the cloud's default storage suffix, so both pass.
export const rule: Rule = {
  id: 'AML-DS-004',
  title: 'Datastore uses HTTPS to an approved storage endpoint',
  severity: 'medium',
  resourceKind: 'datastore',
  rationale:
    'A datastore set to `http` sends data and credentials in clear text, and an endpoint outside the approved storage ' +
    'suffixes sends training data to a host the organisation does not control.',
  remediation:
    'Recreate the datastore with `protocol: https` and the cloud\'s storage suffix as `endpoint` (e.g. core.windows.net); ' +
    'if the endpoint is legitimate, add its suffix to `options.allowedHosts` in the policy file.',
  references: [
    { title: 'Create datastores', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-datastore' },
    { title: 'Require secure transfer in Azure Storage', url: 'https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer' },
  ],
  check(ds, ctx) {
    if (!hasStorageEndpoint(ds)) return { status: 'skip', reason: `datastore type ${show(get(ds, 'properties.datastoreType'))} has no storage endpoint or protocol` };
    const out: RuleOutcome[] = [];
    const protocol = str(get(ds, 'properties.protocol'));
    if (protocol !== undefined && protocol.toLowerCase() !== 'https') {
      out.push({ status: 'fail', path: 'properties.protocol', message: `Datastore protocol is ${show(protocol)}; only "https" keeps data and credentials encrypted in transit.` });
    }
    const target = storageTarget(ds);
    if (target && !hostAllowed(target.host, allowedHosts(ctx))) {
      out.push({
        status: 'fail',
        path: 'properties.endpoint',
        message: `Datastore endpoint ${show(get(ds, 'properties.endpoint'))} (host ${target.host}) is not under an allowed host suffix.`,
      });
    }
    return out.length > 0 ? out : { status: 'pass' };
  },
};
