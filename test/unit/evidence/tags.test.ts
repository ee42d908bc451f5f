import * as assert from 'node:assert/strict';
import { checkTags, factsOfEnvelope, gateKebab, modelTags, parseTags, type GateTagFacts } from '../../../shared/evidence/tags';
import { sealEvidence } from '../../../shared/evidence/seal';
import { envelopeDigest } from '../../../shared/evidence/bundle';
import { modelDigest } from '../../../shared/evidence/statement';
import { ed25519Pair, MODEL, record } from './fixtures';

const MD = '1'.repeat(64);
const SG: GateTagFacts = { gate: 'SecurityGate', verdict: 'passed', modelDigest: MD, envelopeDigest: '2'.repeat(64) };
const EH: GateTagFacts = { gate: 'EndpointHardeningCheck', verdict: 'failed', modelDigest: MD, envelopeDigest: '3'.repeat(64) };

describe('evidence tags', () => {
  it('names gates in kebab case', () => {
    const table: Array<[string, string]> = [
      ['SecurityGate', 'security-gate'],
      ['EndpointHardeningCheck', 'endpoint-hardening-check'],
      ['ExplainabilityReport', 'explainability-report'],
      ['ModelRegistryPromote', 'model-registry-promote'],
      ['ONNXCheck', 'onnx-check'],
      ['security-gate', 'security-gate'],
      ['Gate2Check', 'gate2-check'],
    ];
    for (const [name, kebab] of table) assert.equal(gateKebab(name), kebab, name);
  });

  it('writes the agreed tag set', () => {
    assert.deepEqual(modelTags(MD, [SG, EH], 'https://store/credit-risk-2.evidence.json'), {
      'mlops-gates.model-digest': MD,
      'mlops-gates.security-gate': 'passed',
      'mlops-gates.security-gate.digest': MD,
      'mlops-gates.security-gate.envelope': SG.envelopeDigest,
      'mlops-gates.endpoint-hardening-check': 'failed',
      'mlops-gates.endpoint-hardening-check.digest': MD,
      'mlops-gates.endpoint-hardening-check.envelope': EH.envelopeDigest,
      'mlops-gates.bundle': 'https://store/credit-risk-2.evidence.json',
    });
  });

  it('takes an envelope\'s facts from its statement', async () => {
    const files = [{ name: 'm.onnx', sha256: '4'.repeat(64), size: 1 }];
    const env = await sealEvidence({ files, evidence: record('SecurityGate', 'failed', '2026-06-01T00:00:00.000Z'), model: MODEL, signers: [ed25519Pair().signer] });
    assert.deepEqual(factsOfEnvelope(env), { gate: 'SecurityGate', verdict: 'failed', modelDigest: modelDigest(files), envelopeDigest: envelopeDigest(env) });
  });

  it('finds every tag that disagrees, naming it with the values seen and expected', () => {
    const good: Record<string, string> = { ...modelTags(MD, [SG, EH], 'bundle.json'), owner: 'ml-team' };
    assert.deepEqual(checkTags(good, { modelDigest: MD, gates: [SG, EH] }), []);
    const problems = (tags: Record<string, string>) => checkTags(tags, { modelDigest: MD, gates: [SG, EH] });
    assert.deepEqual(problems({ ...good, 'mlops-gates.security-gate': 'Passed' }), [
      { tag: 'mlops-gates.security-gate', gate: 'security-gate', message: 'tag mlops-gates.security-gate is "Passed"; the bundle says "passed"' },
    ]);
    const { ['mlops-gates.endpoint-hardening-check.envelope']: _drop, ...missing } = good;
    assert.deepEqual(problems(missing), [
      { tag: 'mlops-gates.endpoint-hardening-check.envelope', gate: 'endpoint-hardening-check', message: `tag mlops-gates.endpoint-hardening-check.envelope is missing; the bundle says "${EH.envelopeDigest}"` },
    ]);
    assert.deepEqual(problems({ ...good, 'mlops-gates.model-digest': '9'.repeat(64) }).map((p) => p.message), [
      `tag mlops-gates.model-digest is "${'9'.repeat(64)}"; the bundle says "${MD}"`,
    ]);
    assert.deepEqual(problems({ ...good, 'mlops-gates.explainability-report': 'passed', 'mlops-gates.explainability-report.digest': MD }), [
      { tag: 'mlops-gates.explainability-report', gate: 'explainability-report', message: 'tag mlops-gates.explainability-report is "passed" but the bundle holds no verified evidence of gate explainability-report' },
      { tag: 'mlops-gates.explainability-report.digest', gate: 'explainability-report', message: `tag mlops-gates.explainability-report.digest is "${MD}" but the bundle holds no verified evidence of gate explainability-report` },
    ]);
  });

  it('groups tags per gate for tools', () => {
    assert.deepEqual(parseTags({ ...modelTags(MD, [SG], 'b.json'), other: 'x', 'mlops-gates.Bad Tag': 'y' }), {
      modelDigest: MD,
      bundle: 'b.json',
      gates: { 'security-gate': { verdict: 'passed', digest: MD, envelope: SG.envelopeDigest } },
    });
  });
});
