import type { ArmResource } from '../types';
import { get, str } from '../_util';

/**
 * `properties.authType` values that keep no secret in the workspace. 2022-10-01 knows PAT | ManagedIdentity |
 * UsernamePassword | None | SAS; 2024-10-01 adds AccountKey | ServicePrincipal | AccessKey | ApiKey | CustomKeys |
 * OAuth2 | AAD. Every other value, including ones added later, is treated as secret-bearing.
 */
const SECRETLESS = ['managedidentity', 'aad', 'none'];

export function authType(conn: ArmResource): string | undefined {
  return str(get(conn, 'properties.authType'));
}

export function isSecretBearing(conn: ArmResource): boolean {
  const t = authType(conn);
  return t === undefined || !SECRETLESS.includes(t.toLowerCase());
}
