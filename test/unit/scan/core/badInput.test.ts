import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FileScanner } from '../../../../shared/scan/fileScanner';
import { CHUNK_BYTES } from '../../../../shared/scan/options';
import { makeTree, removeTree, scan, textAt } from './helpers';
import * as plugins from './testPlugins';
import { makeToken } from './testPlugins';

const P = { detectors: plugins.detectors, analyzers: plugins.analyzers, textHandlers: [] };

describe('scan core: bad input', () => {
  let root: string;
  beforeEach(() => (root = makeTree({})));
  afterEach(() => {
    try {
      chmodSync(root, 0o755);
    } catch {
      /* already gone */
    }
    removeTree(root);
  });

  it('scans a 50 MB single-line file in chunks, finding secrets at the start, across a chunk boundary and at the end', async () => {
    const size = 50 * 1000 * 1000;
    const big = Buffer.alloc(size, 'a;b=c,'); // minified-bundle-like filler, one line
    const tokens = [makeToken(), makeToken(), makeToken(), makeToken()];
    // Chunks of CHUNK_BYTES overlap by 64 KiB: chunk 1 starts at CHUNK_BYTES - 64 KiB; chunk 0 answers for
    // matches starting before CHUNK_BYTES - 32 KiB. Token 1 straddles that line, token 2 the raw end of chunk 1.
    const at = [0, CHUNK_BYTES - 32 * 1024 - 10, 2 * CHUNK_BYTES - 64 * 1024 - 10, size - tokens[3].length - 1];
    tokens.forEach((t, i) => big.write(` ${t} `, at[i] === 0 ? 0 : at[i] - 1, 'latin1'));
    writeFileSync(path.join(root, 'bundle.min.js'), big);
    const before = process.memoryUsage().rss;
    const r = await scan(root);
    const grew = process.memoryUsage().rss - before;
    const cols = r.findings.filter((f) => f.ruleId === 'SEC-TEST-001').map((f) => [f.location!.line, f.location!.column]);
    assert.deepEqual(cols, at.map((a) => [1, (a === 0 ? 1 : a) + 1]));
    assert.deepEqual(r.warnings, []);
    assert.equal(r.stats.bytes, size);
    assert.ok(grew < 200 * 1024 * 1024, `RSS grew by ${grew} bytes`);
  });

  it('finds every secret exactly once whatever the chunking, with the positions of a whole-file scan', () => {
    const tokens = Array.from({ length: 40 }, () => makeToken());
    let text = '';
    tokens.forEach((t, i) => (text += `${'x'.repeat(37 * i % 200)}\n${'é'.repeat(i % 3)}k=${t};${i % 4 ? '' : '\r\n'}`));
    writeFileSync(path.join(root, 'f.txt'), text);
    const whole = new FileScanner(P, { root, scanModels: true, maxFileBytes: 1e9, maxModelBytes: 1e9, fromGit: false }).scan('f.txt');
    assert.equal(whole.findings.length, tokens.length);
    for (const [chunkBytes, chunkOverlap] of [[400, 100], [333, 120], [1000, 256]]) {
      const chunked = new FileScanner(P, { root, scanModels: true, maxFileBytes: 1e9, maxModelBytes: 1e9, fromGit: false, chunkBytes, chunkOverlap }).scan('f.txt');
      assert.deepEqual(chunked.findings, whole.findings, `chunk ${chunkBytes}/${chunkOverlap}`);
    }
    for (const f of whole.findings) assert.ok(tokens.includes(textAt(text, f.location!.line, f.location!.column, tokens[0].length)));
  });

  it('reads invalid UTF-8 without failing or shifting lines; the column counts bad bytes as a decoder does', async () => {
    const tok = makeToken();
    const bytes = Buffer.concat([Buffer.from('ok\n'), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xe2, 0x82]), Buffer.from(` key=${tok}\nnext\n`)]);
    writeFileSync(path.join(root, 'bad.txt'), bytes);
    const r = await scan(root);
    assert.equal(r.findings.length, 1);
    const loc = r.findings[0].location!;
    const shown = new TextDecoder().decode(bytes).split('\n')[1];
    assert.equal(loc.line, 2);
    assert.equal(shown.slice(loc.column - 1, loc.column - 1 + tok.length), tok);
  });

  it('survives a notebook nested 100,000 levels deep, and still finds the secret in it', async () => {
    const tok = makeToken();
    const deep = '['.repeat(100_000) + `"${tok}"` + ']'.repeat(100_000);
    writeFileSync(path.join(root, 'deep.ipynb'), `{"cells": [], "metadata": {"x": ${deep}}, "nbformat": 4, "nbformat_minor": 5}`);
    const r = await scan(root);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.findings.length, 1);
  });

  it('warns about a truncated notebook and scans it as text', async () => {
    const tok = makeToken();
    writeFileSync(path.join(root, 't.ipynb'), `{"cells": [{"cell_type": "code", "source": ["k = '${tok}'`);
    const r = await scan(root);
    assert.equal(r.findings.length, 1);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /^t\.ipynb: not a valid notebook/);
  });

  it('warns about a FIFO and does not hang on it', async function () {
    try {
      execFileSync('mkfifo', [path.join(root, 'pipe.txt')]);
    } catch {
      return this.skip(); // no mkfifo on this system
    }
    writeFileSync(path.join(root, 'after.txt'), `k=${makeToken()}\n`);
    const r = await scan(root);
    assert.deepEqual(r.warnings, ['pipe.txt: not a regular file (a FIFO); skipped']);
    assert.equal(r.stats.skipped.unreadable, 1);
    assert.equal(r.findings.length, 1);
  });

  it('warns about a file that vanished after it was listed (quietly when git listed it: a deletion)', () => {
    const s = (fromGit: boolean) => new FileScanner(P, { root, scanModels: true, maxFileBytes: 1e6, maxModelBytes: 1e6, fromGit }).scan('gone.txt');
    assert.deepEqual(s(false).warnings, ['gone.txt: could not be read (it vanished during the scan); skipped']);
    assert.deepEqual(s(true).warnings, []);
    assert.equal(s(true).status, 'unreadable');
  });

  it('warns about unreadable files and folders (chmod 000)', async function () {
    if (process.getuid?.() === 0) return this.skip(); // root reads anything: covered by the FIFO and vanished-file cases
    writeFileSync(path.join(root, 'locked.txt'), 'x');
    chmodSync(path.join(root, 'locked.txt'), 0);
    mkdirSync(path.join(root, 'locked-dir'));
    chmodSync(path.join(root, 'locked-dir'), 0);
    const r = await scan(root);
    assert.ok(r.warnings.includes('locked.txt: could not be read (permission denied); skipped'), r.warnings.join('\n'));
    assert.ok(r.warnings.some((w) => w.startsWith('locked-dir/: folder cannot be listed (EACCES)')), r.warnings.join('\n'));
    chmodSync(path.join(root, 'locked-dir'), 0o755);
  });

  it('warns about a symlink loop and goes on', async () => {
    symlinkSync('b', path.join(root, 'a'));
    symlinkSync('a', path.join(root, 'b'));
    writeFileSync(path.join(root, 'c.txt'), `k=${makeToken()}\n`);
    const r = await scan(root);
    assert.deepEqual(r.warnings, ['a: symlink loop; not followed', 'b: symlink loop; not followed']);
    assert.equal(r.findings.length, 1);
  });

  it('never follows a symlink out of the root, and does not scan a file twice through a link inside it', async () => {
    const outside = makeTree({ 'secret.txt': `k=${makeToken()}\n`, 'dir/more.txt': `k=${makeToken()}\n` }, 'mlops-outside-');
    try {
      symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'out-file'));
      symlinkSync(path.join(outside, 'dir'), path.join(root, 'out-dir'));
      writeFileSync(path.join(root, 'real.txt'), `k=${makeToken()}\n`);
      symlinkSync('real.txt', path.join(root, 'alias.txt'));
      mkdirSync(path.join(root, 'sub'));
      symlinkSync('..', path.join(root, 'sub', 'up')); // a folder cycle
      symlinkSync('missing.txt', path.join(root, 'dangling'));
      const r = await scan(root);
      assert.equal(r.stats.skipped.symlinkOutside, 2);
      assert.deepEqual(r.findings.map((f) => f.resourceId), ['real.txt']);
      assert.deepEqual(r.warnings, ['dangling: symlink to a missing file; skipped']);
    } finally {
      removeTree(outside);
    }
  });

  it('does not follow a root that is a symlink out of itself, but resolves the root itself', async () => {
    writeFileSync(path.join(root, 'x.txt'), `k=${makeToken()}\n`);
    const link = `${root}-link`;
    symlinkSync(root, link);
    try {
      const r = await scan(link);
      assert.deepEqual(r.findings.map((f) => f.resourceId), ['x.txt']);
    } finally {
      rmSync(link);
    }
  });

  it('never lets a secret from bad input into warnings', async () => {
    const tok = makeToken();
    writeFileSync(path.join(root, `BOOM!${tok.slice(0, 3)}.txt`), `BOOM! ${tok}\n`);
    const r = await scan(root);
    assert.ok(!JSON.stringify(r).includes(tok));
    void readFileSync;
  });
});
