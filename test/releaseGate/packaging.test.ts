/**
 * scripts/package.mjs with a server task: found without an index.ts, staged as task.json and icon.png only,
 * and a Node task that lost its index.ts reported rather than silently left out of the extension.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './docs';

interface PackageScript {
  isServerTask(taskJson: unknown): boolean;
  findServerTasks(dir: string): Array<{ name: string; dir: string }>;
}

describe('packaging a server task (scripts/package.mjs)', () => {
  let pkg: PackageScript;
  let dir = '';
  before(async () => { pkg = (await import(pathToFileURL(join(REPO, 'scripts', 'package.mjs')).href)) as PackageScript; });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'server-task-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const addTask = (name: string, execution: unknown, withIndex = false) => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'task.json'), JSON.stringify({ name, execution }));
    copyFileSync(join(REPO, 'tasks', 'ModelEvidenceGate', 'icon.png'), join(dir, name, 'icon.png'));
    if (withIndex) writeFileSync(join(dir, name, 'index.ts'), '');
  };

  it('tells server tasks from Node tasks by their handlers', () => {
    assert.equal(pkg.isServerTask({ execution: { HttpRequest: {} } }), true);
    assert.equal(pkg.isServerTask({ execution: { HttpRequestChain: {} } }), true);
    assert.equal(pkg.isServerTask({ execution: { Node24: {}, Node20_1: {} } }), false);
    assert.equal(pkg.isServerTask({ execution: { HttpRequest: {}, Node24: {} } }), false);
    assert.equal(pkg.isServerTask({}), false);
  });

  it('finds the server tasks among the folders without index.ts', () => {
    addTask('Gate', { HttpRequest: { Execute: {} } });
    addTask('Agent', { Node24: { target: 'index.js' }, Node20_1: { target: 'index.js' } }, true);
    assert.deepEqual(pkg.findServerTasks(dir).map((t) => t.name), ['Gate']);
  });

  it('refuses a Node task whose index.ts is missing instead of leaving it out', () => {
    addTask('Broken', { Node24: { target: 'index.js' }, Node20_1: { target: 'index.js' } });
    assert.throws(() => pkg.findServerTasks(dir), /Broken: task.json has no index.ts beside it and is not a server/);
  });

  it('finds the repository\'s ModelEvidenceGate as a server task', () => {
    assert.deepEqual(pkg.findServerTasks(join(REPO, 'tasks')).map((t) => t.name), ['ModelEvidenceGate']);
  });
});
