/**
 * Azure Monitor as ARM serves it, for online endpoints:
 *   GET {resourceId}/providers/Microsoft.Insights/metrics          (Metrics_List, 2018-01-01 … 2024-02-01)
 *   GET /subscriptions/{s}/providers/Microsoft.Insights/eventtypes/management/values   (ActivityLogs_List, 2015-04-01)
 *
 * Data comes from scenario defaults derived from the store at request time (every online endpoint gets a few
 * 2xx an hour; in rg-ml-insecure the exposed endpoint also has a 401/403 surge in the last 6 hours before the
 * emulator started, 5xx all along, and its activity log shows a user listing and regenerating its keys,
 * switching it to key auth and adding a role assignment) plus whatever tests inject with
 * POST /_emulator/monitoring (see monitoringControl). Default data is anchored at the emulator's start, so
 * pages of one listing agree and a test that starts afterwards sees it inside its window.
 */
import { randomUUID } from 'node:crypto';
import { checkArmToken } from './accessTokens';
import { linkWithSkipToken, notFound } from './armCommon';
import { armKey, parseArmPath } from './armPaths';
import type { EmulatorContext } from './context';
import { armError, bearerToken, isPlainObject, json, type EmuRequest, type Reply, type Route } from './http';
import { ROLE_IDS } from './roles';
import { stableGuid } from './scenarios/common';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;

const ENDPOINT_TYPE = 'microsoft.machinelearningservices/workspaces/onlineendpoints';
const METRICS_API_VERSIONS = new Set(['2018-01-01', '2019-07-01', '2021-05-01', '2023-10-01', '2024-02-01']);
const ACTIVITY_API_VERSIONS = new Set(['2015-04-01']);
const INSECURE_RG = 'rg-ml-insecure';
const OUTSIDER = 'sam.quickfix@contoso.com';
const AZURE_CLI_APP_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
const OBJECT_ID_CLAIM = 'http://schemas.microsoft.com/identity/claims/objectidentifier';

// ---------------------------------------------------------------------------------------------- metric catalog

interface MetricDef {
  unit: string;
  display: string;
  description: string;
  primary: Aggregation;
  dimensions: string[];
  /** The aggregations the reference documents (refused otherwise in strict mode); every one when absent. */
  documented?: Aggregation[];
}

/** Microsoft.MachineLearningServices/workspaces/onlineEndpoints, as the supported-metrics reference lists them. */
const ENDPOINT_METRICS: Record<string, MetricDef> = {
  RequestsPerMinute: { unit: 'Count', display: 'Requests Per Minute', description: 'The number of requests sent to online endpoint within a minute', primary: 'average', documented: ['average'], dimensions: ['deployment', 'statusCode', 'statusCodeClass', 'modelStatusCode'] },
  RequestLatency: { unit: 'Milliseconds', display: 'Request Latency', description: 'The average complete interval of time taken for a request to be responded in milliseconds', primary: 'average', documented: ['average'], dimensions: ['deployment'] },
  RequestLatency_P50: { unit: 'Milliseconds', display: 'Request Latency P50', description: 'The average P50 request latency aggregated by all request latency values collected over the selected time period', primary: 'average', documented: ['average'], dimensions: ['deployment'] },
  RequestLatency_P90: { unit: 'Milliseconds', display: 'Request Latency P90', description: 'The average P90 request latency aggregated by all request latency values collected over the selected time period', primary: 'average', documented: ['average'], dimensions: ['deployment'] },
  RequestLatency_P95: { unit: 'Milliseconds', display: 'Request Latency P95', description: 'The average P95 request latency aggregated by all request latency values collected over the selected time period', primary: 'average', documented: ['average'], dimensions: ['deployment'] },
  RequestLatency_P99: { unit: 'Milliseconds', display: 'Request Latency P99', description: 'The average P99 request latency aggregated by all request latency values collected over the selected time period', primary: 'average', documented: ['average'], dimensions: ['deployment'] },
  ConnectionsActive: { unit: 'Count', display: 'Connections Active', description: 'The total number of concurrent TCP connections active from clients.', primary: 'average', documented: ['average'], dimensions: [] },
  NetworkBytes: { unit: 'BytesPerSecond', display: 'Network Bytes', description: 'The bytes per second served for the endpoint.', primary: 'average', documented: ['average'], dimensions: [] },
  NewConnectionsPerSecond: { unit: 'CountPerSecond', display: 'New Connections Per Second', description: 'The average number of new TCP connections per second established from clients.', primary: 'average', documented: ['average'], dimensions: [] },
};

const AGGREGATIONS = ['average', 'count', 'minimum', 'maximum', 'total'] as const;
type Aggregation = (typeof AGGREGATIONS)[number];

const INTERVALS: Record<string, number> = { PT1M: MINUTE, PT5M: 5 * MINUTE, PT15M: 15 * MINUTE, PT30M: 30 * MINUTE, PT1H: HOUR, PT6H: 6 * HOUR, PT12H: 12 * HOUR, P1D: DAY };

// ---------------------------------------------------------------------------------------------- state

/** One stored sample: `total` over `count` per-minute samples (so average = total / count). */
interface Sample {
  time: number;
  /** Lower-cased dimension name → value. */
  dims: Record<string, string>;
  total: number;
  count: number;
  min: number;
  max: number;
}

