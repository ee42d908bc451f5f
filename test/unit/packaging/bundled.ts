/**
 * The real tasks bundled once per test process into a temporary folder (no smoke run: bundle.test.ts and the
 * end-to-end test cover that), shared by the SBOM and supply-chain tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScript, REPO } from './repo';

export interface Bundled { dist: string; meta: any }

let pending: Promise<Bundled> | undefined;

export function bundleRealTasks(): Promise<Bundled> {
  pending ??= (async () => {
    const dist = mkdtempSync(join(tmpdir(), 'mlops-bundled-'));
    process.once('exit', () => rmSync(dist, { recursive: true, force: true }));
    const b = await loadScript('bundle.mjs');
    const meta = await b.bundleAll({ tasksDir: join(REPO, 'tasks'), outDir: dist, smoke: false, measure: false, single: false, only: undefined }, () => {});
    return { dist, meta };
  })();
  return pending;
}
