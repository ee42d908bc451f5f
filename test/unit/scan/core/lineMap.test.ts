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
