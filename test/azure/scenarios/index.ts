/**
 * Scenario registry: `hardened`, `insecure`, `large[:N]`, `endpoints[:N]`. Each lives in its own resource group
 * of the one subscription, so an emulator can serve several at once.
 */
import type { ArmResource } from '../../../shared/rules/types';
import { subscription, resourceGroup, userAssignedIdentity, type Scenario, type ScenarioEnv } from './common';
import { buildEndpoints, ENDPOINTS_DEFAULT_SIZE } from './endpoints';
import { buildHardened } from './hardened';
import { buildInsecure } from './insecure';
import { buildLarge, LARGE_DEFAULT_SIZE } from './large';
import { buildProduction } from './production';

export type { Scenario, ScenarioEnv };
export const SCENARIO_NAMES = ['hardened', 'insecure', 'large', 'endpoints', 'production'] as const;

/** Builds a scenario from its spec: a name, optionally `:<size>` for `large` and `endpoints`. Throws on unknown names. */
export function buildScenario(spec: string, env: ScenarioEnv): Scenario {
  const [name, arg] = spec.trim().split(':', 2);
  switch (name.toLowerCase()) {
    case 'hardened':
      return buildHardened(env);
    case 'insecure':
      return buildInsecure(env);
    case 'large':
      return buildLarge(env, sizeOf('large', arg, LARGE_DEFAULT_SIZE));
    case 'endpoints':
      return buildEndpoints(env, sizeOf('endpoints', arg, ENDPOINTS_DEFAULT_SIZE));
    case 'production':
      return buildProduction(env);
    default:
      throw new Error(`unknown scenario '${spec}' (known: ${SCENARIO_NAMES.join(', ')}, large:<size>, endpoints:<size>)`);
  }
}

function sizeOf(name: string, arg: string | undefined, fallback: number): number {
  const size = arg === undefined ? fallback : Number(arg);
  if (!Number.isInteger(size) || size < 0) throw new Error(`${name}:<size> needs a non-negative integer, got '${arg}'`);
  return size;
}

/** What exists in every emulator: the subscription, and the resource group holding the agent's managed identity. */
export function baseResources(
  env: ScenarioEnv,
  subscriptionName: string,
  managedIdentity: { resourceGroup: string; name: string; clientId: string; principalId: string },
): ArmResource[] {
  const mi = userAssignedIdentity(env, managedIdentity.resourceGroup, managedIdentity.name);
  mi.properties = { ...mi.properties, clientId: managedIdentity.clientId, principalId: managedIdentity.principalId };
  return [subscription(env, subscriptionName), resourceGroup(env, managedIdentity.resourceGroup), mi];
}
