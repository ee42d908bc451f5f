/**
 * The HTML report in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): it renders without
 * console errors or network requests, every chart is drawn, nothing overflows the page at phone width, and it
 * prints. Skipped when Chromium is not installed (CI installs it). Screenshots for docs/ come from
 * scripts/screenshots.mjs (`node scripts/screenshots.mjs report`), which renders the same fixture.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { renderReport } from '../../../../shared/explain/report/html';
import { realisticInput } from './fixture';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/**
 * Target distribution + confusion matrix + probability histogram + 2 importance charts + beeswarm + SHAP box plot
 * + 6 dependence plots + 3 local explanations + lineage.
 */
const CHARTS = 17;
const present = existsSync(CHROMIUM);

describe(`explain HTML report in headless Chromium${present ? '' : ` (skipped: ${CHROMIUM} not found; apt-get install chromium)`}`, function () {
  this.timeout(60000);
  let dir: string;
  let url: string;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  before(async function () {
    if (!present) this.skip();
    dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-gates-report-test-'));
    const file = path.join(dir, 'explainability-report.html');
    writeFileSync(file, renderReport(realisticInput()));
    url = pathToFileURL(file).href;
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS });
    // The report must not fetch anything: every request other than the file itself is a failure.
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : (problems.push(`request ${route.request().url()}`), route.abort())));
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  });

  after(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function load(width: number): Promise<void> {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
  }

  /** Boxes of every chart: size and how many shapes it drew. */
  const charts = () =>
    page.$$eval('svg.mg-chart', (svgs) => svgs.map((s) => {
      const r = s.getBoundingClientRect();
      return { w: r.width, h: r.height, right: r.right, shapes: s.querySelectorAll('rect,circle,path,line').length, scrolls: !!s.closest('.scroll') };
    }));

  it('renders at 1280 px with no console errors and no requests', async () => {
    await load(1280);
    assert.equal(await page.title(), 'Explainability report: credit-risk');
    assert.deepEqual(problems, []);
  });

  it('draws every chart with a non-empty box', async () => {
    await load(1280);
    const boxes = await charts();
    assert.equal(boxes.length, CHARTS);
    for (const [i, b] of boxes.entries()) {
      assert.ok(b.w > 100 && b.h > 50, `chart ${i}: ${b.w}×${b.h}`);
      assert.ok(b.shapes > 3, `chart ${i} drew ${b.shapes} shapes`);
    }
    assert.equal(await page.locator('#shap svg[aria-label^="SHAP summary"] circle').count(), 160 * 12);
    // The §6 charts: target distribution under Data, confusion matrix and probability histogram under Model
    // performance (side by side at 1280 px), the box plot beside the beeswarm.
    const named = async (sel: string) => page.$eval(sel, (s) => { const r = s.getBoundingClientRect(); return { w: r.width, h: r.height, top: r.top, cells: s.querySelectorAll('rect').length }; });
    const target = await named('#data svg[aria-label^="Distribution of defaulted"]');
    assert.ok(target.w > 200 && target.h > 50 && target.cells >= 2, JSON.stringify(target));
    const cm = await named('#metrics svg[aria-label^="Confusion matrix"]');
    assert.ok(cm.w > 200 && cm.cells === 4, JSON.stringify(cm));
    const ph = await named('#metrics svg[aria-label^="Predicted probability by true class"]');
    assert.ok(ph.w > 200 && ph.h > 150 && ph.cells >= 12, JSON.stringify(ph));
    assert.ok(Math.abs(cm.top - ph.top) < 1, 'confusion matrix and probability histogram side by side');
    const box = await named('#shap svg[aria-label^="SHAP value distribution"]');
    const swarm = await named('#shap svg[aria-label^="SHAP summary"]');
    assert.ok(box.w > 200 && box.cells >= 12 && Math.abs(box.top - swarm.top) < 1, JSON.stringify({ box, swarm }));
  });

  it('does not scroll sideways at 390 px: charts scale, wide tables and the lineage scroll in their box', async () => {
    await load(390);
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(scroll <= client, `page is ${scroll} px wide in a ${client} px viewport`);
    for (const b of await charts()) if (!b.scrolls) assert.ok(b.right <= client + 0.5 && b.w > 0, `chart right edge ${b.right}`);
    const smallest = await page.$$eval('p, td, dd', (els) => Math.min(...els.map((e) => parseFloat(getComputedStyle(e).fontSize))));
    assert.ok(smallest >= 11, `smallest text ${smallest}px`);
    assert.deepEqual(problems, []);
  });

  it('follows a dark colour scheme (charts draw in currentColor)', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await load(1280);
    const [bg, svgColor] = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('svg.mg-chart')!).color]);
    assert.equal(bg, 'rgb(13, 17, 23)');
    assert.equal(svgColor, 'rgb(230, 237, 243)');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('prints: print styles apply, every chart stays, and a PDF comes out', async () => {
    await load(1280);
    await page.emulateMedia({ media: 'print' });
    const { toc, boxes } = await page.evaluate(() => ({
      toc: getComputedStyle(document.querySelector('nav.toc')!).display,
      boxes: [...document.querySelectorAll('svg.mg-chart')].map((s) => s.getBoundingClientRect().width),
    }));
    assert.equal(toc, 'none');
    assert.equal(boxes.length, CHARTS);
    assert.ok(boxes.every((w) => w > 0));
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 3 && pages <= 40, `${pages} pages`);
    await page.emulateMedia({ media: 'screen' });
    assert.deepEqual(problems, []);
  });
});
