import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AnchorMatcher } from '../../../../shared/scan/anchors';

const flags = (m: AnchorMatcher, s: string) => [...m.scanBytes(Buffer.from(s, 'utf8'))];
const flagsStr = (m: AnchorMatcher, s: string) => [...m.scanString(Buffer.from(s, 'utf8').toString('latin1'))];

describe('scan core: anchor prefilter', () => {
  const m = new AnchorMatcher([
    { anchors: ['+ASt', 'AccountKey'] },
    { anchors: ['password', 'secret'], caseInsensitive: true },
    { anchors: ['hers'] },
    { anchors: [] },
  ]);

  it('flags exactly the groups with an anchor in the text; anchorless groups always', () => {
    assert.deepEqual(flags(m, 'nothing here'), [0, 0, 0, 1]);
    assert.deepEqual(flags(m, 'x AccountKey=1'), [1, 0, 0, 1]);
    assert.deepEqual(flags(m, 'DB_PASSWORD=1'), [0, 1, 0, 1]);
    assert.deepEqual(flags(m, 'ushers'), [0, 0, 1, 1]);
  });

  it('keeps case-sensitive anchors case-sensitive while folding the others', () => {
    assert.deepEqual(flags(m, 'accountkey +ast'), [0, 0, 0, 1]);
    assert.deepEqual(flags(m, 'SeCrEt'), [0, 1, 0, 1]);
  });

  it('finds an anchor that overlaps another partial match (failure links)', () => {
    const k = new AnchorMatcher([{ anchors: ['abcd'] }, { anchors: ['bcx'] }]);
    assert.deepEqual(flags(k, 'abcx'), [0, 1]);
    assert.deepEqual(flags(k, 'aabcabcd'), [1, 0]);
  });

  it('honours start and end, and does not confirm a case-sensitive anchor across the start', () => {
    const buf = Buffer.from('AccountKey');
    assert.deepEqual([...m.scanBytes(buf, 1)], [0, 0, 0, 1]);
    assert.deepEqual([...m.scanBytes(buf, 0, 9)], [0, 0, 0, 1]);
    assert.deepEqual([...m.scanBytes(buf, 0, 10)], [1, 0, 0, 1]);
  });

  it('matches non-ASCII anchors by their UTF-8 bytes, in bytes and in byte strings alike', () => {
    const u = new AnchorMatcher([{ anchors: ['clé'] }]);
    assert.deepEqual(flags(u, 'la clé=1'), [1]);
    assert.deepEqual(flagsStr(u, 'la clé=1'), [1]);
    assert.deepEqual(flags(u, 'la cle=1'), [0]);
  });

  it('agrees with a naive indexOf on random texts (bytes and strings)', () => {
    const anchors = ['ab', 'ba', 'aab', 'Q~', 'zz', 'AbA'];
    const groups = anchors.map((a, i) => ({ anchors: [a], caseInsensitive: i % 2 === 1 }));
    const r = new AnchorMatcher(groups);
    for (let n = 0; n < 300; n++) {
      const text = Array.from(randomBytes(40), (b) => 'abAB~Qz'[b % 7]).join('');
      const expect = groups.map((g) => {
        const hay = g.caseInsensitive ? text.toLowerCase() : text;
        return g.anchors.some((a) => hay.includes(g.caseInsensitive ? a.toLowerCase() : a)) ? 1 : 0;
      });
      assert.deepEqual([...r.scanBytes(Buffer.from(text))], expect, text);
      assert.deepEqual([...r.scanString(text)], expect, text);
    }
  });
});
