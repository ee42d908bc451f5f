import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foundSecrets, normalisePath, perFamily, readSarifHits } from '../scanRecall';
import { memoryGrowth, ratios, scanSection, scanSummaryRows } from '../scanReport';
import type { Measurement, ScanBenchResult } from '../scanBench';
import type { Planted } from '../scanTrees';

const planted: Planted[] = [
  { family: 'pem', file: 'a/k.pem', line: 10, lines: 5, sha256: 'x' },
  { family: 'gh', file: 'a/b.py', line: 3, lines: 1, sha256: 'y' },
  { family: 'gh', file: 'c d/e.py', line: 7, lines: 1, sha256: 'z' },
];

describe('bench: content-scan recall', () => {
  it('reads paths in every form the tools write (absolute, file URI with escapes, ./relative)', () => {
    assert.equal(normalisePath('/t/root/a/b.py', '/t/root'), 'a/b.py');
    assert.equal(normalisePath('file:///t/root/c%20d/e.py', '/t/root'), 'c d/e.py');
    assert.equal(normalisePath('./a/b.py', '/t/root'), 'a/b.py');
    assert.equal(normalisePath('a/b.py', '/t/root'), 'a/b.py');
  });

  it('counts a hit on any line a value spans, in the same file only', () => {
    const found = foundSecrets(planted, [
      { file: 'a/k.pem', line: 14, ruleId: 'r' }, // last line of the PEM block
      { file: 'a/b.py', line: 4, ruleId: 'r' }, // next line: not this secret
      { file: 'c d/e.py', line: 7, ruleId: 'r' },
      { file: 'a/other.py', line: 3, ruleId: 'r' },
    ]);
    assert.deepEqual([...found].sort(), ['a/k.pem:10', 'c d/e.py:7']);
    assert.deepEqual(perFamily(planted, found), { pem: { planted: 1, found: 1 }, gh: { planted: 2, found: 1 } });
    assert.equal(foundSecrets(planted, [{ file: 'a/k.pem', line: 15, ruleId: 'r' }]).size, 0);
  });

  it('takes the first location of each SARIF result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanrecall-'));
    const f = join(dir, 'x.sarif');
    writeFileSync(f, JSON.stringify({ runs: [{ results: [
      { ruleId: 'A', locations: [{ physicalLocation: { artifactLocation: { uri: `${dir}/a/b.py` }, region: { startLine: 3 } } }] },
      { ruleId: 'B', locations: [] },
    ] }] }));
    assert.deepEqual(readSarifHits(f, dir), [{ file: 'a/b.py', line: 3, ruleId: 'A' }]);
  });
});

function meas(tool: Measurement['tool'], tree: Measurement['tree'], subset: Measurement['subset'], mbPerSec: number, maxRssKiB: number, cpuMs = NaN): Measurement {
  return { tool, tree, subset, bytes: 20e6, files: 10, runs: [{ wallMs: 1000, maxRssKiB, cpuMs, exitCode: 0 }], medianWallMs: 1000, mbPerSec, cpuMs, maxRssKiB, results: 1 };
}

describe('bench: content-scan report', () => {
  const sub = { root: 'r', files: 1, bytes: 1 };
  const s: ScanBenchResult = {
    cores: 2, mbTarget: 200, treeBuildMs: 1,
    trees: { ordinary: { root: 'o', files: 1, bytes: 1, subsets: { half: sub, tenth: sub } }, dense: { root: 'd', files: 1, bytes: 1, subsets: { half: sub, tenth: sub } } },
    versions: { ours: '0', gitleaks: 'g', secretlint: 's' },
    subsets: { gitleaks: 'tenth', secretlint: 'tenth' },
    measurements: [
      meas('ours', 'ordinary', 'full', 100, 200 * 1024), meas('ours', 'ordinary', 'half', 90, 150 * 1024), meas('ours', 'ordinary', 'tenth', 60, 100 * 1024),
      meas('gitleaks', 'ordinary', 'tenth', 1, 30 * 1024), meas('secretlint', 'ordinary', 'tenth', 10, 30 * 1024),
    ],
    recall: { planted: 3, bySubset: [], missedByOurs: [{ family: 'gh', file: 'a/b.py', line: 3, foundBy: ['gitleaks'] }], onlyOurs: 0, models: { dangerous: 1, dangerousFlagged: 1, benign: 1, benignFlagged: 0 }, templates: { insecure: 1, insecureFlagged: 1, hardened: 1, hardenedFlagged: 0 } },
  };

  it('compares ours and a reference on the same subset, and judges each goal', () => {
    const r = ratios(s);
    assert.deepEqual(r.map((x) => [x.reference, x.ratio, x.ratioFull]), [['gitleaks', 60, 100], ['secretlint', 6, 10]]);
    const rows = scanSummaryRows(s);
    assert.match(rows[0], /60\.0× .*✅ met/u);
    assert.match(rows[1], /6\.0× .*❌ missed/u);
    assert.match(rows[2], /1 missed \| ❌ missed/u);
    assert.match(rows[3], /1\.33 \| ❌ missed/u); // 200 / 150 MiB
    assert.equal(memoryGrowth(s, 'dense'), undefined);
  });

  it('names a missed family in the section', () => {
    assert.ok(scanSection(s).some((l) => l.includes('Found by gitleaks or secretlint but not by ours: **1**') && l.includes('gh 1')));
  });

  it('leaves out the CPU comparison when CPU times are unknown, and writes n/a in their cells', () => {
    const lines = scanSection(s);
    assert.ok(!lines.some((l) => l.includes('Work per CPU-second')));
    assert.ok(lines.some((l) => l.startsWith('| ordinary | ours | full') && l.includes('| n/a | n/a |')));
  });

  it('compares work per CPU-second on the subset gitleaks read, and shows Node 24 beside gitleaks', () => {
    // 20 MB each: ours in 1.5 s of CPU (13.3 MB per CPU-s), gitleaks in 40 s (0.5 MB per CPU-s): 26.7×.
    const withCpu: ScanBenchResult = {
      ...s,
      measurements: [...s.measurements.filter((m) => m.subset !== 'tenth' || m.tool === 'secretlint'),
        meas('ours', 'ordinary', 'tenth', 60, 100 * 1024, 1500), meas('gitleaks', 'ordinary', 'tenth', 1, 30 * 1024, 40_000)],
      oursNode24: { version: 'v24.0.0', trees: { ordinary: { medianWallMs: 900, mbPerSec: 120, cpuMs: 1400, maxRssKiB: 150 * 1024, runs: 3 } } },
    };
    const lines = scanSection(withCpu);
    const row = lines.find((l) => l.startsWith('| ordinary | 13.3 MB'));
    assert.ok(row, lines.join('\n'));
    assert.match(row, /\| 0\.50 MB \(40\.00 s\) \| 26\.7× \| 1\.50 \/ 40\.00 \|/u);
    // gitleaks read a subset here, so Node 24's whole-tree run is not set against it.
    assert.ok(lines.some((l) => l.startsWith('| ordinary | 0.90 s (n = 3) | 120.0 MB/s | 1.40 s | 150 MiB | n/a (gitleaks ran on a subset) |')));
  });
});
