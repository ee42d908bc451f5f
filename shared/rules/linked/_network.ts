import type { ArmResource } from '../types';
import { eqi, get, inI, show } from '../_util';

// `publicNetworkAccess` values that close the public endpoint. "SecuredByPerimeter" (Storage, Key Vault) hands
// access control to a network security perimeter, which denies public traffic not allowed by the perimeter.
const CLOSED = ['Disabled', 'SecuredByPerimeter'];

/**
 * Whether a Storage account or Key Vault accepts traffic only from chosen networks: public access closed,
 * or the firewall's default action is Deny. A missing `networkAcls` is the service default Allow.
 * `aclPath` is `networkAcls` for Storage and Key Vault, `networkRuleSet` for Container Registry.
 */
export function isNetworkRestricted(res: ArmResource, aclPath = 'networkAcls'): boolean {
  return inI(get(res, 'properties.publicNetworkAccess'), CLOSED) || eqi(get(res, `properties.${aclPath}.defaultAction`), 'Deny');
}

/** One sentence naming both settings, for failure messages. */
export function describeNetwork(res: ArmResource, aclPath = 'networkAcls'): string {
  return `publicNetworkAccess is ${show(get(res, 'properties.publicNetworkAccess'))} and ${aclPath}.defaultAction is ${show(get(res, `properties.${aclPath}.defaultAction`))}`;
}