interface InjectedSeries {
  resourceKey: string;
  metric: string;
  samples: Sample[];
}

export interface MonitoringState {
  /** Default data is placed relative to this instant (ms): the emulator's clock when the routes were built. */
  anchor: number;
  defaults: boolean;
  /**
   * Refuse aggregations a metric does not document (400), as Azure Monitor does for some metrics. Off by default:
   * whether it does so for online endpoints is not documented.
   */
  strictAggregations: boolean;
  metrics: InjectedSeries[];
  events: Record<string, unknown>[];
}

const states = new WeakMap<EmulatorContext, MonitoringState>();

/** The monitoring state of one emulator (created on first use). */
export function monitoringState(ctx: EmulatorContext): MonitoringState {
  let s = states.get(ctx);
  if (!s) {
    s = { anchor: Math.floor((ctx.clock.nowSec() * 1000) / MINUTE) * MINUTE, defaults: true, strictAggregations: false, metrics: [], events: [] };
    states.set(ctx, s);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------- route

export function monitorRoute(ctx: EmulatorContext): Route {
  monitoringState(ctx); // fixes the anchor at start-up
  return (req) => {
    const kind = classifyPath(req.segments);
    if (!kind) return undefined;
    return withHeaders(req, handle(ctx, req, kind));
  };
}

type PathKind = { kind: 'metrics'; resourcePath: string } | { kind: 'activity'; subscriptionId: string };

function classifyPath(segments: string[]): PathKind | undefined {
  const lower = segments.map((s) => s.toLowerCase());
  if (lower[0] !== 'subscriptions') return undefined;
  const n = lower.length;
  if (n >= 3 && lower[n - 3] === 'providers' && lower[n - 2] === 'microsoft.insights' && lower[n - 1] === 'metrics') {
    return { kind: 'metrics', resourcePath: `/${segments.slice(0, n - 3).join('/')}` };
  }
  if (n === 7 && lower[2] === 'providers' && lower[3] === 'microsoft.insights' && lower[4] === 'eventtypes' && lower[5] === 'management' && lower[6] === 'values') {
    return { kind: 'activity', subscriptionId: segments[1] };
  }
  return undefined;
}

function handle(ctx: EmulatorContext, req: EmuRequest, path: PathKind): Reply {
  const check = checkArmToken(ctx, bearerToken(req), req.headers.authorization, req.origin);
  if (!check.ok) {
    const challenge = `Bearer authorization_uri="${req.origin}/${ctx.dir.tenantId}", error="invalid_token", error_description="${check.message.replace(/"/g, "'")}"`;
    return armError(401, check.code, check.message, { 'www-authenticate': challenge });
  }
  if (req.method !== 'GET') return armError(405, 'MethodNotAllowed', `The method ${req.method} is not allowed.`);
  const apiVersion = req.query.get('api-version');
  if (!apiVersion) return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  const supported = path.kind === 'metrics' ? METRICS_API_VERSIONS : ACTIVITY_API_VERSIONS;
  if (!supported.has(apiVersion)) {
    const type = path.kind === 'metrics' ? 'metrics' : 'eventtypes';
    return armError(400, 'NoRegisteredProviderFound', `No registered resource provider found for location 'global' and API version '${apiVersion}' for type '${type}'. The supported api-versions are '${[...supported].join(', ')}'.`);
  }
  return path.kind === 'metrics' ? metrics(ctx, req, path.resourcePath) : activityLog(ctx, req, path.subscriptionId);
}

function withHeaders(req: EmuRequest, reply: Reply): Reply {
  const correlation = typeof req.headers['x-ms-correlation-request-id'] === 'string' ? req.headers['x-ms-correlation-request-id'] : randomUUID();
  reply.headers = { 'x-ms-request-id': randomUUID(), 'x-ms-correlation-request-id': correlation, 'cache-control': 'no-cache', ...reply.headers };
  return reply;
}

const badRequest = (message: string) => armError(400, 'BadRequest', message);

// ---------------------------------------------------------------------------------------------- metrics

function parseTimespan(raw: string | null, now: number): { start: number; end: number } | string {
  if (raw === null) return { start: now - HOUR, end: now };
  const [a, b] = raw.split('/');
  const start = Date.parse(a ?? '');
  const end = Date.parse(b ?? '');
  if (!Number.isFinite(start) || !Number.isFinite(end)) return `Invalid timespan '${raw}': expected 'startDateTime_ISO/endDateTime_ISO'.`;
  if (end <= start) return `Invalid timespan '${raw}': the end must be after the start.`;
  return { start, end };
}

function isoDuration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / MINUTE));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `P${d ? `${d}D` : ''}${h || m ? 'T' : ''}${h ? `${h}H` : ''}${m ? `${m}M` : ''}`;
}

