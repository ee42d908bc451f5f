import * as assert from 'node:assert/strict';
import { confusionMatrix, histogramChart, predictedVsActualChart, probabilityChart, quantile, residualChart, shapBoxPlot, targetDistributionChart } from '../../../../shared/explain/report/perfCharts';
import { renderReport } from '../../../../shared/explain/report/html';
import type { ShapResult } from '../../../../shared/explain/types';
import { EVIL_FEATURE, EVIL_LABEL, realisticInput, regressionInput } from './fixture';
import { degenerateInput } from './degenerate';

function assertSafeSvg(svg: string): void {
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*role="img" aria-label="[^"]+"/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.ok(!/<script|<foreignObject|href=|url\(|\son\w+=/i.test(svg), 'no script, links, external refs or handlers');
  assert.ok(!/\sid="/.test(svg), 'no ids');
  for (const m of svg.matchAll(/\s[\w-]+="([^"]*)"/g)) assert.ok(!/NaN|Infinity|undefined/.test(m[1]), `attribute value ${m[1]}`);
}
const shap = (names: string[], values: number[][]): ShapResult => ({
  featureNames: names, baseValue: 0, rowIndices: values.map((_, i) => i), values, outputs: values.map((r) => r.reduce((a, b) => a + b, 0)),
  method: 'kernel-exact', outputSpace: 'value', background: { rows: 1, method: 'all' },
});

