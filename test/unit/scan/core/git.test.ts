import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { makeTree, removeTree, scan } from './helpers';
import { makeToken } from './testPlugins';

const files = (r: { findings: Array<{ resourceId: string }> }) => [...new Set(r.findings.map((f) => f.resourceId))].sort();

describe('scan core: git work trees', () => {
  let root: string;
  let outside: string;
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { stdio: 'pipe', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root } });

  before(() => {
    const line = () => `key = "${makeToken()}"\n`;
    outside = makeTree({ 'secret.txt': line() }, 'mlops-outside-');
    root = makeTree({
      'src/tracked.py': line(),
      'src/deleted.py': line(),
      'src/untracked.py': line(),
      'out/ignored.js': line(),
      'notes/ignored-too.md': line(),
      '.gitignore': 'out/\nnotes/*.md\n',
    });
    git('init', '-q');
    git('config', 'user.email', 'test@example.invalid');
    git('config', 'user.name', 'test');
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'src/link-out.txt'));
    git('add', 'src/tracked.py', 'src/deleted.py', 'src/link-out.txt', '.gitignore');
    git('commit', '-q', '-m', 'init');
    unlinkSync(path.join(root, 'src/deleted.py'));
  });
  after(() => {
    removeTree(root);
    removeTree(outside);
  });

  it('scans tracked and untracked-but-not-ignored files, quietly skipping deleted ones', async () => {
    const r = await scan(root, { gitMode: 'tracked+untracked' });
    assert.equal(r.stats.source, 'git');
    assert.deepEqual(files(r), ['src/tracked.py', 'src/untracked.py']);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.stats.skipped.symlinkOutside, 1);
  });

  it('scans tracked files only when told so', async () => {
    assert.deepEqual(files(await scan(root, { gitMode: 'tracked' })), ['src/tracked.py']);
  });

  it('applies include and exclude globs to what git lists', async () => {
    const r = await scan(root, { gitMode: 'tracked+untracked', exclude: ['**/untracked.py'] });
    assert.deepEqual(files(r), ['src/tracked.py']);
    assert.equal(r.stats.skipped.excluded, 1);
  });

  it('walks everything, ignored files included, in walk mode', async () => {
    assert.deepEqual(files(await scan(root, { gitMode: 'walk' })), ['notes/ignored-too.md', 'out/ignored.js', 'src/tracked.py', 'src/untracked.py']);
  });

  it('lists paths relative to a root below the top of the repository', async () => {
    const r = await scan(path.join(root, 'src'), { gitMode: 'tracked+untracked' });
    assert.deepEqual(files(r), ['tracked.py', 'untracked.py']);
  });

  it('walks an ignored folder it is pointed at (git lists nothing there)', async () => {
    const r = await scan(path.join(root, 'out'), { gitMode: 'tracked+untracked' });
    assert.equal(r.stats.source, 'walk');
    assert.deepEqual(files(r), ['ignored.js']);
  });
});
