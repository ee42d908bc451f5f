/**
 * State shared by the emulator's routes: who exists, the signing keys, the clock, live settings, counters
 * and the resource store.
 */
import type { Directory } from './directory';
import type { ResourceStore } from './store';
import type { Clock, SigningKey } from './tokens';

export interface EmulatorSettings {
  /** Lifetime of Entra access tokens (client credentials and managed identity). */
  tokenLifetimeSec: number;
  /** Lifetime of Azure DevOps OIDC tokens. */
  oidcTokenLifetimeSec: number;
  /** Items per page of ARM lists. */
  pageSize: number;
}

export interface EmulatorStats {
  /** Access tokens issued by the token endpoint (any client authentication). */
  entraTokens: number;
  /** OIDC tokens issued by the Azure DevOps endpoint. */
  oidcTokens: number;
  /** Access tokens issued by the managed identity endpoint. */
  managedIdentityTokens: number;
}

export interface EmulatorContext {
  dir: Directory;
  clock: Clock;
  /** Signs Entra access tokens. */
  entraKey: SigningKey;
  /** Signs Azure DevOps tokens (job access token, OIDC tokens). */
  devopsKey: SigningKey;
  settings: EmulatorSettings;
  stats: EmulatorStats;
  store: ResourceStore;
}
