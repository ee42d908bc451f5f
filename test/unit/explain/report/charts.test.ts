import * as assert from 'node:assert/strict';
import { dependencePlot, importanceBars, lineageGraph, localExplanation, shapSummary } from '../../../../shared/explain/report/charts';
import { linear } from '../../../../shared/explain/report/svg';
import type { PermutationImportance, ShapResult } from '../../../../shared/explain/types';
import { EVIL_FEATURE, EVIL_LABEL, realisticInput } from './fixture';

const pi = (names: string[], mean: number[], std = mean.map(() => 0.01)): PermutationImportance => ({ featureNames: names, mean, std, metric: 'auc', baseline: 0.8, repeats: 5 });
const shap = (names: string[], values: number[][], over: Partial<ShapResult> = {}): ShapResult => ({
  featureNames: names, baseValue: 0.5, rowIndices: values.map((_, i) => i), values, outputs: values.map((r) => 0.5 + r.reduce((a, b) => a + b, 0)),
  method: 'kernel-exact', outputSpace: 'probability', background: { rows: 10, method: 'all' }, ...over,
});

/** Every chart must be a standalone, script-free, accessible SVG with only finite numbers in its attributes. */
function assertSafeSvg(svg: string): void {
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*role="img" aria-label="[^"]+"/);
  assert.match(svg, /<title>[^<]+<\/title>/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.ok(!/<script|<foreignObject|href=|url\(|\son\w+=/i.test(svg), 'no script, links, external refs or handlers');
  assert.ok(!/\sid="/.test(svg), 'no ids (charts share a page)');
  const attrs = [...svg.matchAll(/\s[\w-]+="([^"]*)"/g)].map((m) => m[1]);
  for (const a of attrs) assert.ok(!/NaN|Infinity|undefined/.test(a), `attribute value ${a}`);
}

const labels = (svg: string) => [...svg.matchAll(/<g><title>([^<]*)<\/title><text[^>]*>([^<]*)<\/text><\/g>/g)].map((m) => m[1]);

describe('explain report charts', () => {
  it('importance bars: largest first, error bars, top-k with a "more" note', () => {
    const svg = importanceBars(pi(['a', 'b', 'c'], [0.01, 0.3, 0.1], [0.001, 0.02, 0]));
    assertSafeSvg(svg);
    assert.deepEqual(labels(svg), ['b', 'c', 'a']);
    assert.equal((svg.match(/<rect /g) ?? []).length, 3);
    assert.equal((svg.match(/<path d="M[^"]*V[^"]*H[^"]*V/g) ?? []).length, 2, 'error bars only where sd > 0');
    const top = importanceBars(pi(['a', 'b', 'c'], [0.01, 0.3, 0.1]), { top: 2 });
    assert.deepEqual(labels(top), ['b', 'c']);
    assert.match(top, /1 more feature not shown/);
  });

  it('importance bars: negative importances extend left of zero', () => {
    const svg = importanceBars(pi(['a', 'b'], [0.2, -0.05]));
    assertSafeSvg(svg);
    assert.match(svg, />-0\.05</);
  });

  it('degenerate data: one feature, all zeros, NaN → note, never NaN in the SVG', () => {
    assertSafeSvg(importanceBars(pi(['only'], [0])));
    assertSafeSvg(importanceBars(pi(['a', 'b'], [0, 0], [0, 0])));
    const partial = importanceBars(pi(['a', 'b', 'c'], [0.1, NaN, Infinity], [NaN, 0, 0]));
    assertSafeSvg(partial);
    assert.match(partial, /2 features not computed/);
    const none = importanceBars(pi(['a'], [NaN]));
    assertSafeSvg(none);
    assert.match(none, /Permutation importance not computed/);
    for (const svg of [shapSummary(shap(['a'], [[0], [0]])), shapSummary(shap(['a'], [[0], [0]]), { rows: 2, cols: 1, data: Float64Array.from([1, 1]) }), localExplanation(shap(['a'], [[0]]), 0), dependencePlot('a', { grid: [1], average: [2] })]) {
      assertSafeSvg(svg);
    }
    const nanShap = shapSummary(shap(['a', 'b'], [[NaN, 0.1], [NaN, 0.2]]));
    assertSafeSvg(nanShap);
    assert.match(nanShap, /1 feature not computed/);
    assert.match(shapSummary(shap(['a'], [[NaN]])), /SHAP values not computed/);
    assert.match(localExplanation(shap(['a'], [[NaN]]), 0), /SHAP values not computed for this row/);
    assert.match(dependencePlot('a', { grid: [NaN], average: [1] }), /Partial dependence of a not computed/);
  });

  it('SHAP summary: beeswarm with one dot per row and feature, coloured by feature value; bars without x', () => {
    const s = shap(['lo', 'hi'], [[0.1, -0.5], [0.2, 0.5], [0.3, 0.9]]);
    const x = { rows: 3, cols: 2, data: Float64Array.from([1, 10, 2, 20, 3, 30]) };
    const swarm = shapSummary(s, x);
    assertSafeSvg(swarm);
    assert.equal((swarm.match(/<circle /g) ?? []).length, 6);
    assert.ok(swarm.includes('fill="#1e88e5"') && swarm.includes('fill="#ff0052"'), 'lowest and highest values at the ends of the ramp');
    assert.deepEqual(labels(swarm), ['hi', 'lo'], 'ordered by mean |SHAP|');
    const bars = shapSummary(s);
    assertSafeSvg(bars);
    assert.equal((bars.match(/<circle /g) ?? []).length, 0);
    assert.match(bars, /Mean \|SHAP value\| over 3 rows/);
  });

  it('SHAP summary: x may be the whole data, indexed by the explained row indices', () => {
    const s = shap(['f'], [[0.1], [0.2]], { rowIndices: [3, 0] });
    const data = { rows: 4, cols: 1, data: Float64Array.from([0, 5, 5, 10]) };
    const svg = shapSummary(s, data);
    // Row 3 (value 10, the highest) has SHAP 0.1 and must be red; row 0 (value 0) blue.
    const dots = [...svg.matchAll(/<circle cx="([\d.]+)"[^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[2]);
    assert.deepEqual(dots, ['#ff0052', '#1e88e5']);
    // Row indices beyond x: x holds just the explained rows, in order.
    const subset = shapSummary({ ...s, rowIndices: [300, 100] }, { rows: 2, cols: 1, data: Float64Array.from([0, 10]) });
    assert.deepEqual([...subset.matchAll(/<circle [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]), ['#1e88e5', '#ff0052']);
  });

  it('dependence plot: PD line over ICE lines, skipping points not computed', () => {
    const svg = dependencePlot('age', { grid: [1, 2, 3, NaN], average: [0.1, 0.2, 0.4, 0.5], ice: [[0, 0.1, 0.3, 1], [0.2, NaN, 0.5, 1]] });
    assertSafeSvg(svg);
    assert.equal((svg.match(/<g fill="none" stroke="#7a8ea6"[^>]*>(.*?)<\/g>/)?.[1].match(/<path /g) ?? []).length, 2);
    assert.equal((svg.match(/<circle /g) ?? []).length, 3, 'one point per computed grid value');
    assert.match(svg, /with 2 ICE lines/);
  });

  it('local explanation: waterfall from base value to output, top-k plus the rest', () => {
    const s = shap(['a', 'b', 'c', 'd'], [[0.4, -0.1, 0.05, 0.02]]);
    const svg = localExplanation(s, 0, 2);
    assertSafeSvg(svg);
    assert.match(svg, /aria-label="Local explanation of row 0: 0\.5 to 0\.87"/);
    assert.deepEqual(labels(svg), ['a', 'b', '2 other features']);
    assert.match(svg, />\+0\.07</, 'the rest is summed');
    assert.match(localExplanation(s, 5), /Row position 5 was not explained/);
    const withX = localExplanation(s, 0, 10, { rows: 1, cols: 4, data: Float64Array.from([7, 8, 9, 10]) });
    assert.match(withX, /a = 7</);
  });

  it('lineage graph: commit → run → job/data → model → gates; gaps drawn as "not recorded"', () => {
    const input = realisticInput();
    const svg = lineageGraph(input.lineage, input.evidence);
    assertSafeSvg(svg);
    for (const s of ['Commit', 'build 4711', 'train-credit-risk', 'credit-holdout:3', 'credit-train:3', 'sklearn-1.5:12', 'credit-risk:7', 'SecurityGate', 'EndpointHardeningChec']) assert.ok(svg.includes(s), s);
    assert.equal((svg.match(/stroke="#c0392b"/g) ?? []).length, 1, 'the failed gate');
    assert.equal((svg.match(/stroke="#1e7d3a"/g) ?? []).length, 2, 'the passed gates');
    assert.ok(!svg.includes('not recorded'));
    const bare = lineageGraph({});
    assertSafeSvg(bare);
    assert.equal((bare.match(/>not recorded</g) ?? []).length, 4);
    assert.match(bare, /none recorded/);
    assert.match(bare, /5 steps not recorded/);
  });

  it('escapes hostile feature names and labels everywhere', () => {
    const names = [EVIL_FEATURE, EVIL_LABEL];
    const s = shap(names, [[0.1, -0.2]]);
    const svgs = [
      importanceBars(pi(names, [0.1, 0.2])), shapSummary(s), shapSummary(s, { rows: 1, cols: 2, data: Float64Array.from([1, 2]) }),
      dependencePlot(EVIL_FEATURE, { grid: [0, 1], average: [0, 1] }), localExplanation(s, 0),
      lineageGraph({ commit: EVIL_LABEL, modelName: EVIL_FEATURE, dataAssets: [EVIL_LABEL] }, [{ gate: EVIL_FEATURE, verdict: 'passed' }]),
    ];
    for (const svg of svgs) {
      assertSafeSvg(svg);
      assert.ok(!svg.includes(EVIL_FEATURE) && !svg.includes(EVIL_LABEL) && !svg.includes(`'<`), svg);
      assert.ok(svg.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    }
    assert.ok(svgs[0].includes('&quot;&amp;&#39;&lt;'));
  });

  it('is deterministic', () => {
    const a = realisticInput();
    const b = realisticInput();
    assert.equal(shapSummary(a.explanation.shap, a.x), shapSummary(b.explanation.shap, b.x));
    assert.equal(importanceBars(a.explanation.permutationImportance), importanceBars(b.explanation.permutationImportance));
    assert.equal(lineageGraph(a.lineage, a.evidence), lineageGraph(b.lineage, b.evidence));
  });

  it('linear scale: round ticks, and a usable domain when every value is equal or missing', () => {
    const s = linear(0.03, 0.97, 0, 100);
    assert.deepEqual(s.domain, [0, 1]);
    assert.equal(s(0.5), 50);
    for (const [lo, hi] of [[0, 0], [3, 3], [NaN, NaN], [-2, -2]]) {
      const d = linear(lo, hi, 0, 100);
      assert.ok(d.domain[1] > d.domain[0] && d.ticks.every(Number.isFinite), `${lo},${hi}`);
      if (Number.isFinite(lo)) assert.ok(d.domain[0] <= lo && lo <= d.domain[1]);
    }
  });
});
