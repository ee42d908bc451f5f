/**
 * What the bundles contain, checked against package-lock.json and an `npm audit` snapshot (offline).
 *
 * What this covers, honestly:
 * - install scripts: a package's install script runs on the machine that runs `npm ci` (developer, CI), never
 *   on an agent: the .vsix ships bundles, not node_modules. A bundled package with an install script would
 *   mean its shipped code may depend on what the script built, so that fails; production dependencies that
 *   have one but are not bundled are allowed only when named below with the reason.
 * - advisories: only as fresh as docs/npm-audit.json (scripts/audit.mjs, which needs the registry's audit
 *   endpoint). No snapshot: the check is skipped and says so. A bundled package whose version differs
 *   from the snapshot's is reported as not covered.
 * - dev-only packages: the lockfile marks some packages dev-only; bundling one means `npm ci --omit=dev` would
 *   build a different bundle (or fail), and `npm audit --omit=dev` would not look at it.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleRealTasks, type Bundled } from './bundled';
import { REPO } from './repo';

/** Production dependencies with an install script, allowed because they are not bundled, and why. */
const INSTALL_SCRIPT_ALLOWED: Record<string, string> = {
  protobufjs: 'a dependency of onnxruntime-web whose prebuilt dist (ort.node.min.js) requires only onnxruntime-common, so it is not bundled; '
    + 'its postinstall only compares the version scheme in the dependent package.json and prints a warning. Install with `npm ci --ignore-scripts` to skip it.',
};

const AUDIT_SNAPSHOT = join(REPO, 'docs', 'npm-audit.json');
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));
const nameOf = (root: string) => root.slice(root.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** Bundled package roots per task, with the first input of ours (or of another package) that imports each. */
function bundledRoots(b: Bundled): Map<string, { tasks: Set<string>; importedBy: Set<string> }> {
  const out = new Map<string, { tasks: Set<string>; importedBy: Set<string> }>();
  for (const task of Object.keys(b.meta.tasks)) {
    const m = JSON.parse(readFileSync(join(b.dist, 'metafiles', `${task}.json`), 'utf8'));
    const rootOf = (p: string) => /^(?:lazy-stub:)?(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1];
    for (const [file, o] of Object.entries<any>(m.outputs)) {
      if (!file.endsWith('.js')) continue;
      for (const [input, v] of Object.entries<any>(o.inputs)) {
        const root = rootOf(input);
        if (!root || input.startsWith('lazy-stub:') || !(v.bytesInOutput > 0)) continue;
        if (!out.has(root)) out.set(root, { tasks: new Set(), importedBy: new Set() });
        out.get(root)!.tasks.add(task);
      }
    }
    for (const [file, input] of Object.entries<any>(m.inputs)) {
      for (const imp of input.imports ?? []) {
        const root = rootOf(imp.path);
        if (root && out.has(root) && rootOf(file) !== root) out.get(root)!.importedBy.add(file);
      }
    }
  }
  return out;
}

describe('supply chain of the bundles', function () {
  this.timeout(180_000);
  let roots: Map<string, { tasks: Set<string>; importedBy: Set<string> }>;
  before(async () => { roots = bundledRoots(await bundleRealTasks()); });

  it('every bundled package is in package-lock.json', () => {
    const missing = [...roots.keys()].filter((r) => !lock.packages[r]);
    assert.deepEqual(missing, [], 'bundled from node_modules but not in the lockfile: run npm install to bring them in step');
  });

  it('no bundled package has an install script', () => {
    const withScript = [...roots.keys()].filter((r) => lock.packages[r]?.hasInstallScript);
    assert.deepEqual(withScript, [], 'bundled packages whose code may depend on what their install script built');
  });

  it('production dependencies with an install script are known, justified and not bundled', () => {
    const prod = Object.entries<any>(lock.packages).filter(([p, v]) => p && v.hasInstallScript && !v.dev && !v.devOptional);
    for (const [p] of prod) {
      const name = nameOf(p);
      assert.ok(INSTALL_SCRIPT_ALLOWED[name], `${p} (production dependency) has an install script: read it, then bundle-check it and add it to INSTALL_SCRIPT_ALLOWED with the reason, or drop the dependency`);
      assert.ok(!roots.has(p), `${p} is allowed only while not bundled (${INSTALL_SCRIPT_ALLOWED[name]}); it is now in ${[...roots.get(p)?.tasks ?? []].join(', ')}`);
    }
  });

  it('no bundled package is a dev-only dependency in the lockfile', () => {
    const dev = [...roots].filter(([r]) => lock.packages[r]?.dev).map(([r, w]) => `${nameOf(r)} (imported by ${[...w.importedBy].slice(0, 2).join(', ')})`);
    assert.deepEqual(dev, [], 'these ship in a task but package.json has them (or the package that pulls them in) under devDependencies: '
      + 'move the directly imported ones to dependencies; an optional require of a dev-only package (debug -> supports-color) makes the bundle depend on whether dev dependencies were installed');
  });

  it('no bundled package has a high or critical advisory in the npm audit snapshot', function () {
    if (!existsSync(AUDIT_SNAPSHOT)) {
      console.log(`      skipped: no ${AUDIT_SNAPSHOT} (take one with node scripts/audit.mjs where the registry's audit endpoint is reachable)`);
      this.skip();
    }
    const snap = JSON.parse(readFileSync(AUDIT_SNAPSHOT, 'utf8'));
    const uncovered = [...roots.keys()].filter((r) => snap.versions?.[r] !== lock.packages[r]?.version);
    const bad: string[] = [];
    for (const v of Object.values<any>(snap.vulnerabilities ?? {})) {
      // Only advisories against the package itself; "via" strings point at a dependency, judged on its own.
      const advisories = (v.via ?? []).filter((x: any) => typeof x === 'object' && ['high', 'critical'].includes(x.severity));
      if (!advisories.length) continue;
      for (const node of v.nodes ?? []) {
        if (roots.has(node) && !uncovered.includes(node)) bad.push(`${node}@${lock.packages[node].version}: ${advisories.map((a: any) => `${a.severity} ${a.title} ${a.url}`).join('; ')}`);
      }
    }
    console.log(`      audit snapshot of ${snap.takenAt}: ${roots.size - uncovered.length} of ${roots.size} bundled packages covered${uncovered.length ? `; not covered (version changed since): ${uncovered.map(nameOf).join(', ')}` : ''}`);
    assert.deepEqual(bad, [], 'bundled packages with high or critical advisories: update them (npm update <name>) and take a new snapshot');
  });
});
