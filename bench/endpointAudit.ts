/**
 * Issue 4's speed goals for EndpointHardeningCheck:
 *   - a workspace with 200 online endpoints × 3 deployments behind 100 ms per request audited in ≤ 3 s wall, with
 *     the requests reported against the collector's formula (shared/azure/endpointInventory.ts) plus the
 *     monitoring reads (one metrics read per online endpoint, the activity log pages);
 *   - probes of 50 endpoints, half of them silent, done within one probe timeout plus a margin (bench/probeConcurrency.ts).
 * The task runs as the agent runs it (bundled, child process, workload identity federation) with its defaults:
 * live probes on (5 s timeout) and 7 days of monitoring, against the local Azure in a child process serving
 * `endpoints:N`, whose scoring hosts are the emulator itself. Nodes take turns run by run after one warm-up each;
 * then one more run per Node under V8's sampling profiler says where the task's main thread spent its time.
 *
 * CLI: node build/bench/endpointAudit.js --out <file.json> --node <label>=<bin> [--node …] [--runs 5]
 *      [--endpoints 200] [--latency-ms 100] [--page-size 50] [--probe-endpoints 50] [--probe-timeout-ms 2000]
 *      [--probe-runs 3] [--profile-runs 1] [--entry dist/…/index.js]
 * Needs NODE_EXTRA_CA_CERTS (the test CA) in its own environment: the probe bench's servers use that CA.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { keepAssignments } from '../shared/azure/endpointInventory';
import type { ArmResource } from '../shared/rules/types';
import { wifConnection } from '../test/agent/connections';
import { runTask } from '../test/agent/runTask';
import type { RequestRecord } from '../test/azure/control';
import { buildScenario } from '../test/azure/scenarios';
import type { LocalAzure } from '../test/azure/server';
import { countArm, pagesFor, type ArmCount } from './armRequests';
import { withoutSecrets, type NodeBin } from './auditLarge';
import { cpuByArea, sourceMapNamer, type CpuByArea, type CpuProfile } from './cpuAreas';
import { reapedChildCpuMs } from './childCpu';
import { startEmulator, type EmulatorProcess } from './emulator';
import type { ProbeBenchResult } from './probeConcurrency';
import { summarize, type Summary } from './stats';
import { nodeBin, nonNegativeInt } from './cliArgs';

export const ENDPOINT_ENTRY = 'dist/tasks/EndpointHardeningCheck/index.js';
export const GOAL_WALL_MS = 3000;
const RG = 'rg-ml-endpoints';
const WS = 'mlw-endpoints';
/** The task's defaults (task.json), stated so the document can say what ran. */
export const TASK_DEFAULTS = { probe: true, probeTimeoutSeconds: 5, monitoringDays: 7 } as const;
const ANONYMOUS_ENVIRONMENT = /\/environments\/CliV2AnonymousEnvironment\/versions\/[^/]+$/i;

// ------------------------------------------------------------------------------------------- expected requests

/** What the scenario holds that the request formula depends on, counted from the scenario's own resources. */
export interface EndpointScenarioFacts {
  online: number;
  batch: number;
  /** Deployments of each endpoint (online then batch). */
  deploymentsPerEndpoint: number[];
  /** Computes in the workspace (the collector lists all of them and keeps some). */
  computes: number;
  /** Distinct AKS clusters behind the workspace's Kubernetes computes (one extension list each). */
  kubernetesClusters: number;
  hasRegistry: boolean;
  /** Role assignments ARM lists at the workspace without a filter: at, above and below it. */
  rawRoleAssignments: number;
  /** Distinct role definitions among the assignments the collector keeps. */
  keptRoleDefinitions: number;
  /** Distinct anonymous (inline-image) environment versions the deployments reference. */
  anonymousEnvironmentVersions: number;
  /** Activity-log events of the resource group in the window (the emulator's default data leaves rg-ml-endpoints quiet). */
  activityEvents: number;
}

const lower = (s: unknown) => String(s ?? '').toLowerCase();

