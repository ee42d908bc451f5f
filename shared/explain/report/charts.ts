/**
 * The explanation charts as standalone <svg> strings: no script, no external references, no ids (several charts
 * share one page), every text from models and data escaped, an accessible name on each. Used by the HTML report
 * and by the results tab, so this file stays browser-safe (no Node imports). Values that were not computed (NaN)
 * are left out and said so in the chart; no attribute ever holds NaN.
 */
import type { Matrix, PartialDependence, PermutationImportance, ShapResult } from '../types';
import { clip, esc, fmt, isNum, meanAbsShap, METRIC_LABEL } from './format';
import { COLORS, emptyChart, line, linear, n, ramp, rect, svgDoc, text, xAxis, yAxis } from './svg';

export { lineageGraph } from './lineage';
export { confusionMatrix, histogramChart, predictedVsActualChart, probabilityChart, residualChart, shapBoxPlot, targetDistributionChart } from './perfCharts';

const LABEL_CHARS = 26;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A feature label at the left of a row, cut to fit, the full name in a tooltip. */
function rowLabel(x: number, y: number, name: string, extra = ''): string {
  return `<g><title>${esc(name)}</title>${text(x, y, clip(name, LABEL_CHARS) + extra, 'text-anchor="end"')}</g>`;
}

function notComputedNote(count: number, what: string, x: number, y: number): string[] {
  return count > 0 ? [text(x, y, `${count} ${what}${count === 1 ? '' : 's'} not computed (left out)`, 'font-size="11" fill-opacity="0.75" font-style="italic"')] : [];
}

/** Permutation importance: one bar per feature (mean drop in the metric) with a ± sd error bar, largest first. */
export function importanceBars(pi: PermutationImportance, opts: { top?: number } = {}): string {
  const title = `Permutation importance (${METRIC_LABEL[pi.metric] ?? pi.metric})`;
  const all = pi.featureNames.map((name, i) => ({ name, mean: pi.mean[i], sd: isNum(pi.std[i]) ? Math.abs(pi.std[i]) : 0 }));
  const rows = all.filter((r) => isNum(r.mean)).sort((a, b) => b.mean - a.mean || cmp(a.name, b.name));
  const missing = all.length - rows.length;
  if (rows.length === 0) return emptyChart(title, 'Permutation importance not computed');
  const shown = rows.slice(0, Math.max(1, opts.top ?? 15));
  const W = 560, L = 196, R = 70, T = 8, H = 22;
  const bottom = T + shown.length * H;
  const s = linear(Math.min(0, ...shown.map((r) => r.mean - r.sd)), Math.max(0, ...shown.map((r) => r.mean + r.sd)), L, W - R);
  const body = [...xAxis(s, bottom, T, `Drop in ${METRIC_LABEL[pi.metric] ?? pi.metric} when shuffled (mean ± sd, ${pi.repeats} repeats)`)];
  shown.forEach((r, i) => {
    const y = T + i * H;
    const tip = `${r.name}: ${fmt(r.mean)} ± ${fmt(r.sd)}`;
    body.push(rowLabel(L - 8, y + 15, r.name));
    body.push(rect(s(0), y + 4, s(r.mean) - s(0), H - 8, `fill="${COLORS.bar}"`, tip));
    if (r.sd > 0) {
      const [a, b, c] = [s(r.mean - r.sd), s(r.mean + r.sd), y + H / 2];
      body.push(`<path d="M${n(a)} ${n(c - 4)}V${n(c + 4)}M${n(a)} ${n(c)}H${n(b)}M${n(b)} ${n(c - 4)}V${n(c + 4)}" stroke="currentColor" stroke-width="1.2" fill="none"/>`);
    }
    body.push(text(Math.max(s(r.mean + r.sd), s(0)) + 6, y + 15, fmt(r.mean, 3), 'font-size="11"'));
  });
  const more = rows.length - shown.length;
  const notes = [...(more > 0 ? [text(L, bottom + 48, `${more} more feature${more === 1 ? '' : 's'} not shown`, 'font-size="11" fill-opacity="0.75"')] : []), ...notComputedNote(missing, 'feature', L, bottom + (more > 0 ? 62 : 48))];
  return svgDoc(W, bottom + 40 + notes.length * 14 + 6, `${title}, top ${shown.length} of ${all.length} features`, [...body, ...notes]);
}

