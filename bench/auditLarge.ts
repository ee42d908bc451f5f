/**
 * Goal 1: SecurityGate audits a workspace with 1,000 children behind 100 ms per request in ≤ 2 s wall, with
 * ARM requests = list pages + a constant. Runs the bundled task as the agent does (child process, workload
 * identity federation) against the local Azure, and the naive collector as a same-script reference.
 *
 * CLI: node build/bench/auditLarge.js --out <file.json> --node <label>=<bin> [--node …] [--runs 5]
 *      [--naive-runs 1] [--size 1000] [--latency-ms 100] [--page-size 50] [--scale 250,4000] [--entry dist/…/index.js]
 * Needs NODE_EXTRA_CA_CERTS (the test CA) in its own environment for the in-process reference.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { wifConnection } from '../test/agent/connections';
import { runTask, type TaskRun } from '../test/agent/runTask';
import type { LocalAzure } from '../test/azure/server';
import { countArm, expectedLarge, timeline, type ArmCount, type ExpectedRequests, type Timeline } from './armRequests';
import { reapedChildCpuMs } from './childCpu';
import { startEmulator, type EmulatorProcess } from './emulator';
import { naiveAudit, type NaiveResult } from './naiveCollector';
import { summarize, type Summary } from './stats';
import { nodeBin, nonNegativeInt } from './cliArgs';

export const ENTRY = 'dist/tasks/SecurityGate/index.js';
const RG = 'rg-ml-large';
const WS = 'mlw-large';

export interface NodeBin {
  label: string;
  bin: string;
}

export interface AuditBenchOptions {
  repo: string;
  caDir: string;
  nodes: NodeBin[];
  runs: number;
  naiveRuns: number;
  size: number;
  latencyMs: number;
  pageSize: number;
  /** Other scenario sizes, one gate run each on the first node, to show the request count is pages + constant. */
  scale: number[];
  /** The bundled task to run; default ENTRY (an experimental bundle elsewhere can be compared with --entry). */
  entry?: string;
  log?: (line: string) => void;
}

export interface GateRunFigures {
  wallMs: number;
  /** CPU time (user + system) of the task process; undefined off Linux. */
  cpuMs?: number;
  firstOutputMs?: number;
  arm: ArmCount;
  timeline: Timeline;
  findingCount?: string;
  /** Requests per service (arm, entra, devops). */
  services: Record<string, number>;
}

export interface NodeAuditResult {
  node: string;
  version: string;
  wall: Summary;
  cpu?: Summary;
  runs: GateRunFigures[];
}

export interface ScalePoint {
  size: number;
  wallMs: number;
  expected: ExpectedRequests;
  arm: ArmCount;
}

export interface AuditBenchResult {
  size: number;
  latencyMs: number;
  pageSize: number;
  expected: ExpectedRequests;
  /** Smallest server-side duration in the log: proves the latency applied to every request. */
  minRequestMs: number;
  /** Services that answered at least once, each with its smallest duration. */
  latencyByService: Record<string, number>;
  gate: NodeAuditResult[];
  /** Absent when run with --naive-runs 0 (quick iterations only; npm run bench always runs it). */
  naive?: { wall: Summary; arm: ArmCount; services: Record<string, number>; items: NaiveResult['items'] };
  /** Why the naive reference could not complete its runs (after one retry); the runs that did complete are in `naive`. */
  naiveError?: string;
  scale: ScalePoint[];
}

function countServices(log: { service: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of log) out[r.service] = (out[r.service] ?? 0) + 1;
  return out;
}

