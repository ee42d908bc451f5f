/** Temporary trees for scanner-core tests, and a scan with the test plugins. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanTree } from '../../../../shared/scan/scanTree';
import type { ScanOptions, ScanResult } from '../../../../shared/scan/options';
import * as plugins from './testPlugins';

export const PLUGIN_MODULE = require.resolve('./testPlugins');

/** Writes `files` (relative path → content) under a fresh temporary folder; returns its path. */
export function makeTree(files: Record<string, string | Buffer>, prefix = 'mlops-scan-'): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  writeTree(root, files);
  return root;
}

export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** scanTree with the test plugins, on the calling thread unless told otherwise, outside git unless told otherwise. */
export function scan(root: string, opts: Partial<ScanOptions> = {}): Promise<ScanResult> {
  return scanTree({
    root,
    detectors: plugins.detectors,
    analyzers: plugins.analyzers,
    textHandlers: plugins.textHandlers,
    workers: 0,
    gitMode: 'walk',
    pluginModules: [PLUGIN_MODULE],
    ...opts,
  });
}

/** The text a 1-based line/column points at in a file's UTF-8 text (columns in UTF-16 units). */
export function textAt(content: string, line: number, column: number, length: number): string {
  const l = content.split(/\r\n|\r|\n/)[line - 1] ?? '';
  return l.slice(column - 1, column - 1 + length);
}
