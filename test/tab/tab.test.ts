/**
 * The results tab in headless Chromium, framed by the fake Azure DevOps host (server.ts) and fed the run's
 * attachments (fixtures.ts): 10,000+ findings, two gates, an evidence bundle, an explanation, hostile strings.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { chromiumAvailable, launch, watchedPage, type Browser, type Watched } from './browser';
import { HOSTILE, runAttachments, securityGate } from './fixtures';
import { RELEASE, startTabHost, type TabHost } from './server';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FINDINGS = 10_000;
const ENDPOINT_FINDINGS = 7;

/** Builds dist/tab into a scratch folder with the real bundle step (scripts/bundle.mjs bundleTab). */
export async function buildTab(outDir: string): Promise<string> {
  const mod = (await import(path.join(ROOT, 'scripts', 'bundle.mjs'))) as { bundleTab(o: { outDir: string }): Promise<unknown> };
  await mod.bundleTab({ outDir });
  return path.join(outDir, 'tab');
}

async function tabFrame(w: Watched, host: TabHost, opts: { theme?: 'light' | 'dark'; kind?: 'build' | 'release' } = {}): Promise<Frame> {
  await w.page.goto(host.hostUrl(opts));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const f = w.page.frames().find((x) => x.url().startsWith(`${host.tabOrigin}/ext/`));
    if (f && (await f.evaluate(() => document.body?.dataset.state).catch(() => undefined))) return f;
    if (Date.now() > deadline) throw new Error(`the tab did not render; console errors: ${w.errors.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const status = (f: Frame) => f.locator('#findings-status').textContent();
const shownCount = async (f: Frame) => Number(await f.locator('.grid').getAttribute('data-shown'));
const applyMs = async (f: Frame) => Number(await f.locator('.grid').getAttribute('data-apply-ms'));

describe('results tab (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let host: TabHost;
  let scratch: string;
  const expected = securityGate(FINDINGS).findings;

  before(async function () {
    if (!chromiumAvailable()) this.skip();
    scratch = mkdtempSync(path.join(os.tmpdir(), 'mlops-tab-test-'));
    const dist = await buildTab(scratch);
    const { attachments } = await runAttachments(FINDINGS);
    host = await startTabHost(dist, attachments);
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await host?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe('a build run, light theme', () => {
    let w: Watched;
    let f: Frame;
    before(async () => {
      w = await watchedPage(browser);
      await w.page.setViewportSize({ width: 1400, height: 900 });
      const t0 = Date.now();
      f = await tabFrame(w, host);
      console.log(`      host page to rendered tab: ${Date.now() - t0} ms`);
    });
    after(async () => w?.page.close());

    it('renders every gate with its verdict and all findings, virtualised', async () => {
      assert.equal(await f.evaluate(() => document.body.dataset.state), 'ready');
      assert.deepEqual(await f.locator('.card h3').allTextContents(), ['EndpointHardeningCheck', 'SecurityGate']);
      assert.deepEqual(await f.locator('.card .badge').allTextContents(), ['Failed', 'Failed']);
      assert.equal(await status(f), `Showing ${(FINDINGS + ENDPOINT_FINDINGS).toLocaleString('en-US')} of ${(FINDINGS + ENDPOINT_FINDINGS).toLocaleString('en-US')} findings.`);
      const rowsInDom = await f.locator('.grid-canvas > .grid-row').count();
      assert.ok(rowsInDom > 5 && rowsInDom < 80, `only visible rows are in the DOM, got ${rowsInDom}`);
      assert.equal(await w.page.evaluate(() => (window as any).__host.loaded), true, 'notifyLoadSucceeded reached the host');
      const t = await f.evaluate(() => (window as any).__mlopsGatesTab.timings as Record<string, number>);
      console.log(`      load: ${Object.entries(t).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')} (ms)`);
      // Worst first: the first row is critical.
      assert.equal(await f.locator('.grid-canvas > .grid-row').first().locator('.sev').textContent(), 'critical');
    });

    it('shows hostile attachment text as text: no element, no script, no dialog', async () => {
      await f.fill('#f-text', 'onerror');
      assert.ok((await shownCount(f)) > 0);
      const injected = await f.evaluate(() => ({ imgs: document.querySelectorAll('img').length, scripts: document.querySelectorAll('script').length }));
      assert.deepEqual(injected, { imgs: 0, scripts: 1 }, 'only the bundle script, no <img> from attachments');
      const text = await f.evaluate(() => document.body.textContent ?? '');
      assert.ok(text.includes(HOSTILE), 'the hostile string is visible verbatim');
      await f.locator('.grid-body').focus();
      await f.locator('.grid-body').press('Enter');
      assert.ok((await f.locator('.grid-detail').textContent())!.includes(HOSTILE));
      assert.equal(await f.evaluate(() => document.querySelectorAll('img').length), 0);
      assert.deepEqual(w.dialogs, []);
      await f.fill('#f-text', '');
    });

    it('filters 10,007 rows by text, severity, waiver and gate well under 100 ms', async () => {
      await f.fill('#f-text', 'sec-az-storage-001');
      const sec = expected.filter((x) => x.ruleId === 'SEC-AZ-STORAGE-001').length;
      assert.equal(await shownCount(f), sec);
      const textMs = await applyMs(f);
      await f.fill('#f-text', '');
      await f.selectOption('#f-severity', 'critical');
      await f.selectOption('#f-waiver', 'waived');
      const want = expected.filter((x) => x.severity === 'critical' && x.waiver).length;
      assert.equal(await shownCount(f), want);
      await f.selectOption('#f-gate', 'EndpointHardeningCheck');
      assert.equal(await shownCount(f), 0);
      assert.equal(await f.locator('.grid-empty').count(), 1);
      await f.selectOption('#f-waiver', 'all');
      await f.selectOption('#f-severity', 'all');
      assert.equal(await shownCount(f), ENDPOINT_FINDINGS);
      await f.selectOption('#f-gate', 'all');
      // The whole keystroke as the browser runs it: event, filter, sort, render.
      const wall = await f.evaluate(() => {
        const input = document.getElementById('f-text') as HTMLInputElement;
        const t0 = performance.now();
        input.value = 'compute';
        input.dispatchEvent(new Event('input'));
        const t1 = performance.now();
        input.value = '';
        input.dispatchEvent(new Event('input'));
        return { narrow: t1 - t0, all: performance.now() - t1 };
      });
      console.log(`      filter: text ${textMs.toFixed(1)} ms (apply), keystroke narrow ${wall.narrow.toFixed(1)} ms, back to all 10,007 ${wall.all.toFixed(1)} ms`);
      assert.ok(textMs < 100 && wall.narrow < 100 && wall.all < 100, `filtering took ${textMs} / ${wall.narrow} / ${wall.all} ms`);
    });

    it('sorts by any column in both directions well under 100 ms', async () => {
      const firstRules = async () => (await f.locator('.grid-canvas > .grid-row .col-ruleId').allTextContents()).slice(0, 3);
      await f.click('button.sort[data-sort="ruleId"]');
      const ascMs = await applyMs(f);
      assert.deepEqual(await firstRules(), ['AML-BE-001', 'AML-CMP-003', 'AML-CMP-003']);
      assert.equal(await f.locator('[role=columnheader]:has(button[data-sort="ruleId"])').getAttribute('aria-sort'), 'ascending');
      await f.click('button.sort[data-sort="ruleId"]');
      const descMs = await applyMs(f);
      assert.deepEqual(await firstRules(), ['SEC-AZ-STORAGE-001', 'SEC-AZ-STORAGE-001', 'SEC-AZ-STORAGE-001']);
      assert.equal(await f.locator('[role=columnheader]:has(button[data-sort="ruleId"])').getAttribute('aria-sort'), 'descending');
      await f.click('button.sort[data-sort="location"]');
      const locMs = await applyMs(f);
      const locs = await f.locator('.grid-canvas > .grid-row .col-location').evaluateAll((els) => els.map((e) => (e as HTMLElement).title));
      assert.deepEqual(locs.slice(0, 5), [...locs.slice(0, 5)].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
      await f.click('button.sort[data-sort="severity"]');
      console.log(`      sort 10,007 rows: rule ↑ ${ascMs.toFixed(1)} ms, rule ↓ ${descMs.toFixed(1)} ms, location ${locMs.toFixed(1)} ms`);
      assert.ok(Math.max(ascMs, descMs, locMs) < 100);
    });

    it('is keyboard navigable: tab order, arrows, Enter expands with remediation, End, Escape', async () => {
      await f.locator('#f-text').focus();
      const order: string[] = [];
      for (let i = 0; i < 11; i++) {
        await f.page().keyboard.press('Tab');
        order.push(await f.evaluate(() => { const a = document.activeElement as HTMLElement; return a.id || a.dataset.sort || a.className; }));
      }
      assert.deepEqual(order.slice(0, 10), ['f-severity', 'f-waiver', 'f-gate', 'severity', 'ruleId', 'location', 'message', 'waived', 'gate', 'grid-body']);
      const body = f.locator('.grid-body');
      await body.focus();
      await body.press('Home');
      for (let i = 0; i < 3; i++) await body.press('ArrowDown');
      const activeId = await body.getAttribute('aria-activedescendant');
      assert.equal(await f.locator(`#${activeId}`).getAttribute('aria-rowindex'), '5');
      await body.press('Enter');
      assert.equal(await f.locator(`#${activeId}`).getAttribute('aria-expanded'), 'true');
      const detail = (await f.locator('.grid-detail').textContent()) ?? '';
      assert.match(detail, /Remediation: [A-Z][^.]+\./);
      assert.ok(await f.locator('.grid-detail a[href^="https://learn.microsoft.com/"]').count());
      await body.press('Escape');
      assert.equal(await f.locator('.grid-detail').count(), 0);
      await body.press('End');
      const lastId = await body.getAttribute('aria-activedescendant');
      assert.equal(await f.locator(`#${lastId}`).getAttribute('aria-rowindex'), String(FINDINGS + ENDPOINT_FINDINGS + 1));
      await body.press('PageUp');
      await body.press('Home');
    });

    it('groups endpoint checks and probes by endpoint, clean endpoints included', async () => {
      const names = await f.locator('details.endpoint .ep-name').allTextContents();
      assert.deepEqual(names, ['credit-score', 'fraud-detect', 'nightly-batch', 'churn-v2', 'Workspace and monitoring']);
      const credit = f.locator('details.endpoint').first();
      assert.match((await credit.textContent()) ?? '', /Live probe/);
      assert.match((await f.locator('details.endpoint', { hasText: 'churn-v2' }).textContent()) ?? '', /No active findings/);
    });

    it('shows the explanation, the model card and the evidence chain with honest check states', async () => {
      assert.match((await f.locator('#explanation').textContent()) ?? '', /Permutation importance/);
      assert.match((await f.locator('#model-card').textContent()) ?? '', /Pre-screening of credit applications/);
      const ev = (await f.locator('#evidence').textContent()) ?? '';
      assert.match(ev, /2 signed envelopes/);
      assert.match(ev, /Signatures are not verified here/);
      assert.equal(await f.locator('#evidence .check.failed').count(), 0, ev);
      assert.equal(await f.locator('#evidence .envelope').count(), 2);
      // Both envelopes' records are the attached records, byte for byte.
      assert.equal(await f.locator('#evidence .check.ok', { hasText: 'Signed record matches' }).count(), 2);
      assert.match((await f.locator('#lineage').textContent()) ?? '', /3f2c9a1d5e7b.*credit-model:7.*EndpointHardeningCheck.*credit-score/s);
    });

    it('made no console error, no request off loopback, and every REST call carried the token', () => {
      assert.deepEqual(w.errors, []);
      assert.deepEqual(browser.offLoopback, []);
      assert.ok(host.requests.length >= 10);
      assert.ok(host.requests.every((r) => r.authorized && r.method === 'GET'), JSON.stringify(host.requests.filter((r) => !r.authorized)));
    });
  });

  describe('dark theme and a release stage', () => {
    it('applies the dark theme from the host', async () => {
      const w = await watchedPage(browser);
      await w.page.setViewportSize({ width: 800, height: 900 });
      const f = await tabFrame(w, host, { theme: 'dark' });
      assert.equal(await f.evaluate(() => document.documentElement.dataset.theme), 'dark');
      assert.equal(await f.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(30, 30, 30)');
      assert.equal(await f.evaluate(() => getComputedStyle(document.querySelector('.sev-critical')!).color), 'rgb(255, 140, 140)');
      assert.deepEqual(w.errors, []);
      await w.page.close();
    });

    it('reads a release stage\'s attachments from its latest attempt', async () => {
      const before = host.requests.length;
      const w = await watchedPage(browser);
      const f = await tabFrame(w, host, { kind: 'release' });
      assert.match((await status(f)) ?? '', /of 10,007 findings/);
      const mine = host.requests.slice(before);
      assert.ok(mine.length > 0 && mine.every((r) => r.path.startsWith(`/vsrm/demo-org/`) && r.path.includes(`/attempts/${RELEASE.attempt}/plan/${RELEASE.planId}/`)), JSON.stringify(mine.slice(0, 3)));
      assert.deepEqual(w.errors, []);
      assert.deepEqual(browser.offLoopback, []);
      await w.page.close();
    });
  });
});
