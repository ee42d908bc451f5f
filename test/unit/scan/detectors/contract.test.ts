import * as assert from 'node:assert/strict';
import { ALL_DETECTORS, detectorRules, resolveOverlaps } from '../../../../shared/scan/detectors';
import { ALL_RULES } from '../../../../shared/rules/catalog';
import { SEVERITIES } from '../../../../shared/rules/types';
import type { SecretMatch } from '../../../../shared/scan/types';

describe('detector contract and catalog', () => {
  const rules = detectorRules();

  it('every rule id is unique, shaped SEC-<FAMILY>-NNN, and distinct from the live-audit rules', () => {
    const ids = rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'unique ids');
    for (const id of ids) assert.match(id, /^SEC-[A-Z0-9]+(?:-[A-Z0-9]+)*-\d{3}$/u, id);
    const audit = new Set(ALL_RULES.map((r) => r.id));
    for (const id of ids) assert.ok(!audit.has(id), id);
  });

  it('every rule has a severity, an explanation, a fix and real references including CWE-798', () => {
    for (const r of rules) {
      assert.ok((SEVERITIES as readonly string[]).includes(r.severity), r.id);
      for (const f of [r.title, r.rationale, r.remediation]) assert.ok(f.length >= 10 && !f.includes('TODO'), `${r.id} text`);
      assert.ok(r.references.length >= 2, `${r.id} references`);
      for (const ref of r.references) assert.match(ref.url, /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//u, `${r.id} ${ref.url}`);
      assert.ok(r.references.some((x) => x.url.includes('cwe.mitre.org/data/definitions/798')), `${r.id} cites CWE-798`);
      assert.ok(r.tags?.includes('secret'), `${r.id} tagged secret`);
    }
  });

  it('every detector is listed once, with ASCII anchors of 3+ characters', () => {
    assert.equal(new Set(ALL_DETECTORS).size, ALL_DETECTORS.length);
    for (const d of ALL_DETECTORS) {
      assert.ok(d.anchors.length > 0, d.meta.id);
      for (const a of d.anchors) assert.ok(a.length >= 3 && /^[\x20-\x7e]+$/u.test(a), `${d.meta.id} anchor "${a}"`);
      assert.equal(typeof d.scan, 'function');
    }
  });

  it('detectors return nothing, and do not throw, on empty, binary-looking and odd texts', () => {
    const odd = ['', '\0\0\0', '\uFFFD'.repeat(100), String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i)), '"'.repeat(1000), '\\n'.repeat(1000)];
    for (const d of ALL_DETECTORS) for (const t of odd) assert.deepEqual(d.scan(t, { path: 'x.bin' }), [], d.meta.id);
  });

  it('resolveOverlaps keeps the most confident, then most severe, then longest match per place', () => {
    const m = (start: number, end: number, ruleId: string, confidence: SecretMatch['confidence']): SecretMatch => ({ start, end, ruleId, confidence, message: '' });
    const kept = resolveOverlaps([
      m(10, 98, 'SEC-AZ-STORAGE-002', 'context'),
      m(10, 98, 'SEC-AZ-STORAGE-001', 'verified'),
      m(200, 240, 'SEC-GEN-001', 'heuristic'),
      m(205, 230, 'SEC-AML-SP-001', 'context'),
      m(300, 310, 'SEC-JWT-001', 'context'),
    ]);
    assert.deepEqual(kept.map((k) => k.ruleId), ['SEC-AZ-STORAGE-001', 'SEC-AML-SP-001', 'SEC-JWT-001']);
  });
});
