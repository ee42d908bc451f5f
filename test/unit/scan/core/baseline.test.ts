import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyBaseline, BaselineError, loadBaseline, parseBaseline, writeBaseline } from '../../../../shared/scan/baseline';
import { makeTree, removeTree, scan, writeTree } from './helpers';
import { makeToken } from './testPlugins';

describe('scan core: baseline', () => {
  let root: string;
  let out: string;
  before(() => {
    root = makeTree({ 'a.py': `k = "${makeToken()}"\nk2 = "${makeToken()}"\n`, 'b.py': `password = "old-password-1"\n` });
    out = makeTree({});
  });
  after(() => {
    removeTree(root);
    removeTree(out);
  });

  it('round-trips: a baseline written from a scan makes the same scan all known', async () => {
    const first = await scan(root);
    const file = path.join(out, 'baseline.json');
    const written = writeBaseline(file, first.findings);
    assert.equal(written.fingerprints.length, 3);
    const loaded = loadBaseline(file);
    assert.deepEqual(loaded, written);
    const split = applyBaseline((await scan(root)).findings, loaded);
    assert.deepEqual([split.new.length, split.known.length, split.stale.length], [0, 3, 0]);
  });

  it('fails only new findings: a moved line stays known, a new secret is new, a removed one is stale', async () => {
    const file = path.join(out, 'b2.json');
    writeBaseline(file, (await scan(root)).findings);
    const a = readFileSync(path.join(root, 'a.py'), 'utf8').split('\n');
    writeTree(root, { 'a.py': `# moved down\n\n${a[0]}\n`, 'c.py': `k = "${makeToken()}"\n` });
    const split = applyBaseline((await scan(root)).findings, loadBaseline(file));
    assert.deepEqual(split.new.map((f) => f.resourceId), ['c.py']);
    assert.deepEqual(split.known.map((f) => f.resourceId).sort(), ['a.py', 'b.py']);
    assert.deepEqual(split.stale.map((e) => e.file), ['a.py']);
  });

  it('writes a stable, reviewable file without secret material', async () => {
    const r = await scan(root);
    const file = path.join(out, 'b3.json');
    writeBaseline(file, [...r.findings].reverse());
    const text = readFileSync(file, 'utf8');
    writeBaseline(file, r.findings);
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.match(text, /^\{\n {2}"version": 1,\n {2}"fingerprints": \[\n {4}\{"fingerprint":"[0-9a-f]{32}","ruleId":"SEC-TEST-\d+","file":"[a-z]\.py"\}/);
    assert.ok(!/tk_|password-1/.test(text));
  });

  it('treats a missing file as empty only when optional', () => {
    assert.deepEqual(loadBaseline(path.join(out, 'none.json'), { optional: true }), { version: 1, fingerprints: [] });
    assert.throws(() => loadBaseline(path.join(out, 'none.json')), /does not exist/);
  });

  for (const [name, text, why] of [
    ['invalid JSON', '{', /not valid JSON/],
    ['a wrong version', '{"version": 2, "fingerprints": []}', /"version" must be 1/],
    ['a missing list', '{"version": 1}', /"fingerprints" must be a list/],
    ['a bad fingerprint', '{"version": 1, "fingerprints": [{"fingerprint": "xyz"}]}', /fingerprints\[0\]\.fingerprint must be a hex fingerprint/],
  ] as const) {
    it(`rejects ${name}, naming the file`, () => {
      const file = path.join(out, 'bad.json');
      writeFileSync(file, text);
      assert.throws(() => loadBaseline(file), (e: unknown) => e instanceof BaselineError && why.test(e.message) && e.message.includes(file));
    });
  }

  it('accepts upper-case fingerprints and a BOM', () => {
    const b = parseBaseline('\uFEFF{"version": 1, "fingerprints": [{"fingerprint": "ABCDEF0123456789ABCDEF0123456789"}]}', 'x');
    assert.equal(b.fingerprints[0].fingerprint, 'abcdef0123456789abcdef0123456789');
  });
});
