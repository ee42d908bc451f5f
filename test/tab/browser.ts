/**
 * Headless Debian Chromium through playwright-core, with every request outside loopback aborted and recorded,
 * and console errors, page errors and dialogs (an alert() from injected markup) collected per page.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface Browser {
  context: BrowserContext;
  /** URLs the page tried to reach outside 127.0.0.1 / localhost (all aborted). */
  offLoopback: string[];
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'mlops-gates-tab-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const offLoopback: string[] = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if ((u.protocol === 'http:' || u.protocol === 'https:') && (u.hostname === '127.0.0.1' || u.hostname === 'localhost')) return route.continue();
    if (u.protocol === 'data:' || u.protocol === 'blob:') return route.continue();
    offLoopback.push(u.href);
    return route.abort();
  });
  return {
    context,
    offLoopback,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface Watched {
  page: Page;
  errors: string[];
  dialogs: string[];
}

export async function watchedPage(b: Browser): Promise<Watched> {
  const page = await b.context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, errors, dialogs };
}
