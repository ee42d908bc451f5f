/**
 * SVG primitives for the charts: a linear scale with round ticks, a safe coordinate formatter (never NaN), the
 * document wrapper with its accessible name, and the colour ramp. Text and axes use currentColor so a chart
 * follows the page's theme (light report, dark results tab).
 */
import { esc, fmt, isNum } from './format';

export const FONT = 'system-ui,-apple-system,Segoe UI,Roboto,sans-serif';
export const COLORS = {
  bar: '#2f6fb5',
  positive: '#d0453a',
  negative: '#2f6fb5',
  pd: '#d0453a',
  ice: '#7a8ea6',
  grid: 'currentColor',
  pass: '#1e7d3a',
  fail: '#c0392b',
  unknown: '#8a8f98',
};

/** A coordinate for an attribute: finite, rounded to 0.1 px. Non-finite values become 0 (callers filter first). */
export function n(v: number): string {
  if (!isNum(v)) return '0';
  const r = Math.round(v * 10) / 10;
  return String(Object.is(r, -0) ? 0 : r);
}

export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks: number[];
}

/** "Nice" tick step (1, 2 or 5 × 10^k) giving about `count` ticks over the span. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/**
 * Linear scale from [lo, hi] to [r0, r1], widened to round ticks. A degenerate or non-finite domain (all values
 * equal, or nothing computed) becomes a unit span around the value, so nothing divides by zero.
 */
export function linear(lo: number, hi: number, r0: number, r1: number, tickCount = 5): Scale {
  if (!isNum(lo) || !isNum(hi)) [lo, hi] = [0, 1];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (hi - lo < 1e-12) {
    const pad = Math.abs(lo) > 1e-12 ? Math.abs(lo) * 0.5 : 1;
    [lo, hi] = lo === 0 ? [0, 1] : [lo - pad, hi + pad];
  }
  const step = niceStep(hi - lo, tickCount);
  const d0 = Math.floor(lo / step + 1e-9) * step;
  const d1 = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let t = d0; t <= d1 + step * 1e-6; t += step) ticks.push(Number(t.toPrecision(12)));
  const s = ((v: number) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0)) as Scale;
  s.domain = [d0, d1];
  s.ticks = ticks;
  return s;
}

/** The outer <svg>: viewBox sizing (scales to its box), an accessible name, and a tooltip title. */
export function svgDoc(width: number, height: number, label: string, body: string[], cls = 'mg-chart'): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="${esc(cls)}" viewBox="0 0 ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}" role="img" aria-label="${esc(label)}" font-family="${FONT}" font-size="12" fill="currentColor">`,
    `<title>${esc(label)}</title>`,
    ...body,
    '</svg>',
  ].join('\n');
}

export function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${n(x)}" y="${n(y)}"${attrs ? ` ${attrs}` : ''}>${esc(s)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, attrs: string): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" ${attrs}/>`;
}

export function rect(x: number, y: number, w: number, h: number, attrs: string, title?: string): string {
  const [x0, w0] = w < 0 ? [x + w, -w] : [x, w];
  const open = `<rect x="${n(x0)}" y="${n(y)}" width="${n(w0)}" height="${n(Math.max(0, h))}" ${attrs}`;
  return title === undefined ? `${open}/>` : `${open}><title>${esc(title)}</title></rect>`;
}

/** A horizontal value axis at `y`: grid lines up to `top`, tick labels below, and an optional caption. */
export function xAxis(s: Scale, y: number, top: number, caption?: string): string[] {
  const out: string[] = [];
  for (const t of s.ticks) {
    out.push(line(s(t), top, s(t), y, `stroke="currentColor" stroke-opacity="${t === 0 ? 0.5 : 0.12}"`));
    out.push(text(s(t), y + 14, fmt(t, 3), 'text-anchor="middle" fill-opacity="0.75" font-size="11"'));
  }
  if (caption) out.push(text((s(s.domain[0]) + s(s.domain[1])) / 2, y + 30, caption, 'text-anchor="middle" fill-opacity="0.85"'));
  return out;
}

/** A vertical value axis at `x` with grid lines across to `right`. */
export function yAxis(s: Scale, x: number, right: number, caption?: string): string[] {
  const out: string[] = [];
  for (const t of s.ticks) {
    out.push(line(x, s(t), right, s(t), `stroke="currentColor" stroke-opacity="0.12"`));
    out.push(text(x - 6, s(t) + 4, fmt(t, 3), 'text-anchor="end" fill-opacity="0.75" font-size="11"'));
  }
  if (caption) {
    const mid = (s(s.domain[0]) + s(s.domain[1])) / 2;
    out.push(`<text x="0" y="0" transform="translate(${n(x - 44)} ${n(mid)}) rotate(-90)" text-anchor="middle" fill-opacity="0.85">${esc(caption)}</text>`);
  }
  return out;
}

/** Blue (low) → purple → red (high) for t in [0, 1]; grey when unknown. */
export function ramp(t: number): string {
  if (!isNum(t)) return COLORS.unknown;
  const c = Math.min(1, Math.max(0, t));
  const lo = [0x1e, 0x88, 0xe5];
  const hi = [0xff, 0x00, 0x52];
  const mix = lo.map((v, i) => Math.round(v + (hi[i] - v) * c));
  return `#${mix.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** A "nothing to draw" chart: a box with a reason, so a section never silently loses its chart. */
export function emptyChart(label: string, reason: string, width = 560): string {
  return svgDoc(width, 60, `${label}: ${reason}`, [
    rect(0.5, 0.5, width - 1, 59, 'fill="none" stroke="currentColor" stroke-opacity="0.25" stroke-dasharray="4 3"'),
    text(width / 2, 34, reason, 'text-anchor="middle" fill-opacity="0.8"'),
  ], 'mg-chart mg-empty');
}
