import type { Rule } from '../types';
import { get, inI, show, str } from '../_util';
import { allowedHosts, hostAllowed, hostOf, redactTarget } from '../datastore/_hosts';

// Categories whose target is a software source (packages, images, code) that jobs pull and run.
const SUPPLY_CHAIN = ['PythonFeed', 'Git', 'ContainerRegistry'];

// Reads option `allowedHosts` (default: Azure service suffixes in ../datastore/_hosts.ts, which include Azure
// Container Registry and Azure DevOps but no public package hosts). Targets that are ARM ids are not URLs.
export const rule: Rule = {
  id: 'AML-CONN-004',
  title: 'Connection target uses HTTPS and feeds come from approved hosts',
  severity: 'medium',
  resourceKind: 'connection',
  rationale:
    'A plain-HTTP target exposes the request and any credential on the wire, and a package feed, Git repository or registry ' +
    'outside the approved hosts lets unreviewed code into training and inference images.',
  remediation:
    'Point the connection at an `https://` URL; for PythonFeed, Git and ContainerRegistry connections use an approved host, or add ' +
    'the host (or its suffix) to `options.allowedHosts` in the policy file after review.',
  references: [
    { title: 'Create connections (Azure Machine Learning)', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-connection' },
    { title: 'Data exfiltration prevention in Azure Machine Learning', url: 'https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration' },
  ],
  check(conn, ctx) {
    const target = str(get(conn, 'properties.target'));
    if (!target) return { status: 'skip', reason: 'connection has no target' };
    if (target.startsWith('/subscriptions/')) return { status: 'skip', reason: 'target is an ARM resource id, not a URL' };
    // One finding per connection (both problems share the path, so they would share a fingerprint).
    const problems: string[] = [];
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target)?.[1]?.toLowerCase();
    if (scheme !== undefined && scheme !== 'https') problems.push(`uses ${scheme}://, not https://`);
    const category = get(conn, 'properties.category');
    const supplyChain = inI(category, SUPPLY_CHAIN);
    if (supplyChain) {
      const host = hostOf(target);
      if (!host || !hostAllowed(host, allowedHosts(ctx))) problems.push(`is a ${String(category)} source on host ${show(host ?? redactTarget(target))}, which is not under an allowed host suffix`);
    }
    if (problems.length > 0) {
      return { status: 'fail', path: 'properties.target', message: `Connection target ${show(redactTarget(target))} ${problems.join(' and ')}.` };
    }
    return scheme === undefined && !supplyChain
      ? { status: 'skip', reason: 'target is not a URL and the category is not a software source' }
      : { status: 'pass' };
  },
};
