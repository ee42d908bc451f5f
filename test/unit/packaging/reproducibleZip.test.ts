/**
 * scripts/zip.mjs: the canonical zip the .vsix is rewritten into. Content survives, order and timestamps
 * do not depend on how the input zip was made, and damage is refused.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScript } from './repo';
import { zipEntries } from './zip';

interface ZipScript {
  readZip(buf: Buffer): Array<{ name: string; data: Buffer }>;
  writeZip(entries: Array<{ name: string; data: Buffer }>, opts?: { time?: Date }): Buffer;
  normaliseZip(buf: Buffer, opts?: { time?: Date }): Buffer;
  entryTime(env: Record<string, string | undefined>): Date;
  dosDateTime(d: Date): { date: number; time: number };
  canonicalManifest(e: { name: string; data: Buffer }): { name: string; data: Buffer };
}

const entries = () => [
  { name: 'tasks/B/index.js', data: Buffer.from('console.log(1);\n'.repeat(200)) },
  { name: 'overview.md', data: Buffer.from('# hi\n') },
  { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
  { name: 'images/icon.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) },
  { name: 'tasks/A/task.json', data: Buffer.from('{}') },
];

describe('scripts/zip.mjs (reproducible .vsix)', () => {
  let z: ZipScript;
  before(async () => { z = await loadScript<ZipScript>('zip.mjs'); });

  it('round-trips content; [Content_Types].xml first, then names in byte order', () => {
    const buf = z.writeZip(entries());
    assert.deepEqual(zipEntries(buf), ['[Content_Types].xml', 'images/icon.png', 'overview.md', 'tasks/A/task.json', 'tasks/B/index.js']);
    const back = Object.fromEntries(z.readZip(buf).map((e) => [e.name, e.data.toString('hex')]));
    for (const e of entries()) assert.equal(back[e.name], e.data.toString('hex'), e.name);
  });

  it('sorts the asset and content-type lists tfx writes in whatever order its reads finished', () => {
    const manifest = (assets: string[]) => ({
      name: 'extension.vsixmanifest',
      data: Buffer.from(`<PackageManifest>\n<Assets>\n${assets.map((a) => `<Asset Type="${a}" Path="${a}"/>`).join('\n')}\n</Assets>\n</PackageManifest>\n`),
    });
    const a = z.canonicalManifest(manifest(['tab/tab.js', 'docs/x.png', 'tasks/A/task.json']));
    const b = z.canonicalManifest(manifest(['tasks/A/task.json', 'tab/tab.js', 'docs/x.png']));
    assert.ok(a.data.equals(b.data));
    assert.match(a.data.toString(), /^<PackageManifest>\n<Assets>\n<Asset Type="docs\/x\.png".*\n<Asset Type="tab\/tab\.js".*\n<Asset Type="tasks\/A\/task\.json" Path="tasks\/A\/task\.json"\/>\n<\/Assets>/);
    const types = (exts: string[]) => ({ name: '[Content_Types].xml', data: Buffer.from(`<Types>${exts.map((e) => `<Default Extension="${e}" ContentType="x"/>`).join('')}</Types>`) });
    assert.ok(z.canonicalManifest(types(['.png', '.js'])).data.equals(z.canonicalManifest(types(['.js', '.png'])).data));
    const other = { name: 'overview.md', data: Buffer.from('<Asset b/>\n<Asset a/>') };
    assert.equal(z.canonicalManifest(other), other, 'other files are left alone');
  });

  it('gives the same bytes whatever the input order, and only the chosen time changes them', () => {
    const a = z.writeZip(entries());
    const b = z.writeZip(entries().reverse());
    assert.ok(a.equals(b));
    assert.ok(z.normaliseZip(a).equals(a), 'normalising a canonical zip changes nothing');
    assert.ok(!z.writeZip(entries(), { time: new Date('2024-05-06T07:08:10Z') }).equals(a));
  });

  it('drops folder entries and stamps every entry with the fixed time (1980-01-01 unless SOURCE_DATE_EPOCH)', () => {
    assert.equal(z.entryTime({}).toISOString(), '1980-01-01T00:00:00.000Z');
    assert.equal(z.entryTime({ SOURCE_DATE_EPOCH: '1700000000' }).toISOString(), '2023-11-14T22:13:20.000Z');
    assert.throws(() => z.entryTime({ SOURCE_DATE_EPOCH: 'yesterday' }), /SOURCE_DATE_EPOCH/);
    assert.deepEqual(z.dosDateTime(new Date('2024-05-06T07:08:10Z')), { date: (44 << 9) | (5 << 5) | 6, time: (7 << 11) | (8 << 5) | 5 });
    const withDir = z.writeZip([...entries(), { name: 'tasks/', data: Buffer.alloc(0) }]);
    assert.ok(!zipEntries(z.normaliseZip(withDir)).includes('tasks/'));
  });

  it('is read by the system unzip when one is installed', function () {
    const dir = mkdtempSync(join(tmpdir(), 'zip-'));
    try {
      writeFileSync(join(dir, 'x.zip'), z.writeZip(entries()));
      const r = spawnSync('unzip', ['-t', join(dir, 'x.zip')], { encoding: 'utf8' });
      if (r.error) this.skip();
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /No errors detected/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses damaged input with a clear error', () => {
    const buf = z.writeZip(entries());
    assert.throws(() => z.readZip(Buffer.from('not a zip at all, not even close, no.')), /not a zip/);
    const flipped = Buffer.from(buf);
    const at = flipped.indexOf('console.log') > 0 ? flipped.indexOf('console.log') : 60;
    flipped[at] ^= 0xff; // inside stored or deflated data: the CRC or inflate must notice
    assert.throws(() => z.readZip(flipped));
    assert.throws(() => z.writeZip([...entries(), entries()[0]]), /given twice/);
  });
});
