/**
 * vss-extension.json against the task folders and package.json, and overview.md against the task it
 * documents. Versions: versions.json is the source (scripts/version.mjs, version.test.ts); the extension version
 * equals package.json's; each task keeps its own version (agents cache tasks by task version).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScript, REPO } from './repo';

interface PackageScript {
  kebab(name: string): string;
  manifestProblems(manifest: any, taskNames: string[], packageVersion: string): string[];
  tfxWarnings(output: string): string[];
}

const read = (rel: string) => JSON.parse(readFileSync(join(REPO, rel), 'utf8'));
const taskNames = readdirSync(join(REPO, 'tasks'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(REPO, 'tasks', d.name, 'task.json')))
  .map((d) => d.name)
  .sort();

describe('vss-extension.json', () => {
  let pkg: PackageScript;
  const manifest = read('vss-extension.json');
  const version = read('package.json').version;
  before(async () => { pkg = await loadScript<PackageScript>('package.mjs'); });

  it('lists exactly the task folders: one files entry and one task contribution each', () => {
    assert.deepEqual(pkg.manifestProblems(manifest, taskNames, version), []);
  });

  it('has the fixed identity and settings', () => {
    assert.equal(manifest.manifestVersion, 1);
    assert.equal(manifest.id, 'mlops-gates');
    assert.equal(manifest.publisher, 'mlops-gates-dev');
    assert.equal(manifest.name, 'MLOps Gates');
    assert.equal(manifest.public, false);
    assert.deepEqual(manifest.categories, ['Azure Pipelines']);
    assert.deepEqual(manifest.targets, [{ id: 'Microsoft.VisualStudio.Services' }]);
    assert.ok(Array.isArray(manifest.tags) && manifest.tags.length > 0);
    assert.deepEqual(manifest.galleryFlags, ['Preview']);
    assert.ok(manifest.description.length <= 200, 'the Marketplace cuts descriptions at 200 characters');
    for (const link of ['getstarted', 'support', 'privacypolicy']) assert.match(manifest.links?.[link]?.uri ?? '', /^https:\/\//, `links.${link}`);
  });

  it('asks for the least scopes: none for tasks, read-only build/release scopes only for a web contribution', () => {
    // Pipeline tasks run with the pipeline's own token and need no extension scope. Only a web contribution
    // (the results tab reading run attachments) needs one, and reading is all it does.
    const web = (manifest.contributions ?? []).filter((c: any) => c.type !== 'ms.vss-distributed-task.task');
    if (!web.length) assert.deepEqual(manifest.scopes, [], 'pipeline tasks need no scopes');
    for (const scope of manifest.scopes) assert.ok(['vso.build', 'vso.release'].includes(scope), `scope ${scope} is more than reading builds and releases`);
  });

  it('points at files that exist', () => {
    assert.ok(existsSync(join(REPO, manifest.content.details.path)), 'content.details');
    for (const icon of Object.values<string>(manifest.icons)) assert.ok(existsSync(join(REPO, icon)), icon);
  });

  describe('consistency check', () => {
    const good = () => structuredClone(manifest);
    const cases: Array<[string, RegExp, (m: any) => void, string[]?]> = [
      ['a version other than package.json', /version/, (m) => { m.version = '9.9.9'; }],
      ['a task folder missing from files', /files lists/, (m) => { m.files = m.files.filter((f: any) => !f.path.startsWith('tasks/')); }],
      ['an extra files entry', /files lists/, (m) => { m.files.push({ path: 'tasks/Ghost' }); }],
      ['a missing contribution', /contributions/, (m) => { m.contributions = []; }],
      ['a contribution for a folder that does not exist', /contributions/, (m) => { m.contributions.push({ ...m.contributions[0], id: 'ghost-task', properties: { name: 'tasks/Ghost' } }); }],
      ['a wrongly named contribution', /should be/, (m) => { m.contributions[0].id = 'securitygate'; }],
      ['a wrong target', /must target/, (m) => { m.contributions[0].targets = ['ms.vss-build-web.build-results-view']; }],
      ['a task folder without manifest entries', /task folders/, () => {}, [...taskNames, 'NewTask']],
    ];
    for (const [what, expected, breakIt, names] of cases) {
      it(`reports ${what}`, () => {
        const m = good();
        breakIt(m);
        const problems = pkg.manifestProblems(m, names ?? taskNames, version);
        assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in ${JSON.stringify(problems)}`);
      });
    }
  });

  it('kebab-cases task names for contribution ids', () => {
    assert.equal(pkg.kebab('SecurityGate'), 'security-gate');
    assert.equal(pkg.kebab('ModelRegistryPromote'), 'model-registry-promote');
    assert.equal(pkg.kebab('ONNXScan'), 'onnx-scan');
  });

  it('picks tfx warnings out of its (coloured) output', () => {
    const out = 'Checking if this extension is already published\n\u001b[43m\u001b[30mwarning: Task X@1 is dependent on a task runner that is end-of-life\u001b[39m\u001b[49m\n{"path":"/x.vsix"}';
    assert.deepEqual(pkg.tfxWarnings(out), ['warning: Task X@1 is dependent on a task runner that is end-of-life']);
    assert.deepEqual(pkg.tfxWarnings('=== Completed operation: create extension ==='), []);
  });
});

describe('overview.md', () => {
  const text = readFileSync(join(REPO, 'overview.md'), 'utf8');

  // Every task folder: a new task without an example in the listing fails here.
  for (const name of readdirSync(join(REPO, 'tasks')).filter((d) => existsSync(join(REPO, 'tasks', d, 'task.json')))) {
    it(`shows every ${name} input in its YAML example`, () => {
      const task = read(`tasks/${name}/task.json`);
      const yaml = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).find((y) => y.includes(`task: ${name}@`)) ?? '';
      assert.match(yaml, new RegExp(`task: ${name}@${task.version.Major}\\b`));
      for (const input of task.inputs) assert.match(yaml, new RegExp(`\\b${input.name}:`), `input ${input.name} missing from the example`);
    });
  }

  it('shows only images that exist (the package ships them; the Marketplace page loads them from it)', async () => {
    const pkg = await loadScript('package.mjs');
    assert.deepEqual(pkg.markdownImages('![a](./x.png) ![b](https://e/x.png) ![c](docs/y.png "t")'), ['docs/y.png', 'x.png']);
    for (const rel of pkg.markdownImages(text)) assert.ok(existsSync(join(REPO, rel)), `overview.md shows ${rel}, which does not exist (node scripts/screenshots.mjs makes the screenshots)`);
  });

  it('states the role needed, the absence of telemetry and of key listing', () => {
    assert.match(text, /\*\*Reader\*\*/);
    assert.match(text, /no telemetry/i);
    assert.match(text, /never calls `listKeys`/);
  });
});
