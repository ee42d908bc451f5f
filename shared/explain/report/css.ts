/**
 * The report's only stylesheet, inlined into the page. Light by default, dark when the reader's system asks for
 * it; charts follow through currentColor. Narrow screens: one column, charts scale to the width, tables and
 * the lineage graph scroll inside their own box so the page never scrolls sideways. Print: no backgrounds,
 * sections not split across pages where avoidable, URLs printed after links.
 */
export const REPORT_CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--pass:#1e7d3a;--fail:#c0392b;--warn:#9a6700;--link:#0b5cad}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--bg:#0d1117;--panel:#161b22;--line:#30363d;--pass:#3fb950;--fail:#f85149;--warn:#d29922;--link:#58a6ff}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
main{max-width:1180px;margin:0 auto;padding:16px 20px 48px}
a{color:var(--link)}
h1{font-size:1.6rem;margin:.2em 0 .1em;line-height:1.25}
h2{font-size:1.25rem;margin:0 0 .6em;padding-bottom:.25em;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:1em 0 .4em}h3.first{margin-top:0}
section{margin:28px 0;break-inside:auto}
.sub{color:var(--muted);margin:0}
.banner{display:flex;flex-wrap:wrap;gap:12px 24px;align-items:center;padding:12px 16px;border-radius:8px;border:2px solid var(--line);background:var(--panel);margin:14px 0}
.banner.passed{border-color:var(--pass)}.banner.failed{border-color:var(--fail)}
.verdict{font-weight:700;font-size:1.15rem}
.passed .verdict,.ok{color:var(--pass)}.failed .verdict,.bad{color:var(--fail)}
.kpi{display:flex;flex-direction:column}.kpi b{font-size:1.3rem}.kpi span{color:var(--muted);font-size:.85rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:16px 24px}
.grid3{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,330px),1fr));gap:16px}
figure{margin:0;min-width:0}
figure.single{max-width:700px}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:0 32px}.pair>section{min-width:0}
figcaption{color:var(--muted);font-size:.85rem;margin-top:4px}
svg.mg-chart{display:block;width:100%;height:auto;max-width:100%}
.scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}
.scroll svg.mg-lineage{min-width:720px}
table{border-collapse:collapse;width:100%;font-size:.9rem;overflow-wrap:break-word}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}
code,.mono{font-family:ui-monospace,SFMono-Regular,Consolas,monospace;font-size:.85em;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;min-width:0}
.note{color:var(--muted);font-style:italic}
ul.warn{padding-left:1.2em}ul.warn li::marker{content:"⚠ ";color:var(--warn)}
.chip{display:inline-block;padding:0 8px;border-radius:10px;font-size:.8rem;font-weight:600;border:1px solid currentColor}
footer{margin-top:40px;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding-top:8px}
nav.toc{font-size:.9rem;margin:8px 0 0}nav.toc a{margin-right:12px;white-space:nowrap;display:inline-block}
@media (max-width:420px){
  body{font-size:14px}main{padding:10px 10px 32px}h1{font-size:1.3rem}
  dl.facts{grid-template-columns:6.8em minmax(0,1fr);gap:4px 8px}dl.facts dt{font-size:.85rem}
  th,td{padding:4px 5px}
}
@media print{
  :root{--fg:#000;--muted:#444;--bg:#fff;--panel:#fff;--line:#999;--link:#000}
  body{font-size:10.5pt}main{max-width:none;padding:0}
  nav.toc{display:none}
  section{break-inside:avoid-page}
  figure,tr,.banner{break-inside:avoid}
  h2{break-after:avoid}
  .scroll{overflow:visible}.scroll svg.mg-lineage{min-width:0}
  a[href^="http"]::after{content:" (" attr(href) ")";font-size:.8em;color:#444}
}
`;
