/**
 * The checks inside scripts/bundle.mjs, on synthetic esbuild metafiles, and the lazy-loading stub it
 * generates, run for real against a fake sdk.js.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScript, REPO } from './repo';

interface BundleScript {
  findTasks(dir: string): Array<{ name: string; dir: string }>;
  nodeTarget(taskJson: unknown): string;
  packageOf(p: string): { root: string; name: string } | undefined;
  packageCopies(metas: unknown[], pkg: string): Array<{ output: string; root: string }>;
  duplicatedPackages(metas: unknown[]): Array<{ name: string; copies: string[] }>;
  dualBuilds(metas: unknown[]): string[];
  describeUnresolved(warnings: unknown[]): Array<{ pkg: string; known?: string }>;
  lazyStubSource(key: string, names: string[]): string;
  sdkEntrySource(keys: string[]): string;
  LAZY_PACKAGES: RegExp;
  BANNER: string;
  parseArgs(argv: string[]): Record<string, unknown>;
  bundleAll(opts: Record<string, unknown>, log?: (m: string) => void): Promise<any>;
}

/** A metafile with one output per entry of `outputs`, each listing its input paths. */
function meta(outputs: Record<string, string[]>) {
  return {
    outputs: Object.fromEntries(Object.entries(outputs).map(([out, inputs]) => [
      `dist/tasks/T/${out}`, { inputs: Object.fromEntries(inputs.map((i) => [i, { bytesInOutput: 100 }])) },
    ])),
  };
}

