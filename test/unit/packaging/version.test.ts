/**
 * scripts/version.mjs: the repo is in step with versions.json, drift in any copy is found, and bump/add/sync
 * rewrite exactly the version fields (on a scratch copy of the files it touches).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScript, REPO } from './repo';

interface VersionScript {
  parseVersion(v: string, what: string): number[];
  bumpVersion(v: string, part: string): string;
  extensionPartFor(part: string): string;
  versionProblems(files: Record<string, any>): string[];
  readVersionFiles(root?: string): Record<string, any>;
  sync(root: string): string[];
  bump(root: string, target: string, part: string): string;
  add(root: string, name: string): string;
}

const TASK_JSON = (v: [number, number, number]) => `{
  "id": "0b7c2f4e-1d3a-4e5b-8c6d-9e0f1a2b3c4d",
  "name": "Alpha",
  "version": { "Major": ${v[0]}, "Minor": ${v[1]}, "Patch": ${v[2]} },
  "inputs": [{ "name": "x", "version": "kept" }]
}
`;

/** A scratch repo holding only what version.mjs reads and writes. */
function scratchRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-version-'));
  mkdirSync(join(dir, 'tasks', 'Alpha'), { recursive: true });
  mkdirSync(join(dir, 'shared', 'gates'), { recursive: true });
  writeFileSync(join(dir, 'versions.json'), JSON.stringify({ $comment: 'x', extension: '0.4.0', tasks: { Alpha: '1.2.3' } }, null, 2) + '\n');
  writeFileSync(join(dir, 'vss-extension.json'), '{\n  "id": "x",\n  "version": "0.4.0",\n  "contributions": [{ "version": "untouched" }]\n}\n');
  writeFileSync(join(dir, 'package.json'), '{\n  "name": "x",\n  "version": "0.4.0"\n}\n');
  writeFileSync(join(dir, 'shared', 'gates', 'product.ts'), "export const PRODUCT = {\n  name: 'MLOps Gates',\n  version: '0.4.0',\n  userAgent: 'mlops-gates/0.4.0',\n} as const;\n");
  writeFileSync(join(dir, 'tasks', 'Alpha', 'task.json'), TASK_JSON([1, 2, 3]));
  return dir;
}

describe('scripts/version.mjs', () => {
  let v: VersionScript;
  let dir = '';
  before(async () => { v = await loadScript<VersionScript>('version.mjs'); });
  afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = ''; });

  it('--check passes on the repo: every copy equals versions.json', () => {
    const r = spawnSync(process.execPath, ['scripts/version.mjs', '--check'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('bumps by the documented rule', () => {
    assert.equal(v.bumpVersion('0.3.9', 'patch'), '0.3.10');
    assert.equal(v.bumpVersion('0.3.9', 'minor'), '0.4.0');
    assert.equal(v.bumpVersion('0.3.9', 'major'), '1.0.0');
    assert.equal(v.extensionPartFor('patch'), 'patch');
    assert.equal(v.extensionPartFor('minor'), 'minor');
    assert.equal(v.extensionPartFor('major'), 'minor');
    assert.throws(() => v.bumpVersion('0.3', 'patch'), /major\.minor\.patch/);
    assert.throws(() => v.bumpVersion('0.3.0', 'huge'), /major, minor or patch/);
  });

  it('finds drift in each copy, and task folders versions.json does not know', () => {
    dir = scratchRepo();
    assert.deepEqual(v.versionProblems(v.readVersionFiles(dir)), []);
    const cases: Array<[string, (f: Record<string, any>) => void, RegExp]> = [
      ['manifest', (f) => { f['vss-extension.json'] = f['vss-extension.json'].replace('0.4.0', '0.5.0'); }, /vss-extension\.json version 0\.5\.0 != 0\.4\.0/],
      ['package.json', (f) => { f['package.json'] = f['package.json'].replace('0.4.0', '0.3.0'); }, /package\.json version/],
      ['product version', (f) => { f.product = f.product.replace("version: '0.4.0'", "version: '0.1.0'"); }, /PRODUCT\.version 0\.1\.0/],
      ['user agent', (f) => { f.product = f.product.replace('mlops-gates/0.4.0', 'mlops-gates/0.1.0'); }, /userAgent/],
      ['task.json', (f) => { f.tasks.Alpha = TASK_JSON([1, 2, 4]); }, /tasks\/Alpha\/task\.json version 1\.2\.4 != 1\.2\.3/],
      ['a new task folder', (f) => { f.tasks.Beta = TASK_JSON([0, 1, 0]); }, /--add Beta/],
      ['a task folder gone', (f) => { delete f.tasks.Alpha; }, /does not exist/],
    ];
    for (const [what, breakIt, expected] of cases) {
      const files = structuredClone(v.readVersionFiles(dir));
      breakIt(files);
      const problems = v.versionProblems(files);
      assert.ok(problems.some((p) => expected.test(p)), `${what}: ${JSON.stringify(problems)}`);
    }
  });

  it('a task bump bumps the extension and rewrites only version fields', () => {
    dir = scratchRepo();
    assert.match(v.bump(dir, 'Alpha', 'minor'), /Alpha 1\.2\.3 -> 1\.3\.0, extension 0\.4\.0 -> 0\.5\.0/);
    assert.equal(readFileSync(join(dir, 'tasks', 'Alpha', 'task.json'), 'utf8'), TASK_JSON([1, 3, 0]));
    assert.match(readFileSync(join(dir, 'vss-extension.json'), 'utf8'), /"version": "0\.5\.0",\n  "contributions": \[\{ "version": "untouched" \}\]/);
    assert.match(readFileSync(join(dir, 'package.json'), 'utf8'), /"version": "0\.5\.0"/);
    assert.match(readFileSync(join(dir, 'shared', 'gates', 'product.ts'), 'utf8'), /version: '0\.5\.0',\n  userAgent: 'mlops-gates\/0\.5\.0'/);
    assert.match(v.bump(dir, 'Alpha', 'patch'), /Alpha 1\.3\.0 -> 1\.3\.1, extension 0\.5\.0 -> 0\.5\.1/);
    assert.match(v.bump(dir, 'extension', 'minor'), /extension 0\.5\.1 -> 0\.6\.0/);
    assert.deepEqual(v.versionProblems(v.readVersionFiles(dir)), []);
    assert.equal(JSON.parse(readFileSync(join(dir, 'versions.json'), 'utf8')).$comment, 'x');
    assert.throws(() => v.bump(dir, 'Gamma', 'patch'), /unknown task "Gamma".*--add Gamma/);
  });

  it('--add records a new task folder and bumps the extension minor; sync repairs a drifted copy', () => {
    dir = scratchRepo();
    mkdirSync(join(dir, 'tasks', 'Beta'));
    writeFileSync(join(dir, 'tasks', 'Beta', 'task.json'), TASK_JSON([0, 1, 0]));
    assert.match(v.add(dir, 'Beta'), /Beta 0\.1\.0 added, extension 0\.4\.0 -> 0\.5\.0/);
    assert.throws(() => v.add(dir, 'Beta'), /already/);
    writeFileSync(join(dir, 'tasks', 'Alpha', 'task.json'), TASK_JSON([9, 9, 9]));
    assert.deepEqual(v.sync(dir), ['tasks/Alpha/task.json']);
    assert.deepEqual(v.versionProblems(v.readVersionFiles(dir)), []);
  });
});
