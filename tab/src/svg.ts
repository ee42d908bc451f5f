/**
 * The chart functions (shared/explain/report/charts.ts) return SVG text they have escaped. The tab still
 * parses it as XML and keeps only drawing elements and plain attributes before it enters the page: no script,
 * no event handlers, no external references, no foreignObject. Defence in depth for a page that shows
 * attachment content.
 */
const ELEMENTS = new Set(['svg', 'g', 'rect', 'line', 'path', 'circle', 'ellipse', 'polyline', 'polygon', 'text', 'tspan', 'title', 'desc', 'defs', 'lineargradient', 'stop', 'clippath', 'marker']);

function clean(el: Element): void {
  for (const child of [...el.children]) {
    if (!ELEMENTS.has(child.localName.toLowerCase())) child.remove();
    else clean(child);
  }
  for (const a of [...el.attributes]) {
    const n = a.name.toLowerCase();
    const v = a.value.trim().toLowerCase();
    if (n.startsWith('on') || ((n === 'href' || n.endsWith(':href')) && !v.startsWith('#')) || (n === 'style' && /url\s*\(|expression|@import/.test(v)) || /^\s*javascript:/.test(v)) el.removeAttribute(a.name);
  }
}

export function sanitizedSvg(markup: string | undefined): SVGSVGElement | undefined {
  if (!markup) return undefined;
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) return undefined;
  clean(root);
  return document.importNode(root, true) as unknown as SVGSVGElement;
}
