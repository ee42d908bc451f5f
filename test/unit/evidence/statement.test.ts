import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildStatement, modelDigest, parseStatement, PREDICATE_TYPE, serializeStatement, STATEMENT_TYPE, type EvidenceStatement } from '../../../shared/evidence/statement';
import type { FileDigest } from '../../../shared/evidence/digests';
import { MODEL, record } from './fixtures';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const FILES: FileDigest[] = [
  { name: 'model/weights.onnx', sha256: B, size: 10 },
  { name: 'MLmodel', sha256: A, size: 3 },
];

/** Reverses the insertion order of every object's keys, recursively. */
function reversed<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reversed) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) as T;
  return v;
}

describe('evidence statement', () => {
  const evidence = record('SecurityGate', 'passed', '2026-06-01T12:00:00.000Z');

  it('is an in-toto Statement v1 whose subjects are the model files, sorted', () => {
    const s = buildStatement(FILES, { evidence, model: MODEL, lineage: { commit: 'abc1234', dataAssets: ['azureml:b:1', 'azureml:a:2'], environment: '', trainingJobId: undefined } });
    assert.equal(s._type, 'https://in-toto.io/Statement/v1');
    assert.equal(s.predicateType, 'https://mlops-gates.github.io/evidence/v1');
    assert.deepEqual(s.subject, [{ name: 'MLmodel', digest: { sha256: A } }, { name: 'model/weights.onnx', digest: { sha256: B } }]);
    assert.deepEqual(s.predicate.lineage, { commit: 'abc1234', dataAssets: ['azureml:a:2', 'azureml:b:1'] });
    assert.deepEqual(s.predicate.model, MODEL);
    assert.equal(s.predicate.evidence, evidence);
    assert.deepEqual(parseStatement(serializeStatement(s)), JSON.parse(serializeStatement(s).toString()));
  });

  it('serializes to the same bytes whatever the key order', () => {
    const a = buildStatement(FILES, { evidence, model: MODEL, lineage: { commit: 'abc1234', repository: 'r' } });
    const b = buildStatement([...FILES].reverse(), { evidence: reversed(evidence), model: reversed(MODEL), lineage: { repository: 'r', commit: 'abc1234' } });
    assert.deepEqual(serializeStatement(reversed(b)), serializeStatement(a));
    const text = serializeStatement(a).toString();
    assert.ok(text.startsWith('{"_type":"https://in-toto.io/Statement/v1","predicate":{"evidence":{'), text.slice(0, 80));
    assert.doesNotMatch(text, /\s"|":\s/);
  });

  it('model digest: SHA-256 of the sorted subject list as canonical JSON', () => {
    // Written out by hand rather than through canonicalJson.
    const text = `[{"digest":{"sha256":"${A}"},"name":"MLmodel"},{"digest":{"sha256":"${B}"},"name":"model/weights.onnx"}]`;
    const expected = createHash('sha256').update(text).digest('hex');
    assert.equal(modelDigest(FILES), expected);
    assert.equal(modelDigest([...FILES].reverse()), expected);
    assert.equal(modelDigest(buildStatement(FILES, { evidence, model: MODEL, lineage: {} }).subject), expected);
    assert.notEqual(modelDigest([{ ...FILES[0], name: 'model/Weights.onnx' }, FILES[1]]), expected);
  });

  it('refuses to build from nothing, duplicate names or bad digests', () => {
    const p = { evidence, model: MODEL, lineage: {} };
    assert.throws(() => buildStatement([], p), /at least one model file/);
    assert.throws(() => buildStatement([FILES[0], FILES[0]], p), /share one name/);
    assert.throws(() => buildStatement([{ ...FILES[0], sha256: A.toUpperCase() }], p), /model\/weights\.onnx: not a lower-case hex SHA-256/);
    assert.throws(() => buildStatement(FILES, { ...p, model: { ...MODEL, version: '' } }), /model\.version is missing or empty/);
  });

  it('parses strictly what the verifier relies on, naming what is wrong', () => {
    const good = (): EvidenceStatement => JSON.parse(serializeStatement(buildStatement(FILES, { evidence, model: MODEL, lineage: {} })).toString());
    const bytes = (s: unknown) => Buffer.from(JSON.stringify(s));
    const cases: Array<[(s: any) => unknown, RegExp]> = [
      [() => '[]', /not a JSON object/],
      [(s) => ({ ...s, _type: 'https://in-toto.io/Statement/v0.1' }), /_type is "https:\/\/in-toto\.io\/Statement\/v0\.1", expected https:\/\/in-toto\.io\/Statement\/v1/],
      [(s) => ({ ...s, predicateType: 'https://slsa.dev/provenance/v1' }), /predicateType is "https:\/\/slsa\.dev\/provenance\/v1"/],
      [(s) => ({ ...s, subject: [] }), /subject is missing or empty/],
      [(s) => ({ ...s, subject: [s.subject[0], s.subject[0]] }), /subject MLmodel appears twice/],
      [(s) => ({ ...s, subject: [{ name: 'x', digest: { sha512: A } }] }), /subject\[0\] \(x\) has no lower-case hex sha256/],
      [(s) => ({ ...s, predicate: { ...s.predicate, evidence: { ...s.predicate.evidence, verdict: 'Passed' } } }), /verdict is "Passed", expected passed or failed/],
      [(s) => ({ ...s, predicate: { ...s.predicate, evidence: { ...s.predicate.evidence, gate: '' } } }), /predicate\.evidence\.gate is missing/],
      [(s) => ({ ...s, predicate: { ...s.predicate, evidence: { ...s.predicate.evidence, finishedAt: '2026-06-01 12:00' } } }), /finishedAt is not a UTC timestamp: "2026-06-01 12:00"/],
      [(s) => ({ ...s, predicate: { ...s.predicate, evidence: { ...s.predicate.evidence, schema: 'x' } } }), /predicate\.evidence\.schema is "x"/],
      [(s) => ({ ...s, predicate: { ...s.predicate, model: { name: 'm', version: '1' } } }), /predicate\.model\.assetId is missing/],
      [(s) => ({ ...s, predicate: { ...s.predicate, lineage: { dataAssets: [1] } } }), /dataAssets is not a list of strings/],
    ];
    for (const [change, message] of cases) {
      const v = change(good());
      assert.throws(() => parseStatement(typeof v === 'string' ? Buffer.from(v) : bytes(v)), message);
    }
    assert.throws(() => parseStatement(Buffer.from('{"_type":')), /the payload is not JSON/);
    // Unknown members are ignored, as in-toto asks.
    assert.equal(parseStatement(bytes({ ...good(), extension: { x: 1 } })).subject.length, 2);
    assert.equal(STATEMENT_TYPE, 'https://in-toto.io/Statement/v1');
    assert.equal(PREDICATE_TYPE, 'https://mlops-gates.github.io/evidence/v1');
  });
});
