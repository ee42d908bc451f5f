/**
 * Byte checks (Detector.mayMatchBytes): the scanner skips a detector on file bytes they rule out. They must never rule
 * out what the detector's scan finds, on any sub-range a big file's chunks may hand them, and they must rule out
 * the common case their anchors bring in, or they cost without saving.
 */
import * as assert from 'node:assert/strict';
import { azureDevOpsLegacyPatDetector } from '../../../../shared/scan/detectors/azureDevOpsLegacy';
import { urlCredentialsDetector } from '../../../../shared/scan/detectors/urlCredentials';
import { BASE32_LOWER, exactRuns, hasRunBytes } from '../../../../shared/scan/detectors/_boundaries';
import { DetectorSet } from '../../../../shared/scan/detect';
import { matchBytes } from '../../../../shared/scan/contentScan';
import type { Detector } from '../../../../shared/scan/types';
import { mulberry32 } from '../../prng';
import { adoLegacyPat, randomBase62, randomFrom } from './_generate';
import { run } from './_helpers';

const NOW = new Date('2026-06-01T00:00:00Z');

/** Random text made of the pieces the checks look at: separators, class runs, '@', URL parts. */
function fuzzText(rand: () => number, pieces: string[], n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += pieces[Math.floor(rand() * pieces.length)];
  return s;
}

/** For random windows [start, end) of `text`: whenever scan finds something in the window, the check allows it. */
function assertSound(d: Detector, text: string, rand: () => number, windows: number): number {
  const bytes = Buffer.from(text, 'latin1');
  let found = 0;
  for (let w = 0; w < windows; w++) {
    const start = Math.floor(rand() * bytes.length);
    const end = start + Math.floor(rand() * (bytes.length - start + 1));
    const window = text.slice(start, end);
    const hits = d.scan(window, { path: 'a.env', now: NOW } as never);
    if (!hits.length) continue;
    found++;
    assert.ok(d.mayMatchBytes!(bytes, start, end), `${d.meta.id} ruled out [${start}, ${end}) where scan finds ${hits.length}`);
  }
  return found;
}

