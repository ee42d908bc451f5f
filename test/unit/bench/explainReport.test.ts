import * as assert from 'node:assert/strict';
import { EXPLAIN_GOALS, explainFigures, explainSection, explainSummaryRows, timing, withExplain } from '../../../bench/explainReport';
import { parsePythonReference } from '../../../bench/explainReference';
import { benchResult, pythonJson } from './explainFixture';

const result = () => benchResult(parsePythonReference(JSON.stringify(pythonJson())));

describe('bench: the explain section of docs/benchmarks.md', () => {
  it('sets the cold first sample apart from the warm median', () => {
    assert.deepEqual(timing([{ cpuMs: 90, wallMs: 100 }, { cpuMs: 20, wallMs: 30 }, { cpuMs: 10, wallMs: 50 }, { cpuMs: 30, wallMs: 40 }]),
      { cpuMs: 20, wallMs: 40, coldCpuMs: 90, coldWallMs: 100, runs: 3 });
    assert.deepEqual(timing([{ cpuMs: 5, wallMs: 6 }]), { cpuMs: 5, wallMs: 6, coldCpuMs: 5, coldWallMs: 6, runs: 1 });
  });

  it('divides the Python medians by ours: permutation CPU 800 / 50 ms, TreeSHAP 10,000 / (25 + 5) ms', () => {
    const f = explainFigures(result());
    const node20 = f.permutation.find((p) => p.version === 'v20.20.2' && p.backend === 'node')!;
    assert.equal(node20.cpuRatio, 800 / 50);
    assert.equal(node20.wallRatio, 2500 / 50);
    assert.equal(node20.coldCpuRatio, 800 / 150);
    const tree = f.treeShap.find((p) => p.version === 'v20.20.2' && p.backend === 'node')!;
    assert.equal(tree.ours.cpuMs, 30);
    assert.equal(tree.cpuRatio, 10000 / 30);
    assert.equal(f.kernel.length, 4);
    assert.equal(f.accuracy?.numpyKernel.mean, 0);
    assert.ok(Math.abs(f.accuracy!.ourKernel.mean - 0.005) < 1e-12);
    assert.ok(Math.abs(f.accuracy!.probaVsSklearn[0].maxAbsDiff - 1e-7) < 1e-12);
  });

  it('judges each goal per backend over every Node, on CPU time', () => {
    const rows = explainSummaryRows(explainFigures(result()));
    // web: 800 / 200 = 4× on Node 20 → missed; node: 16× and 13.3× → met.
    assert.match(rows.find((r) => r.includes('Permutation') && r.includes('onnxruntime-web'))!, /v20\.20\.2: 4\.0× CPU.*v24\.21\.0: 5\.3× CPU.*❌ missed/);
    assert.match(rows.find((r) => r.includes('Permutation') && r.includes('onnxruntime-node'))!, /16\.0× CPU.*13\.3× CPU.*✅ met/);
    assert.match(rows.find((r) => r.startsWith('| TreeSHAP vs'))!, new RegExp(`≥ ${EXPLAIN_GOALS.treeShapSpeedup}×.*✅ met`));
    assert.match(rows.find((r) => r.includes('within 2 combined sd'))!, /✅ met/);
  });

  it('fails the accuracy goal when TreeSHAP is not exact', () => {
    const r = result();
    r.nodes[0].accuracy!.exact.maxAbsDiff = 1e-3;
    assert.match(explainSummaryRows(explainFigures(r)).find((x) => x.includes('TreeSHAP accuracy'))!, /❌ missed/);
  });

  it('adds its rows to the end of the summary table and its section before Reproduce', () => {
    const doc = ['# Benchmarks', '', '## Summary', '', '| Goal | Measured | Result |', '|---|---|---|', '| a | b | c |', '', '## Machine', '', '## Reproduce', '', '```sh', '```', ''].join('\n');
    const out = withExplain(doc, result()).split('\n');
    const firstExplainRow = out.findIndex((l) => l.includes('Permutation importance vs scikit-learn'));
    assert.equal(out[firstExplainRow - 1], '| a | b | c |');
    assert.ok(out.indexOf('## Reproduce') > out.findIndex((l) => l.startsWith('## Goal 6')));
    assert.ok(out.findIndex((l) => l.startsWith('## Goal 6')) > out.indexOf('## Machine'));
    const section = explainSection(result()).join('\n');
    assert.match(section, /load average 9\.0 before and 10\.0 after/);
    assert.match(section, /11 runtime calls of 3 rows/);
  });
});