/**
 * Feature value of explained row r. `x` is the whole evaluation matrix, indexed by `shap.rowIndices` (what the gate
 * passes); when some row index lies outside it, `x` must hold just the explained rows, in order.
 */
function featureValue(shap: ShapResult, x: Matrix | undefined, r: number, f: number): number {
  if (!x || x.cols !== shap.featureNames.length) return NaN;
  const byIndex = shap.rowIndices.length === shap.values.length && shap.rowIndices.every((i) => Number.isInteger(i) && i >= 0 && i < x.rows);
  const row = byIndex ? shap.rowIndices[r] : x.rows === shap.values.length ? r : NaN;
  return isNum(row) && row >= 0 && row < x.rows ? x.data[row * x.cols + f] : NaN;
}

/** Rows of a SHAP summary, ordered by mean |SHAP| (features with nothing computed are left out). */
function shapOrder(shap: ShapResult, top: number): { f: number; name: string; mean: number }[] {
  const means = meanAbsShap(shap);
  return shap.featureNames
    .map((name, f) => ({ f, name, mean: means[f] }))
    .filter((r) => isNum(r.mean))
    .sort((a, b) => b.mean - a.mean || cmp(a.name, b.name))
    .slice(0, Math.max(1, top));
}

/**
 * SHAP summary. With the explained rows' feature values (`x`): a beeswarm, one dot per row and feature at its
 * SHAP value, coloured from low (blue) to high (red) feature value. Without: bars of mean |SHAP|.
 */
export function shapSummary(shap: ShapResult, x?: Matrix, opts: { top?: number; maxRows?: number } = {}): string {
  const order = shapOrder(shap, opts.top ?? 15);
  const missing = shap.featureNames.length - meanAbsShap(shap).filter(isNum).length;
  const kind = x ? 'SHAP summary' : 'Mean |SHAP|';
  if (order.length === 0 || shap.values.length === 0) return emptyChart(kind, 'SHAP values not computed');
  const W = 560, L = 196, R = x ? 44 : 70, T = 8, H = x ? 26 : 22;
  const bottom = T + order.length * H;
  const body: string[] = [];
  if (!x) {
    const s = linear(0, Math.max(...order.map((o) => o.mean)), L, W - R);
    body.push(...xAxis(s, bottom, T, `Mean |SHAP value| over ${shap.values.length} rows (${shap.outputSpace})`));
    order.forEach((o, i) => {
      const y = T + i * H;
      body.push(rowLabel(L - 8, y + 15, o.name), rect(s(0), y + 4, s(o.mean) - s(0), H - 8, `fill="${COLORS.bar}"`, `${o.name}: ${fmt(o.mean)}`));
      body.push(text(s(o.mean) + 6, y + 15, fmt(o.mean, 3), 'font-size="11"'));
    });
  } else {
    // Evenly strided rows keep the page small and the picture the same when thousands of rows were explained.
    const maxRows = Math.max(1, opts.maxRows ?? 400);
    const stride = Math.max(1, Math.ceil(shap.values.length / maxRows));
    const rows = shap.values.map((_, r) => r).filter((r) => r % stride === 0);
    const vals = rows.flatMap((r) => order.map((o) => shap.values[r][o.f])).filter(isNum);
    const s = linear(Math.min(0, ...vals), Math.max(0, ...vals), L, W - R);
    body.push(...xAxis(s, bottom, T, `SHAP value (impact on ${shap.outputSpace}), ${rows.length} rows`));
    order.forEach((o, i) => {
      const y = T + i * H + H / 2;
      body.push(rowLabel(L - 8, y + 4, o.name));
      const fv = rows.map((r) => featureValue(shap, x, r, o.f));
      const finite = fv.filter(isNum);
      const [lo, hi] = finite.length ? [Math.min(...finite), Math.max(...finite)] : [NaN, NaN];
      const bins = new Map<number, number>();
      const dots: string[] = [];
      rows.forEach((r, k) => {
        const v = shap.values[r][o.f];
        if (!isNum(v)) return;
        // Deterministic swarm: dots in the same 3 px bin alternate above and below the centre line.
        const px = s(v);
        const bin = Math.round(px / 3);
        const c = bins.get(bin) ?? 0;
        bins.set(bin, c + 1);
        const dy = (((c + 1) >> 1) * 2.2 * (c % 2 ? -1 : 1)) % (H / 2 - 2);
        const t = isNum(fv[k]) && hi > lo ? (fv[k] - lo) / (hi - lo) : isNum(fv[k]) ? 0.5 : NaN;
        dots.push(`<circle cx="${n(px)}" cy="${n(y + dy)}" r="2.2" fill="${ramp(t)}" fill-opacity="0.85"/>`);
      });
      body.push(`<g>${dots.join('')}</g>`);
    });
    // Legend: ten swatches instead of a gradient (a gradient needs an id, and ids clash between charts).
    for (let k = 0; k < 10; k++) body.push(rect(W - R - 100 + k * 10, bottom + 36, 10, 8, `fill="${ramp(k / 9)}"`));
    body.push(text(W - R - 104, bottom + 44, 'feature value: low', 'text-anchor="end" font-size="11"'), text(W - R + 4, bottom + 44, 'high', 'font-size="11"'));
  }
  const notes = notComputedNote(missing, 'feature', L, bottom + (x ? 60 : 48));
  return svgDoc(W, bottom + (x ? 52 : 40) + notes.length * 14 + 6, `${kind}, top ${order.length} features by mean |SHAP|`, [...body, ...notes]);
}