function parseInterval(raw: string | null, span: number, autoAdjust: boolean): { ms: number; label: string; full?: boolean } | string {
  const v = (raw ?? 'PT1M').toUpperCase();
  if (v === 'FULL') return { ms: span, label: isoDuration(span), full: true };
  if (INTERVALS[v]) return { ms: INTERVALS[v], label: v };
  if (!autoAdjust) return `Invalid interval '${raw}'. Supported time grains: ${Object.keys(INTERVALS).join(', ')}, FULL.`;
  // Closest supported grain.
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(v);
  const wanted = m ? Number(m[1] ?? 0) * DAY + Number(m[2] ?? 0) * HOUR + Number(m[3] ?? 0) * MINUTE : HOUR;
  const [label, ms] = Object.entries(INTERVALS).reduce((best, e) => (Math.abs(e[1] - wanted) < Math.abs(best[1] - wanted) ? e : best));
  return { ms, label };
}

interface DimFilter {
  /** Lower-cased dimension name → allowed values ('*' = every value, split). */
  terms: Map<string, string[]>;
}

/** The metrics $filter grammar: `A eq 'a1' and B eq 'b1' or B eq 'b2' and C eq '*'`. */
function parseDimFilter(raw: string | null): DimFilter | string {
  const terms = new Map<string, string[]>();
  if (raw === null || !raw.trim()) return { terms };
  for (const group of raw.split(/\s+and\s+/i)) {
    let name: string | undefined;
    for (const alt of group.split(/\s+or\s+/i)) {
      const m = /^\s*\(?\s*([\w.]+)\s+eq\s+'([^']*)'\s*\)?\s*$/i.exec(alt);
      if (!m) return `Invalid $filter '${raw}': expected terms such as statusCode eq '401' joined by 'and' / 'or'.`;
      const key = m[1].toLowerCase();
      if (name !== undefined && name !== key) return `Invalid $filter '${raw}': the 'or' operator cannot separate two different metadata names.`;
      name = key;
      terms.set(key, [...(terms.get(key) ?? []), m[2]]);
    }
  }
  return { terms };
}

