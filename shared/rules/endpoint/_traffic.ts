/**
 * `properties.traffic` and `properties.mirrorTraffic` of an online endpoint: maps of deployment name to a whole
 * percentage. Entries are returned as read, so rules can report values that are not numbers.
 */
import type { ArmResource } from '../types';
import { get } from '../_util';

export interface TrafficEntry {
  deployment: string;
  value: unknown;
}

/** The entries of a traffic map, or undefined when the endpoint does not report that map at all. */
export function trafficEntries(endpoint: ArmResource, map: 'traffic' | 'mirrorTraffic'): TrafficEntry[] | undefined {
  const m = get(endpoint, `properties.${map}`);
  if (m === undefined || m === null) return undefined;
  if (typeof m !== 'object' || Array.isArray(m)) return [];
  return Object.entries(m as Record<string, unknown>).map(([deployment, value]) => ({ deployment, value }));
}

/** A valid share: a whole number from 0 to 100. */
export function isShare(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100;
}

/** The share a map gives one deployment (0 when absent or not a number); names compare case-insensitively. */
export function shareOf(endpoint: ArmResource, map: 'traffic' | 'mirrorTraffic', deployment: string): number {
  const want = deployment.toLowerCase();
  const e = (trafficEntries(endpoint, map) ?? []).find((x) => x.deployment.toLowerCase() === want);
  return e && typeof e.value === 'number' && Number.isFinite(e.value) ? e.value : 0;
}
