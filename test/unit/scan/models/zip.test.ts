import assert from 'node:assert/strict';
import { readMember, readZipDirectory } from '../../../../shared/scan/models/_zip';
import { makeZip } from './builders';

describe('models/_zip: reader', () => {
  const files = [
    { name: 'a.txt', data: Buffer.from('hello hello hello hello') },
    { name: 'dir/b.bin', data: Buffer.alloc(5000, 7), deflate: true },
  ];

  it('reads the directory and members, plain and zip64', () => {
    for (const zip64 of [false, true]) {
      const z = makeZip(files, { zip64 });
      const dir = readZipDirectory(z, 100);
      assert.ok(dir.ok);
      if (!dir.ok) return;
      assert.deepEqual(dir.entries.map((e) => [e.name, e.method, e.size]), [['a.txt', 0, 23], ['dir/b.bin', 8, 5000]]);
      const b = readMember(z, dir.entries[1], 1 << 20);
      assert.ok(b.ok && b.data.equals(files[1].data));
    }
  });

  it('reads only the head of a deflated member when asked', () => {
    const big = Buffer.alloc(4 << 20);
    big.write('HEADER', 0);
    const z = makeZip([{ name: 'x.npy', data: big, deflate: true }]);
    const dir = readZipDirectory(z, 10);
    assert.ok(dir.ok);
    if (!dir.ok) return;
    const head = readMember(z, dir.entries[0], 1 << 20, 64);
    assert.ok(head.ok);
    if (head.ok) assert.equal(head.data.toString('latin1', 0, 6), 'HEADER');
    assert.deepEqual(readMember(z, dir.entries[0], 1 << 20), { ok: false, kind: 'limit', error: 'inflates to more than 1048576 bytes' });
  });

  it('caps the entries it lists and rejects a missing end record', () => {
    const z = makeZip([...files, { name: 'c', data: Buffer.from('c') }]);
    const dir = readZipDirectory(z, 2);
    assert.ok(dir.ok && dir.entries.length === 2 && dir.total === 3);
    assert.deepEqual(readZipDirectory(Buffer.from('PK\u0003\u0004 truncated'), 10), { ok: false, error: 'no end-of-central-directory record' });
  });
});