describe('detector byte checks (mayMatchBytes)', () => {
  it('hasRunBytes is true exactly where a run of at least the length exists, within the range', () => {
    // A run of exactly the length at every offset: sampling must not step over it; one shorter is never enough.
    for (let o = 0; o < 120; o++) {
      for (const [n, want] of [[52, true], [51, false]] as const) {
        const bytes = Buffer.from(`${'-'.repeat(o)}${'q'.repeat(n)}-x`, 'latin1');
        assert.equal(hasRunBytes(bytes, 0, bytes.length, BASE32_LOWER, 52), want, `run of ${n} at ${o}`);
        assert.equal(hasRunBytes(bytes, o, o + n, BASE32_LOWER, 52), want, `range exactly the run of ${n} at ${o}`);
      }
    }
    const rand = mulberry32(7);
    for (let t = 0; t < 300; t++) {
      const text = fuzzText(rand, ['a', 'z', '2', '7', '8', 'A', ' ', '-', randomFrom('abcdefghijklmnopqrstuvwxyz234567', 1 + Math.floor(rand() * 60))], 1 + Math.floor(rand() * 40));
      const bytes = Buffer.from(text, 'latin1');
      const start = Math.floor(rand() * (bytes.length + 1));
      const end = start + Math.floor(rand() * (bytes.length - start + 1));
      const window = text.slice(start, end);
      const longest = Math.max(0, ...(window.match(/[a-z2-7]+/gu) ?? []).map((r) => r.length));
      assert.equal(hasRunBytes(bytes, start, end, BASE32_LOWER, 52), longest >= 52, `window ${JSON.stringify(window)}`);
      // Every run exactRuns reports on the text is one hasRunBytes allows.
      if (exactRuns(window, BASE32_LOWER, 52).length) assert.ok(hasRunBytes(bytes, start, end, BASE32_LOWER, 52));
    }
  });

  it('SEC-AZ-DEVOPS-002: never rules out a token, on any window; rules out code that only has its context words', () => {
    const rand = mulberry32(11);
    let found = 0;
    for (let t = 0; t < 40; t++) {
      const text = fuzzText(rand, ['pat=', ' ', '\n', 'path ', 'x', randomFrom('abcdefghijklmnopqrstuvwxyz234567', 30), adoLegacyPat(), adoLegacyPat('app')], 30);
      found += assertSound(azureDevOpsLegacyPatDetector, text, rand, 60);
    }
    assert.ok(found > 100, `the fuzz met tokens (${found} windows)`);
    const code = Buffer.from('import os\npath = os.path.join(base, "data")  # pattern, shadow, token handling\nauth = get_auth()\n', 'latin1');
    assert.equal(azureDevOpsLegacyPatDetector.mayMatchBytes!(code, 0, code.length), false);
  });

  it('SEC-URL-001: never rules out a URL credential, on any window; rules out URLs without one', () => {
    const rand = mulberry32(13);
    let found = 0;
    for (let t = 0; t < 40; t++) {
      const text = fuzzText(rand, ['://', 'https://', 'postgres://', 'u:', '@', 'db.contoso.com', '/', ' ', '\n', 's', randomBase62(12), `admin:${randomBase62(16)}@`, `https://${randomBase62(40)}@github.com/o/r`], 40);
      found += assertSound(urlCredentialsDetector, text, rand, 60);
    }
    assert.ok(found > 100, `the fuzz met credentials (${found} windows)`);
    // Userinfo around scan's 256-character limit, where an off-by-one would drop a match.
    let atLimit = 0;
    for (let n = 240; n <= 270; n++) {
      const text = `DB=postgres://u:${randomBase62(n - 2)}@db.contoso.com/x\n`;
      const hits = urlCredentialsDetector.scan(text, { path: 'a.env', now: NOW } as never);
      const bytes = Buffer.from(text, 'latin1');
      assert.equal(urlCredentialsDetector.mayMatchBytes!(bytes, 0, bytes.length), hits.length > 0, `userinfo of ${n}`);
      if (hits.length) atLimit = n;
    }
    assert.equal(atLimit, 256, 'the longest userinfo scan accepts');
    const docs = Buffer.from('See https://learn.microsoft.com/azure/ and git clone https://github.com/o/r.git; mail a@b.com\n', 'latin1');
    assert.equal(urlCredentialsDetector.mayMatchBytes!(docs, 0, docs.length), false);
    // The scheme must lie inside the range: a chunk starting right at "://" cannot see it.
    const url = Buffer.from(`x postgres://admin:${randomBase62(16)}@db.contoso.com/app`, 'latin1');
    const at = url.indexOf('://');
    assert.equal(urlCredentialsDetector.mayMatchBytes!(url, 0, url.length), true);
    assert.equal(urlCredentialsDetector.mayMatchBytes!(url, at - 1, url.length), false);
    assert.deepEqual(run(urlCredentialsDetector, url.toString('latin1', at - 1)), []);
  });

  it('the scanner skips a ruled-out detector, keeps one whose check throws, and still finds what the others find', () => {
    const calls: string[] = [];
    const spy = (id: string, may: Detector['mayMatchBytes']): Detector => ({
      ...urlCredentialsDetector,
      meta: { ...urlCredentialsDetector.meta, id },
      mayMatchBytes: may,
      scan(text, ctx) {
        calls.push(id);
        return urlCredentialsDetector.scan(text, ctx).map((m) => ({ ...m, ruleId: id }));
      },
    });
    const set = new DetectorSet([
      spy('SEC-URL-001', () => false),
      spy('SEC-URL-901', () => {
        throw new Error('broken check');
      }),
    ]);
    const bytes = Buffer.from(`DATABASE_URL=postgres://admin:${randomBase62(16)}@db.contoso.com/app\n`, 'latin1');
    const warnings: string[] = [];
    const matches = matchBytes(set, '.env', bytes, (m) => warnings.push(m));
    assert.deepEqual(calls, ['SEC-URL-901'], 'the ruled-out detector did not run; the one whose check threw did');
    assert.equal(matches.length, 1);
    assert.deepEqual(warnings, []);
    calls.length = 0;
    assert.deepEqual(matchBytes(new DetectorSet([spy('SEC-URL-001', () => false)]), '.env', bytes, () => undefined), []);
    assert.deepEqual(calls, [], 'nothing left to run: no text was made');
  });
});
