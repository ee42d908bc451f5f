/** Managed identity of an endpoint (top-level `identity`, the ARM ManagedServiceIdentity shape). */
import type { ArmResource } from '../types';
import { get } from '../_util';

export type IdentityKind = 'none' | 'system' | 'user' | 'both';

/** `identity.type` read as a kind; missing, empty or "None" is none. User-assigned counts only with an identity listed. */
export function identityKind(r: ArmResource): IdentityKind {
  const t = get(r, 'identity.type');
  const type = typeof t === 'string' ? t.toLowerCase().replace(/\s+/gu, '') : '';
  const uais = get(r, 'identity.userAssignedIdentities');
  const hasUai = uais !== null && typeof uais === 'object' && Object.keys(uais as object).length > 0;
  const system = type.includes('systemassigned');
  const user = type.includes('userassigned') && hasUai;
  if (system && user) return 'both';
  if (system) return 'system';
  if (user) return 'user';
  return 'none';
}
