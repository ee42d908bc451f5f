import * as assert from 'node:assert/strict';
import type { ArmCount } from '../armRequests';
import { expectedLarge } from '../armRequests';
import type { AuditBenchResult, GateRunFigures } from '../auditLarge';
import { renderBenchmarks, type BenchReport } from '../report';
import { summarize } from '../stats';
import type { StartupResult } from '../startup';

function arm(pages: number, gets: number): ArmCount {
  return {
    total: pages + gets, listPages: pages, singleGets: gets, other: 0,
    lists: { computes: { requests: Math.min(pages, 8), firstMs: 500, lastMs: 1400 } },
    gets: { workspaces: { requests: 1, firstMs: 500, lastMs: 600 } },
  };
}

function run(wallMs: number, a = arm(22, 7)): GateRunFigures {
  return {
    wallMs, arm: a, services: { arm: a.total, entra: 2, devops: 2 },
    timeline: { startupMs: 500, signInMs: 440, armMs: 900, tailMs: 150, signInRequests: ['devops OPTIONS x', 'devops POST y', 'entra GET z', 'entra POST t'], armRoundTrips: 9 },
  };
}

function report(walls: number[], startup: Array<[string, number]>, runs = walls.map((w) => run(w))): BenchReport {
  const audit: AuditBenchResult = {
    size: 1000, latencyMs: 100, pageSize: 50, expected: expectedLarge(1000, 50), minRequestMs: 100,
    latencyByService: { arm: 100, entra: 101, devops: 102 },
    gate: [{ node: 'Node 24', version: 'v24.1.0', wall: summarize(walls), runs }],
    scale: [],
  };
  const s: StartupResult[] = startup.map(([version, medianMs]) => ({
    node: version, version, task: summarize([medianMs]), bareNode: summarize([100]), overheadMs: medianMs - 100, firstLine: 'hello',
  }));
  return {
    date: '2026-01-01T00:00:00Z',
    machine: { cpuModel: 'Test CPU', cores: 2, memoryGiB: 8, os: 'Linux', loadBefore: 0.5, loadAfter: 1.5 },
    audit, startup: s, bundle: [{ name: 'index.js', bytes: 2048, gzipBytes: 1024 }], vsix: [], commands: ['npm run bench'], durationSec: 99,
  };
}

const summaryRow = (doc: string, start: string) => doc.split('\n').find((l) => l.startsWith(start)) ?? '';

describe('bench: docs/benchmarks.md rendering', () => {
  it('marks a goal met when the median is within it, missed when above, whatever the single runs did', () => {
    const met = renderBenchmarks(report([2500, 1900, 1950], [['v24.1.0', 250]]));
    assert.match(summaryRow(met, '| Audit of 1,000 children'), /1,950 ms \| ✅ met/);
    assert.match(summaryRow(met, '| First line ≤ 300 ms'), /250 ms \| ✅ met/);
    const missed = renderBenchmarks(report([2100, 1900, 2050], [['v24.1.0', 301]]));
    assert.match(summaryRow(missed, '| Audit of 1,000 children'), /2,050 ms \| ❌ missed/);
    assert.match(summaryRow(missed, '| First line ≤ 300 ms'), /301 ms \| ❌ missed/);
  });

  it('fails the request-count goal when any run asked for more than pages + constant', () => {
    const runs = [run(1900), run(1900, arm(22, 8))];
    const doc = renderBenchmarks(report([1900, 1900], [['v24.1.0', 200]], runs));
    assert.match(summaryRow(doc, '| ARM requests = pages + constant'), /22 \+ 7 \(expected 22 \+ 7\) \| ❌ missed/);
    const ok = renderBenchmarks(report([1900, 1900], [['v24.1.0', 200]]));
    assert.match(summaryRow(ok, '| ARM requests = pages + constant'), /✅ met/);
  });

  it('does not judge the start-up goal without a Node 24 measurement, and shows the machine', () => {
    const doc = renderBenchmarks(report([1900], [['v20.19.0', 140]]));
    assert.equal(summaryRow(doc, '| First line ≤ 300 ms'), '');
    assert.match(doc, /Node 24 was not measured in this run/);
    assert.match(doc, /\| v20\.19\.0 \| 140 ms .*\| none \(for comparison\) \| — \|/);
    assert.match(doc, /\| CPU \| Test CPU \|/);
    assert.match(doc, /\| Cores \(nproc\) \| 2 \|/);
    assert.match(doc, /No `dist\/\*\.vsix` present/);
    assert.doesNotMatch(doc, /The machine was busy/);
  });

  it('says so when the machine was busier than its cores', () => {
    const r = report([1900], [['v24.1.0', 200]]);
    r.machine.loadAfter = 3.5;
    assert.match(renderBenchmarks(r), /The machine was busy with other work \(load average above its 2 cores\)/);
  });

  it('reports the SDK load time next to the phases when the start-up bench measured it', () => {
    const r = report([1900], [['v24.1.0', 200]]);
    assert.doesNotMatch(renderBenchmarks(r), /Loading `sdk\.js`/);
    r.startup[0].sdkLoad = { total: summarize([300, 320, 310]), require: summarize([150]), perModule: { '@azure/identity': 40 } };
    assert.match(renderBenchmarks(r), /Loading `sdk\.js`.* on v24\.1\.0: median 310 ms \(read and compile 150 ms; first use @azure\/identity 40 ms; n = 3\)/);
  });
});

describe('bench: docs/benchmarks.md rendering of a failed reference', () => {
  it('shows the reference error instead of a ratio', () => {
    const r = report([1900], [['v24.1.0', 200]]);
    r.audit.naiveError = 'endpoints_resolution_error (requests the emulator saw: none)';
    const doc = renderBenchmarks(r);
    assert.match(doc, /❌ The reference run failed after one retry, so no ratio is given: endpoints_resolution_error/);
    assert.doesNotMatch(doc, /Ratio naive/);
  });
});

describe('bench: docs/benchmarks.md and the compile cache', () => {
  it('says that runs after the warm-up reuse compiled code only when the bundle turns the cache on', () => {
    const r = report([1900], [['v24.1.0', 200]]);
    assert.doesNotMatch(renderBenchmarks(r), /compile cache/);
    r.compileCache = true;
    assert.match(renderBenchmarks(r), /turns on V8's compile cache on Node ≥ 22\.1/);
  });
});
