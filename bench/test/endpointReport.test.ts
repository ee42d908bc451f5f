import * as assert from 'node:assert/strict';
import { expectedLarge } from '../armRequests';
import type { AuditBenchResult } from '../auditLarge';
import { expectedEndpointRequests, type EndpointBenchResult, type EndpointRunFigures, type EndpointScenarioFacts } from '../endpointAudit';
import type { ProbeBenchResult } from '../probeConcurrency';
import { renderBenchmarks, type BenchReport } from '../report';
import { summarize } from '../stats';

const FACTS: EndpointScenarioFacts = {
  online: 200, batch: 20, deploymentsPerEndpoint: [...Array(200).fill(3), ...Array(20).fill(1)], computes: 10, kubernetesClusters: 2, hasRegistry: true,
  rawRoleAssignments: 24, keptRoleDefinitions: 3, anonymousEnvironmentVersions: 0, activityEvents: 0,
};
const EXPECTED = expectedEndpointRequests(FACTS, 50);

function run(wallMs: number, byKind: Partial<Record<string, number>> = EXPECTED.byKind): EndpointRunFigures {
  const armTotal = Object.values(byKind).reduce((a: number, b) => a + (b ?? 0), 0);
  return {
    wallMs, cpuMs: wallMs * 0.9, emulatorCpuMs: 900,
    arm: { total: armTotal, listPages: 0, singleGets: 0, other: 0, lists: {}, gets: {} },
    requests: { byKind, unexpected: [], nonGet: 0, armTotal },
    services: { arm: armTotal, devops: 2, entra: 2, other: 300 },
    timeline: {
      startupMs: 600,
      signIn: { fromMs: 600, toMs: 1050, requests: 4, peakInFlight: 1 },
      inventory: { fromMs: 1060, toMs: 2000, requests: 234, peakInFlight: 64 },
      monitoring: { fromMs: 1500, toMs: 2300, requests: 201, peakInFlight: 64 },
      probes: { fromMs: 1510, toMs: 2400, requests: 300, peakInFlight: 100 },
      tailMs: 400,
      inventoryRoundTrips: 9,
    },
  };
}

function probeRun(wallMs: number): ProbeBenchResult {
  return { n: 50, timeoutMs: 2000, wallMs, goalMs: 2500, metGoal: wallMs <= 2500, answeringServers: 25, silentServers: 25, silentConnections: 75, maxOpenSilent: 75, statuses: { pass: 100, fail: 25, unreachable: 100, 'not-applicable': 25 } };
}

function endpoints(walls: number[], runs = walls.map((w) => run(w)), probeWalls = [2100, 2200, 2150]): EndpointBenchResult {
  return {
    endpoints: 200, latencyMs: 100, pageSize: 50, goalMs: 3000, task: { probe: true, probeTimeoutSeconds: 5, monitoringDays: 7 },
    facts: FACTS, expected: EXPECTED, latencyByService: { arm: 100, other: 101 }, load: { before: 0.4, after: 1.1 }, cores: 2,
    gate: [{ node: 'Node 24', version: 'v24.1.0', wall: summarize(walls), cpu: summarize(runs.map((r) => r.cpuMs!)), runs }],
    probes: [{ node: 'Node 24', version: 'v24.1.0', wall: summarize(probeWalls), runs: probeWalls.map(probeRun) }],
  };
}

function report(ep?: EndpointBenchResult): BenchReport {
  const audit: AuditBenchResult = {
    size: 1000, latencyMs: 100, pageSize: 50, expected: expectedLarge(1000, 50), minRequestMs: 100, latencyByService: { arm: 100 },
    gate: [{
      node: 'Node 24', version: 'v24.1.0', wall: summarize([1900]),
      runs: [{ wallMs: 1900, arm: { total: 29, listPages: 22, singleGets: 7, other: 0, lists: {}, gets: {} }, services: { arm: 29 }, timeline: { startupMs: 500, signInMs: 400, armMs: 900, tailMs: 100, signInRequests: [], armRoundTrips: 9 } }],
    }],
    scale: [],
  };
  return {
    date: '2026-01-01T00:00:00Z', machine: { cpuModel: 'Test CPU', cores: 2, memoryGiB: 8, os: 'Linux', loadBefore: 0.5, loadAfter: 0.5 },
    audit, startup: [], commands: ['npm run bench'], durationSec: 1, ...(ep ? { endpoints: ep } : {}),
  };
}

