import * as assert from 'node:assert/strict';
import { applyPolicy, defaultPolicy, type Threshold } from '../../../shared/rules/policy';
import type { Finding } from '../../../shared/rules/types';
import { toMarkdownSummary, type SummaryInput } from '../../../shared/report/markdown';
import { escapeMarkdown, safeUrl } from '../../../shared/report/markdownEscape';
import { portalForManagementUrl, portalUrl } from '../../../shared/report/portal';
import { datastore, makeFinding, makeRule, WS } from '../policy/fixtures';

const NOW = new Date('2026-06-01T12:00:00Z');
const RULES = [makeRule('AML-DS-001'), makeRule('AML-DS-002', 'medium')];
// ARM names cannot hold '/', so the hostile name avoids it; everything else a name or message could carry is here.
const EVIL = 'a|b<script>alert(1)<script>`x`[y](javascript:z)*_~';

function summary(findings: Finding[], over: Partial<SummaryInput> = {}, threshold: Threshold = 'high', waivers = defaultPolicy().waivers): string {
  const outcome = applyPolicy(RULES, findings, { ...defaultPolicy(), waivers }, NOW, threshold);
  return toMarkdownSummary({ gate: { name: 'SecurityGate', version: '0.1.0' }, outcome, workspace: { id: WS, name: 'ws-prod' }, generatedAt: NOW, ...over });
}

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

