/**
 * Target-distribution, model-performance and SHAP box-plot charts (explainability.md §6 items 3, 4 and 6), with
 * the rules of charts.ts: standalone <svg>, no script, no ids, every label escaped, an accessible name, no NaN in
 * any attribute (values not computed are left out and counted). Browser-safe: no Node imports.
 */
import type { Histogram, PerformanceData, ShapResult } from '../types';
import { clip, esc, fmt, isNum, meanAbsShap } from './format';
import { COLORS, emptyChart, line, linear, n, rect, svgDoc, text, xAxis, yAxis } from './svg';

/** Class colours for stacked bars, readable on light and dark pages; repeats after eight classes. */
export const CLASS_COLORS = ['#2f6fb5', '#d0453a', '#1e7d3a', '#d98e04', '#7b4fb0', '#0f8b8d', '#a8577e', '#6b7280'];
const classColor = (c: number) => CLASS_COLORS[c % CLASS_COLORS.length];
const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : w.endsWith('s') ? 'es' : 's'}`;
const count = (v: unknown) => (isNum(v) && v > 0 ? v : 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function legend(labels: (string | number)[], x: number, y: number, width: number): string[] {
  const out: string[] = [];
  let cx = x, cy = y;
  labels.forEach((l, c) => {
    const s = clip(String(l), 18);
    const w = 22 + s.length * 6.5;
    if (cx + w > x + width && cx > x) { cx = x; cy += 16; }
    out.push(rect(cx, cy - 9, 10, 10, `fill="${classColor(c)}"`), `<g><title>${esc(String(l))}</title>${text(cx + 14, cy, s, 'font-size="11"')}</g>`);
    cx += w;
  });
  return out;
}

const legendRows = (labels: (string | number)[], width: number) => {
  let rows = 1, cx = 0;
  for (const l of labels) { const w = 22 + clip(String(l), 18).length * 6.5; if (cx + w > width && cx > 0) { rows++; cx = 0; } cx += w; }
  return rows;
};

/**
 * Histogram with one stacked series per class (`series[c][bin]`; one series draws a single colour). Edges must be
 * increasing and one more than the bins; otherwise the chart says it cannot be drawn.
 */
export function histogramChart(edges: number[], series: number[][], opts: { title: string; xLabel: string; labels?: (string | number)[] }): string {
  const bins = edges.length - 1;
  const ok = bins >= 1 && edges.every(isNum) && edges.every((e, i) => i === 0 || e > edges[i - 1]) && series.length > 0 && series.every((s) => s.length === bins);
  if (!ok) return emptyChart(opts.title, `${opts.title}: not computed`);
  const totals = Array.from({ length: bins }, (_, b) => series.reduce((a, s) => a + count(s[b]), 0));
  const rows = totals.reduce((a, b) => a + b, 0);
  if (rows === 0) return emptyChart(opts.title, `${opts.title}: no rows`);
  const labels = opts.labels && series.length > 1 ? opts.labels : undefined;
  const W = 560, L = 58, R = 14, T = 12, B = 44;
  const legendH = labels ? legendRows(labels, W - L - R) * 16 + 6 : 0;
  const plotBottom = 230;
  const sx = linear(edges[0], edges[bins], L, W - R);
  const sy = linear(0, Math.max(...totals), plotBottom, T + legendH, 4);
  const body = [...yAxis(sy, L, W - R, 'rows'), ...xAxis(sx, plotBottom, T + legendH, opts.xLabel)];
  if (labels) body.push(...legend(labels, L, T + 9, W - L - R));
  for (let b = 0; b < bins; b++) {
    let acc = 0;
    const x0 = sx(edges[b]), x1 = sx(edges[b + 1]);
    series.forEach((s, c) => {
      const v = count(s[b]);
      if (v === 0) return;
      const tip = `${labels ? `${labels[c]}: ` : ''}${v} row${v === 1 ? '' : 's'} in [${fmt(edges[b])}, ${fmt(edges[b + 1])}${b === bins - 1 ? ']' : ')'}`;
      body.push(rect(x0 + 0.5, sy(acc + v), Math.max(0.5, x1 - x0 - 1), sy(acc) - sy(acc + v), `fill="${classColor(series.length > 1 ? c : 0)}"`, tip));
      acc += v;
    });
  }
  return svgDoc(W, plotBottom + B, `${opts.title}, ${plural(rows, 'row')} in ${plural(bins, 'bin')}`, body);
}

/** Rows per class as horizontal bars, or a histogram of a numeric target. */
export function targetDistributionChart(td: PerformanceData['targetDistribution'] | undefined, target: string): string {
  const title = `Distribution of ${target}`;
  if (!td) return emptyChart(title, 'Target distribution not computed');
  if ('edges' in td) return histogramChart(td.edges, [td.counts], { title, xLabel: clip(target, 50) });
  const k = Math.min(td.labels.length, td.counts.length);
  if (k === 0) return emptyChart(title, 'Target distribution not computed');
  const total = td.counts.slice(0, k).reduce((a: number, b) => a + count(b), 0);
  const W = 560, L = 160, R = 90, T = 8, H = 24;
  const bottom = T + k * H;
  const s = linear(0, Math.max(1, ...td.counts.slice(0, k).map(count)), L, W - R, 4);
  const body = [...xAxis(s, bottom, T, `rows (${total} in all)`)];
  for (let c = 0; c < k; c++) {
    const v = count(td.counts[c]);
    const label = String(td.labels[c]);
    const y = T + c * H;
    const share = total ? ` (${fmt((100 * v) / total, 3)}%)` : '';
    body.push(`<g><title>${esc(label)}</title>${text(L - 8, y + 16, clip(label, 22), 'text-anchor="end"')}</g>`);
    body.push(rect(s(0), y + 4, s(v) - s(0), H - 8, `fill="${classColor(c)}"`, `${label}: ${v} rows${share}`));
    body.push(text(s(v) + 6, y + 16, `${v}${share}`, 'font-size="11"'));
  }
  return svgDoc(W, bottom + 40, `${title}: ${plural(k, 'class')}, ${plural(total, 'row')}`, body);
}

/** Confusion matrix: rows are true classes, columns predicted; shade is the share of the true class's rows. */
export function confusionMatrix(c: PerformanceData['confusion'] | undefined): string {
  const title = 'Confusion matrix';
  const k = c?.labels.length ?? 0;
  if (!c || k === 0 || c.matrix.length !== k || c.matrix.some((r) => r.length !== k)) return emptyChart(title, 'Confusion matrix not computed');
  const rule = isNum(c.threshold) ? `predicted at probability ≥ ${fmt(c.threshold)}` : 'predicted class = highest probability';
  const cell = Math.max(28, Math.min(64, Math.floor(320 / k)));
  const L = 150, T = 44;
  const W = Math.max(420, L + k * cell + 24);
  const Hh = T + k * cell + 44;
  const body = [text(L + (k * cell) / 2, 14, `Predicted class (${rule})`, 'text-anchor="middle" fill-opacity="0.85" font-size="11"')];
  body.push(`<text x="0" y="0" transform="translate(14 ${n(T + (k * cell) / 2)}) rotate(-90)" text-anchor="middle" fill-opacity="0.85" font-size="11">True class</text>`);
  let correct = 0, total = 0;
  for (let i = 0; i < k; i++) {
    const rowTotal = c.matrix[i].reduce((a: number, b) => a + count(b), 0);
    const li = String(c.labels[i]);
    body.push(`<g><title>${esc(li)}</title>${text(L - 8, T + i * cell + cell / 2 + 4, clip(li, 18), 'text-anchor="end"')}</g>`);
    body.push(`<g><title>${esc(li)}</title>${text(L + i * cell + cell / 2, T - 8, clip(li, Math.max(3, Math.floor(cell / 7))), 'text-anchor="middle" font-size="11"')}</g>`);
    for (let j = 0; j < k; j++) {
      const v = count(c.matrix[i][j]);
      total += v;
      if (i === j) correct += v;
      const share = rowTotal ? v / rowTotal : 0;
      const color = i === j ? COLORS.pass : COLORS.fail;
      const tip = `true ${li}, predicted ${c.labels[j]}: ${v} row${v === 1 ? '' : 's'}${rowTotal ? ` (${fmt(100 * share, 3)}% of true ${li})` : ''}`;
      body.push(rect(L + j * cell + 1, T + i * cell + 1, cell - 2, cell - 2, `fill="${color}" fill-opacity="${n(0.08 + 0.7 * share)}" stroke="currentColor" stroke-opacity="0.2"`, tip));
      body.push(text(L + j * cell + cell / 2, T + i * cell + cell / 2 + 4, String(v), `text-anchor="middle" font-size="${cell < 40 ? 10 : 12}"${share > 0.6 ? ' font-weight="600"' : ''}`));
    }
  }
  body.push(text(L, T + k * cell + 22, `${correct} of ${total} rows on the diagonal (correct)`, 'font-size="11" fill-opacity="0.75"'));
  return svgDoc(W, Hh, `${title}, ${plural(k, 'class')}, ${rule}`, body);
}

/** Predicted against actual values, one dot per sampled row, with the y = x line a perfect model would sit on. */
export function predictedVsActualChart(pva: PerformanceData['predictedVsActual'] | undefined, target: string): string {
  const title = 'Predicted vs actual';
  const pts = (pva ? pva.actual.map((a, i) => [a, pva.predicted[i]]) : []).filter((p) => isNum(p[0]) && isNum(p[1]));
  if (!pts.length) return emptyChart(title, 'Predicted vs actual not computed', 420);
  const all = pts.flat();
  const W = 420, Hh = 300, L = 58, R = 14, T = 12, B = 44;
  const s0 = linear(Math.min(...all), Math.max(...all), 0, 1, 4);
  const sx = linear(s0.domain[0], s0.domain[1], L, W - R, 4);
  const sy = linear(s0.domain[0], s0.domain[1], Hh - B, T, 4);
  const [d0, d1] = sx.domain;
  const body = [
    ...yAxis(sy, L, W - R, 'predicted'),
    ...xAxis(sx, Hh - B, T, `actual ${clip(target, 40)}`),
    line(sx(d0), sy(d0), sx(d1), sy(d1), `stroke="${COLORS.pd}" stroke-width="1.5" stroke-dasharray="5 4"`),
    `<g fill="${COLORS.bar}" fill-opacity="0.55">${pts.map((p) => `<circle cx="${n(sx(p[0]))}" cy="${n(sy(p[1]))}" r="2.4"/>`).join('')}</g>`,
    text(W - R - 4, T + 14, 'dashed: predicted = actual', 'text-anchor="end" font-size="11" fill-opacity="0.75"'),
  ];
  return svgDoc(W, Hh, `${title}, ${plural(pts.length, 'row')}`, body);
}

/** Linear-interpolated quantile of sorted values (the "type 7" rule numpy uses by default). */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/**
 * Box plot of SHAP values per feature, ordered by mean |SHAP| as the beeswarm: the box spans the quartiles, the
 * bar inside is the median, whiskers reach the furthest value within 1.5 × IQR, dots beyond are outliers.
 */
export function shapBoxPlot(shap: ShapResult, opts: { top?: number } = {}): string {
  const title = 'SHAP value distribution';
  const means = meanAbsShap(shap);
  const order = shap.featureNames.map((name, f) => ({ f, name, mean: means[f] })).filter((r) => isNum(r.mean))
    .sort((a, b) => b.mean - a.mean || cmp(a.name, b.name)).slice(0, Math.max(1, opts.top ?? 15));
  if (!order.length || !shap.values.length) return emptyChart(title, 'SHAP values not computed');
  const stats = order.map((o) => {
    const v = shap.values.map((r) => r[o.f]).filter(isNum).sort((a, b) => a - b);
    const [q1, med, q3] = [0.25, 0.5, 0.75].map((q) => quantile(v, q));
    const iqr = q3 - q1;
    const inside = v.filter((x) => x >= q1 - 1.5 * iqr && x <= q3 + 1.5 * iqr);
    return { ...o, q1, med, q3, lo: inside[0] ?? q1, hi: inside[inside.length - 1] ?? q3, outliers: v.filter((x) => x < q1 - 1.5 * iqr || x > q3 + 1.5 * iqr), n: v.length };
  });
  const all = stats.flatMap((s) => [s.lo, s.hi, ...s.outliers]);
  const W = 560, L = 196, R = 30, T = 8, H = 26;
  const bottom = T + stats.length * H;
  const s = linear(Math.min(0, ...all), Math.max(0, ...all), L, W - R);
  const body = [...xAxis(s, bottom, T, `SHAP value (impact on ${shap.outputSpace}), ${plural(shap.values.length, 'row')}`)];
  stats.forEach((b, i) => {
    const y = T + i * H + H / 2;
    body.push(`<g><title>${esc(b.name)}</title>${text(L - 8, y + 4, clip(b.name, 26), 'text-anchor="end"')}</g>`);
    const tip = `${b.name}: median ${fmt(b.med)}, quartiles ${fmt(b.q1)} to ${fmt(b.q3)}, whiskers ${fmt(b.lo)} to ${fmt(b.hi)}, ${plural(b.outliers.length, 'outlier')} (${b.n} rows)`;
    body.push(line(s(b.lo), y, s(b.q1), y, 'stroke="currentColor" stroke-opacity="0.7"'), line(s(b.q3), y, s(b.hi), y, 'stroke="currentColor" stroke-opacity="0.7"'));
    body.push(line(s(b.lo), y - 4, s(b.lo), y + 4, 'stroke="currentColor" stroke-opacity="0.7"'), line(s(b.hi), y - 4, s(b.hi), y + 4, 'stroke="currentColor" stroke-opacity="0.7"'));
    body.push(rect(s(b.q1), y - 7, Math.max(1, s(b.q3) - s(b.q1)), 14, `fill="${COLORS.bar}" fill-opacity="0.35" stroke="${COLORS.bar}"`, tip));
    body.push(line(s(b.med), y - 7, s(b.med), y + 7, `stroke="${COLORS.pd}" stroke-width="2"`));
    if (b.outliers.length) body.push(`<g fill="none" stroke="currentColor" stroke-opacity="0.55">${b.outliers.map((v) => `<circle cx="${n(s(v))}" cy="${n(y)}" r="2"/>`).join('')}</g>`);
  });
  const missing = shap.featureNames.length - means.filter(isNum).length;
  const notes = missing > 0 ? [text(L, bottom + 48, `${plural(missing, 'feature')} not computed (left out)`, 'font-size="11" fill-opacity="0.75" font-style="italic"')] : [];
  return svgDoc(W, bottom + 40 + notes.length * 14 + 6, `${title} (box plot), top ${stats.length} features by mean |SHAP|`, [...body, ...notes]);
}

/** Residual histogram (actual − predicted). */
export function residualChart(h: Histogram | undefined, target: string): string {
  return h ? histogramChart(h.edges, [h.counts], { title: 'Residuals', xLabel: `actual − predicted ${clip(target, 40)}` }) : emptyChart('Residuals', 'Residuals not computed');
}

/** Predicted probability of the explained class, stacked by true class. */
export function probabilityChart(ph: PerformanceData['probabilityHistogram'] | undefined, explained?: string | number): string {
  const title = 'Predicted probability';
  if (!ph) return emptyChart(title, 'Predicted probabilities not computed');
  return histogramChart(ph.edges, ph.countsByClass, { title: `${title} by true class`, xLabel: `predicted probability${explained === undefined ? '' : ` of ${clip(String(explained), 30)}`}`, labels: ph.labels.map((l) => `true ${l}`) });
}
