import assert from 'node:assert/strict';
import { SEVERITIES } from '../../../../shared/rules/types';
import { ALL_ANALYZERS, MODEL_RULES } from '../../../../shared/scan/models/index';

describe('models/index: analyzer and rule contract', () => {
  it('rule ids are AML-MODEL-<KIND>-NNN, unique, with complete metadata and at least one reference', () => {
    const seen = new Set<string>();
    for (const r of MODEL_RULES) {
      assert.match(r.id, /^AML-MODEL-[A-Z]+-\d{3}$/);
      assert.ok(!seen.has(r.id), `duplicate ${r.id}`);
      seen.add(r.id);
      assert.ok(SEVERITIES.includes(r.severity));
      assert.ok(r.title.length > 10 && r.rationale.length > 40 && r.remediation.length > 20, r.id);
      assert.ok(r.references.length >= 1 && r.references.every((ref) => /^https:\/\//.test(ref.url)), r.id);
    }
    // Every format has its own malformed rule at medium or low.
    for (const id of ['AML-MODEL-PICKLE-004', 'AML-MODEL-ZIP-001', 'AML-MODEL-TORCH-001', 'AML-MODEL-NUMPY-002', 'AML-MODEL-KERAS-004', 'AML-MODEL-ONNX-003', 'AML-MODEL-SAFETENSORS-001']) {
      const r = MODEL_RULES.find((x) => x.id === id);
      assert.ok(r && (r.severity === 'medium' || r.severity === 'low'), id);
    }
  });

  it('extensions are lower-case name endings, each claimed by one analyzer', () => {
    const owner = new Map<string, number>();
    ALL_ANALYZERS.forEach((a, i) => {
      assert.ok(a.extensions.length > 0);
      for (const e of a.extensions) {
        assert.match(e, /^\.[a-z0-9.]+$/);
        assert.ok(!owner.has(e), `${e} claimed twice`);
        owner.set(e, i);
      }
    });
    for (const e of ['.pkl', '.joblib', '.pt', '.pth', '.bin', '.npy', '.npz', '.keras', '.h5', '.onnx', '.safetensors']) assert.ok(owner.has(e), e);
  });
});
