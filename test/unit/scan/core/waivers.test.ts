import * as assert from 'node:assert/strict';
import { applyPolicy, parsePolicy, PolicyError } from '../../../../shared/rules/policy';
import type { Finding } from '../../../../shared/rules/types';
import { waiverMatches } from '../../../../shared/rules/waivers';

const NOW = new Date('2026-06-01T00:00:00Z');
const RULES = ['SEC-AZ-STORAGE-001', 'AML-DS-001'];

function content(file: string, fingerprint: string): Finding {
  return { ruleId: 'SEC-AZ-STORAGE-001', title: 't', severity: 'critical', resourceKind: 'file', resourceId: file, message: 'm', location: { file, line: 1, column: 1 }, fingerprint };
}
const FP1 = '0123456789abcdef0123456789abcdef';
const FP2 = 'fedcba9876543210fedcba9876543210';

function policy(waiver: string) {
  return parsePolicy(`version: 1\nwaivers:\n  - rule: SEC-AZ-STORAGE-001\n${waiver}    owner: team@example.org\n    reason: tracked in ADO#42 for removal\n    expires: 2026-12-31\n`, 'p.yml', RULES, NOW);
}

describe('scan core: waivers for content findings', () => {
  it('waives exactly one finding by fingerprint (any case)', () => {
    const p = policy(`    fingerprint: ${FP1.toUpperCase()}\n`);
    assert.equal(p.waivers[0].fingerprint, FP1.toUpperCase());
    const out = applyPolicy([{ id: 'SEC-AZ-STORAGE-001' }], [content('a.py', FP1), content('a.py', FP2)], p, NOW);
    assert.deepEqual(out.waived.map((f) => f.fingerprint), [FP1]);
    assert.deepEqual(out.active.map((f) => f.fingerprint), [FP2]);
  });

  it('waives files by a path glob: * within a folder, ** across folders', () => {
    const w = policy('    path: notebooks/**/*.ipynb\n').waivers[0];
    assert.ok(waiverMatches(w, content('notebooks/exp/a.ipynb', FP1)));
    assert.ok(waiverMatches(w, content('notebooks/a.ipynb', FP1)));
    assert.ok(!waiverMatches(w, content('src/notebooks/a.ipynb', FP1)));
    assert.ok(!waiverMatches(w, content('notebooks/a.py', FP1)));
    const star = policy('    path: "notebooks/*.ipynb"\n').waivers[0];
    assert.ok(!waiverMatches(star, content('notebooks/exp/a.ipynb', FP1)));
    const anywhere = policy('    path: "*.ipynb"\n').waivers[0];
    assert.ok(waiverMatches(anywhere, content('notebooks/exp/a.ipynb', FP1)));
    assert.ok(!waiverMatches(anywhere, content('notebooks/exp/a.py', FP1)));
  });

  it('never lets a path waiver hide a workspace finding', () => {
    const w = { ...policy('    path: "**"\n').waivers[0], rule: 'AML-DS-001' };
    assert.ok(!waiverMatches(w, { ...content('x', FP1), ruleId: 'AML-DS-001', location: undefined, resourceKind: 'datastore', resourceId: '/subscriptions/x/datastores/y' }));
  });

  it('still matches content findings by resource (the file path) with the old glob', () => {
    const w = policy('    resource: "*/secrets.env"\n').waivers[0];
    assert.ok(waiverMatches(w, content('config/secrets.env', FP1)));
  });

  it('reports a stale fingerprint waiver by its fingerprint', () => {
    const out = applyPolicy([{ id: 'SEC-AZ-STORAGE-001' }], [content('a.py', FP2)], policy(`    fingerprint: ${FP1}\n`), NOW);
    assert.ok(out.warnings.some((w) => w.includes(`finding ${FP1}`) && w.includes('matched no finding')), out.warnings.join('\n'));
  });

  for (const [name, waiver, re] of [
    ['a fingerprint of the wrong form', '    fingerprint: abc123\n', /:4:18: waivers\[0\]\.fingerprint: "abc123" has the wrong form.*copy the 32 hex digits/],
    ['an absolute path', '    path: /src/a.py\n', /waivers\[0\]\.path: "\/src\/a\.py" has the wrong form.*relative to the scanned folder/],
    ['two scopes at once', `    path: a.py\n    fingerprint: ${FP1}\n`, /:5:5: waivers\[0\]\.fingerprint: a waiver takes one of resource, path and fingerprint, this one sets path and fingerprint/],
  ] as const) {
    it(`rejects ${name} with position and fix`, () => {
      assert.throws(() => policy(waiver), (e: unknown) => e instanceof PolicyError && re.test(e.message.replace(/\n/g, ' ')));
    });
  }
});
