/**
 * Monitoring evidence of EndpointHardeningCheck: what the collector (shared/azure/monitoring.ts) reads from Azure
 * Monitor and the activity log, and what the evaluator (evaluate.ts) hands to the report. Plain data, no I/O.
 */

/** The window every read covers: [start, end], ISO 8601 UTC. */
export interface MonitoringWindow {
  start: string;
  end: string;
  days: number;
}

/** Traffic of one online endpoint over the window (metric RequestsPerMinute split by statusCode, RequestLatency). */
export interface EndpointTraffic {
  endpointId: string;
  name: string;
  /**
   * Requests per HTTP status code ("200", "401", …) summed over the window. Undefined when Azure Monitor
   * answered but could not give RequestsPerMinute (`unavailable` says why); empty when there was no traffic.
   */
  requestsByStatus?: Record<string, number>;
  /** Average request latency over the window in milliseconds; undefined without data. */
  latencyMs?: number;
  /** Per-metric problems Azure Monitor reported inside a 200 answer (errorCode other than Success). */
  unavailable: string[];
}

/** One ARM operation from the activity log, its Started/Accepted/Succeeded events folded into one. */
export interface ActivityOperation {
  /** operationId of the events (eventDataId when the service gave none): the stable key of the operation. */
  operationId: string;
  /** eventTimestamp of the latest event of the operation. */
  time: string;
  /** operationName.value as ARM writes it, e.g. Microsoft.MachineLearningServices/workspaces/onlineEndpoints/listKeys/action. */
  operationName: string;
  resourceId: string;
  /** `caller` of the event: a UPN for users, an object id for service principals. Undefined when absent. */
  caller?: string;
  /** claims.appid and the object id claim, when the events carry claims. */
  appId?: string;
  objectId?: string;
  /** Status of the latest event: Succeeded, Failed, Accepted, Started, Canceled… */
  status: string;
  /**
   * Security-relevant fields ARM logged in `properties.requestbody` (authMode, publicNetworkAccess,
   * principalId, roleDefinitionId…), when it logged a parsable body. Never the whole body.
   */
  request?: Record<string, string>;
  /** True when ARM logged a parsable request body at all (so a missing field means "not changed"). */
  requestLogged: boolean;
}

export interface MonitoringData {
  window: MonitoringWindow;
  /** The workspace the activity log was read for. */
  workspaceId: string;
  endpoints: EndpointTraffic[];
  /** Operations on the workspace and everything under it, newest first. */
  operations: ActivityOperation[];
}

/** What the evaluator needs to know besides the data. */
export interface MonitoringContext {
  /** Ids the pipeline signs in as: the service connection's application (client) id and its object id. */
  pipelineCallers: string[];
}

/** The operations the summary lists; every other activity (jobs, computes, datastores…) is left out. */
export type EventKind = 'keys' | 'endpointWrite' | 'endpointDelete' | 'workspaceWrite' | 'roleAssignment' | 'deployment';

/** One row of the summary's traffic table. Rates are percentages of all requests; null without traffic or data. */
export interface EndpointSummaryRow {
  endpointId: string;
  name: string;
  /** Null when RequestsPerMinute was unavailable. */
  requests: number | null;
  authFailures: number | null;
  throttled: number | null;
  serverErrors: number | null;
  authFailureRatePercent: number | null;
  throttledRatePercent: number | null;
  serverErrorRatePercent: number | null;
  avgLatencyMs: number | null;
  /** Why some numbers are missing, in words. */
  note?: string;
}

/** One row of the summary's activity table. */
export interface EventSummaryRow {
  time: string;
  kind: EventKind;
  /** Words for the operation: "listed endpoint keys", "added role assignment"… */
  operation: string;
  operationName: string;
  resourceId: string;
  caller: string;
  status: string;
  /** The caller is the pipeline or in allowedCallers. */
  trusted: boolean;
  /** The finding the row produced, if any. */
  ruleId?: string;
}

export interface EffectiveThresholds {
  maxAuthFailures: number;
  maxAuthFailureRatePercent: number;
  maxServerErrorRatePercent: number;
  maxThrottledRatePercent: number;
  maxLatencyMs: number;
  allowedCallers: string[];
}

export interface MonitoringSummary {
  window: MonitoringWindow;
  thresholds: EffectiveThresholds;
  endpoints: EndpointSummaryRow[];
  /** Security-relevant operations, newest first, at most MAX_SUMMARY_EVENTS. */
  events: EventSummaryRow[];
  /** Relevant operations left out of `events` to keep the summary short. */
  eventsOmitted: number;
}
