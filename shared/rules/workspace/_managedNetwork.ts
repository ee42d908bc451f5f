/**
 * The workspace managed VNet, read by workspace rules and by compute rules (a compute in a managed VNet has
 * no subnet of its own). `managedNetwork` exists from api-version 2023-10-01; older GETs omit it.
 */
import type { ArmResource } from '../types';
import { eqi, get, str } from '../_util';

export const ISOLATION_PATH = 'properties.managedNetwork.isolationMode';

/** The isolation mode as reported, or undefined when the workspace does not report one. */
export function isolationMode(ws: ArmResource | undefined): string | undefined {
  return str(get(ws, ISOLATION_PATH));
}

/** True when the workspace runs a managed VNet (either outbound mode). Missing means the service default, Disabled. */
export function managedNetworkEnabled(ws: ArmResource | undefined): boolean {
  const mode = isolationMode(ws);
  return mode !== undefined && !eqi(mode, 'Disabled');
}