describe('explain report performance charts and SHAP box plot', () => {
  it('confusion matrix: one cell per pair with its count, shade by share of the true class, the rule in the name', () => {
    const svg = confusionMatrix({ labels: ['no', 'yes'], matrix: [[8, 2], [1, 9]], threshold: 0.5 });
    assertSafeSvg(svg);
    assert.equal((svg.match(/<rect /g) ?? []).length, 4);
    assert.match(svg, /aria-label="Confusion matrix, 2 classes, predicted at probability ≥ 0\.5"/);
    assert.match(svg, /true yes, predicted no: 1 row \(10% of true yes\)/);
    assert.match(svg, /17 of 20 rows on the diagonal/);
    assert.match(confusionMatrix({ labels: ['a', 'b', 'c'], matrix: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }), /highest probability/);
  });

  it('escapes class labels and targets everywhere', () => {
    const outs = [
      confusionMatrix({ labels: [EVIL_FEATURE, EVIL_LABEL], matrix: [[1, 0], [0, 1]], threshold: 0.5 }),
      targetDistributionChart({ labels: [EVIL_FEATURE, EVIL_LABEL], counts: [3, 4] }, EVIL_LABEL),
      probabilityChart({ edges: [0, 0.5, 1], countsByClass: [[1, 0], [0, 1]], labels: [EVIL_FEATURE, EVIL_LABEL] }),
      predictedVsActualChart({ actual: [1, 2], predicted: [1, 3] }, EVIL_FEATURE),
      residualChart({ edges: [0, 1], counts: [2] }, EVIL_FEATURE),
      shapBoxPlot(shap([EVIL_FEATURE, EVIL_LABEL], [[1, 2], [3, 4]])),
    ];
    for (const svg of outs) {
      assertSafeSvg(svg);
      assert.ok(!svg.includes('<script>') && !svg.includes(`"&'<`), svg.slice(0, 200));
    }
    assert.match(outs[0], /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('empty and degenerate inputs give a note, never NaN', () => {
    for (const [svg, note] of [
      [confusionMatrix(undefined), /Confusion matrix not computed/],
      [confusionMatrix({ labels: ['a', 'b'], matrix: [[1]] }), /Confusion matrix not computed/],
      [targetDistributionChart(undefined, 't'), /Target distribution not computed/],
      [targetDistributionChart({ labels: [], counts: [] }, 't'), /Target distribution not computed/],
      [targetDistributionChart({ edges: [], counts: [] }, 't'), /not computed/],
      [histogramChart([0, 1], [[0]], { title: 'H', xLabel: 'x' }), /H: no rows/],
      [histogramChart([1, 0], [[3]], { title: 'H', xLabel: 'x' }), /H: not computed/],
      [histogramChart([0, NaN, 2], [[1, 1]], { title: 'H', xLabel: 'x' }), /H: not computed/],
      [predictedVsActualChart({ actual: [NaN], predicted: [1] }, 't'), /Predicted vs actual not computed/],
      [residualChart(undefined, 't'), /Residuals not computed/],
      [probabilityChart(undefined), /Predicted probabilities not computed/],
      [shapBoxPlot(shap(['a'], [[NaN]])), /SHAP values not computed/],
    ] as [string, RegExp][]) {
      assertSafeSvg(svg);
      assert.match(svg, note);
    }
    // Constant values: one point, all-equal SHAP values, a zero-count class.
    assertSafeSvg(predictedVsActualChart({ actual: [2, 2], predicted: [2, 2] }, 't'));
    assertSafeSvg(shapBoxPlot(shap(['a', 'b'], [[0, 1], [0, NaN]])));
    assertSafeSvg(targetDistributionChart({ labels: ['a', 'b'], counts: [0, 0] }, 't'));
  });

  it('histogram stacks one series per class with a legend; one series has none', () => {
    const svg = probabilityChart({ edges: [0, 0.5, 1], countsByClass: [[3, 1], [0, 2]], labels: ['no', 'yes'] });
    assertSafeSvg(svg);
    assert.match(svg, /aria-label="Predicted probability by true class, 6 rows in 2 bins"/);
    assert.equal((svg.match(/<rect [^>]*><title>/g) ?? []).length, 3, 'zero counts draw no bar');
    assert.match(svg, />true yes</);
    assert.match(svg, /true no: 1 row in \[0\.5, 1\]/);
    const one = residualChart({ edges: [-1, 0, 1], counts: [2, 5] }, 'price');
    assert.ok(!/>true /.test(one));
    assert.match(one, /actual − predicted price/);
  });

  it('scatter draws every point and the y = x line across the shared domain', () => {
    const svg = predictedVsActualChart({ actual: [0, 5, 10], predicted: [1, 4, 10] }, 'y');
    assertSafeSvg(svg);
    assert.equal((svg.match(/<circle /g) ?? []).length, 3);
    assert.match(svg, /stroke-dasharray="5 4"/);
  });

  it('box plot: quartiles, median, whiskers within 1.5 IQR, outliers; ordered by mean |SHAP|', () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([1, 2, 3, 4, 5], 0.25), 2);
    const vals = [1, 2, 3, 4, 5, 6, 7, 8, 100].map((v, i) => [v, i % 2 ? 0.1 : -0.1]);
    const svg = shapBoxPlot(shap(['big', 'small'], vals));
    assertSafeSvg(svg);
    assert.match(svg, /big: median 5, quartiles 3 to 7, whiskers 1 to 8, 1 outlier \(9 rows\)/);
    assert.match(svg, /small: median -0\.1/);
    assert.ok(svg.indexOf('>big<') < svg.indexOf('>small<'));
    assert.equal((svg.match(/<circle /g) ?? []).length, 1);
  });

  it('the report shows the new sections: classification, regression, and without performance data', () => {
    const cls = renderReport(realisticInput());
    assert.match(cls, /<section id="data"[\s\S]*aria-label="Distribution of defaulted: 2 classes, 2500 rows"[\s\S]*<\/section><\/div>/);
    assert.match(cls, /<section id="metrics"[\s\S]*Confusion matrix[\s\S]*Predicted probability by true class[\s\S]*<section id="importance"/);
    assert.match(cls, /<section id="shap"[\s\S]*SHAP summary, top[\s\S]*SHAP value distribution \(box plot\)[\s\S]*<section id="dependence"/);
    const reg = renderReport(regressionInput());
    assert.match(reg, /aria-label="Distribution of price_k, 900 rows in \d+ bins"/);
    assert.match(reg, /aria-label="Residuals, 900 rows/);
    assert.match(reg, /aria-label="Predicted vs actual, 500 rows"/);
    assert.match(reg, /a seeded sample of 500 of 900 rows/);
    assert.ok(!/Confusion matrix/.test(reg));
    const none = renderReport(degenerateInput());
    assert.match(none, /Target distribution not computed/);
    assert.match(none, /Performance charts not drawn/);
    assert.ok(!/="[^"]*NaN[^"]*"/.test(none));
  });
});
