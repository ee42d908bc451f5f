/**
 * Pure judgement of one managed-VNet outbound rule (`properties.managedNetwork.outboundRules.<name>`), kept apart
 * from the rule file so the FQDN heuristics can be read on their own.
 */
import { eqi, get, inI, show, str } from '../_util';

/**
 * Host suffixes shared by every tenant of a cloud service: a wildcard under one of them admits any customer's
 * endpoint (any storage account, any web app), which is the classic exfiltration path out of an isolated VNet.
 */
const SHARED_SUFFIXES = ['core.windows.net', 'azurewebsites.net', 'azurecr.io', 'vault.azure.net', 'amazonaws.com', 'googleapis.com'];

/** Why an FQDN destination is over-broad, or undefined when it is acceptable. */
export function broadFqdn(fqdn: string): string | undefined {
  const f = fqdn.trim().toLowerCase();
  if (!f.includes('*')) return undefined;
  if (f === '*') return 'matches every host';
  const rest = f.slice(2);
  if (!f.startsWith('*.') || rest.includes('*')) return 'has a wildcard that is not a whole leftmost label';
  if (rest.split('.').length < 2) return `matches every host under the top-level domain ".${rest}"`;
  const shared = SHARED_SUFFIXES.find((s) => rest === s || rest.endsWith(`.${s}`));
  if (shared) return `matches any tenant's endpoint under the shared suffix "${shared}"`;
  // A wildcard under one organisation's domain (*.pythonhosted.org) is the documented way to allow a package feed.
  return undefined;
}

export interface OutboundProblem {
  message: string;
  path: string;
}

/**
 * Problems with one outbound rule. Only user-defined rules are judged: Required/Recommended/Dependency rules are
 * created by the service for the workspace's own resources. A missing category (an ARM template) counts as user-defined.
 * `allowedTargets`: ARM id prefixes private-endpoint rules may point at; undefined means not enforced.
 */
export function outboundProblem(name: string, rule: unknown, base: string, allowedTargets?: string[]): OutboundProblem | undefined {
  const category = get(rule, 'category');
  if (category !== undefined && !eqi(category, 'UserDefined')) return undefined;
  const type = get(rule, 'type');
  const dest = get(rule, 'destination');
  const path = `${base}.${name}.destination`;
  if (eqi(type, 'FQDN')) {
    const fqdn = str(dest);
    const why = fqdn === undefined ? undefined : broadFqdn(fqdn);
    return why ? { path, message: `Outbound FQDN rule "${name}" allows ${show(fqdn)}, which ${why}.` } : undefined;
  }
  if (eqi(type, 'ServiceTag')) {
    if (eqi(get(dest, 'action'), 'Deny')) return undefined;
    const tag = get(dest, 'serviceTag');
    if (inI(tag, ['Internet', '*'])) {
      return { path: `${path}.serviceTag`, message: `Outbound service-tag rule "${name}" allows the service tag ${show(tag)}, i.e. the whole internet.` };
    }
    const prefixes = get(dest, 'addressPrefixes');
    if (Array.isArray(prefixes) && prefixes.some((p) => inI(p, ['0.0.0.0/0', '*', '::/0']))) {
      return { path: `${path}.addressPrefixes`, message: `Outbound service-tag rule "${name}" allows every address (${show(prefixes)}).` };
    }
    return undefined;
  }
  if (eqi(type, 'PrivateEndpoint') && allowedTargets !== undefined) {
    const target = str(get(dest, 'serviceResourceId'));
    const ok = target !== undefined && allowedTargets.some((p) => target.toLowerCase().startsWith(p.toLowerCase()));
    return ok ? undefined : {
      path: `${path}.serviceResourceId`,
      message: `Outbound private-endpoint rule "${name}" targets ${show(target)}, which is not on the allowedPrivateEndpointTargets list.`,
    };
  }
  return undefined;
}
