import * as assert from 'node:assert/strict';
import { renderReport } from '../../../../shared/explain/report/html';
import { digestOf } from '../../../../shared/report/evidence';
import { degenerateInput } from './degenerate';
import { EVIL_FEATURE, EVIL_LABEL, hostileInput, realisticInput } from './fixture';

const SECTIONS = ['model', 'data', 'metrics', 'importance', 'shap', 'dependence', 'local', 'checks', 'evidence', 'lineage', 'warnings', 'method'];

/** The <section id=…> element's HTML. */
function sectionOf(html: string, id: string): string {
  const m = new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(html);
  assert.ok(m, `section ${id}`);
  return m[0];
}

const unescape = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

describe('explain HTML report', () => {
  const html = renderReport(realisticInput());

  it('is one self-contained document: no script, no external resource, a CSP that forbids both', () => {
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.ok(!/<script|<link|<img|<iframe|\ssrc=|@import|url\(/i.test(html));
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
    assert.match(html, /@media print/);
    assert.match(html, /@media \(max-width:420px\)/);
  });

  it('has every section, in order, with its charts', () => {
    let at = 0;
    for (const id of SECTIONS) {
      const i = html.indexOf(`<section id="${id}"`);
      assert.ok(i > at, `${id} after the previous section`);
      at = i;
    }
    assert.equal(count(sectionOf(html, 'importance'), /<svg /g), 2, 'permutation bars and mean |SHAP|');
    assert.equal(count(sectionOf(html, 'shap'), /<circle /g), 160 * 12, 'beeswarm: one dot per explained row and feature');
    assert.equal(count(sectionOf(html, 'dependence'), /<svg /g), 6);
    assert.equal(count(sectionOf(html, 'local'), /<svg /g), 3, 'highest, lowest and median prediction');
    assert.equal(count(sectionOf(html, 'lineage'), /<svg /g), 1);
  });

  it('shows the verdict, headline metric and champion comparison, checks and every gate\'s evidence with its digest', () => {
    const input = realisticInput();
    assert.match(html, /<div class="banner passed" role="status">.*✓ Passed.*ROC AUC 0\.8802.*champion 0\.861/s);
    const metrics = sectionOf(html, 'metrics');
    assert.match(metrics, /<td>ROC AUC<\/td><td class="num">0\.8802<\/td><td class="num">0\.861<\/td><td class="num"><span class="ok">\+0\.0192<\/span>/);
    assert.match(metrics, /<td>Log loss<\/td>.*?<span class="ok">-0\.049\d*<\/span>/, 'lower log loss is better');
    assert.match(sectionOf(html, 'checks'), /min-auc<\/td><td>0\.85<\/td><td>0\.88<\/td>/);
    const ev = sectionOf(html, 'evidence');
    for (const r of input.evidence) assert.ok(ev.includes(`title="${digestOf(r)}"`), r.gate);
    assert.match(ev, /EndpointHardeningCheck.*?<span class="chip bad">failed<\/span>.*?0\/1\/0\/2\/0/s);
    assert.match(sectionOf(html, 'method'), /Efficiency check<\/dt><dd>max \|base \+ Σφ − f\(x\)\| = [0-9.e-]+<\/dd>/);
  });

  it('offers the local SHAP values as CSV, formula-looking names neutralised', () => {
    const csvOf = (page: string) => decodeURIComponent(unescape(/href="data:text\/csv;charset=utf-8,([^"]+)"/.exec(page)![1]));
    const lines = csvOf(html).trim().split('\n');
    assert.equal(lines.length, 161);
    assert.match(lines[0], /^row,base_value,output,age,income,/);
    assert.equal(csvOf(renderReport(hostileInput())).split('\n')[0], `row,base_value,output,<script>alert(1)</script>,"""&'<"`);
    const h = hostileInput();
    const formula = renderReport({ ...h, explanation: { ...h.explanation, shap: { ...h.explanation.shap, featureNames: ['=cmd()', '@x'] } } });
    assert.match(csvOf(formula), /^row,base_value,output,"'=cmd\(\)","'@x"\n/);
  });

  it('escapes every string from the model, the data and other gates', () => {
    const out = renderReport(hostileInput());
    assert.ok(!out.includes(EVIL_FEATURE), 'no raw <script> feature name');
    assert.ok(!out.includes(EVIL_LABEL), `no raw ${EVIL_LABEL}`);
    assert.ok(!/<script/i.test(out));
    assert.ok(out.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(out.includes('&quot;&amp;&#39;&lt;'));
    assert.ok(!out.includes('href="javascript:'), 'only http(s) links');
    assert.ok(out.includes('href="https://example.com/a%22b"'), 'link destinations percent-encoded');
    assert.ok(!out.includes('NaN'));
    assert.match(sectionOf(out, 'checks'), /<span class="note">not computed<\/span>/);
  });

  it('degenerate input (one feature, nothing computed) renders with "not computed" notes and no NaN', () => {
    const out = renderReport(degenerateInput());
    assert.ok(!/NaN|Infinity|undefined/.test(out));
    assert.match(sectionOf(out, 'importance'), /Permutation importance not computed/);
    assert.match(sectionOf(out, 'importance'), /SHAP values not computed/);
    assert.match(sectionOf(out, 'dependence'), /Partial dependence was not computed/);
    assert.match(sectionOf(out, 'local'), /SHAP values not computed for this row/);
    assert.match(sectionOf(out, 'evidence'), /No gate evidence was recorded/);
    assert.match(sectionOf(out, 'lineage'), /5 steps not recorded/);
    assert.match(sectionOf(out, 'model'), /Not provided \(task input <code>intendedUse<\/code>\)/);
    assert.match(out, /<b>No metric<\/b>/);
    assert.match(sectionOf(out, 'method'), /Efficiency check<\/dt><dd><span class="note">not computed/);
  });

  it('is deterministic', () => {
    assert.equal(renderReport(realisticInput()), html);
  });
});
