import * as assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { DEFAULT_EXCLUDES } from '../../../../shared/scan/options';
import { makePathFilter } from '../../../../shared/scan/pathFilter';

describe('scan core: path filter', () => {
  // Folder-name excludes are checked by path segment, the others by picomatch: together they must say what
  // picomatch alone says over the same globs.
  const exclude = ['build/**', '*.pyc', 'dist', 'docs/*.md', 'cache'];
  const reference = picomatch([...DEFAULT_EXCLUDES, 'build/**', '**/*.pyc', '**/dist', 'docs/*.md', '**/cache'], { dot: true });
  const segments = ['a', 'node_modules', '.git', 'build', 'x.pyc', 'dist', 'docs', 'r.md', 'node_modulesx', '.gitx', '__pycache__', '.tox', 'cache'];

  function* paths(depth: number, prefix = ''): Generator<string> {
    for (const s of segments) {
      const p = prefix ? `${prefix}/${s}` : s;
      yield p;
      if (depth > 1) yield* paths(depth - 1, p);
    }
  }

  it('excludes exactly what the same globs exclude in picomatch, at every depth', () => {
    const filter = makePathFilter(undefined, exclude);
    let checked = 0;
    for (const p of paths(3)) {
      assert.equal(filter.prunes(p), reference(p), p);
      assert.equal(filter.file(p), !reference(p), p);
      checked++;
    }
    assert.equal(checked, 13 + 13 ** 2 + 13 ** 3);
  });

  it('keeps default excludes off when asked, and includes narrow the files', () => {
    const filter = makePathFilter(['src/**'], [], false);
    assert.equal(filter.file('src/node_modules/a.js'), true);
    assert.equal(filter.prunes('node_modules'), false);
    assert.equal(filter.file('lib/a.js'), false);
  });
});
