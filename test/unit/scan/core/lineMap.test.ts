import * as assert from 'node:assert/strict';
import { ByteLineMapper, mapByteOffsets, mapStringOffsets } from '../../../../shared/scan/lineMap';

describe('scan core: offsets to lines and columns', () => {
  it('counts LF, CRLF and lone CR as line ends', () => {
    const b = Buffer.from('ab\ncd\r\nef\rgh');
    const at = (s: string) => b.indexOf(s);
    assert.deepEqual(mapByteOffsets(b, [at('a'), at('d'), at('f'), at('h')]), [
      { line: 1, column: 1 },
      { line: 2, column: 2 },
      { line: 3, column: 2 },
      { line: 4, column: 2 },
    ]);
  });

  it('counts columns in UTF-16 units: é is one, an emoji two, a BOM none', () => {
    const b = Buffer.from('\uFEFFé😀X');
    assert.deepEqual(mapByteOffsets(b, [b.indexOf('X')]), [{ line: 1, column: 4 }]);
  });

  it('counts invalid UTF-8 as a decoder shows it (one U+FFFD per bad byte) and does not shift later lines', () => {
    const b = Buffer.concat([Buffer.from('a'), Buffer.from([0xff, 0x80, 0xc3]), Buffer.from('X\nY')]);
    const [x, y] = mapByteOffsets(b, [b.indexOf('X'), b.indexOf('Y')]);
    const shown = new TextDecoder().decode(b.subarray(0, b.indexOf('X')));
    assert.deepEqual(x, { line: 1, column: shown.length + 1 });
    assert.deepEqual(y, { line: 2, column: 1 });
  });

  it('gives the same answer fed in chunks as whole, in input order, with duplicates', () => {
    const text = Buffer.from('line one\nline two é\r\nthird 😀 line\nlast');
    const offsets = [30, 3, 12, 30, 0, text.length];
    const whole = mapByteOffsets(text, offsets);
    const m = new ByteLineMapper(offsets);
    for (let at = 0; at < text.length; at += 5) m.push(text.subarray(at, Math.min(at + 5, text.length)), at);
    assert.deepEqual(m.finish(), whole);
    assert.deepEqual(whole[1], { line: 1, column: 4 });
    assert.deepEqual(whole[5], { line: 4, column: 5 });
  });

  it('agrees with a decoder-based count on random text, whole and in random chunks (LF-only and with CRs)', () => {
    // The reference: decode the prefix before each offset (U+FFFD per bad byte, as TextDecoder does) and count.
    const reference = (b: Buffer, off: number) => {
      const before = new TextDecoder().decode(b.subarray(b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0, Math.max(0, off)));
      const lines = before.split(/\r\n|\r|\n/);
      return { line: lines.length, column: lines[lines.length - 1].length + 1 };
    };
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const pieces = ['abc', 'key=', '\n', '\n\n', 'é', '😀', ' ', 'token: x', '\r\n', '\r'];
    for (let round = 0; round < 200; round++) {
      const withCr = round % 2 === 1;
      let text = '';
      for (let k = 0, n = 1 + rnd(60); k < n; k++) {
        const p = pieces[rnd(pieces.length)];
        if (!withCr && p.includes('\r')) continue;
        text += p;
      }
      const b = Buffer.from(text);
      // Offsets at character starts only (a finding never starts inside a UTF-8 sequence).
      const starts = [...Array(b.length + 1).keys()].filter((i) => i === b.length || (b[i] & 0xc0) !== 0x80);
      const offsets = Array.from({ length: 1 + rnd(6) }, () => starts[rnd(starts.length)]);
      const expected = offsets.map((o) => reference(b, o));
      assert.deepEqual(mapByteOffsets(b, offsets), expected, JSON.stringify({ text, offsets }));
      const m = new ByteLineMapper(offsets);
      for (let at = 0; at < b.length; ) {
        const len = 1 + rnd(9);
        m.push(b.subarray(at, Math.min(at + len, b.length)), at);
        at += len;
      }
      assert.deepEqual(m.finish(), expected, `chunked: ${JSON.stringify({ text, offsets })}`);
    }
  });

  it('rejects a chunk that does not follow the previous one', () => {
    const m = new ByteLineMapper([1]);
    m.push(Buffer.from('ab'), 0);
    assert.throws(() => m.push(Buffer.from('cd'), 5), /expected 2/);
  });

  it('maps string offsets the same way', () => {
    const s = '\uFEFFab\r\ncd\ref';
    assert.deepEqual(mapStringOffsets(s, [s.indexOf('b'), s.indexOf('d'), s.indexOf('f')]), [
      { line: 1, column: 2 },
      { line: 2, column: 2 },
      { line: 3, column: 2 },
    ]);
  });
});