function aggregate(samples: Sample[], aggs: Aggregation[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (!samples.length) return out;
  const total = samples.reduce((s, x) => s + x.total, 0);
  const count = samples.reduce((s, x) => s + x.count, 0);
  for (const a of aggs) {
    if (a === 'total') out.total = total;
    else if (a === 'count') out.count = count;
    else if (a === 'average') out.average = count ? total / count : 0;
    else if (a === 'minimum') out.minimum = Math.min(...samples.map((x) => x.min));
    else out.maximum = Math.max(...samples.map((x) => x.max));
  }
  return out;
}

function metrics(ctx: EmulatorContext, req: EmuRequest, resourcePath: string): Reply {
  const p = parseArmPath(resourcePath);
  if (p.kind !== 'resource' || p.resourceType === 'Microsoft.Resources/subscriptions') {
    return badRequest('The local Azure emulator serves metrics of single resources only (no subscription-scope multi-resource queries).');
  }
  const resource = ctx.store.get(resourcePath);
  if (!resource) return notFound(ctx.store, resourcePath);
  const type = String(resource.type);
  const namespace = req.query.get('metricnamespace');
  if (namespace && namespace.toLowerCase() !== type.toLowerCase()) {
    return badRequest(`Failed to find metric configuration for provider: ${p.namespace}, resource Type: ${p.types.join('/')}, metric namespace: ${namespace}.`);
  }
  const state = monitoringState(ctx);
  const key = armKey(resourcePath);
  const catalog: Record<string, MetricDef> = type.toLowerCase() === ENDPOINT_TYPE ? { ...ENDPOINT_METRICS } : {};
  for (const s of state.metrics) {
    if (s.resourceKey === key && !catalog[s.metric]) {
      catalog[s.metric] = { unit: 'Count', display: s.metric, description: s.metric, primary: 'average', dimensions: [...new Set(s.samples.flatMap((x) => Object.keys(x.dims)))] };
    }
  }
  const names = (req.query.get('metricnames') ?? Object.keys(catalog)[0] ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  const resolved: Array<[string, MetricDef]> = [];
  for (const n of names) {
    const hit = Object.keys(catalog).find((k) => k.toLowerCase() === n.toLowerCase());
    if (!hit) {
      return badRequest(`Failed to find metric configuration for provider: ${p.namespace}, resource Type: ${p.types.join('/')}, metric: ${n}, Valid metrics: ${Object.keys(catalog).join(',')}`);
    }
    resolved.push([hit, catalog[hit]]);
  }
  if (resolved.length > 20) return badRequest('At most 20 metrics can be requested at once.');

  const now = ctx.clock.nowSec() * 1000;
  const span = parseTimespan(req.query.get('timespan'), now);
  if (typeof span === 'string') return badRequest(span);
  const autoAdjust = (req.query.get('AutoAdjustTimegrain') ?? req.query.get('autoadjusttimegrain') ?? '').toLowerCase() === 'true';
  const interval = parseInterval(req.query.get('interval'), span.end - span.start, autoAdjust);
  if (typeof interval === 'string') return badRequest(interval);
  const filter = parseDimFilter(req.query.get('$filter'));
  if (typeof filter === 'string') return badRequest(filter);
  const validate = (req.query.get('ValidateDimensions') ?? req.query.get('validatedimensions') ?? 'true').toLowerCase() !== 'false';
  const aggRaw = req.query.get('aggregation');
  const topRaw = req.query.get('top');
  const top = topRaw === null ? 10 : Number(topRaw);
  if (!Number.isInteger(top) || top < 1) return badRequest(`Invalid top '${topRaw}'.`);

  const value: unknown[] = [];
  let cost = 0;
  for (const [name, def] of resolved) {
    const aggs = (aggRaw ?? def.primary).split(',').map((a) => a.trim().toLowerCase()).filter(Boolean) as Aggregation[];
    const unknownAgg = aggs.find((a) => !AGGREGATIONS.includes(a));
    if (unknownAgg) return badRequest(`Invalid aggregation '${unknownAgg}'. Valid values: Average, Count, Minimum, Maximum, Total.`);
    const refused = state.strictAggregations && def.documented ? aggs.filter((a) => !def.documented!.includes(a)) : [];
    if (refused.length) return badRequest(`Metric ${name} does not support the aggregation(s) ${refused.join(', ')}; supported: ${def.documented!.join(', ')}.`);
    const dims = def.dimensions.map((d) => d.toLowerCase());
    const terms = new Map<string, string[]>();
    for (const [dim, values] of filter.terms) {
      if (dims.includes(dim)) terms.set(dim, values);
      else if (validate) {
        return badRequest(`Metric: ${name} does not support requested dimension combination: ${dim}, supported ones are: ${def.dimensions.join(',') || '<none>'}`);
      }
    }
    const narrowing = [...terms].filter(([, values]) => !values.includes('*'));
    const all = samplesFor(ctx, state, resourcePath, name, span.start, span.end);
    const samples = narrowing.length
      ? all.filter((s) => narrowing.every(([dim, values]) => values.some((v) => v.toLowerCase() === (s.dims[dim] ?? '').toLowerCase())))
      : all;
    const split = [...terms.keys()];
    const groups = new Map<string, Sample[]>();
    for (const s of samples) {
      const k = JSON.stringify(split.map((d) => s.dims[d] ?? ''));
      const list = groups.get(k);
      if (list) list.push(s);
      else groups.set(k, [s]);
    }
    // With no split and no data Azure still answers one series of empty points; with a split, no series.
    if (!split.length && !groups.size) groups.set('[]', []);
    // Buckets start on multiples of the grain (one bucket from the start for FULL).
    const first = interval.full ? span.start : Math.floor(span.start / interval.ms) * interval.ms;
    // The same time stamps for every series (formatted once: the bench reads 200 endpoints × a week of hours).
    const stamps: string[] = [];
    for (let t = first; t < span.end; t += interval.ms) stamps.push(new Date(t).toISOString().replace(/\.000Z$/, 'Z'));
    const series = [...groups.entries()]
      .map(([k, list]) => {
        const values = JSON.parse(k) as string[];
        const buckets = new Map<number, Sample[]>();
        for (const s of list) {
          const b = Math.floor((s.time - first) / interval.ms);
          const bucket = buckets.get(b);
          if (bucket) bucket.push(s);
          else buckets.set(b, [s]);
        }
        const data: Record<string, unknown>[] = [];
        for (let b = 0; b < stamps.length; b++) data.push({ timeStamp: stamps[b], ...aggregate(buckets.get(b) ?? [], aggs) });
        const sum = list.reduce((s, x) => s + x.total, 0);
        return { sum, element: { metadatavalues: split.map((d, i) => ({ name: { value: d, localizedValue: d }, value: values[i] })), data } };
      })
      .sort((a, b) => b.sum - a.sum)
      .slice(0, split.length ? top : undefined)
      .map((x) => x.element);
    cost += series.reduce((s, x) => s + x.data.length, 0);
    value.push({
      id: `${resource.id}/providers/Microsoft.Insights/metrics/${name}`,
      type: 'Microsoft.Insights/metrics',
      name: { value: name, localizedValue: def.display },
      displayDescription: def.description,
      unit: def.unit,
      timeseries: series,
      errorCode: 'Success',
    });
  }
  return json(200, {
    cost,
    timespan: `${new Date(span.start).toISOString()}/${new Date(span.end).toISOString()}`,
    interval: interval.label,
    value,
    namespace: type,
    resourceregion: resource.location ?? 'westeurope',
  });
}

/** Default and injected samples of one metric of one resource in [start, end), never in the future. */
function samplesFor(ctx: EmulatorContext, state: MonitoringState, resourcePath: string, metric: string, start: number, end: number): Sample[] {
  const key = armKey(resourcePath);
  const until = Math.min(end, ctx.clock.nowSec() * 1000);
  const out: Sample[] = [];
  for (const s of state.metrics) {
    if (s.resourceKey === key && s.metric.toLowerCase() === metric.toLowerCase()) out.push(...s.samples.filter((x) => x.time >= start && x.time < end));
  }
  if (state.defaults && String(ctx.store.get(resourcePath)?.type).toLowerCase() === ENDPOINT_TYPE) {
    out.push(...defaultSamples(ctx, state, resourcePath, metric, start, until));
  }
  return out;
}

/** A number in [0, 1) fixed by the seed: the same endpoint and hour always get the same traffic. */
function unit(seed: string): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return ((h >>> 0) % 10_000) / 10_000;
}

/** The endpoint of rg-ml-insecure that shows the attack: the first one open to the public network. */
function exposedEndpointOf(ctx: EmulatorContext, workspacePath: string): string | undefined {
  const endpoints = ctx.store.children(`${workspacePath}/onlineEndpoints`);
  const open = endpoints.find((e) => String(e.properties?.publicNetworkAccess ?? 'Enabled').toLowerCase() !== 'disabled') ?? endpoints[0];
  return open?.id;
}

function isExposedInsecure(ctx: EmulatorContext, endpointPath: string): boolean {
  const p = parseArmPath(endpointPath);
  if ((p.resourceGroup ?? '').toLowerCase() !== INSECURE_RG) return false;
  const ws = p.ancestors[p.ancestors.length - 1];
  const exposed = ws ? exposedEndpointOf(ctx, ws) : undefined;
  return exposed !== undefined && armKey(exposed) === armKey(endpointPath);
}

function deploymentOf(ctx: EmulatorContext, endpointPath: string): string {
  const traffic = ctx.store.get(endpointPath)?.properties?.traffic;
  const fromTraffic = isPlainObject(traffic) ? Object.keys(traffic)[0] : undefined;
  return fromTraffic ?? ctx.store.children(`${endpointPath}/deployments`)[0]?.name ?? 'default';
}

/** Hourly samples: a quiet endpoint serves a few 2xx; the exposed insecure one more, with 5xx and the 401/403 surge. */
function defaultSamples(ctx: EmulatorContext, state: MonitoringState, endpointPath: string, metric: string, start: number, end: number): Sample[] {
  const m = metric.toLowerCase();
  if (m !== 'requestsperminute' && m !== 'requestlatency') return [];
  const exposed = isExposedInsecure(ctx, endpointPath);
  const deployment = deploymentOf(ctx, endpointPath);
  const id = armKey(endpointPath);
  const out: Sample[] = [];
  const retention = state.anchor - 93 * DAY;
  for (let hour = Math.ceil(Math.max(start, retention) / HOUR) * HOUR; hour < end; hour += HOUR) {
    const r = unit(`${id}|${hour}`);
    const ok = exposed ? 40 + Math.floor(r * 10) : 2 + Math.floor(r * 6);
    const byStatus: Array<[string, number]> = [['200', ok]];
    if (exposed) {
      byStatus.push(['500', 3], ['503', 1]);
      if (hour >= state.anchor - 6 * HOUR) byStatus.push(['401', 150], ['403', 20]);
    }
    if (m === 'requestsperminute') {
      for (const [code, n] of byStatus) {
        const minutes = Math.min(60, n);
        out.push({ time: hour, dims: { deployment, statuscode: code, statuscodeclass: `${code[0]}xx`, modelstatuscode: code.startsWith('2') || code.startsWith('5') ? code : '' }, total: n, count: minutes, min: 1, max: Math.ceil(n / minutes) });
      }
    } else {
      const minutes = Math.min(60, byStatus.reduce((s, [, n]) => s + n, 0));
      const avg = exposed ? 250 + Math.floor(r * 100) : 40 + Math.floor(r * 80);
      out.push({ time: hour, dims: { deployment }, total: avg * minutes, count: minutes, min: Math.floor(avg / 2), max: avg * 3 });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- activity log

interface ActivityFilter {
  from: number;
  to: number;
  field?: 'resourcegroupname' | 'resourceuri' | 'resourceprovider' | 'correlationid';
  value?: string;
}

/** Only the patterns ActivityLogs_List documents: a time range, optionally one of four `eq` terms. */
function parseActivityFilter(raw: string | null, now: number): ActivityFilter | string {
  if (!raw) return "The $filter parameter is required and must contain 'eventTimestamp ge' (for example: eventTimestamp ge '2024-01-01T00:00:00Z').";
  const f: Partial<ActivityFilter> = {};
  for (const term of raw.split(/\s+and\s+/i)) {
    const m = /^\s*(\w+)\s+(ge|le|eq)\s+'([^']*)'\s*$/i.exec(term);
    if (!m) return `The $filter '${raw}' is not supported. See https://learn.microsoft.com/rest/api/monitor/activity-logs/list for the supported patterns.`;
    const [, name, op, value] = m;
    const field = name.toLowerCase();
    if (field === 'eventtimestamp' && (op.toLowerCase() === 'ge' || op.toLowerCase() === 'le')) {
      const t = Date.parse(value);
      if (!Number.isFinite(t)) return `The eventTimestamp '${value}' is not a valid date.`;
      if (op.toLowerCase() === 'ge') f.from = t;
      else f.to = t;
    } else if (op.toLowerCase() === 'eq' && ['resourcegroupname', 'resourceuri', 'resourceprovider', 'correlationid'].includes(field) && !f.field) {
      f.field = field as ActivityFilter['field'];
      f.value = value;
    } else {
      return `The $filter '${raw}' is not supported. See https://learn.microsoft.com/rest/api/monitor/activity-logs/list for the supported patterns.`;
    }
  }
  if (f.from === undefined) return "The $filter must contain 'eventTimestamp ge'.";
  const to = f.to ?? now;
  if (to < f.from) return 'The end of the time range is before its start.';
  if (f.from < now - 90 * DAY) return 'The start of the time range is more than 90 days ago; the activity log keeps 90 days.';
  return { from: f.from, to, field: f.field, value: f.value };
}

const text = (x: unknown): string => (typeof x === 'string' ? x : isPlainObject(x) && typeof x.value === 'string' ? x.value : '');

function matches(e: Record<string, unknown>, f: ActivityFilter, subscriptionId: string): boolean {
  const t = Date.parse(String(e.eventTimestamp));
  if (!(t >= f.from && t <= f.to)) return false;
  if (String(e.subscriptionId ?? '').toLowerCase() !== subscriptionId.toLowerCase()) return false;
  const v = (f.value ?? '').toLowerCase();
  switch (f.field) {
    case 'resourcegroupname':
      return String(e.resourceGroupName ?? '').toLowerCase() === v;
    case 'resourceuri':
      return armKey(String(e.resourceId ?? '')) === armKey(f.value ?? '');
    case 'resourceprovider':
      return text(e.resourceProviderName).toLowerCase() === v;
    case 'correlationid':
      return String(e.correlationId ?? '').toLowerCase() === v;
    default:
      return true;
  }
}

function activityLog(ctx: EmulatorContext, req: EmuRequest, subscriptionId: string): Reply {
  const subPath = `/subscriptions/${subscriptionId}`;
  if (!ctx.store.has(subPath)) return notFound(ctx.store, subPath);
  const now = ctx.clock.nowSec() * 1000;
  const f = parseActivityFilter(req.query.get('$filter'), now);
  if (typeof f === 'string') return badRequest(f);
  const state = monitoringState(ctx);
  const all = [...(state.defaults ? defaultEvents(ctx, state) : []), ...state.events];
  const events = all
    .filter((e) => matches(e, f, subscriptionId))
    .sort((a, b) => Date.parse(String(b.eventTimestamp)) - Date.parse(String(a.eventTimestamp)) || String(a.eventDataId).localeCompare(String(b.eventDataId)));
  const select = req.query.get('$select');
  const fields = select ? select.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : undefined;
  const shaped = fields ? events.map((e) => Object.fromEntries(Object.entries(e).filter(([k]) => fields.includes(k.toLowerCase())))) : events;

  const token = req.query.get('$skiptoken');
  const skip = token === null ? 0 : Number.parseInt(token, 10);
  if (!Number.isInteger(skip) || skip < 0) return armError(400, 'InvalidSkipToken', `The skip token '${token ?? ''}' is not valid.`);
  const size = ctx.settings.pageSize;
  const body: { value: unknown[]; nextLink?: string } = { value: shaped.slice(skip, skip + size) };
  if (skip + size < shaped.length) body.nextLink = linkWithSkipToken(req, String(skip + size));
  return json(200, body);
}

interface EventSpec {
  seed: string;
  time: number;
  operationName: string;
  resourceId: string;
  status: string;
  caller: string;
  claims: Record<string, string>;
  requestBody?: unknown;
  subStatus?: string;
}

function userClaims(ctx: EmulatorContext, upn: string): Record<string, string> {
  return {
    aud: 'https://management.core.windows.net/',
    iss: `https://sts.windows.net/${ctx.dir.tenantId}/`,
    appid: AZURE_CLI_APP_ID,
    appidacr: '0',
    [OBJECT_ID_CLAIM]: stableGuid(`user/${upn}`),
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': upn,
    'http://schemas.microsoft.com/identity/claims/tenantid': ctx.dir.tenantId,
    ver: '1.0',
  };
}

function pipelineClaims(ctx: EmulatorContext): Record<string, string> {
  return {
    aud: 'https://management.core.windows.net/',
    iss: `https://sts.windows.net/${ctx.dir.tenantId}/`,
    appid: ctx.dir.servicePrincipal.clientId,
    appidacr: '2',
    [OBJECT_ID_CLAIM]: ctx.dir.servicePrincipal.objectId,
    'http://schemas.microsoft.com/identity/claims/tenantid': ctx.dir.tenantId,
    ver: '1.0',
  };
}

/** The Started event and the final one of an operation, shaped like EventData. */
function operationEvents(ctx: EmulatorContext, spec: EventSpec): Record<string, unknown>[] {
  const operationId = stableGuid(`op/${spec.seed}`);
  const started = eventData(ctx, { ...spec, seed: `${spec.seed}/start`, status: 'Started', subStatus: '' }, operationId, 'BeginRequest');
  const ended = eventData(ctx, { ...spec, time: spec.time + 2000 }, operationId, 'EndRequest');
  return [started, ended];
}

function eventData(ctx: EmulatorContext, spec: EventSpec, operationId: string, eventName: string): Record<string, unknown> {
  const p = parseArmPath(spec.resourceId);
  const eventDataId = stableGuid(`event/${spec.seed}`);
  const ticks = BigInt(spec.time) * 10_000n + 621_355_968_000_000_000n;
  const provider = spec.operationName.split('/')[0];
  const properties: Record<string, string> = { eventCategory: 'Administrative', entity: spec.resourceId, message: spec.operationName, hierarchy: `${ctx.dir.tenantId}/${p.subscriptionId ?? ''}` };
  if (spec.status !== 'Started') properties.statusCode = spec.subStatus || 'OK';
  if (spec.requestBody !== undefined) properties.requestbody = JSON.stringify(spec.requestBody);
  return {
    authorization: { action: spec.operationName, scope: spec.resourceId },
    caller: spec.caller,
    channels: 'Operation',
    claims: spec.claims,
    correlationId: operationId,
    description: '',
    eventDataId,
    eventName: { value: eventName, localizedValue: eventName === 'BeginRequest' ? 'Begin request' : 'End request' },
    category: { value: 'Administrative', localizedValue: 'Administrative' },
    eventTimestamp: new Date(spec.time).toISOString().replace('Z', '0000Z'),
    id: `${spec.resourceId}/events/${eventDataId}/ticks/${ticks}`,
    level: spec.status === 'Failed' ? 'Error' : 'Informational',
    operationId,
    operationName: { value: spec.operationName, localizedValue: spec.operationName },
    resourceGroupName: p.resourceGroup ?? '',
    resourceProviderName: { value: provider, localizedValue: provider },
    resourceType: { value: p.resourceType, localizedValue: p.resourceType },
    resourceId: spec.resourceId,
    status: { value: spec.status, localizedValue: spec.status },
    subStatus: { value: spec.subStatus ?? '', localizedValue: spec.subStatus ?? '' },
    submissionTimestamp: new Date(spec.time + 15_000).toISOString(),
    subscriptionId: p.subscriptionId ?? '',
    tenantId: ctx.dir.tenantId,
    properties,
    relatedEvents: [],
  };
}

const ML_OP = 'Microsoft.MachineLearningServices/workspaces';

/** rg-ml-insecure's story, on whatever workspace and endpoints the store holds now. Other groups stay quiet. */
function defaultEvents(ctx: EmulatorContext, state: MonitoringState): Record<string, unknown>[] {
  const sub = ctx.dir.subscriptionId;
  const workspaces = ctx.store.children(`/subscriptions/${sub}/resourceGroups/${INSECURE_RG}/providers/Microsoft.MachineLearningServices/workspaces`);
  const out: Record<string, unknown>[] = [];
  const a = state.anchor;
  const outsider = userClaims(ctx, OUTSIDER);
  for (const ws of workspaces) {
    const assignment = stableGuid(`${ws.id}/monitor/role-assignment`);
    out.push(...operationEvents(ctx, {
      seed: `${ws.id}/role`, time: a - 30 * HOUR, operationName: 'Microsoft.Authorization/roleAssignments/write', resourceId: `${ws.id}/providers/Microsoft.Authorization/roleAssignments/${assignment}`,
      status: 'Succeeded', subStatus: 'Created', caller: OUTSIDER, claims: outsider,
      requestBody: { Id: assignment, Properties: { PrincipalId: stableGuid('user/temp.contractor@contoso.com'), PrincipalType: 'User', RoleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.contributor}`, Scope: ws.id } },
    }));
    // A storage account key read in the same group: the activity log returns it, the workspace filter drops it.
    const storage = typeof ws.properties?.storageAccount === 'string' ? ws.properties.storageAccount : undefined;
    if (storage) {
      out.push(...operationEvents(ctx, { seed: `${ws.id}/storage-keys`, time: a - 6 * HOUR, operationName: 'Microsoft.Storage/storageAccounts/listKeys/action', resourceId: storage, status: 'Succeeded', caller: OUTSIDER, claims: outsider }));
    }
    const endpoint = exposedEndpointOf(ctx, ws.id);
    if (!endpoint) continue;
    const ep = `${ML_OP}/onlineEndpoints`;
    out.push(
      ...operationEvents(ctx, { seed: `${endpoint}/old-keys`, time: a - 10 * DAY, operationName: `${ep}/listKeys/action`, resourceId: endpoint, status: 'Succeeded', caller: OUTSIDER, claims: outsider }),
      ...operationEvents(ctx, { seed: `${endpoint}/failed-regen`, time: a - 20 * HOUR, operationName: `${ep}/regenerateKeys/action`, resourceId: endpoint, status: 'Failed', subStatus: 'Forbidden', caller: 'former.employee@contoso.com', claims: userClaims(ctx, 'former.employee@contoso.com') }),
      ...operationEvents(ctx, { seed: `${endpoint}/keys`, time: a - 5 * HOUR, operationName: `${ep}/listKeys/action`, resourceId: endpoint, status: 'Succeeded', caller: OUTSIDER, claims: outsider }),
      ...operationEvents(ctx, { seed: `${endpoint}/regen`, time: a - 4 * HOUR, operationName: `${ep}/regenerateKeys/action`, resourceId: endpoint, status: 'Succeeded', subStatus: 'Accepted', caller: OUTSIDER, claims: outsider }),
      ...operationEvents(ctx, {
        seed: `${endpoint}/auth-mode`, time: a - 3 * HOUR, operationName: `${ep}/write`, resourceId: endpoint, status: 'Succeeded', caller: OUTSIDER, claims: outsider,
        requestBody: { location: ctx.store.get(endpoint)?.location ?? 'westeurope', properties: { authMode: 'Key', publicNetworkAccess: 'Enabled' } },
      }),
      ...operationEvents(ctx, {
        seed: `${endpoint}/deploy`, time: a - 2 * HOUR, operationName: `${ep}/deployments/write`, resourceId: `${endpoint}/deployments/${deploymentOf(ctx, endpoint)}`, status: 'Succeeded', subStatus: 'Created',
        caller: ctx.dir.servicePrincipal.objectId, claims: pipelineClaims(ctx),
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- control

function sampleFromPoint(p: Record<string, unknown>): Omit<Sample, 'dims'> | string {
  const time = Date.parse(String(p.timeStamp ?? p.time ?? ''));
  if (!Number.isFinite(time)) return 'every point needs a timeStamp (ISO 8601)';
  const n = (k: string) => (typeof p[k] === 'number' && Number.isFinite(p[k]) ? (p[k] as number) : undefined);
  const count = n('count') ?? 1;
  const total = n('total') ?? (n('average') !== undefined ? (n('average') as number) * count : undefined);
  if (total === undefined) return 'every point needs total or average';
  const avg = count ? total / count : total;
  return { time, total, count, min: n('minimum') ?? avg, max: n('maximum') ?? avg };
}

/** Fills what a test leaves out of an injected event so it looks like EventData. */
function completeEvent(ctx: EmulatorContext, e: Record<string, unknown>): Record<string, unknown> | string {
  const resourceId = typeof e.resourceId === 'string' ? e.resourceId : '';
  const operationName = text(e.operationName);
  const time = Date.parse(String(e.eventTimestamp ?? ''));
  if (!resourceId || !operationName || !Number.isFinite(time)) return 'every event needs resourceId, operationName and eventTimestamp';
  const status = text(e.status) || 'Succeeded';
  const seed = String(e.eventDataId ?? randomUUID());
  const base = eventData(ctx, { seed, time, operationName, resourceId, status, caller: typeof e.caller === 'string' ? e.caller : '', claims: {} }, String(e.operationId ?? stableGuid(`op/${seed}`)), 'EndRequest');
  const merged: Record<string, unknown> = { ...base, ...e, eventTimestamp: new Date(time).toISOString() };
  for (const k of ['operationName', 'status', 'subStatus', 'category', 'eventName']) {
    if (typeof merged[k] === 'string') merged[k] = { value: merged[k], localizedValue: merged[k] };
  }
  if (!isPlainObject(merged.claims)) merged.claims = {};
  return merged;
}

/**
 * POST /_emulator/monitoring {defaults?, strictAggregations?, metrics?: [{resourceId, metric, dimensions?, points:
 * [{timeStamp, total?, count?, average?}]}], events?: [partial EventData]} adds data (and switches the scenario
 * defaults or strict aggregations on or off); GET shows counts and the anchor; DELETE clears what was injected and
 * restores the defaults.
 */
export function monitoringControl(ctx: EmulatorContext, req: EmuRequest): Reply {
  const state = monitoringState(ctx);
  if (req.method === 'GET') {
    return json(200, { defaults: state.defaults, strictAggregations: state.strictAggregations, anchor: new Date(state.anchor).toISOString(), metrics: state.metrics.length, events: state.events.length });
  }
  if (req.method === 'DELETE') {
    state.metrics = [];
    state.events = [];
    state.defaults = true;
    state.strictAggregations = false;
    return { status: 204 };
  }
  if (req.method !== 'POST') return json(405, { error: { code: 'MethodNotAllowed', message: `${req.method} /_emulator/monitoring` } });
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8') || '{}');
  } catch (e) {
    return json(400, { error: { code: 'InvalidMonitoringData', message: (e as Error).message } });
  }
  if (!isPlainObject(body)) return json(400, { error: { code: 'InvalidMonitoringData', message: 'the body must be a JSON object' } });
  const series: InjectedSeries[] = [];
  const events: Record<string, unknown>[] = [];
  for (const m of Array.isArray(body.metrics) ? body.metrics : []) {
    if (!isPlainObject(m) || typeof m.resourceId !== 'string' || typeof m.metric !== 'string' || !Array.isArray(m.points)) {
      return json(400, { error: { code: 'InvalidMonitoringData', message: 'every metric needs resourceId, metric and points' } });
    }
    const dims: Record<string, string> = {};
    for (const [k, v] of Object.entries(isPlainObject(m.dimensions) ? m.dimensions : {})) dims[k.toLowerCase()] = String(v);
    if (dims.statuscode && !dims.statuscodeclass) dims.statuscodeclass = `${dims.statuscode[0]}xx`;
    const samples: Sample[] = [];
    for (const p of m.points) {
      const s = isPlainObject(p) ? sampleFromPoint(p) : 'every point must be an object';
      if (typeof s === 'string') return json(400, { error: { code: 'InvalidMonitoringData', message: s } });
      samples.push({ ...s, dims });
    }
    series.push({ resourceKey: armKey(m.resourceId), metric: m.metric, samples });
  }
  for (const e of Array.isArray(body.events) ? body.events : []) {
    const full = isPlainObject(e) ? completeEvent(ctx, e) : 'every event must be an object';
    if (typeof full === 'string') return json(400, { error: { code: 'InvalidMonitoringData', message: full } });
    events.push(full);
  }
  if (typeof body.defaults === 'boolean') state.defaults = body.defaults;
  if (typeof body.strictAggregations === 'boolean') state.strictAggregations = body.strictAggregations;
  state.metrics.push(...series);
  state.events.push(...events);
  return json(201, { metrics: series.length, events: events.length, defaults: state.defaults });
}
