#!/usr/bin/env node
// Screenshots committed under docs/, produced by code so they can be refreshed after a UI change.
// Each part is its own function; run after compiling (npx tsc -p tsconfig.json), with Debian chromium installed:
//
//   node scripts/screenshots.mjs            every part
//   node scripts/screenshots.mjs report     only the ExplainabilityReport HTML report
//   node scripts/screenshots.mjs tab        only the results tab (docs/results-tab-*.png)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** A headless Chromium with a fresh profile; `close()` removes the profile too. */
export async function launchChromium() {
  const { chromium } = require('playwright-core');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'mlops-gates-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------ ExplainabilityReport HTML report

/**
 * docs/explainability-report.png (1280 wide, top 3000 px) and docs/explainability-report-phone.png (390 wide, top
 * 2400 px) of the report rendered from the browser test's fixture (build/test/unit/explain/report/fixture.js).
 */
export async function reportScreenshots() {
  const { renderReport } = require(path.join(ROOT, 'build/shared/explain/report/html.js'));
  const { realisticInput } = require(path.join(ROOT, 'build/test/unit/explain/report/fixture.js'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-gates-report-'));
  const file = path.join(dir, 'explainability-report.html');
  writeFileSync(file, renderReport(realisticInput()));
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    for (const [width, maxHeight, name] of [[1280, 3000, 'explainability-report.png'], [390, 2400, 'explainability-report-phone.png']]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(pathToFileURL(file).href);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const out = path.join(ROOT, 'docs', name);
      await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, maxHeight) } });
      console.log(`wrote docs/${name} (${width}×${Math.min(height, maxHeight)}, page ${height} px tall)`);
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ results tab

/**
 * docs/results-tab-1400.png and docs/results-tab-800.png: the results tab (bundled as it ships) in the browser
 * test's fake Azure DevOps host (build/test/tab/server.js) with its fixture run: 10,000 findings, two gates, an
 * evidence bundle, an explanation. One finding is expanded to show remediation.
 */
export async function resultsTabScreenshots() {
  const { bundleTab } = await import('./bundle.mjs');
  const { startTabHost } = require(path.join(ROOT, 'build/test/tab/server.js'));
  const { runAttachments } = require(path.join(ROOT, 'build/test/tab/fixtures.js'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-gates-tab-'));
  await bundleTab({ outDir: dir });
  const { attachments } = await runAttachments(10_000);
  const host = await startTabHost(path.join(dir, 'tab'), attachments);
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    for (const [width, height, name] of [[1400, 1100, 'results-tab-1400.png'], [800, 1300, 'results-tab-800.png']]) {
      await page.setViewportSize({ width, height });
      await page.goto(host.hostUrl({ theme: 'light' }));
      const frame = await (await page.waitForSelector('iframe')).contentFrame();
      await frame.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
      await frame.locator('.grid-body').focus();
      await frame.locator('.grid-body').press('ArrowDown');
      await frame.locator('.grid-body').press('Enter');
      await page.screenshot({ path: path.join(ROOT, 'docs', name) });
      console.log(`wrote docs/${name} (${width}×${height})`);
    }
  } finally {
    await browser.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ parts

const PARTS = { tab: resultsTabScreenshots, report: reportScreenshots };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wanted = process.argv.slice(2);
  for (const name of wanted) if (!PARTS[name]) throw new Error(`unknown part ${name}; known: ${Object.keys(PARTS).join(', ')}`);
  for (const [name, run] of Object.entries(PARTS)) if (wanted.length === 0 || wanted.includes(name)) await run();
}