/** Partial dependence of one feature (thick line, points on the grid) over its ICE lines (thin, one per sampled row). */
export function dependencePlot(feature: string, pd: PartialDependence, opts: { yLabel?: string } = {}): string {
  const title = `Partial dependence of ${feature}`;
  const idx = pd.grid.map((_, i) => i).filter((i) => isNum(pd.grid[i]) && isNum(pd.average[i]));
  if (idx.length === 0) return emptyChart(title, `Partial dependence of ${clip(feature, 40)} not computed`, 420);
  const ice = (pd.ice ?? []).map((l) => pd.grid.map((_, i) => i).filter((i) => isNum(pd.grid[i]) && isNum(l[i])).map((i) => [pd.grid[i], l[i]]));
  const ys = [...idx.map((i) => pd.average[i]), ...ice.flat().map((p) => p[1])];
  const W = 420, Hh = 262, L = 58, R = 14, T = 40, B = 44;
  const sx = linear(Math.min(...idx.map((i) => pd.grid[i])), Math.max(...idx.map((i) => pd.grid[i])), L, W - R, 4);
  const sy = linear(Math.min(...ys), Math.max(...ys), Hh - B, T, 4);
  const path = (pts: number[][]) => pts.map((p, k) => `${k ? 'L' : 'M'}${n(sx(p[0]))} ${n(sy(p[1]))}`).join('');
  const body = [
    `<g><title>${esc(feature)}</title>${text(8, 15, clip(feature, 56), 'font-weight="600"')}</g>`,
    ...yAxis(sy, L, W - R),
    ...xAxis(sx, Hh - B, T, clip(feature, 50)),
    `<g fill="none" stroke="${COLORS.ice}" stroke-opacity="0.35" stroke-width="1">${ice.filter((l) => l.length > 1).map((l) => `<path d="${path(l)}"/>`).join('')}</g>`,
    `<path d="${path(idx.map((i) => [pd.grid[i], pd.average[i]]))}" fill="none" stroke="${COLORS.pd}" stroke-width="2.5"/>`,
    ...idx.map((i) => `<circle cx="${n(sx(pd.grid[i]))}" cy="${n(sy(pd.average[i]))}" r="2.5" fill="${COLORS.pd}"><title>${esc(`${feature} = ${fmt(pd.grid[i])}: ${fmt(pd.average[i])}`)}</title></circle>`),
  ];
  if (opts.yLabel) body.push(`<text x="0" y="0" transform="translate(12 ${n((T + Hh - B) / 2)}) rotate(-90)" text-anchor="middle" font-size="11" fill-opacity="0.85">${esc(opts.yLabel)}</text>`);
  const legend = ice.length ? `PD (red) over ${ice.length} ICE line${ice.length === 1 ? '' : 's'}` : 'PD';
  body.push(text(8, 30, legend, 'font-size="11" fill-opacity="0.75"'));
  return svgDoc(W, Hh, `${title}${ice.length ? ` with ${ice.length} ICE lines` : ''}`, body);
}