async function gateRun(emu: EmulatorProcess, node: NodeBin, latencyMs: number, entry: string): Promise<{ run: TaskRun; figures: GateRunFigures; log: Awaited<ReturnType<EmulatorProcess['requests']>> }> {
  // wifConnection reads only the emulator's data fields, which the CLI printed.
  const conn = wifConnection(emu.info as unknown as LocalAzure);
  const tempDir = mkdtempSync(join(tmpdir(), 'mlops-bench-'));
  try {
    await emu.resetRequests();
    const cpuBefore = reapedChildCpuMs();
    const spawnAt = Date.now();
    const run = await runTask({
      entry,
      node: node.bin,
      // The goal is the workspace audit: the repository scan (on by default) is timed by its own benchmark.
      inputs: { azureSubscription: conn.id, resourceGroupName: RG, workspaceName: WS, failOnSeverity: 'high', scanRepository: 'false' },
      env: { NODE_EXTRA_CA_CERTS: emu.info.caCertPath, ...conn.env },
      tempDir,
      timeoutMs: 120_000,
    });
    const exitAt = spawnAt + run.durationMs;
    const cpuAfter = reapedChildCpuMs();
    // The gate must have audited: a collection error or a crash makes the timing meaningless.
    if (!/findings? at or above|No finding at or above/.test(run.resultMessage ?? '')) {
      throw new Error(`SecurityGate on ${node.label} did not complete an audit: ${run.result} ${run.resultMessage ?? ''}\n${withoutSecrets(run.stdout).slice(-2000)}\n${run.stderr.slice(-2000)}`);
    }
    const log = await emu.requests();
    return {
      run,
      log,
      figures: {
        wallMs: run.durationMs,
        cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
        firstOutputMs: run.firstOutputMs,
        arm: countArm(log, spawnAt),
        timeline: timeline(log, spawnAt, exitAt, latencyMs),
        findingCount: run.outputs.findingCount,
        services: countServices(log),
      },
    };
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

function nodeVersion(bin: string): string {
  return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** The agent masks what `task.setsecret` names; a raw log still carries the value in that command. */
export function withoutSecrets(stdout: string): string {
  return stdout.split('\n').filter((l) => !/^##vso\[task\.setsecret\]/i.test(l.trim())).join('\n');
}

export async function runAuditBench(o: AuditBenchOptions): Promise<AuditBenchResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const emu = await startEmulator({ repo: o.repo, caDir: o.caDir, scenarios: [`large:${o.size}`], latencyMs: o.latencyMs, pageSize: o.pageSize });
  const expected = expectedLarge(o.size, o.pageSize);
  let minRequestMs = Infinity;
  const latencyByService: Record<string, number> = {};
  const seeLatency = (l: { service: string; durationMs: number }[]) => {
    for (const r of l) {
      minRequestMs = Math.min(minRequestMs, r.durationMs);
      latencyByService[r.service] = Math.min(latencyByService[r.service] ?? Infinity, r.durationMs);
    }
  };
  try {
    // Warm-up per node (the first spawn pays for cold file caches), then the nodes take turns run by run,
    // so that load from other work on the machine falls on both alike.
    const versions = new Map<string, string>();
    for (const node of o.nodes) {
      versions.set(node.label, nodeVersion(node.bin));
      await gateRun(emu, node, o.latencyMs, o.entry ?? ENTRY);
    }
    const perNode = new Map<string, GateRunFigures[]>(o.nodes.map((n) => [n.label, []]));
    for (let i = 0; i < o.runs; i++) {
      for (const node of o.nodes) {
        const r = await gateRun(emu, node, o.latencyMs, o.entry ?? ENTRY);
        seeLatency(r.log);
        perNode.get(node.label)!.push(r.figures);
        log(`  audit ${node.label} run ${i + 1}/${o.runs}: ${r.figures.wallMs.toFixed(0)} ms (CPU ${r.figures.cpuMs?.toFixed(0) ?? '?'} ms), ARM ${r.figures.arm.total} (${r.figures.arm.listPages} pages + ${r.figures.arm.singleGets} GETs)`);
      }
    }
    const gate: NodeAuditResult[] = o.nodes.map((node) => {
      const runs = perNode.get(node.label)!;
      const cpu = runs.map((r) => r.cpuMs).filter((x): x is number => x !== undefined);
      return { node: node.label, version: versions.get(node.label)!, wall: summarize(runs.map((r) => r.wallMs)), ...(cpu.length === runs.length ? { cpu: summarize(cpu) } : {}), runs };
    });

    const naiveWalls: number[] = [];
    let naiveArm: ArmCount | undefined;
    let naiveServices: Record<string, number> = {};
    let items: NaiveResult['items'] = {};
    let naiveError: string | undefined;
    // One retry per run: the reference is a plain script and a transient sign-in failure should not cost the
    // whole benchmark; a second failure is recorded (and makes the script exit non-zero) rather than hidden.
    for (let i = 0, attempt = 0; i < o.naiveRuns && !naiveError; ) {
      await emu.resetRequests();
      const t0 = performance.now();
      try {
        const r = await naiveAudit({
          armUrl: emu.info.armUrl, authorityHost: emu.info.authorityHost, tenantId: emu.info.tenantId, clientId: emu.info.clientId,
          clientSecret: emu.info.clientSecret, subscriptionId: emu.info.subscriptionId, resourceGroup: RG, workspace: WS,
        });
        naiveWalls.push(performance.now() - t0);
        items = r.items;
      } catch (e) {
        const seen = (await emu.requests()).map((x) => `${x.service} ${x.method} ${x.status}`).slice(0, 6).join(', ') || 'none';
        const msg = `${oneLine((e as Error).message)} (requests the emulator saw: ${seen})`;
        if (++attempt <= 1) log(`  naive reference run ${i + 1} failed, retrying once: ${msg}`);
        else naiveError = msg;
        continue;
      }
      const l = await emu.requests();
      seeLatency(l);
      naiveArm = countArm(l);
      naiveServices = countServices(l);
      log(`  naive reference run ${i + 1}/${o.naiveRuns}: ${naiveWalls[i].toFixed(0)} ms, ARM ${naiveArm.total}`);
      i++;
      attempt = 0;
    }

    const scale: ScalePoint[] = [];
    for (const size of o.scale) {
      const other = await startEmulator({ repo: o.repo, caDir: o.caDir, scenarios: [`large:${size}`], latencyMs: o.latencyMs, pageSize: o.pageSize });
      try {
        const r = await gateRun(other, o.nodes[0], o.latencyMs, o.entry ?? ENTRY);
        scale.push({ size, wallMs: r.figures.wallMs, expected: expectedLarge(size, o.pageSize), arm: r.figures.arm });
        log(`  scale large:${size}: ${r.figures.wallMs.toFixed(0)} ms, ARM ${r.figures.arm.total} (${r.figures.arm.listPages} pages + ${r.figures.arm.singleGets} GETs)`);
      } finally {
        await other.stop();
      }
    }

    return {
      size: o.size, latencyMs: o.latencyMs, pageSize: o.pageSize, expected, minRequestMs, latencyByService, gate,
      naive: naiveArm ? { wall: summarize(naiveWalls), arm: naiveArm, services: naiveServices, items } : undefined,
      ...(naiveError ? { naiveError } : {}),
      scale,
    };
  } finally {
    await emu.stop();
  }
}

function parseCli(argv: string[]): AuditBenchOptions & { out: string } {
  const o = {
    repo: resolve(__dirname, '..', '..'), caDir: '.cache/test-ca', nodes: [] as NodeBin[], runs: 5, naiveRuns: 1,
    size: 1000, latencyMs: 100, pageSize: 50, scale: [] as number[], out: '', entry: undefined as string | undefined,
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
      case '--naive-runs': o.naiveRuns = int(v, flag); break;
      case '--size': o.size = int(v, flag); break;
      case '--latency-ms': o.latencyMs = int(v, flag); break;
      case '--page-size': o.pageSize = int(v, flag); break;
      case '--scale': o.scale = v ? v.split(',').map((s) => int(s, flag)) : []; break;
      default: throw new Error(`unknown argument ${flag}`);
    }
  }
  if (!o.out) throw new Error('--out is required');
  if (!o.nodes.length) o.nodes.push({ label: `Node ${process.version}`, bin: process.execPath });
  if (o.runs < 1) throw new Error('--runs must be at least 1');
  return o;
}

if (require.main === module) {
  (async () => {
    const o = parseCli(process.argv.slice(2));
    const result = await runAuditBench(o);
    writeFileSync(o.out, JSON.stringify(result, null, 2));
  })().catch((e: unknown) => {
    process.stderr.write(`audit bench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
