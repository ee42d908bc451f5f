import * as assert from 'node:assert/strict';
import { renderSummary, textBar } from '../../../../shared/explain/report/markdown';
import { degenerateInput } from './degenerate';
import { EVIL_FEATURE, hostileInput, realisticInput } from './fixture';

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
const cells = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1);

describe('explain Markdown summary', () => {
  it('verdict, headline metric against the champion, top 10 features with bars, warnings, report link', () => {
    const md = renderSummary(realisticInput(), 'https://dev.azure.com/contoso/credit/_build/results?buildId=4711&view=report');
    assert.match(md, /^## ✅ ExplainabilityReport passed: credit-risk version 7\n/);
    assert.match(md, /\*\*ROC AUC 0\.8802\*\* \(champion version 6: 0\.861, \+0\.0192\) on 2500 rows · 12 features · 160 rows explained/);
    const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    assert.equal(rows.length, 10);
    assert.deepEqual(cells(rows[0]).map((c) => c.trim()), ['1', 'age', '1.03', '████████████████', '0.082 ± 0.023']);
    for (const r of rows) assert.equal(cells(r).length, 5, r);
    assert.match(md, /… and 2 more in the report\./);
    assert.match(md, /### Warnings \(2\)\n\n- ⚠️ KernelSHAP sampled/);
    assert.match(md, /📄 \[Full explainability report\]\(https:\/\/dev\.azure\.com\/contoso\/credit\/_build\/results\?buildId=4711&view=report\)/);
    assert.match(renderSummary(realisticInput(), 'explainability-report.html'), /📄 Full report: \*\*explainability-report\.html\*\* \(attached to this run\)\./);
  });

  it('text bars are proportional, in eighths, and empty for zero or not computed', () => {
    assert.equal(textBar(1, 1, 4), '████');
    assert.equal(textBar(0.5, 1, 4), '██');
    assert.equal(textBar(1 / 16, 1, 4), '▎');
    for (const [v, m] of [[0, 1], [NaN, 1], [1, 0], [-1, 1]]) assert.equal(textBar(v, m), '');
  });

  it('lists failed checks; a value not computed says so', () => {
    const md = renderSummary(degenerateInput());
    assert.match(md, /^## ❌ ExplainabilityReport failed/);
    assert.match(md, /### Failed checks \(1\)\n\n\| Check \| Threshold \| Value \| Detail \|\n\|---\|---\|---\|---\|\n\| not-computed: shap \| computed \| not computed \| SHAP could not be computed \|/);
    assert.match(md, /\*\*No metric computed\*\*/);
    assert.match(md, /Feature importance was not computed\./);
    assert.ok(!/NaN/.test(md));
  });

  it('escapes hostile names so they neither inject HTML nor break the table', () => {
    const md = renderSummary(hostileInput(), 'javascript:alert(1)');
    assert.ok(!md.includes(EVIL_FEATURE) && !md.includes('<script'));
    assert.ok(md.includes('&lt;script&gt;alert\\(1\\)&lt;/script&gt;'));
    assert.ok(!md.includes(`&'<`) && md.includes(`"&amp;'&lt;`));
    assert.ok(!md.includes('](javascript:'));
    for (const r of md.split('\n').filter((l) => /^\| \d+ \|/.test(l))) assert.equal(cells(r).length, 5, r);
  });
});