const row = (doc: string, start: string) => doc.split('\n').filter((l) => l.startsWith(start));

describe('bench: docs/benchmarks.md, EndpointHardeningCheck', () => {
  it('judges the 3 s goal on the median, whatever single runs did', () => {
    const met = renderBenchmarks(report(endpoints([3400, 2900, 2950])));
    assert.match(row(met, '| EndpointHardeningCheck of 200 online endpoints')[0], /2,950 ms \| ✅ met \|$/);
    const missed = renderBenchmarks(report(endpoints([2900, 3050, 3100])));
    assert.match(row(missed, '| EndpointHardeningCheck of 200 online endpoints')[0], /3,050 ms \| ❌ missed \|$/);
  });

  it('fails the request goal when any run differs from the formula in any kind, and lists each kind', () => {
    const ok = renderBenchmarks(report(endpoints([2900, 2900])));
    assert.match(row(ok, '| Endpoint check requests = formula')[0], /435 ARM \(expected 435\) \| ✅ met/);
    assert.match(ok, /\| deployments \| Σ P\(deployments\) over 220 endpoints \| 220 \| 220 \|/);
    assert.match(ok, /\| metrics \| 1 per online endpoint \(200\) \| 200 \| 200 \|/);
    // Same total, different split: one metrics read short, one deployment list too many.
    const shifted = { ...EXPECTED.byKind, metrics: 199, deployments: 221 };
    const bad = renderBenchmarks(report(endpoints([2900, 2900], [run(2900), run(2900, shifted)])));
    assert.match(row(bad, '| Endpoint check requests = formula')[0], /❌ missed/);
  });

  it('shows the phases, CPU against wall, and the probe goal per Node', () => {
    const doc = renderBenchmarks(report(endpoints([3300, 3300, 3300])));
    assert.match(doc, /\| Inventory \(collector's ARM reads\) \| 1,060 ms → 2,000 ms \| 940 ms \| 234 \| 64 \|/);
    assert.match(doc, /the run is CPU-bound, so more concurrency cannot shorten it/);
    assert.match(row(doc, '| Probes of 50 endpoints')[0], /2,150 ms \| ✅ met \|$/);
    assert.match(doc, /\| v24\.1\.0 \| 2,150 ms \(min 2,100 ms, max 2,200 ms, n = 3\) \| ≤ 2,500 ms \| 75\/75, 75\/75, 75\/75 \| ✅ met \|/);
    const slow = renderBenchmarks(report(endpoints([2900], undefined, [2600, 2700, 2800])));
    assert.match(row(slow, '| Probes of 50 endpoints')[0], /2,700 ms \| ❌ missed \|$/);
  });

  it('says when the machine was busier than its cores during the part, and renders nothing without figures', () => {
    const busy = endpoints([2900]);
    busy.load.after = 3.2;
    assert.match(renderBenchmarks(report(busy)), /busier than its cores, so these wall times include waiting for a CPU/);
    const none = renderBenchmarks(report());
    assert.doesNotMatch(none, /EndpointHardeningCheck|Endpoint probes/);
  });
});

describe('bench: docs/benchmarks.md, EndpointHardeningCheck CPU by area', () => {
  it('shows each profiled Node\'s areas with their share, largest first as the first Node saw them', () => {
    const r = endpoints([3300]);
    r.profiles = [
      { node: 'Node 20', version: 'v20.1.0', wallMs: 5000, cpu: { sampledMs: 5000, areas: [{ area: 'live probes (shared/probe)', ms: 1500 }, { area: 'rules', ms: 500 }] } },
      { node: 'Node 24', version: 'v24.1.0', wallMs: 4000, cpu: { sampledMs: 4000, areas: [{ area: 'rules', ms: 600 }, { area: 'live probes (shared/probe)', ms: 1400 }] } },
    ];
    const doc = renderBenchmarks(report(r));
    assert.match(doc, /\| Area \| v20\.1\.0 \(run of 5,000 ms\) \| v24\.1\.0 \(run of 4,000 ms\) \|/);
    const probes = doc.indexOf('| live probes (shared/probe) | 1,500 ms (75%) | 1,400 ms (70%) |');
    const rules = doc.indexOf('| rules | 500 ms (25%) | 600 ms (30%) |');
    assert.ok(probes > 0 && rules > probes, 'rows in the first Node\'s order');
    delete r.profiles;
    assert.doesNotMatch(renderBenchmarks(report(r)), /\| Area \|/);
  });
});
