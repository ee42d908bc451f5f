// Small helpers shared by the npm scripts (test, demo, bench): run a step, find Node 24, make the test CA.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

export function step(title, cmd, args, opts = {}) {
  const t0 = Date.now();
  process.stdout.write(`> ${title}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`✖ ${title} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  process.stdout.write(`  ${title}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

/** Builds what every script needs: rule index, type-checked compile of tests, task bundles. */
export function build() {
  step('rule index', process.execPath, ['scripts/gen-rule-index.mjs']);
  step('type-check and compile', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
  step('rule docs', process.execPath, ['scripts/gen-rule-docs.mjs']);
  step('bundle tasks', process.execPath, ['scripts/bundle.mjs']);
}

/** The CA the local Azure serves under; every Node process that talks to it trusts it via NODE_EXTRA_CA_CERTS. */
export function testCa() {
  const dir = join(root, '.cache', 'test-ca');
  const r = spawnSync(process.execPath, ['build/test/azure/ca.js', dir], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stderr || r.stdout);
    process.exit(1);
  }
  return r.stdout.trim().split('\n').pop();
}

/**
 * Node 24 for the second half of the matrix. The machine has Node 20; Node 24 comes from the npm registry
 * as the package `node@24`, installed once into .cache/node24 (or named by NODE24_BIN).
 */
export function node24() {
  if (process.env.NODE24_BIN) return process.env.NODE24_BIN;
  const bin = join(root, '.cache', 'node24', 'node_modules', '.bin', 'node');
  if (!existsSync(bin)) {
    step('install Node 24 (npm package node@24) into .cache/node24', 'npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', join(root, '.cache', 'node24'), 'node@24']);
  }
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (!/^v24\./.test(v.stdout ?? '')) {
    console.error(`Node 24 at ${bin} did not run (got ${JSON.stringify(v.stdout || v.stderr)}).`);
    process.exit(1);
  }
  return bin;
}