/** Counts the facts of `endpoints:<n>` by building the scenario as the emulator does (no server, no network). */
export function endpointScenarioFacts(n: number): EndpointScenarioFacts {
  const env = { subscriptionId: '00000000-0000-4000-8000-000000000000', tenantId: '00000000-0000-4000-8000-000000000001', location: 'westeurope', pipelinePrincipalId: '00000000-0000-4000-8000-000000000002' };
  const s = buildScenario(`endpoints:${n}`, env);
  const ws = lower(s.workspaceId);
  const under = (r: ArmResource, type: string) => new RegExp(`^${escape(ws)}/${type}/[^/]+$`, 'i').test(r.id);
  const online = s.resources.filter((r) => under(r, 'onlineEndpoints'));
  const batch = s.resources.filter((r) => under(r, 'batchEndpoints'));
  const deployments = s.resources.filter((r) => /\/(online|batch)Endpoints\/[^/]+\/deployments\/[^/]+$/i.test(r.id));
  const computes = s.resources.filter((r) => under(r, 'computes'));
  const clusters = new Set(computes.filter((c) => lower(c.properties?.computeType) === 'kubernetes').map((c) => lower(c.properties?.resourceId)));
  const assignments = s.resources.filter((r) => /\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i.test(r.id));
  const visible = assignments.filter((a) => {
    const scope = lower(a.properties?.scope);
    return scope === '/' || ws === scope || ws.startsWith(`${scope}/`) || scope.startsWith(`${ws}/`);
  });
  const kept = keepAssignments(visible, s.workspaceId, [...online, ...batch].map((e) => e.id));
  const workspace = s.resources.find((r) => lower(r.id) === ws);
  return {
    online: online.length,
    batch: batch.length,
    deploymentsPerEndpoint: [...online, ...batch].map((e) => deployments.filter((d) => lower(d.id).startsWith(`${lower(e.id)}/deployments/`)).length),
    computes: computes.length,
    kubernetesClusters: clusters.size,
    hasRegistry: typeof workspace?.properties?.containerRegistry === 'string',
    rawRoleAssignments: visible.length,
    keptRoleDefinitions: new Set(kept.map((a) => lower(a.properties?.roleDefinitionId))).size,
    anonymousEnvironmentVersions: new Set(deployments.map((d) => lower(d.properties?.environmentId)).filter((id) => ANONYMOUS_ENVIRONMENT.test(id))).size,
    activityEvents: 0,
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Request kinds of one EndpointHardeningCheck run, in the order the formula lists them. */
export const ENDPOINT_REQUEST_KINDS = [
  'workspace', 'onlineEndpoints', 'batchEndpoints', 'deployments', 'computes', 'extensions', 'registry',
  'roleAssignments', 'roleDefinitions', 'environmentVersions', 'metrics', 'activityLog',
] as const;
export type EndpointRequestKind = (typeof ENDPOINT_REQUEST_KINDS)[number];

export interface ExpectedEndpointRequests {
  /** Requests per kind, and the formula term each comes from. */
  byKind: Record<EndpointRequestKind, number>;
  formula: Record<EndpointRequestKind, string>;
  /** The collector's share (everything but metrics and the activity log). */
  inventory: number;
  monitoring: number;
  total: number;
}

/** The formula of shared/azure/endpointInventory.ts and shared/azure/monitoring.ts, applied to the scenario's facts. */
export function expectedEndpointRequests(f: EndpointScenarioFacts, pageSize: number): ExpectedEndpointRequests {
  const P = (items: number) => pagesFor(items, pageSize);
  const byKind: Record<EndpointRequestKind, number> = {
    workspace: 1,
    onlineEndpoints: P(f.online),
    batchEndpoints: P(f.batch),
    deployments: f.deploymentsPerEndpoint.reduce((sum, d) => sum + P(d), 0),
    computes: P(f.computes),
    extensions: f.kubernetesClusters,
    registry: f.hasRegistry ? 1 : 0,
    roleAssignments: P(f.rawRoleAssignments),
    roleDefinitions: f.keptRoleDefinitions,
    environmentVersions: f.anonymousEnvironmentVersions,
    metrics: f.online,
    activityLog: P(f.activityEvents),
  };
  const formula: Record<EndpointRequestKind, string> = {
    workspace: '1',
    onlineEndpoints: `P(${f.online} online endpoints)`,
    batchEndpoints: `P(${f.batch} batch endpoints)`,
    deployments: `Σ P(deployments) over ${f.deploymentsPerEndpoint.length} endpoints`,
    computes: `P(${f.computes} computes)`,
    extensions: `1 per Kubernetes cluster (${f.kubernetesClusters})`,
    registry: f.hasRegistry ? '1 (linked ACR)' : '0 (no ACR)',
    roleAssignments: `P(${f.rawRoleAssignments} assignments at, above, below the workspace)`,
    roleDefinitions: `1 per distinct role kept (${f.keptRoleDefinitions})`,
    environmentVersions: `1 per distinct anonymous environment (${f.anonymousEnvironmentVersions})`,
    metrics: `1 per online endpoint (${f.online})`,
    activityLog: `P(${f.activityEvents} events)`,
  };
  const monitoring = byKind.metrics + byKind.activityLog;
  const total = Object.values(byKind).reduce((a, b) => a + b, 0);
  return { byKind, formula, inventory: total - monitoring, monitoring, total };
}

// ------------------------------------------------------------------------------------------- reading the log

/** The formula's kind of one ARM request path, or undefined for something the formula does not know. */
export function endpointRequestKind(path: string): EndpointRequestKind | undefined {
  const p = path.toLowerCase();
  if (/\/providers\/microsoft\.insights\/metrics$/.test(p)) return 'metrics';
  if (/\/providers\/microsoft\.insights\/eventtypes\/management\/values$/.test(p)) return 'activityLog';
  if (/\/providers\/microsoft\.authorization\/roleassignments$/.test(p)) return 'roleAssignments';
  if (/\/providers\/microsoft\.authorization\/roledefinitions\/[^/]+$/.test(p)) return 'roleDefinitions';
  if (/\/providers\/microsoft\.kubernetesconfiguration\/extensions$/.test(p)) return 'extensions';
  if (/\/microsoft\.containerregistry\/registries\/[^/]+$/.test(p)) return 'registry';
  if (/\/(online|batch)endpoints\/[^/]+\/deployments$/.test(p)) return 'deployments';
  if (/\/onlineendpoints$/.test(p)) return 'onlineEndpoints';
  if (/\/batchendpoints$/.test(p)) return 'batchEndpoints';
  if (/\/environments\/[^/]+\/versions\/[^/]+$/.test(p)) return 'environmentVersions';
  if (/\/computes$/.test(p)) return 'computes';
  if (/\/workspaces\/[^/]+$/.test(p)) return 'workspace';
  return undefined;
}

export interface EndpointRequestCount {
  byKind: Partial<Record<EndpointRequestKind, number>>;
  /** ARM requests no formula term covers (paths, at most 10). */
  unexpected: string[];
  /** Anything but GET on ARM (a read-only check has none). */
  nonGet: number;
  armTotal: number;
}

export function countEndpointRequests(log: readonly RequestRecord[]): EndpointRequestCount {
  const out: EndpointRequestCount = { byKind: {}, unexpected: [], nonGet: 0, armTotal: 0 };
  for (const r of log) {
    if (r.service !== 'arm') continue;
    out.armTotal++;
    if (r.method !== 'GET') out.nonGet++;
    const kind = endpointRequestKind(r.path);
    if (kind) out.byKind[kind] = (out.byKind[kind] ?? 0) + 1;
    else if (out.unexpected.length < 10) out.unexpected.push(`${r.method} ${r.path}`);
  }
  return out;
}

/** A phase of a run: from its first request's arrival to its last answer, in ms since the spawn. */
export interface Span {
  fromMs: number;
  toMs: number;
  requests: number;
  /** Most requests of the phase in flight at once, at the server. */
  peakInFlight: number;
}

export interface EndpointTimeline {
  /** Spawn → first request (process start, module load, inputs, policy). */
  startupMs: number;
  /** Requests before the first ARM request (Azure DevOps OIDC token, Entra discovery and token). */
  signIn?: Span;
  /** The collector's ARM reads (workspace, endpoints, deployments, computes, extensions, registry, roles, environments). */
  inventory?: Span;
  /** Metrics reads and the activity log. */
  monitoring?: Span;
  /** Anonymous and plain-HTTP requests to the scoring hosts (handshake-only probes leave no log entry). */
  probes?: Span;
  /** Last answer of any kind → process exit (rules already ran; reports, evidence, exit). */
  tailMs: number;
  /** Longest chain of dependent collector requests implied by the inventory span at the emulator's latency. */
  inventoryRoundTrips: number;
}

function span(records: readonly RequestRecord[], origin: number): Span | undefined {
  if (!records.length) return undefined;
  const events: Array<[number, number]> = [];
  let from = Infinity;
  let to = -Infinity;
  for (const r of records) {
    const start = Date.parse(r.time) - origin;
    const end = start + r.durationMs;
    from = Math.min(from, start);
    to = Math.max(to, end);
    events.push([start, 1], [end, -1]);
  }
  // An answer at the same millisecond as an arrival counts as finished first.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0;
  let peak = 0;
  for (const [, d] of events) peak = Math.max(peak, (inFlight += d));
  return { fromMs: from, toMs: to, requests: records.length, peakInFlight: peak };
}

/** Splits one run's wall time by what the request log shows (the emulator's clock is this machine's). */
export function endpointTimeline(log: readonly RequestRecord[], spawnAt: number, exitAt: number, latencyMs: number): EndpointTimeline {
  const arm = log.filter((r) => r.service === 'arm');
  const firstArm = arm.length ? Math.min(...arm.map((r) => Date.parse(r.time))) : Infinity;
  const isMonitoring = (r: RequestRecord) => {
    const k = endpointRequestKind(r.path);
    return k === 'metrics' || k === 'activityLog';
  };
  const signIn = span(log.filter((r) => r.service !== 'arm' && !r.path.startsWith('/_scoring/') && Date.parse(r.time) < firstArm), spawnAt);
  const inventory = span(arm.filter((r) => !isMonitoring(r)), spawnAt);
  const monitoring = span(arm.filter(isMonitoring), spawnAt);
  const probes = span(log.filter((r) => r.path.startsWith('/_scoring/')), spawnAt);
  const first = log.length ? Math.min(...log.map((r) => Date.parse(r.time))) - spawnAt : exitAt - spawnAt;
  const last = log.length ? Math.max(...log.map((r) => Date.parse(r.time) + r.durationMs)) - spawnAt : first;
  return {
    startupMs: first,
    signIn,
    inventory,
    monitoring,
    probes,
    tailMs: exitAt - spawnAt - last,
    inventoryRoundTrips: inventory && latencyMs > 0 ? Math.round((inventory.toMs - inventory.fromMs) / latencyMs) : 0,
  };
}

// ------------------------------------------------------------------------------------------- running

export interface EndpointRunFigures {
  wallMs: number;
  /** CPU (user + system) of the task process; undefined off Linux. */
  cpuMs?: number;
  /** CPU the emulator spent during the run (it shares the machine's cores with the task). */
  emulatorCpuMs?: number;
  arm: ArmCount;
  requests: EndpointRequestCount;
  /** Requests per service in the log (arm, entra, devops, other = scoring hosts). */
  services: Record<string, number>;
  timeline: EndpointTimeline;
  endpointCount?: string;
  findingCount?: string;
}

export interface NodeEndpointResult {
  node: string;
  version: string;
  wall: Summary;
  cpu?: Summary;
  runs: EndpointRunFigures[];
}

export interface ProbeNodeResult {
  node: string;
  version: string;
  wall: Summary;
  runs: ProbeBenchResult[];
}

/** One extra run per Node under V8's sampling profiler (not among the timed runs): the main thread's time by area. */
export interface ProfiledRun {
  node: string;
  version: string;
  wallMs: number;
  cpu: CpuByArea;
}

export interface EndpointBenchResult {
  endpoints: number;
  latencyMs: number;
  pageSize: number;
  goalMs: number;
  task: typeof TASK_DEFAULTS;
  facts: EndpointScenarioFacts;
  expected: ExpectedEndpointRequests;
  /** Smallest server-side duration per service in the log: shows the latency applied to every request. */
  latencyByService: Record<string, number>;
  /** 1-minute load average when the part started and ended (other work on the machine inflates wall times). */
  load: { before: number; after: number };
  cores: number;
  gate: NodeEndpointResult[];
  /** Absent with --probe-runs 0. */
  probes?: ProbeNodeResult[];
  /** Absent with --profile-runs 0. */
  profiles?: ProfiledRun[];
}

let ticksPerSecond: number | undefined;

/** User + system CPU ms of a live process from /proc/<pid>/stat; undefined off Linux. */
export function processCpuMs(pid: number): number | undefined {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const rest = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = rest.slice(rest.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the stat line; after "(comm)" they are at 11 and 12.
    return ((Number(f[11]) + Number(f[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

function countServices(log: readonly RequestRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of log) out[r.service] = (out[r.service] ?? 0) + 1;
  return out;
}

async function taskRun(emu: EmulatorProcess, node: NodeBin, latencyMs: number, entry: string, extraEnv: Record<string, string> = {}): Promise<{ figures: EndpointRunFigures; log: RequestRecord[] }> {
  const conn = wifConnection(emu.info as unknown as LocalAzure);
  const tempDir = mkdtempSync(join(tmpdir(), 'mlops-bench-ep-'));
  try {
    await emu.resetRequests();
    const cpuBefore = reapedChildCpuMs();
    const emuBefore = processCpuMs(emu.info.pid);
    const spawnAt = Date.now();
    // The task's defaults for probes and monitoring: what a user's pipeline runs.
    const run = await runTask({
      entry,
      node: node.bin,
      inputs: { azureSubscription: conn.id, resourceGroupName: RG, workspaceName: WS, failOnSeverity: 'high' },
      env: { NODE_EXTRA_CA_CERTS: emu.info.caCertPath, ...conn.env, ...extraEnv },
      tempDir,
      timeoutMs: 120_000,
    });
    const exitAt = spawnAt + run.durationMs;
    const cpuAfter = reapedChildCpuMs();
    const emuAfter = processCpuMs(emu.info.pid);
    if (!/findings? at or above|No finding at or above/.test(run.resultMessage ?? '')) {
      throw new Error(`EndpointHardeningCheck on ${node.label} did not complete: ${run.result} ${run.resultMessage ?? ''}\n${withoutSecrets(run.stdout).slice(-2000)}\n${run.stderr.slice(-2000)}`);
    }
    const log = await emu.requests();
    return {
      log,
      figures: {
        wallMs: run.durationMs,
        cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
        emulatorCpuMs: emuBefore !== undefined && emuAfter !== undefined ? emuAfter - emuBefore : undefined,
        arm: countArm(log, spawnAt),
        requests: countEndpointRequests(log),
        services: countServices(log),
        timeline: endpointTimeline(log, spawnAt, exitAt, latencyMs),
        endpointCount: run.outputs.endpointCount,
        findingCount: run.outputs.findingCount,
      },
    };
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

/** One probe bench (bench/probeConcurrency.ts) in a fresh process of `node`, so each Node is measured on its own. */
function probeRun(repo: string, node: NodeBin, n: number, timeoutMs: number): Promise<ProbeBenchResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(node.bin, [join(repo, 'build/bench/probeConcurrency.js'), String(n), String(timeoutMs)], { cwd: repo, timeout: timeoutMs * 10 + 30_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`probe bench on ${node.label} failed: ${err.message}\n${stderr}`));
      try {
        resolvePromise(JSON.parse(stdout.trim().split('\n').pop() ?? '') as ProbeBenchResult);
      } catch (e) {
        reject(new Error(`probe bench on ${node.label} printed no result: ${(e as Error).message}\n${stdout}\n${stderr}`));
      }
    });
  });
}

export interface EndpointBenchOptions {
  repo: string;
  caDir: string;
  nodes: NodeBin[];
  runs: number;
  endpoints: number;
  latencyMs: number;
  pageSize: number;
  probeEndpoints: number;
  probeTimeoutMs: number;
  probeRuns: number;
  /** Extra runs per Node under the CPU profiler (0: none). */
  profileRuns: number;
  entry?: string;
  log?: (line: string) => void;
}

/** One run with bench/profilePreload.js loaded into the task; its profile split by area. */
async function profiledRun(emu: EmulatorProcess, repo: string, node: NodeBin, latencyMs: number, entry: string): Promise<ProfiledRun> {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-bench-prof-'));
  try {
    const file = join(dir, 'task.cpuprofile');
    const r = await taskRun(emu, node, latencyMs, entry, { NODE_OPTIONS: `--require ${join(repo, 'build/bench/profilePreload.js')}`, MLOPS_BENCH_CPU_PROFILE: file });
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    // For a closer look by hand (e.g. in Chrome DevTools): MLOPS_BENCH_KEEP_PROFILE=<dir> keeps each profile.
    if (process.env.MLOPS_BENCH_KEEP_PROFILE) copyFileSync(file, join(process.env.MLOPS_BENCH_KEEP_PROFILE, `endpoints-${node.label}-${Date.now()}.cpuprofile`));
    return { node: node.label, version: nodeVersion(node.bin), wallMs: r.figures.wallMs, cpu: cpuByArea(profile, sourceMapNamer()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function nodeVersion(bin: string): string {
  return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
}

export async function runEndpointBench(o: EndpointBenchOptions): Promise<EndpointBenchResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const loadBefore = loadavg()[0];
  const facts = endpointScenarioFacts(o.endpoints);
  const expected = expectedEndpointRequests(facts, o.pageSize);
  const entry = o.entry ?? ENDPOINT_ENTRY;
  const versions = new Map(o.nodes.map((n) => [n.label, nodeVersion(n.bin)]));
  const latencyByService: Record<string, number> = {};
  const perNode = new Map<string, EndpointRunFigures[]>(o.nodes.map((n) => [n.label, []]));
  const profiles: ProfiledRun[] = [];
  const emu = await startEmulator({ repo: o.repo, caDir: o.caDir, scenarios: [`endpoints:${o.endpoints}`], latencyMs: o.latencyMs, pageSize: o.pageSize });
  try {
    // Warm-up per node (cold file cache, compile cache), then the nodes take turns so other load falls on both alike.
    for (const node of o.nodes) await taskRun(emu, node, o.latencyMs, entry);
    for (let i = 0; i < o.runs; i++) {
      for (const node of o.nodes) {
        const r = await taskRun(emu, node, o.latencyMs, entry);
        for (const x of r.log) latencyByService[x.service] = Math.min(latencyByService[x.service] ?? Infinity, x.durationMs);
        perNode.get(node.label)!.push(r.figures);
        const t = r.figures.timeline;
        log(`  endpoints ${node.label} run ${i + 1}/${o.runs}: ${r.figures.wallMs.toFixed(0)} ms (CPU ${r.figures.cpuMs?.toFixed(0) ?? '?'} ms, emulator ${r.figures.emulatorCpuMs?.toFixed(0) ?? '?'} ms), ` +
          `ARM ${r.figures.requests.armTotal} (expected ${expected.total}), inventory ${t.inventory ? `${t.inventory.fromMs}-${t.inventory.toMs}` : '-'} ms, ` +
          `monitoring ${t.monitoring ? `${t.monitoring.fromMs}-${t.monitoring.toMs}` : '-'} ms, probes ${t.probes ? `${t.probes.fromMs}-${t.probes.toMs}` : '-'} ms`);
      }
    }
    for (let i = 0; i < o.profileRuns; i++) {
      for (const node of o.nodes) {
        const p = await profiledRun(emu, o.repo, node, o.latencyMs, entry);
        profiles.push(p);
        log(`  profiled ${node.label}: ${p.wallMs.toFixed(0)} ms; ${p.cpu.areas.slice(0, 4).map((a) => `${a.area} ${a.ms} ms`).join(', ')}`);
      }
    }
  } finally {
    await emu.stop();
  }
  const gate = o.nodes.map((node) => {
    const runs = perNode.get(node.label)!;
    const cpu = runs.map((r) => r.cpuMs).filter((x): x is number => x !== undefined);
    return { node: node.label, version: versions.get(node.label)!, wall: summarize(runs.map((r) => r.wallMs)), ...(cpu.length === runs.length ? { cpu: summarize(cpu) } : {}), runs };
  });

  let probes: ProbeNodeResult[] | undefined;
  if (o.probeRuns > 0) {
    const probeRuns = new Map<string, ProbeBenchResult[]>(o.nodes.map((n) => [n.label, []]));
    for (let i = 0; i < o.probeRuns; i++) {
      for (const node of o.nodes) {
        const r = await probeRun(o.repo, node, o.probeEndpoints, o.probeTimeoutMs);
        probeRuns.get(node.label)!.push(r);
        log(`  probes ${node.label} run ${i + 1}/${o.probeRuns}: ${r.wallMs} ms for ${r.n} endpoints (goal ${r.goalMs} ms), ${r.maxOpenSilent}/${r.silentConnections} silent connections open at once`);
      }
    }
    probes = o.nodes.map((node) => {
      const runs = probeRuns.get(node.label)!;
      return { node: node.label, version: versions.get(node.label)!, wall: summarize(runs.map((r) => r.wallMs)), runs };
    });
  }

  return {
    endpoints: o.endpoints, latencyMs: o.latencyMs, pageSize: o.pageSize, goalMs: GOAL_WALL_MS, task: TASK_DEFAULTS,
    facts, expected, latencyByService, load: { before: loadBefore, after: loadavg()[0] }, cores: availableParallelism(), gate, probes,
    ...(profiles.length ? { profiles } : {}),
  };
}

function parseCli(argv: string[]): EndpointBenchOptions & { out: string } {
  const o = {
    repo: resolve(__dirname, '..', '..'), caDir: '.cache/test-ca', nodes: [] as NodeBin[], runs: 5, endpoints: 200, latencyMs: 100, pageSize: 50,
    probeEndpoints: 50, probeTimeoutMs: 2000, probeRuns: 3, profileRuns: 1, out: '', entry: undefined as string | undefined,
  };
  const int = nonNegativeInt;
  for (let i = 0; i < argv.length; i++) {
    const [flag, v] = [argv[i], argv[++i]];
    switch (flag) {
      case '--out': o.out = v; break;
      case '--ca-dir': o.caDir = v; break;
      case '--entry': o.entry = v; break;
      case '--node': o.nodes.push(nodeBin(v)); break;
      case '--runs': o.runs = int(v, flag); break;
      case '--endpoints': o.endpoints = int(v, flag); break;
      case '--latency-ms': o.latencyMs = int(v, flag); break;
      case '--page-size': o.pageSize = int(v, flag); break;
      case '--probe-endpoints': o.probeEndpoints = int(v, flag); break;
      case '--probe-timeout-ms': o.probeTimeoutMs = int(v, flag); break;
      case '--probe-runs': o.probeRuns = int(v, flag); break;
      case '--profile-runs': o.profileRuns = int(v, flag); break;
      default: throw new Error(`unknown argument ${flag}`);
    }
  }
  if (!o.out) throw new Error('--out is required');
  if (!o.nodes.length) o.nodes.push({ label: `Node ${process.version}`, bin: process.execPath });
  if (o.runs < 1) throw new Error('--runs must be at least 1');
  if (o.pageSize < 1) throw new Error('--page-size must be at least 1');
  return o;
}

if (require.main === module) {
  (async () => {
    const o = parseCli(process.argv.slice(2));
    const result = await runEndpointBench(o);
    writeFileSync(o.out, JSON.stringify(result, null, 2));
  })().catch((e: unknown) => {
    process.stderr.write(`endpoint bench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
