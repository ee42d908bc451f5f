#!/usr/bin/env node
// Records a snapshot of `npm audit` for package-lock.json in docs/npm-audit.json, so that the tests can
// check the packages bundled into the tasks against known advisories without the network
// (test/unit/packaging/supplyChain.test.ts; it skips, saying why, when there is no snapshot).
//
// The whole lockfile is audited, dev dependencies included: a few packages the lockfile marks as dev-only
// end up in the bundles (the supply-chain test lists them), and `--omit=dev` would skip exactly those.
// The snapshot is as good as the day it was taken: it records that day and the lockfile's SHA-256, and the
// test reports bundled packages whose version differs from the snapshot's as not covered.
// npm audit POSTs to the registry's bulk advisory endpoint; a registry or proxy that refuses it (405) leaves
// the previous snapshot alone and exits 1.
//
// Usage: node scripts/audit.mjs
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'docs', 'npm-audit.json');

const lockText = readFileSync(path.join(ROOT, 'package-lock.json'));
const lock = JSON.parse(lockText);
const r = spawnSync('npm', ['audit', '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
let report;
try {
  report = JSON.parse(r.stdout);
} catch {
  console.error(`npm audit gave no JSON (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().split('\n').slice(0, 3).join(' | ')}`);
  process.exit(1);
}
// npm audit exits 1 when it finds vulnerabilities; only a report without `vulnerabilities` is a failure.
if (!report.vulnerabilities) {
  console.error(`npm audit failed: ${report.message ?? report.error?.summary ?? JSON.stringify(report).slice(0, 300)}\n${OUT} left as it was.`);
  process.exit(1);
}
const versions = Object.fromEntries(Object.entries(lock.packages ?? {}).filter(([p]) => p).map(([p, v]) => [p, v.version]));
const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();
const snapshot = {
  takenAt: new Date().toISOString(),
  command: 'npm audit --json',
  npm: npmVersion,
  lockfileSha256: createHash('sha256').update(lockText).digest('hex'),
  versions,
  metadata: report.metadata,
  vulnerabilities: report.vulnerabilities,
};
writeFileSync(OUT, JSON.stringify(snapshot, null, 2) + '\n');
const counts = report.metadata?.vulnerabilities ?? {};
console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
