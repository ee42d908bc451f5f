import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import Ajv from 'ajv';
import { applyPolicy, defaultPolicy } from '../../../shared/rules/policy';
import { canonicalJson } from '../../../shared/report/canonicalJson';
import { buildEvidence, digestOf, serializeEvidence, type EvidenceInput } from '../../../shared/report/evidence';
import evidenceSchema from '../../../shared/report/evidence.schema.json';
import { datastore, makeFinding, makeRule, WS } from '../policy/fixtures';

const NOW = new Date('2026-06-01T12:00:00Z');
const RULES = [makeRule('AML-DS-001'), makeRule('AML-WS-001', 'critical', 'workspace')];

function input(order: 'forward' | 'reverse', over: Partial<EvidenceInput> = {}): EvidenceInput {
  const findings = [makeFinding('AML-WS-001', WS, 'critical'), makeFinding('AML-DS-001', datastore('legacy')), makeFinding('AML-DS-001', datastore('b'))];
  const policy = { ...defaultPolicy(), waivers: [{ rule: 'AML-DS-001', resource: '*/legacy', owner: 'team@x.org', reason: 'tracked in ADO#1', expires: '2026-12-31' }] };
  const outcome = applyPolicy(RULES, order === 'forward' ? findings : [...findings].reverse(), policy, NOW, 'high');
  const targets = [WS, datastore('b'), datastore('legacy')];
  const inputs = { resourceGroupName: 'rg-ml', workspaceName: 'ws-prod', failOnSeverity: 'high', tags: ['a', 'b'] };
  return {
    gate: 'SecurityGate',
    gateVersion: '0.1.0',
    outcome,
    inputs: order === 'forward' ? inputs : Object.fromEntries(Object.entries(inputs).reverse()),
    targets: order === 'forward' ? targets : [...targets].reverse(),
    startedAt: NOW,
    finishedAt: '2026-06-01T12:00:04.200Z',
    pipeline: { runUrl: 'https://dev.azure.com/org/proj/_build/results?buildId=42', definition: 'ml-release', runId: 42, attempt: 1 },
    source: { repository: 'https://dev.azure.com/org/proj/_git/ml', commit: 'a'.repeat(40), branch: 'refs/heads/main' },
    policy: { path: '.mlops-gates.yml', sha256: 'b'.repeat(64) },
    ...over,
  };
}

describe('evidence record', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).compile(evidenceSchema);

  it('matches its JSON Schema, with and without the optional parts', () => {
    const full = buildEvidence(input('forward'));
    assert.ok(validate(full), JSON.stringify(validate.errors));
    const bare = buildEvidence({ ...input('forward'), pipeline: undefined, source: undefined, policy: undefined, inputs: undefined });
    assert.ok(validate(bare), JSON.stringify(validate.errors));
    assert.deepEqual([bare.pipeline, bare.source, bare.policy, bare.inputs], [{}, {}, {}, {}]);
    assert.equal(validate({ ...full, schema: 'mlops-gates/evidence@2' }), false, 'the schema rejects another version');
    assert.equal(validate({ ...full, extra: 1 }), false, 'the schema rejects unknown members');
    const failedClosed = buildEvidence({ ...input('forward'), error: 'ARM answered 403' });
    assert.ok(validate(failedClosed), JSON.stringify(validate.errors));
    assert.equal(failedClosed.error, 'ARM answered 403');
    assert.equal('error' in full, false);
  });

  it('holds the facts of the run', () => {
    const r = buildEvidence(input('forward'));
    assert.equal(r.schema, 'mlops-gates/evidence@1');
    assert.equal(r.verdict, 'failed');
    assert.equal(r.threshold, 'high');
    assert.deepEqual(r.counts, { critical: 1, high: 1, medium: 0, low: 0, info: 0 });
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.resourceId.split('/').pop(), f.waived]), [
      ['AML-DS-001', 'b', false],
      ['AML-DS-001', 'legacy', true],
      ['AML-WS-001', 'ws-prod', false],
    ]);
    assert.deepEqual(r.pipeline, { runUrl: 'https://dev.azure.com/org/proj/_build/results?buildId=42', definition: 'ml-release', runId: '42', attempt: 1 });
    assert.equal(r.startedAt, '2026-06-01T12:00:00.000Z');
  });

  it('has the same digest whatever order findings, targets and inputs arrived in', () => {
    const a = buildEvidence(input('forward'));
    const b = buildEvidence(input('reverse'));
    assert.equal(serializeEvidence(a), serializeEvidence(b));
    assert.equal(digestOf(a), digestOf(b));
    assert.equal(digestOf(a), createHash('sha256').update(serializeEvidence(a)).digest('hex'));
    assert.match(digestOf(a), /^[0-9a-f]{64}$/);
  });

  it('changes digest when any fact changes', () => {
    const base = digestOf(buildEvidence(input('forward')));
    const variants: Array<Partial<EvidenceInput>> = [
      { gateVersion: '0.1.1' },
      { targets: [WS] },
      { finishedAt: '2026-06-01T12:00:04.201Z' },
      { pipeline: { runId: 43 } },
      { policy: { sha256: 'c'.repeat(64) } },
      { inputs: { failOnSeverity: 'critical' } },
    ];
    for (const v of variants) assert.notEqual(digestOf(buildEvidence(input('forward', v))), base, JSON.stringify(v));
  });

  it('drops inputs that are secret by name or by the caller’s list', () => {
    const generated = randomBytes(24).toString('base64'); // key-shaped value made at run time, never committed
    const r = buildEvidence(input('forward', {
      inputs: { workspaceName: 'ws', servicePrincipalKey: generated, storageAccessKey: generated, clientSecret: generated, registryToken: generated, custom: generated, missing: undefined },
      secretInputNames: ['custom'],
    }));
    assert.deepEqual(r.inputs, { workspaceName: 'ws' });
    assert.ok(!serializeEvidence(r).includes(generated));
  });

  it('serializes canonically: sorted keys, no whitespace, undefined members dropped', () => {
    assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, A: { z: 0.5, y: -0 } }), '{"A":{"y":0,"z":0.5},"a":[true,null,"x"],"b":1}');
    // Keys sort by UTF-16 code units, as RFC 8785 requires (U+20AC sorts after U+00E9; the surrogate pair after both).
    assert.equal(canonicalJson({ '\u20ac': 1, '\u00e9': 2, '\ud83d\ude00': 3, '1': 4 }), '{"1":4,"é":2,"€":1,"😀":3}');
    assert.throws(() => canonicalJson({ n: Number.NaN }), /cannot hold NaN/);
    assert.throws(() => canonicalJson({ d: new Date(0) }), /plain objects only/);
  });
});
