import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AUTO_WORKER_MIN_FILES, autoWorkers, scanTree } from '../../../../shared/scan/scanTree';
import { makeTree, removeTree, scan, textAt, writeTree } from './helpers';
import * as plugins from './testPlugins';
import { makeBadToken, makeToken } from './testPlugins';

const files = (r: { findings: Array<{ location?: { file: string } }> }) => [...new Set(r.findings.map((f) => f.location!.file))].sort();

describe('scan core: scanTree', () => {
  describe('which files', () => {
    let root: string;
    before(() => {
      const line = () => `key = "${makeToken()}"\n`;
      root = makeTree({
        'src/app.py': line(),
        'src/.env': line(),
        'docs/readme.md': line(),
        'build/bundle.js': line(),
        'node_modules/pkg/index.js': line(),
        'lib/node_modules/pkg/index.js': line(),
        '.git/config': line(),
        'src/__pycache__/app.cpython-311.pyc': line(),
      });
    });
    after(() => removeTree(root));

    it('scans everything but dependency folders, VCS metadata and caches by default (dot files included)', async () => {
      const r = await scan(root);
      assert.deepEqual(files(r), ['build/bundle.js', 'docs/readme.md', 'src/.env', 'src/app.py']);
      assert.equal(r.stats.files, 4);
      assert.equal(r.stats.skipped.excluded, 4); // node_modules twice, .git and __pycache__ pruned as folders
      assert.equal(r.stats.source, 'walk');
    });

    it('honours include and exclude globs', async () => {
      assert.deepEqual(files(await scan(root, { include: ['src/**'] })), ['src/.env', 'src/app.py']);
      assert.deepEqual(files(await scan(root, { include: ['**/*.py', '**/*.md'], exclude: ['docs/**'] })), ['src/app.py']);
      assert.deepEqual(files(await scan(root, { exclude: ['./build/**', 'src/.*'] })), ['docs/readme.md', 'src/app.py']);
      // Without a slash, a glob matches names at any depth, as in .gitignore.
      assert.deepEqual(files(await scan(root, { include: ['*.py', '*.md'] })), ['docs/readme.md', 'src/app.py']);
      assert.deepEqual(files(await scan(root, { exclude: ['src', '*.md'] })), ['build/bundle.js']);
      assert.deepEqual(files(await scan(root, { exclude: ['build/', 'docs\\'] })), ['src/.env', 'src/app.py']);
    });

    it('can drop the default excludes', async () => {
      const r = await scan(root, { defaultExcludes: false, include: ['**/*.js'] });
      assert.deepEqual(files(r), ['build/bundle.js', 'lib/node_modules/pkg/index.js', 'node_modules/pkg/index.js']);
    });

    it('requires an absolute root that exists', async () => {
      await assert.rejects(scanTree({ root: 'relative/dir', detectors: [], analyzers: [] }), /absolute/);
      await assert.rejects(scanTree({ root: path.join(root, 'nope'), detectors: [], analyzers: [] }), /cannot scan .*nope \(ENOENT\)/);
    });

    it('scans a root that is a single file (as a pre-commit hook passes them), named relative to its folder', async () => {
      const r = await scan(path.join(root, 'node_modules/pkg/index.js'));
      assert.deepEqual(files(r), ['index.js']);
      assert.equal(r.stats.files, 1);
    });
  });

  describe('what is in them', () => {
    let root: string;
    const tok = makeToken();
    before(() => {
      root = makeTree({
        'a.py': `# é\nx = 1\n\tkey = "${tok}"  # again: ${tok}\n`,
        'lookalike.py': `key = "${makeBadToken()}"\n`,
        'image.png': `\x89PNG ${makeToken()}`,
        'data.bin.txt': Buffer.concat([Buffer.from(`abc\0def ${makeToken()}`)]),
        'utf16.ps1': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`# comment\r\n$key = "${tok}"\r\n`, 'utf16le')]),
        'models/evil.pkl': Buffer.concat([Buffer.from([0x80, 0x04]), Buffer.from('cos\nsystem\n(')]),
        'models/weights.dat': Buffer.concat([Buffer.from([0x80, 0x7f, 0x00]), Buffer.from('cos\nsystem\n')]),
        'models/empty.pkl': Buffer.from([0x80]),
        'infra/main.json': '{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",\n  "publicNetworkAccess": "Enabled"\n}\n',
        'infra/bad.json': '{ "$schema": "x", "explode": true }',
        'boom.txt': `BOOM! then ${tok}\n`,
      });
    });
    after(() => removeTree(root));

    it('reports verified tokens, each occurrence with its own place, and ignores look-alikes', async () => {
      const r = await scan(root);
      const a = r.findings.filter((f) => f.resourceId === 'a.py');
      assert.deepEqual(a.map((f) => [f.ruleId, f.location!.line, f.location!.column]), [
        ['SEC-TEST-001', 3, 9],
        ["SEC-TEST-001", 3, 48],
      ]);
      assert.notEqual(a[0].fingerprint, a[1].fingerprint);
      assert.equal(r.findings.filter((f) => f.resourceId === 'lookalike.py').map((f) => f.ruleId).join(), 'SEC-TEST-003');
    });

    it('skips binaries by extension and by NUL bytes, reads UTF-16 with a BOM', async () => {
      const r = await scan(root);
      assert.ok(!files(r).includes('image.png'));
      assert.ok(!files(r).includes('data.bin.txt'));
      const u = r.findings.find((f) => f.resourceId === 'utf16.ps1');
      assert.deepEqual([u?.location?.line, u?.location?.column], [2, 9]);
      assert.equal(r.stats.skipped.binary, 2);
    });

    it('hands model files to analyzers by extension and by sniffing, and reports malformed ones', async () => {
      const r = await scan(root);
      const m = r.findings.filter((f) => f.resourceId.startsWith('models/'));
      assert.deepEqual(m.map((f) => [f.resourceId, f.ruleId, f.location?.byteOffset]), [
        ['models/empty.pkl', 'AML-MODEL-TEST-002', undefined],
        ['models/evil.pkl', 'AML-MODEL-TEST-001', 3],
        ['models/weights.dat', 'AML-MODEL-TEST-001', 4],
      ]);
    });

    it('with scanModels false, counts model files as skipped binaries', async () => {
      const r = await scan(root, { scanModels: false });
      assert.equal(r.findings.filter((f) => f.resourceId.startsWith('models/')).length, 0);
      assert.equal(r.stats.skipped.binary, 5);
    });

    it('runs text handlers, and survives one that throws or overflows the stack', async () => {
      writeFileSync(path.join(root, 'infra/deep.json'), `{"$schema": "x", "nested": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      try {
        const r = await scan(root);
        const t = r.findings.find((f) => f.ruleId === 'AML-TEST-TPL-001');
        assert.deepEqual([t?.resourceId, t?.location?.line], ['infra/main.json', 3]);
        assert.ok(r.warnings.includes('infra/bad.json: test-template could not evaluate the file (Error: handler bug); skipped for this file'), r.warnings.join('\n'));
        assert.ok(r.warnings.includes('infra/deep.json: test-template could not evaluate the file (too deeply nested); skipped for this file'), r.warnings.join('\n'));
      } finally {
        removeTree(path.join(root, 'infra/deep.json'));
      }
    });

    it('keeps going when a detector throws, and says which detector failed on which file', async () => {
      const r = await scan(root);
      assert.ok(r.warnings.includes('boom.txt: detector SEC-TEST-004 failed (Error: detector bug); the other detectors still ran'));
      assert.ok(r.findings.some((f) => f.resourceId === 'boom.txt' && f.ruleId === 'SEC-TEST-001'));
    });

    it('skips text files over the size limit with a warning naming them', async () => {
      const r = await scan(root, { maxFileBytes: 60 });
      assert.ok(r.warnings.some((w) => /^a\.py: .* larger than the 0\.0 MiB limit for text files; not scanned$/.test(w)));
      assert.ok(r.stats.skipped.tooLarge >= 1);
      assert.ok(!files(r).includes('a.py'));
    });

    it('lists every rule the plugins can emit, and counts what it read', async () => {
      const r = await scan(root);
      assert.deepEqual(
        r.rules.map((x) => x.id),
        ['AML-MODEL-TEST-001', 'AML-MODEL-TEST-002', 'AML-TEST-TPL-001', 'SEC-TEST-001', 'SEC-TEST-002', 'SEC-TEST-002B', 'SEC-TEST-003', 'SEC-TEST-004', 'SEC-TEST-005'],
      );
      assert.equal(r.stats.files, 9);
      assert.ok(r.stats.bytes > 300);
    });

    it('never puts a secret value in findings, warnings or rules', async () => {
      const out = JSON.stringify(await scan(root));
      assert.ok(!out.includes(tok));
      assert.ok(!out.includes(tok.slice(4, 16)));
    });

    it('puts the value at the reported place', async () => {
      const r = await scan(root);
      const f = r.findings.find((x) => x.resourceId === 'a.py')!;
      const text = `# é\nx = 1\n\tkey = "${tok}"  # again: ${tok}\n`;
      assert.equal(textAt(text, f.location!.line, f.location!.column, tok.length), tok);
    });
  });

  describe('threads, progress and abort', () => {
    let root: string;
    let secretFiles = 0;
    before(() => {
      const tree: Record<string, string> = {};
      for (let i = 0; i < AUTO_WORKER_MIN_FILES + 40; i++) {
        const secret = i % 3 === 0;
        if (secret) secretFiles++;
        tree[`d${i % 7}/f${i}.py`] = secret ? `key = "${makeToken()}"\npassword = "p@ss-${i}-word"\n` : `x = ${i}\n`;
      }
      tree['crash/CRASH.txt'] = `CRASH-THE-WORKER ${makeToken()}\n`;
      tree['infra/t.json'] = '{\n  "$schema": "x",\n  "publicNetworkAccess": "Enabled"\n}\n';
      root = makeTree(tree);
    });
    after(() => removeTree(root));

    it('finds the same with worker threads as on the calling thread', async () => {
      const one = await scan(root, { workers: 0, exclude: ['crash/**'] });
      const two = await scan(root, { workers: 2, exclude: ['crash/**'] });
      assert.equal(one.stats.workers, 0);
      assert.equal(two.stats.workers, 2);
      assert.deepEqual(two.findings, one.findings);
      assert.deepEqual(two.warnings, one.warnings);
      assert.deepEqual({ ...two.stats, ms: 0, workers: 0 }, { ...one.stats, ms: 0, workers: 0 });
      assert.equal(one.findings.length, 2 * secretFiles + 1); // and the template
    });

    it('finds the same when the calling thread scans beside fewer workers than processors', async () => {
      const one = await scan(root, { workers: 0, exclude: ['crash/**'] });
      const both = await scan(root, { workers: 1, cores: 2, exclude: ['crash/**'] });
      assert.equal(both.stats.workers, 1);
      assert.deepEqual(both.findings, one.findings);
      assert.deepEqual(both.warnings, one.warnings);
      assert.deepEqual({ ...both.stats, ms: 0, workers: 0 }, { ...one.stats, ms: 0, workers: 0 });
    });

    it('runs text handlers the workers cannot load on the calling thread, with the same result', async () => {
      const own = { ...plugins.templateHandler }; // configured by the caller: not in any plugin module
      const bare = { ...plugins.templateHandler, extensions: undefined }; // no name filter: every text file comes back
      for (const h of [own, bare]) {
        const base = { textHandlers: [h], exclude: ['crash/**'] };
        const one = await scan(root, { ...base, workers: 0 });
        const two = await scan(root, { ...base, workers: 2 });
        assert.equal(two.stats.workers, 2);
        assert.deepEqual(two.findings, one.findings);
        assert.equal(two.findings.filter((f) => f.ruleId === 'AML-TEST-TPL-001').length, 1);
      }
    });

    it('scans on the calling thread beside a worker when some handlers must run here, with the same result', async () => {
      // A policy with options gives the template check such a handler; the calling thread must still take batches.
      let handedBack = 0;
      let scannedHere = 0;
      // 3 ms a file on this thread, so the worker boots long before this thread could scan the tree alone.
      const pause = new Int32Array(new SharedArrayBuffer(4));
      let slow = false;
      const watched = {
        ...plugins.templateHandler,
        extensions: undefined,
        requires: undefined,
        applies(path: string, text: string) {
          // Bytes a worker handed back reach the handler through runLocal; the calling thread's own batches do not.
          if (new Error().stack!.includes('runLocal')) handedBack++;
          else {
            scannedHere++;
            if (slow) Atomics.wait(pause, 0, 0, 3);
          }
          return plugins.templateHandler.applies(path, text);
        },
      };
      const base = { textHandlers: [watched], exclude: ['crash/**'] };
      const one = await scan(root, { ...base, workers: 0 });
      handedBack = scannedHere = 0;
      slow = true;
      const both = await scan(root, { ...base, workers: 1, cores: 2 });
      assert.equal(both.stats.workers, 1);
      assert.ok(handedBack > 0 && scannedHere > 0, `handed back ${handedBack}, scanned here ${scannedHere}`);
      assert.deepEqual(both.findings, one.findings);
      assert.deepEqual(both.warnings, one.warnings);
      assert.deepEqual({ ...both.stats, ms: 0, workers: 0 }, { ...one.stats, ms: 0, workers: 0 });
    });

    it("uses workers on its own for a tree this size when the plugins' module is known, with three processors or more", async () => {
      assert.deepEqual([1, 2, 3, 4, 16].map(autoWorkers), [0, 1, 3, 4, 4]);
      const r = await scan(root, { workers: 'auto', cores: 4, exclude: ['crash/**'] });
      assert.equal(r.stats.workers, 4);
      const one = await scan(root, { workers: 'auto', cores: 1, exclude: ['crash/**'] });
      assert.equal(one.stats.workers, 0);
      assert.deepEqual(one.findings, r.findings);
      const small = makeTree({ 'a.py': 'x = 1\n' });
      try {
        assert.equal((await scan(small, { workers: 'auto', cores: 4 })).stats.workers, 0);
      } finally {
        removeTree(small);
      }
    });

    it('gives timers a turn while it scans on the calling thread', async () => {
      // 30 MB of code-like text: a few hundred milliseconds of scanning, with no I/O wait to yield on.
      const line = 'const path = require("path"); // token: see auth.md, password policy\n';
      const big = makeTree(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`src/f${i}.js`, line.repeat(1500)])));
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      try {
        const r = await scan(big, { workers: 0 });
        assert.equal(r.stats.files, 300);
        assert.ok(r.stats.ms >= 60, `the scan took ${r.stats.ms} ms, too short to tell`);
        assert.ok(ticks >= Math.floor(r.stats.ms / 60), `${ticks} ticks in ${r.stats.ms} ms`);
      } finally {
        clearInterval(timer);
        removeTree(big);
      }
    });

    it('stops the workers it started early when the tree stays small, and the process can exit', () => {
      // Between SPECULATE_FILES (100) and AUTO_WORKER_MIN_FILES files: workers boot while the listing goes on, then
      // are not wanted. The scan runs in a child so that a worker left running would keep it alive.
      const mid = makeTree(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}.py`, i === 7 ? `key = "${makeToken()}"\n` : `x = ${i}\n`])));
      try {
        const code = `require(${JSON.stringify(path.join(__dirname, 'helpers.js'))}).scan(${JSON.stringify(mid)}, { workers: 'auto', cores: 4 })
          .then((r) => process.stdout.write(JSON.stringify({ workers: r.stats.workers, files: r.stats.files, findings: r.findings.length, warnings: r.warnings })));`;
        const child = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 30_000 });
        assert.equal(child.status, 0, child.stderr);
        assert.deepEqual(JSON.parse(child.stdout), { workers: 0, files: 300, findings: 1, warnings: [] });
      } finally {
        removeTree(mid);
      }
    });

    it('scans on the calling thread when a plugin cannot be found by a worker', async () => {
      const r = await scanTree({ root, detectors: [{ ...plugins.tokenDetector }], analyzers: [], workers: 2, gitMode: 'walk', exclude: ['crash/**'] });
      assert.equal(r.stats.workers, 0);
      assert.equal(r.findings.length, secretFiles);
    });

    it('replaces a worker that dies, names the file that killed it, and loses no other file', async () => {
      const r = await scan(root, { workers: 2 });
      assert.ok(r.warnings.some((w) => /^crash\/CRASH\.txt: the scanner worker died while scanning it \(exit code 3\); skipped$/.test(w)), r.warnings.join('\n'));
      assert.equal(r.stats.skipped.unreadable, 1);
      assert.equal(r.findings.length, 2 * secretFiles + 1);
    });

    it('reports progress as it goes', async () => {
      const seen: number[] = [];
      const r = await scan(root, { workers: 2, exclude: ['crash/**'], onProgress: (p) => seen.push(p.files) });
      assert.ok(seen.length >= 2);
      assert.deepEqual([...seen].sort((a, b) => a - b), seen);
      assert.equal(seen[seen.length - 1], r.stats.files);
    });

    for (const workers of [0, 2]) {
      it(`stops when aborted (${workers ? 'workers' : 'calling thread'})`, async () => {
        const ac = new AbortController();
        await assert.rejects(scan(root, { workers, signal: AbortSignal.abort() }), { name: 'AbortError' });
        const p = scan(root, { workers, exclude: ['crash/**'], signal: ac.signal, onProgress: (x) => x.files > 10 && ac.abort() });
        await assert.rejects(p, { name: 'AbortError' });
      });
    }
  });

  it('scans a tree whose files come and go between runs without stale state', async () => {
    const root = makeTree({ 'a.txt': 'nothing\n' });
    try {
      assert.equal((await scan(root)).findings.length, 0);
      writeTree(root, { 'b.txt': `k = ${makeToken()}\n` });
      assert.equal((await scan(root)).findings.length, 1);
    } finally {
      removeTree(root);
    }
  });
});
