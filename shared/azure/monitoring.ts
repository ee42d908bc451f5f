/**
 * Reads the monitoring evidence of EndpointHardeningCheck: Azure Monitor metrics of every online endpoint and
 * the activity log of the workspace's resource group, over one window.
 *
 * Metrics are read per endpoint (Metrics_List on the endpoint id), side by side. The subscription-scope
 * multi-resource form would be one request for all endpoints, but Azure documents it only for some resource
 * types (ML online endpoints are not among the documented ones), it needs Monitoring Reader on the whole
 * subscription and one request per region. One request per endpoint carries both metrics:
 * `ValidateDimensions=false` lets the statusCode split apply to RequestsPerMinute and be ignored by
 * RequestLatency, which has no such dimension.
 *
 * Both metrics document Average as their only aggregation. Count (samples per bucket) turns an average into a
 * sum, so it is asked for too; a service that refuses it (400, or 501 as Azure Monitor answers for some
 * unsupported aggregations) is asked again for Average alone, and requests are then estimated per minute.
 */
import type { ArmResource } from '../rules/types';
import { foldOperations, isUnderWorkspace, type RawEvent } from '../monitoring/activity';
import { METRIC_LATENCY, METRIC_REQUESTS, trafficFromMetrics, type MetricsResponse } from '../monitoring/metrics';
import type { EndpointTraffic, MonitoringData } from '../monitoring/types';
import { API } from './apiVersions';
import type { ArmReader } from './armReader';
import { CollectionError } from './errors';
import { Limiter } from './concurrency';
import { workspaceId, type WorkspaceRef } from './inventory';

export interface MonitoringOptions {
  /** Window length in days, ending at `now` (the activity log keeps 90 days). */
  days: number;
  now: Date;
  /** Metric reads in flight at once (default 32): hides latency with hundreds of endpoints. */
  concurrency?: number;
}

/** Most days the activity log keeps, so the longest window both sources can cover. */
export const MAX_MONITORING_DAYS = 90;

const DEFAULT_CONCURRENCY = 32;
const DAY_MS = 86_400_000;

/** The query of one endpoint's metric read (without api-version, which ArmReader adds). */
export function metricsQuery(start: string, end: string, aggregation = 'Average,Count'): string {
  const params: Array<[string, string]> = [
    ['metricnames', `${METRIC_REQUESTS},${METRIC_LATENCY}`],
    ['timespan', `${start}/${end}`],
    ['interval', 'PT1H'],
    ['aggregation', aggregation],
    ['$filter', "statusCode eq '*'"],
    // The default top of 10 series would drop rare status codes.
    ['top', '100'],
    ['ValidateDimensions', 'false'],
    ['AutoAdjustTimegrain', 'true'],
  ];
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/** The activity log $filter for one resource group over the window (one of the few patterns the API accepts). */
export function activityLogFilter(start: string, end: string, resourceGroup: string): string {
  return `eventTimestamp ge '${start}' and eventTimestamp le '${end}' and resourceGroupName eq '${resourceGroup}'`;
}

function nameOf(r: ArmResource): string {
  return r.name ?? r.id.split('/').filter(Boolean).pop() ?? r.id;
}

/**
 * Metrics of `endpoints` and the workspace's activity over the last `opts.days` days. A read that fails (403,
 * throttling after retries, deadline) rejects with the reader's CollectionError, which names the action to
 * grant; a metric Azure Monitor cannot give inside a 200 answer is recorded in `unavailable` instead.
 */
export async function collectMonitoring(reader: ArmReader, ref: WorkspaceRef, endpoints: ArmResource[], opts: MonitoringOptions): Promise<MonitoringData> {
  const m = startMonitoring(reader, ref, opts);
  m.add(endpoints);
  return m.finish();
}

export interface MonitoringCollection {
  /** Reads the metrics of these online endpoints (more may follow, page by page). */
  add(endpoints: ArmResource[]): void;
  /** Once every endpoint was added: the data, in the order the endpoints were added. */
  finish(): Promise<MonitoringData>;
}

/**
 * collectMonitoring for endpoints that arrive over time: the activity log is read at once, each endpoint's metrics
 * as soon as it is added. Throws RangeError at once for a bad window.
 */
export function startMonitoring(reader: ArmReader, ref: WorkspaceRef, opts: MonitoringOptions): MonitoringCollection {
  if (!Number.isFinite(opts.days) || opts.days <= 0 || opts.days > MAX_MONITORING_DAYS) {
    throw new RangeError(`the monitoring window must be more than 0 and at most ${MAX_MONITORING_DAYS} days, got ${opts.days}`);
  }
  const end = opts.now.toISOString();
  const start = new Date(opts.now.getTime() - opts.days * DAY_MS).toISOString();
  const wsId = workspaceId(ref);
  const query = metricsQuery(start, end);
  const averageOnly = metricsQuery(start, end, 'Average');
  const limiter = new Limiter(opts.concurrency ?? DEFAULT_CONCURRENCY);

  const trafficOf = async (ep: ArmResource): Promise<EndpointTraffic> => {
    const name = nameOf(ep);
    const what = `metrics of online endpoint ${name}`;
    const path = `${ep.id}/providers/Microsoft.Insights/metrics?`;
    let body: unknown;
    try {
      body = await reader.get(path + query, API.monitorMetrics, what);
    } catch (err) {
      if (!(err instanceof CollectionError) || (err.status !== 400 && err.status !== 501)) throw err;
      body = await reader.get(path + averageOnly, API.monitorMetrics, what);
    }
    return trafficFromMetrics(ep.id, name, (body ?? {}) as MetricsResponse);
  };
  const traffic: Array<Promise<EndpointTraffic>> = [];
  const eventsP = reader.list(
    `/subscriptions/${ref.subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values`,
    API.activityLog,
    `activity log of resource group ${ref.resourceGroup}`,
    `&$filter=${encodeURIComponent(activityLogFilter(start, end, ref.resourceGroup))}`,
  );
  // Observed in finish(); until then a failure must not count as unhandled.
  eventsP.catch(() => undefined);

  return {
    add(endpoints) {
      for (const ep of endpoints) {
        const p = limiter.run(() => trafficOf(ep));
        p.catch(() => undefined);
        traffic.push(p);
      }
    },
    async finish() {
      // allSettled so no rejection goes unobserved; the metrics failure (if any) is reported first.
      const [metrics, events] = await Promise.allSettled([Promise.all(traffic), eventsP]);
      if (metrics.status === 'rejected') throw metrics.reason;
      if (events.status === 'rejected') throw events.reason;
      const relevant = (events.value as RawEvent[]).filter((e) => typeof e.resourceId === 'string' && isUnderWorkspace(e.resourceId, wsId));
      return {
        window: { start, end, days: opts.days },
        workspaceId: wsId,
        endpoints: metrics.value,
        operations: foldOperations(relevant),
      };
    },
  };
}
