import * as assert from 'node:assert/strict';
import { ALL_DETECTORS } from '../../../../shared/scan/detectors';
import type { Detector } from '../../../../shared/scan/types';

// recheck ships no types; checkSync runs its automaton and fuzz checkers in-process.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const recheck = require('recheck') as { checkSync(source: string, flags: string): { status: string; complexity?: { summary?: string } } };

const MB = 1 << 20;

function fill(unit: string): string {
  return unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
}

/** Worst-case inputs for a detector: its anchors alone and glued to the character classes its windows read. */
function adversarial(d: Detector): string[] {
  const classes = ['A', 'a', '0', 'f', '+', '/', '=', '-', '_', '~', '.', ':', '"', ' ', '\\', '@', '%', '\n'];
  const out = classes.map(fill);
  out.push(fill('aB3+/='), fill('a1-_.~'), fill('=password='), fill('://x:y@'), fill('-----BEGIN PRIVATE KEY-----'));
  for (const a of d.anchors) {
    out.push(fill(a)); // the anchor alone, back to back: the most candidate positions
    out.push(fill(`${a}=${'x9'.repeat(20)}\n`)); // an assignment per line: every candidate read to its end
    out.push(fill('A'.repeat(90) + a)); // long runs before the anchor: windows read backwards
  }
  return out;
}

describe('detectors run in linear time', () => {
  const patterns = ALL_DETECTORS.flatMap((d) => d.patterns.map((p) => [d.meta.id, p] as const));

  it('every detector declares its regular expressions (RegExp objects) and anchors of 3+ characters', () => {
    for (const d of ALL_DETECTORS) {
      assert.ok(Array.isArray(d.patterns) && d.patterns.every((p) => p instanceof RegExp), d.meta.id);
      assert.ok(d.anchors.length > 0 && d.anchors.every((a) => a.length >= 3), `${d.meta.id} anchors`);
    }
    assert.ok(patterns.length > 0, 'some detectors use regular expressions, and the checker sees them');
  });

  for (const [id, p] of patterns) {
    it(`recheck proves ${id} /${p.source}/${p.flags} safe`, function () {
      this.timeout(120_000);
      const r = recheck.checkSync(p.source, p.flags);
      assert.equal(r.status, 'safe', `${id}: ${r.complexity?.summary ?? r.status}`);
    });
  }

  it('the checker does flag a vulnerable pattern (the test can fail)', function () {
    this.timeout(120_000);
    assert.equal(recheck.checkSync('[A-Za-z0-9+/]{86}==', '').status, 'vulnerable');
    assert.equal(recheck.checkSync('(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{76}\\+ASt', '').status, 'safe');
  });

  for (const d of ALL_DETECTORS) {
    it(`${d.meta.id} completes on 1 MB adversarial inputs`, function () {
      this.timeout(120_000);
      for (const text of adversarial(d)) {
        const out = d.scan(text, { path: 'adversarial.txt' });
        assert.ok(Array.isArray(out));
      }
    });
  }
});
