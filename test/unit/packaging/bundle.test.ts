/**
 * The checks inside scripts/bundle.mjs, on synthetic esbuild metafiles, and the lazy-loading stub it
 * generates, run for real against a fake sdk.js.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScript } from './repo';

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
  parseArgs(argv: string[]): Record<string, unknown>;
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
});
