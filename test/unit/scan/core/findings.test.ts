import * as assert from 'node:assert/strict';
import type { RuleMeta } from '../../../../shared/rules/types';
import { dedupeMatches, modelFindings, secretFindings, type PlacedMatch } from '../../../../shared/scan/findings';
import { leadLength, previewOf, secretFingerprint, valueHash } from '../../../../shared/scan/redact';

const META: Record<string, RuleMeta> = {
  'SEC-A': { id: 'SEC-A', title: 'A', severity: 'critical', rationale: 'r', remediation: 'm', references: [] },
  'SEC-B': { id: 'SEC-B', title: 'B', severity: 'low', rationale: 'r', remediation: 'm', references: [] },
};
const meta = (id: string) => META[id];

function match(p: Partial<PlacedMatch> & { start: number; end: number }): PlacedMatch {
  return { ruleId: 'SEC-A', confidence: 'verified', message: 'm', value: 'v'.repeat(p.end - p.start), detector: 0, ...p };
}

describe('scan core: previews and fingerprints', () => {
  it('shows at most 4 leading characters, fewer for short values, none under 12', () => {
    assert.deepEqual([5, 11, 12, 14, 15, 19, 20, 88].map(leadLength), [0, 0, 2, 2, 3, 3, 4, 4]);
    const v = 'AbCdEfGhIjKlMnOpQrStUvWx';
    const p = previewOf(v);
    assert.equal(p, `AbCd…${valueHash(v).slice(0, 8)}`);
    assert.ok(!p.includes('Ef'));
    assert.match(previewOf('short-pw'), /^…[0-9a-f]{8}$/);
  });

  it('never shows control or non-ASCII characters literally', () => {
    assert.match(previewOf('\n\té€' + 'x'.repeat(30)), /^\?\?\?\?…/);
  });

  it('keeps the fingerprint when the line moves, distinguishes repeated values by occurrence', () => {
    const at = (line: number) => [{ line, column: 1 }, { line, column: 9 }];
    const m = [match({ start: 10, end: 18, value: 'SAMEVALU' })];
    const a = secretFindings('f.py', m, at(3), meta)[0];
    const b = secretFindings('f.py', [match({ start: 900, end: 908, value: 'SAMEVALU' })], at(40), meta)[0];
    assert.equal(a.fingerprint, b.fingerprint);
    assert.equal(a.fingerprint, secretFingerprint('SEC-A', 'f.py', valueHash('SAMEVALU'), 0));
    const twice = secretFindings('f.py', [match({ start: 1, end: 9, value: 'SAMEVALU' }), match({ start: 20, end: 28, value: 'SAMEVALU' })], [...at(1), ...at(2)], meta);
    assert.notEqual(twice[0].fingerprint, twice[1].fingerprint);
    assert.notEqual(secretFindings('g.py', m, at(3), meta)[0].fingerprint, a.fingerprint);
  });

  it('builds the Finding from the rule metadata and the match', () => {
    const [f] = secretFindings('n.ipynb', [match({ start: 0, end: 20, value: 'x'.repeat(20), severity: 'medium', cell: { index: 2, part: 'output', outputIndex: 0 } })], [{ line: 5, column: 7 }, { line: 5, column: 27 }], meta);
    assert.deepEqual(
      { ...f, fingerprint: undefined, preview: undefined },
      {
        ruleId: 'SEC-A',
        title: 'A',
        severity: 'medium',
        resourceKind: 'file',
        resourceId: 'n.ipynb',
        message: 'm',
        location: { file: 'n.ipynb', line: 5, column: 7, endLine: 5, endColumn: 27, cell: { index: 2, part: 'output', outputIndex: 0 } },
        fingerprint: undefined,
        preview: undefined,
      },
    );
  });
});

describe('scan core: deduplication of overlapping matches', () => {
  it('keeps the verified match over a heuristic one on the same span, whatever the order', () => {
    const v = match({ start: 10, end: 50, ruleId: 'SEC-B', confidence: 'verified', detector: 1 });
    const h = match({ start: 10, end: 50, ruleId: 'SEC-A', confidence: 'heuristic', detector: 0 });
    assert.deepEqual(dedupeMatches([h, v], meta), [v]);
    assert.deepEqual(dedupeMatches([v, h], meta), [v]);
  });

  it('prefers, at equal confidence, the higher severity, then the narrower span', () => {
    const wide = match({ start: 0, end: 100, ruleId: 'SEC-B', confidence: 'context' });
    const narrow = match({ start: 40, end: 80, ruleId: 'SEC-B', confidence: 'context' });
    assert.deepEqual(dedupeMatches([wide, narrow], meta), [narrow]);
    const severe = match({ start: 0, end: 100, ruleId: 'SEC-A', confidence: 'context' });
    assert.deepEqual(dedupeMatches([narrow, severe], meta), [severe]);
  });

  it('keeps adjacent and separate matches, in file order', () => {
    const a = match({ start: 0, end: 10 });
    const b = match({ start: 10, end: 20 });
    const c = match({ start: 30, end: 40 });
    assert.deepEqual(dedupeMatches([c, b, a], meta), [a, b, c]);
  });
});

describe('scan core: model issues as findings', () => {
  it('places them at line 1 with the byte offset, fingerprints by rule, file and key, one per key', () => {
    const fs = modelFindings('m.pkl', [
      { ruleId: 'SEC-A', message: 'imports os.system', byteOffset: 42, key: 'os.system' },
      { ruleId: 'SEC-A', message: 'imports os.system again', byteOffset: 99, key: 'os.system' },
      { ruleId: 'SEC-B', severity: 'high', message: 'other', key: 'k' },
    ], meta);
    assert.equal(fs.length, 2);
    assert.deepEqual(fs[0].location, { file: 'm.pkl', line: 1, column: 1, byteOffset: 42 });
    assert.equal(fs[1].severity, 'high');
    assert.equal(fs[0].preview, undefined);
    assert.notEqual(fs[0].fingerprint, modelFindings('n.pkl', [{ ruleId: 'SEC-A', message: 'x', key: 'os.system' }], meta)[0].fingerprint);
  });
});