describe('scripts/bundle.mjs', () => {
  let b: BundleScript;
  before(async () => { b = await loadScript<BundleScript>('bundle.mjs'); });

  it('finds the package of a bundled input, scoped or not', () => {
    assert.deepEqual(b.packageOf('node_modules/azure-pipelines-task-lib/task.js'), { root: 'node_modules/azure-pipelines-task-lib', name: 'azure-pipelines-task-lib' });
    assert.deepEqual(b.packageOf('node_modules/a/node_modules/@azure/identity/dist/x.js'), { root: 'node_modules/a/node_modules/@azure/identity', name: '@azure/identity' });
    assert.equal(b.packageOf('shared/azure/credentials.ts'), undefined);
    assert.equal(b.packageOf('lazy-stub:node_modules/@azure/identity/dist/commonjs/index.js'), undefined);
  });

  describe('one task-lib per task', () => {
    it('counts a single copy once', () => {
      const m = meta({ 'index.js': ['node_modules/azure-pipelines-task-lib/task.js', 'node_modules/azure-pipelines-task-lib/internal.js', 'shared/x.ts'] });
      assert.equal(b.packageCopies([m], 'azure-pipelines-task-lib').length, 1);
    });
    it('sees a nested second version', () => {
      const m = meta({ 'index.js': ['node_modules/azure-pipelines-task-lib/task.js', 'node_modules/other/node_modules/azure-pipelines-task-lib/task.js'] });
      assert.equal(b.packageCopies([m], 'azure-pipelines-task-lib').length, 2);
    });
    it('sees the same copy bundled into two output files (two instances at runtime)', () => {
      const main = meta({ 'index.js': ['node_modules/azure-pipelines-task-lib/task.js'] });
      const sdk = meta({ 'sdk.js': ['node_modules/azure-pipelines-task-lib/task.js'] });
      assert.deepEqual(b.packageCopies([main, sdk], 'azure-pipelines-task-lib').map((c) => c.output), ['index.js', 'sdk.js']);
      assert.deepEqual(b.duplicatedPackages([main, sdk]).map((d) => d.name), ['azure-pipelines-task-lib']);
    });
  });

  it('flags a package bundled from both its ESM and CommonJS builds', () => {
    const m = meta({ 'index.js': ['node_modules/@azure/logger/dist/esm/index.js', 'node_modules/@azure/logger/dist/commonjs/index.js', 'node_modules/@azure/msal-common/dist/cache/x.mjs', 'node_modules/@azure/msal-common/dist/error/y.mjs'] });
    assert.deepEqual(b.dualBuilds([m]), ['node_modules/@azure/logger (commonjs + esm)']);
  });

  it('tells known dynamic requires from unknown ones', () => {
    const w = (file: string, lineText: string) => ({ id: 'unsupported-require-call', text: 'x', location: { file, line: 1, lineText } });
    const [known, unknown] = b.describeUnresolved([
      w('node_modules/azure-pipelines-task-lib/internal.js', 'var resourceJson = require(resourceFile);'),
      w('node_modules/some-pkg/index.js', 'return require(name);'),
      { id: 'other-warning', text: 'y' },
    ]);
    assert.ok(known.known);
    assert.equal(unknown.pkg, 'some-pkg');
    assert.equal(unknown.known, undefined);
  });

  it('requires all Node handlers to share one .js target', () => {
    assert.equal(b.nodeTarget({ execution: { Node24: { target: 'index.js' }, Node20_1: { target: 'index.js' } } }), 'index.js');
    assert.throws(() => b.nodeTarget({ execution: { Node24: { target: 'index.js' }, Node20_1: { target: 'main.js' } } }), /one target/);
    assert.throws(() => b.nodeTarget({ execution: { HttpRequest: {} } }), /one target/);
    assert.throws(() => b.nodeTarget({ execution: { Node24: { target: '../x.js' } } }), /unexpected/);
  });

  it('moves the Azure SDKs and azure-devops-node-api to sdk.js, and nothing else', () => {
    for (const s of ['@azure/identity', '@azure/core-rest-pipeline', 'azure-devops-node-api', 'azure-devops-node-api/TaskApi']) assert.match(s, b.LAZY_PACKAGES);
    for (const s of ['azure-pipelines-task-lib/task', 'yaml', '@azurex/y', 'azure-devops-node-apix']) assert.doesNotMatch(s, b.LAZY_PACKAGES);
  });

  it('banner silences only the deprecations of bundled deps, once even when loaded twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'banner-'));
    try {
      const file = join(dir, 'x.js');
      writeFileSync(file, `${b.BANNER}\n${b.BANNER}\nrequire('url').parse('http://127.0.0.1/a'); Buffer(4);
        process.emitWarning('still shown', 'DeprecationWarning', 'DEP0999'); process.emitWarning('plain warning');
        console.log(__bundleImportMetaUrl);`);
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'file://' + file);
      assert.doesNotMatch(r.stderr, /DEP0169|DEP0005/);
      assert.match(r.stderr, /DEP0999/);
      assert.match(r.stderr, /plain warning/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects unknown command-line arguments', () => {
    assert.throws(() => b.parseArgs(['--minify']), /unknown argument/);
    assert.equal(b.parseArgs(['--single']).single, true);
  });

  describe('lazy stub', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'stub-'));
      // A fake sdk.js that counts how often a module is initialised.
      writeFileSync(join(dir, 'sdk.js'), `let n = 0; exports.count = () => n;
        exports.load = (k) => { if (k !== 'pkg/index.js') throw new Error('no ' + k); n++; return { Client: class Client {}, version: '1.0' }; };`);
      writeFileSync(join(dir, 'stub.js'), b.lazyStubSource('pkg/index.js', ['Client', 'version', '__esModule']));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('exposes the export names without loading sdk.js, and loads it once on first use', () => {
      const sdk = require(join(dir, 'sdk.js'));
      const stub = require(join(dir, 'stub.js'));
      assert.deepEqual(Object.keys(stub).sort(), ['Client', 'version']);
      assert.equal(stub.__esModule, true);
      assert.equal(sdk.count(), 0);
      assert.equal(stub.version, '1.0');
      assert.equal(typeof new stub.Client(), 'object');
      assert.equal(sdk.count(), 1);
    });

    it('sdk entry maps each key to a require of that module', () => {
      const src = b.sdkEntrySource(['node_modules/a/index.js', 'node_modules/@b/c/dist/index.js']);
      assert.match(src, /"node_modules\/a\/index.js":\(\)=>require\("\.\/node_modules\/a\/index.js"\)/);
      assert.match(src, /"node_modules\/@b\/c\/dist\/index.js":/);
    });
  });

  describe('bundleAll on a fixture task', function () {
    this.timeout(60_000);
    let dir: string;
    const taskJson = {
      id: '0b7c2f4e-1d3a-4e5b-8c6d-9e0f1a2b3c4d', name: 'Probe', friendlyName: 'Probe', description: 'd', author: 'a',
      category: 'Utility', version: { Major: 0, Minor: 1, Patch: 0 }, instanceNameFormat: 'Probe',
      execution: { Node24: { target: 'index.js' }, Node20_1: { target: 'index.js' } },
    };
    const setup = (source: string) => {
      dir = mkdtempSync(join(tmpdir(), 'bundle-fixture-'));
      mkdirSync(join(dir, 'tasks', 'Probe'), { recursive: true });
      writeFileSync(join(dir, 'tasks', 'Probe', 'task.json'), JSON.stringify(taskJson));
      writeFileSync(join(dir, 'tasks', 'Probe', 'index.ts'), source);
      copyFileSync(join(REPO, 'tasks', 'SecurityGate', 'icon.png'), join(dir, 'tasks', 'Probe', 'icon.png'));
      mkdirSync(join(dir, 'tasks', 'Probe', 'Strings', 'resources.resjson', 'en-US'), { recursive: true });
      writeFileSync(join(dir, 'tasks', 'Probe', 'Strings', 'resources.resjson', 'en-US', 'resources.resjson'), '{}');
    };
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const opts = () => ({ tasksDir: join(dir, 'tasks'), outDir: join(dir, 'dist'), smoke: true, measure: false, single: false });

    it('builds a runnable bundle with its task.json, icon and Strings beside it', async () => {
      setup(`import * as tl from 'azure-pipelines-task-lib/task';\ntl.setResult(tl.TaskResult.Succeeded, 'fine');\n`);
      const logs: string[] = [];
      const meta = await b.bundleAll(opts(), (m) => logs.push(m));
      const out = join(dir, 'dist', 'tasks', 'Probe');
      for (const f of ['index.js', 'index.js.map', 'task.json', 'icon.png', 'Strings/resources.resjson/en-US/resources.resjson']) assert.ok(existsSync(join(out, f)), f);
      assert.ok(!existsSync(join(out, 'sdk.js')), 'no sdk.js when no Azure SDK is imported');
      assert.deepEqual(meta.tasks.Probe.lazyModules, []);
      assert.equal(JSON.parse(readFileSync(join(dir, 'dist', 'bundle-meta.json'), 'utf8')).tasks.Probe.files['index.js'].bytes, meta.tasks.Probe.files['index.js'].bytes);
    });

    it('fails when the bundle looks for a module outside itself at runtime, even a caught one', async () => {
      setup(`import * as tl from 'azure-pipelines-task-lib/task';
const name = ['ya', 'ml'].join('');
let found = false;
try { require(name); found = true; } catch { /* optional dependency */ }
tl.setResult(tl.TaskResult.Succeeded, String(found));\n`);
      const logs: string[] = [];
      await assert.rejects(b.bundleAll(opts(), (m) => logs.push(m)), /required from outside the bundle: \["yaml"\]/);
      assert.ok(logs.some((l) => /warning: Probe: dynamic require left unbundled in \(project\)/.test(l)), logs.join('\n'));
    });

    it('fails when the task crashes on load', async () => {
      setup(`import * as tl from 'azure-pipelines-task-lib/task';\nthrow new Error('boom ' + typeof tl);\n`);
      await assert.rejects(b.bundleAll(opts(), () => {}), /crashed: Unhandled: boom object/);
    });
  });
});
