import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AnchorMatcher } from '../../../../shared/scan/anchors';
import { passBytes, passString, registerWords, type WordHits } from '../../../../shared/scan/wordPass';

const flags = (m: AnchorMatcher, s: string) => [...m.matchBytes(Buffer.from(s, 'utf8')).flags];
const flagsStr = (m: AnchorMatcher, s: string) => [...m.matchString(Buffer.from(s, 'utf8').toString('latin1')).flags];

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
    assert.deepEqual([...m.matchBytes(buf, 1).flags], [0, 0, 0, 1]);
    assert.deepEqual([...m.matchBytes(buf, 0, 9).flags], [0, 0, 0, 1]);
    assert.deepEqual([...m.matchBytes(buf, 0, 10).flags], [1, 0, 0, 1]);
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
      assert.deepEqual([...r.matchBytes(Buffer.from(text)).flags], expect, text);
      assert.deepEqual([...r.matchString(text).flags], expect, text);
    }
  });
});

describe('scan core: the shared word pass', () => {
  // Registered like the detectors' words; SPLIT_FROM (2048) is where the walk splits into two halves.
  const WORDS = ['zqxpass', 'qzx', 'xqzzq', 'clé'];
  const ids = registerWords(WORDS);
  const keys = WORDS.map((w) => Buffer.from(w.toLowerCase(), 'utf8').toString('latin1'));

  /** Every occurrence of our words, by brute force, as sorted "end:id" strings. */
  const naive = (latin1: string): string[] => {
    const lower = latin1.replace(/[A-Z]/g, (c) => c.toLowerCase());
    const out: string[] = [];
    keys.forEach((k, n) => {
      for (let at = lower.indexOf(k); at >= 0; at = lower.indexOf(k, at + 1)) out.push(`${at + k.length}:${ids[n]}`);
    });
    return out.sort();
  };
  const ours = (h: WordHits): string[] => {
    const mine = new Set(ids);
    return h.ends.flatMap((e, k) => (mine.has(h.ids[k]) ? [`${e}:${h.ids[k]}`] : [])).sort();
  };

  it('finds every occurrence, overlaps included, in short texts and in long ones walked as two halves', () => {
    const alphabet = ['q', 'z', 'x', 'Q', 'Z', 'X', 'zqxpass', 'ZQXPASS', ' ', 'clé', 'e'];
    for (const length of [0, 5, 2047, 2048, 2049, 4095, 4096, 6001]) {
      for (let n = 0; n < 6; n++) {
        const parts: string[] = [];
        let size = 0;
        while (size < length) {
          const p = alphabet[randomBytes(1)[0] % alphabet.length];
          parts.push(p);
          size += Buffer.byteLength(p);
        }
        const bytes = Buffer.from(parts.join(''), 'utf8').subarray(0, length);
        const latin1 = bytes.toString('latin1');
        assert.deepEqual(ours(passBytes(bytes)), naive(latin1), `bytes, length ${length}`);
        assert.deepEqual(ours(passString(latin1)), naive(latin1), `string, length ${length}`);
        // A range: offsets relative to its start, nothing outside it.
        const from = Math.min(7, length);
        assert.deepEqual(ours(passBytes(bytes, from, length)), naive(latin1.slice(from)), `range, length ${length}`);
      }
    }
  });

  it('finds a word that straddles the middle of a long text exactly once', () => {
    for (const length of [4096, 4097, 9999]) {
      const mid = length - (length >> 1);
      for (let at = mid - 7; at <= mid; at++) {
        const text = ' '.repeat(at) + 'zqxpass' + ' '.repeat(Math.max(0, length - at - 7));
        const expected = naive(text);
        assert.equal(expected.length, 1);
        assert.deepEqual(ours(passString(text)), expected, `string, word at ${at} of ${length}`);
        assert.deepEqual(ours(passBytes(Buffer.from(text, 'latin1'))), expected, `bytes, word at ${at} of ${length}`);
      }
    }
  });

  it('hands the prefilter and the detectors the same hits: those of the text the prefilter read', () => {
    const m = new AnchorMatcher([{ anchors: ['zqxpass'], caseInsensitive: true }, { anchors: ['QZX'] }]);
    const bytes = Buffer.from(`${'a'.repeat(3000)} ZqxPass=1 qzx QZX ${'b'.repeat(3000)}`, 'latin1');
    const { flags, hits } = m.matchBytes(bytes, 10);
    assert.deepEqual([...flags], [1, 1]);
    assert.deepEqual(ours(hits), ours(passString(bytes.toString('latin1', 10))));
  });
});
