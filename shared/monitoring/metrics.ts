/**
 * Azure Monitor metric answers (Metrics_List, api-version 2023-10-01) of one online endpoint turned into
 * window totals. Pure: the collector passes the parsed body.
 *
 * RequestsPerMinute is a count sampled per minute whose documented aggregation is Average, so the number of
 * requests in a bucket is `total` when Azure gives it, else average × count (the same sum), else average ×
 * minutes in the bucket (an upper bound when some minutes had no samples: a 10-minute burst counts 6 times).
 */
import type { EndpointTraffic } from './types';

export const METRIC_REQUESTS = 'RequestsPerMinute';
export const METRIC_LATENCY = 'RequestLatency';

interface Point {
  timeStamp?: string;
  average?: number | null;
  total?: number | null;
  count?: number | null;
}

interface Series {
  metadatavalues?: Array<{ name?: { value?: string }; value?: string }>;
  data?: Point[];
}

interface Metric {
  name?: { value?: string };
  timeseries?: Series[];
  errorCode?: string;
  errorMessage?: string;
}

export interface MetricsResponse {
  interval?: string;
  value?: Metric[];
}

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** Minutes of an ISO 8601 duration such as PT1H, PT5M or P1D; undefined for FULL or anything else. */
export function intervalMinutes(interval: string | undefined): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/i.exec(interval ?? '');
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function requestsIn(p: Point, minutes: number | undefined): number {
  const total = num(p.total);
  if (total !== undefined) return total;
  const avg = num(p.average);
  if (avg === undefined) return 0;
  const count = num(p.count);
  if (count !== undefined) return avg * count;
  return minutes === undefined ? avg : avg * minutes;
}

function dimension(s: Series, name: string): string | undefined {
  return s.metadatavalues?.find((m) => (m.name?.value ?? '').toLowerCase() === name.toLowerCase())?.value;
}

function findMetric(body: MetricsResponse, name: string): Metric | undefined {
  return body.value?.find((m) => (m.name?.value ?? '').toLowerCase() === name.toLowerCase());
}

/** A metric Azure Monitor could not give, in words; undefined when it answered with data (or with none). */
function problem(m: Metric | undefined, name: string): string | undefined {
  if (!m) return `${name} was not returned`;
  if (m.errorCode && m.errorCode !== 'Success') return `${name}: ${m.errorCode}${m.errorMessage ? ` (${m.errorMessage.slice(0, 160)})` : ''}`;
  return undefined;
}

/** Window totals of one endpoint from a RequestsPerMinute (split by statusCode) and RequestLatency answer. */
export function trafficFromMetrics(endpointId: string, name: string, body: MetricsResponse): EndpointTraffic {
  const minutes = intervalMinutes(body.interval);
  const out: EndpointTraffic = { endpointId, name, unavailable: [] };

  const requests = findMetric(body, METRIC_REQUESTS);
  const reqProblem = problem(requests, METRIC_REQUESTS);
  if (reqProblem) out.unavailable.push(reqProblem);
  else {
    const byStatus: Record<string, number> = {};
    for (const s of requests!.timeseries ?? []) {
      const code = dimension(s, 'statusCode') ?? 'unknown';
      const n = (s.data ?? []).reduce((sum, p) => sum + requestsIn(p, minutes), 0);
      if (n > 0) byStatus[code] = (byStatus[code] ?? 0) + n;
    }
    out.requestsByStatus = byStatus;
  }

  const latency = findMetric(body, METRIC_LATENCY);
  const latProblem = problem(latency, METRIC_LATENCY);
  if (latProblem) out.unavailable.push(latProblem);
  else {
    // Weighted by samples so a busy hour counts more than an idle one; without counts every bucket weighs 1.
    let sum = 0;
    let weight = 0;
    for (const s of latency!.timeseries ?? []) {
      for (const p of s.data ?? []) {
        const avg = num(p.average);
        const count = num(p.count);
        const total = num(p.total);
        if (total !== undefined && count !== undefined && count > 0) {
          sum += total;
          weight += count;
        } else if (avg !== undefined) {
          const w = count !== undefined && count > 0 ? count : 1;
          sum += avg * w;
          weight += w;
        }
      }
    }
    if (weight > 0) out.latencyMs = sum / weight;
  }
  return out;
}