describe('Markdown summary', () => {
  it('starts with the verdict line', () => {
    assert.match(summary([makeFinding('AML-DS-001', datastore('a')), makeFinding('AML-DS-002', datastore('a'), 'medium')]), /^## ❌ SecurityGate failed: 1 finding at or above high\n/);
    assert.match(summary([makeFinding('AML-DS-002', datastore('a'), 'medium')]), /^## ✅ SecurityGate passed: 0 findings at or above high\n/);
    assert.match(summary([makeFinding('AML-DS-001', datastore('a'))], {}, 'none'), /^## ✅ SecurityGate passed: report only \(threshold none\), 1 finding\n/);
  });

  it('has a counts table with every severity, active and waived', () => {
    const md = summary(
      [makeFinding('AML-DS-001', datastore('a')), makeFinding('AML-DS-001', datastore('legacy')), makeFinding('AML-DS-002', datastore('a'), 'medium')],
      {},
      'high',
      [{ rule: 'AML-DS-001', resource: '*/legacy', owner: 'team@x.org', reason: 'tracked in ADO#1', expires: '2026-06-05' }],
    );
    for (const row of ['| Critical | 0 | 0 |', '| High | 1 | 1 |', '| Medium | 1 | 0 |', '| Low | 0 | 0 |', '| Info | 0 | 0 |']) assert.ok(md.includes(row), row);
    assert.match(md, /### Waived findings \(1\)/);
    assert.match(md, /\| team@x\.org \| 2026-06-05 ⚠️ soon \| tracked in ADO#1 \|/);
    assert.match(md, /### Warnings \(1\)\n\n- ⚠️ Waiver for AML-DS-001 on "\\\*\/legacy", owner team@x\.org expires on 2026-06-05 \\\(in 4 days\\\)/);
  });

  it('renders a hostile resource name harmlessly', () => {
    const id = datastore(EVIL);
    const md = summary([{ ...makeFinding('AML-DS-001', id), message: `Datastore ${EVIL} uses an account key.` }]);
    assert.ok(!md.includes('<script'), 'no raw HTML tag');
    assert.ok(!/(?<!\\)`/.test(md), 'no unescaped backtick');
    assert.ok(!md.includes('](javascript:'), 'no link to a javascript: URL');
    const row = md.split('\n').find((l) => l.startsWith('| High | AML-DS-001'));
    assert.ok(row, md);
    assert.equal(cells(row).length, 4, `row keeps its 4 cells: ${row}`);
    assert.ok(row.includes('a\\|b&lt;script&gt;alert\\(1\\)&lt;script&gt;\\`x\\`\\[y\\]\\(javascript:z\\)\\*\\_\\~'), row);
    // The link destination is percent-encoded, so nothing in the name can close it early.
    assert.ok(row.includes('(https://portal.azure.com/#@/resource/subscriptions/'), row);
    assert.ok(row.includes('/datastores/a%7Cb%3Cscript%3Ealert%281%29%3Cscript%3E%60x%60%5By%5D%28javascript%3Az%29%2A_~)'), row);
  });

  it('folds line breaks so a value never ends a table row, and escapes leading block markers', () => {
    assert.equal(escapeMarkdown('line1\r\nline2\u2028| x'), 'line1 line2 \\| x');
    assert.equal(escapeMarkdown('# title'), '\\# title');
    assert.equal(escapeMarkdown('1. item'), '1\\. item');
    assert.equal(escapeMarkdown('- item'), '\\- item');
    assert.equal(escapeMarkdown('x'.repeat(20), 10), `${'x'.repeat(9)}…`);
  });

  it('links only http(s) URLs', () => {
    assert.equal(safeUrl('javascript:alert(1)'), undefined);
    assert.equal(safeUrl('https://dev.azure.com/org/p/_build/results?buildId=1&view=results'), 'https://dev.azure.com/org/p/_build/results?buildId=1&view=results');
    assert.equal(safeUrl('https://x.org/a b)c'), 'https://x.org/a%20b%29c');
  });

  it('uses the portal base URL given for sovereign clouds', () => {
    const md = summary([makeFinding('AML-DS-001', datastore('a'))], { portalBaseUrl: 'https://portal.azure.us/' });
    assert.ok(md.includes(`(https://portal.azure.us/#@/resource${datastore('a')})`), md);
    assert.ok(!md.includes('portal.azure.com'));
    assert.throws(() => portalUrl(WS, 'javascript:alert(1)'), /https origin/);
    assert.throws(() => portalUrl(WS, 'http://portal.azure.com'), /https origin/);
  });

  it('caps the findings table and points at the SARIF log for the rest', () => {
    const many = Array.from({ length: 205 }, (_, i) => makeFinding('AML-DS-001', datastore(`ds${String(i).padStart(3, '0')}`)));
    const md = summary(many, { sarifFileName: 'security-gate.sarif' });
    assert.equal(md.split('\n').filter((l) => l.startsWith('| High | AML-DS-001')).length, 200);
    assert.match(md, /… and 5 more findings in the SARIF log \(security-gate\.sarif\)\./);
    const small = summary(many.slice(0, 3), { maxRows: 2 });
    assert.match(small, /… and 1 more finding in the SARIF log\./);
  });

  it('puts a collection error under the verdict instead of a misleading count, and does not repeat it as a warning', () => {
    const error = 'ARM answered 403 for workspace ws-prod|x <b>';
    const outcome = { ...applyPolicy(RULES, [], defaultPolicy(), NOW, 'high'), verdict: 'failed' as const };
    outcome.warnings.unshift(error);
    const md = toMarkdownSummary({ gate: { name: 'SecurityGate' }, outcome, workspace: { id: WS }, error });
    assert.match(md, /^## ❌ SecurityGate failed: the audit could not run\n\n\*\*Error:\*\* ARM answered 403 for workspace ws-prod\\\|x &lt;b&gt;\n/);
    assert.ok(!md.includes('### Warnings'));
  });

  it('ends with a footer naming the workspace and the run', () => {
    const md = summary([], { run: { url: 'https://dev.azure.com/org/proj/_build/results?buildId=42', label: 'CI #42' }, policyPath: '.mlops-gates.yml' });
    assert.match(md, /No active findings\./);
    const footer = md.trimEnd().split('\n').pop() ?? '';
    assert.equal(
      footer,
      `Workspace [ws-prod](https://portal.azure.com/#@/resource${WS}) · run [CI #42](https://dev.azure.com/org/proj/_build/results?buildId=42) · policy .mlops-gates.yml · SecurityGate 0.1.0 · 2026-06-01T12:00:00.000Z`,
    );
  });
});

describe('portal links by cloud', () => {
  it('links to the portal of the connection\'s cloud, and not at all where the portal is unknown', () => {
    assert.equal(portalForManagementUrl('https://management.azure.com/'), 'https://portal.azure.com');
    assert.equal(portalForManagementUrl('https://management.chinacloudapi.cn/'), 'https://portal.azure.cn');
    assert.equal(portalForManagementUrl('https://management.usgovcloudapi.net/'), 'https://portal.azure.us');
    assert.equal(portalForManagementUrl('https://management.local.azurestack.external/'), null);
  });
  it('writes plain names when there is no portal to link to', () => {
    const md = summary([makeFinding('AML-DS-001', datastore('legacy'))], { portalBaseUrl: null });
    assert.doesNotMatch(md, /portal\.azure/);
    assert.match(md, /legacy/);
  });
});