/**
 * Local explanation of one explained row as a waterfall: from the base value E[f(x)], each feature's SHAP value
 * moves the running total (red up, blue down) until the model output f(x). The `top` largest |φ| get their own
 * bar; the rest share one. `x` (optional) adds the row's feature values to the labels.
 */
export function localExplanation(shap: ShapResult, rowPosition: number, top = 10, x?: Matrix): string {
  const rowId = shap.rowIndices[rowPosition];
  const title = `Local explanation of row ${isNum(rowId) ? rowId : rowPosition}`;
  const phi = shap.values[rowPosition];
  if (!phi) return emptyChart(title, `Row position ${rowPosition} was not explained`);
  const contrib = phi.map((v, f) => ({ f, name: shap.featureNames[f] ?? `feature ${f}`, v })).filter((c) => isNum(c.v));
  const base = shap.baseValue;
  const out = shap.outputs[rowPosition];
  if (contrib.length === 0 || !isNum(base)) return emptyChart(title, 'SHAP values not computed for this row');
  contrib.sort((a, b) => Math.abs(b.v) - Math.abs(a.v) || cmp(a.name, b.name));
  const k = Math.max(1, top);
  const bars: { label: string; full: string; v: number }[] = contrib.slice(0, k).map((c) => {
    const fv = featureValue(shap, x, rowPosition, c.f);
    return { label: clip(c.name, 22) + (isNum(fv) ? ` = ${fmt(fv, 3)}` : ''), full: c.name + (isNum(fv) ? ` = ${fmt(fv)}` : ''), v: c.v };
  });
  const rest = contrib.slice(k);
  if (rest.length) bars.push({ label: `${rest.length} other features`, full: `${rest.length} other features`, v: rest.reduce((a, c) => a + c.v, 0) });
  const end = isNum(out) ? out : bars.reduce((a, b) => a + b.v, base);
  const W = 560, L = 220, R = 70, T = 8, H = 22;
  const bottom = T + (bars.length + 2) * H;
  let run = base;
  const points = [base, end, ...bars.map((b) => (run += b.v))];
  const s = linear(Math.min(...points), Math.max(...points), L, W - R);
  const body = [...xAxis(s, bottom, T, `Model output (${shap.outputSpace})`)];
  const marker = (i: number, v: number, label: string) => [
    text(L - 8, T + i * H + 15, label, 'text-anchor="end" font-weight="600"'),
    line(s(v), T + i * H + 3, s(v), T + i * H + H - 3, 'stroke="currentColor" stroke-width="2"'),
    text(s(v) + 6, T + i * H + 15, fmt(v, 4), 'font-size="11"'),
  ];
  body.push(...marker(0, base, 'base value E[f(x)]'));
  run = base;
  bars.forEach((b, i) => {
    const y = T + (i + 1) * H;
    const color = b.v >= 0 ? COLORS.positive : COLORS.negative;
    body.push(`<g><title>${esc(b.full)}</title>${text(L - 8, y + 15, b.label, 'text-anchor="end"')}</g>`);
    body.push(rect(s(run), y + 4, s(run + b.v) - s(run), H - 8, `fill="${color}"`, `${b.full}: ${b.v >= 0 ? '+' : ''}${fmt(b.v)}`));
    body.push(text(Math.max(s(run), s(run + b.v)) + 6, y + 15, `${b.v >= 0 ? '+' : ''}${fmt(b.v, 3)}`, 'font-size="11"'));
    run += b.v;
  });
  body.push(...marker(bars.length + 1, end, isNum(out) ? 'prediction f(x)' : 'f(x) (sum; output not recorded)'));
  const skipped = phi.length - contrib.length;
  const notes = notComputedNote(skipped, 'feature', L, bottom + 48);
  return svgDoc(W, bottom + 40 + notes.length * 14 + 6, `${title}: ${fmt(base)} to ${fmt(end)}`, [...body, ...notes]);
}
