import assert from 'node:assert/strict';
import { numpyAnalyzer } from '../../../../shared/scan/models/numpy';
import type { ModelIssue } from '../../../../shared/scan/types';
import { makeZip, npy, numpyArrayPickle, osSystemPickle } from './builders';

const analyze = (b: Buffer, path = 'a.npy') => numpyAnalyzer.analyze(b, { path });
const ids = (issues: ModelIssue[]) => issues.map((i) => i.ruleId).sort();

const floats = () => npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", Buffer.alloc(48));
const objects = (pickle: Buffer, descr = "'|O'") => npy(`{'descr': ${descr}, 'fortran_order': False, 'shape': (1,), }`, pickle);

describe('models/numpy: .npy and .npz', () => {
  it('a numeric array is clean in every format version', () => {
    for (const v of [1, 2, 3]) assert.deepEqual(analyze(npy("{'descr': '<i4', 'fortran_order': True, 'shape': (4,), }", Buffer.alloc(16), v)), [], `v${v}`);
    assert.deepEqual(analyze(floats()), []);
    assert.deepEqual(analyze(npy("{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }", Buffer.alloc(24))), []);
  });

  it("an object array ('|O') is low, and its embedded pickle is analysed", () => {
    const benign = analyze(objects(numpyArrayPickle()));
    assert.deepEqual(ids(benign), ['AML-MODEL-NUMPY-001']);
    assert.equal(benign[0].byteOffset, 128);
    const bad = analyze(objects(osSystemPickle()));
    assert.deepEqual(ids(bad), ['AML-MODEL-NUMPY-001', 'AML-MODEL-PICKLE-001']);
    assert.equal(bad.find((i) => i.ruleId === 'AML-MODEL-PICKLE-001')?.byteOffset, 128 + 2);
  });

  it('a structured dtype with an object field is an object array too', () => {
    const issues = analyze(objects(osSystemPickle(), "[('a', '<i4'), ('b', '|O')]"));
    assert.deepEqual(ids(issues), ['AML-MODEL-NUMPY-001', 'AML-MODEL-PICKLE-001']);
    assert.deepEqual(analyze(npy("{'descr': [('a', '<i4'), ('b', '<f8', (2,))], 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(20))), []);
  });

  it('.npz: numeric members are checked by header only; object members are walked', () => {
    const z = makeZip([
      { name: 'weights.npy', data: floats(), deflate: true },
      { name: 'meta.npy', data: objects(osSystemPickle()), deflate: true },
      { name: 'plain.npy', data: objects(numpyArrayPickle()) },
    ]);
    const issues = analyze(z, 'arrays.npz');
    assert.deepEqual(ids(issues), ['AML-MODEL-NUMPY-001', 'AML-MODEL-NUMPY-001', 'AML-MODEL-PICKLE-001']);
    assert.match(issues.find((i) => i.ruleId === 'AML-MODEL-PICKLE-001')!.message, /member 'meta\.npy'/);
  });

  it('malformed headers are reported without throwing', () => {
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from('not numpy at all'), /NUMPY magic/],
      [floats().subarray(0, 9), /truncated/],
      [floats().subarray(0, 40), /truncated/],
      [npy("['descr', '<f8']", Buffer.alloc(0)), /not a dict/],
      [npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", Buffer.alloc(0)), /shape/],
      [npy("{'descr': 'zz', 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(8)), /descr/],
      [npy("{'descr': '<f8', 'shape': (1,", Buffer.alloc(8)), /not a Python literal/],
      [npy('{' + "'a': (".repeat(100) + ')'.repeat(100) + '}', Buffer.alloc(0)), /not a Python literal/],
    ];
    for (const [b, re] of cases) {
      const issues = analyze(b);
      assert.deepEqual(ids(issues), ['AML-MODEL-NUMPY-002'], re.source);
      assert.match(issues[0].message, re);
    }
  });

  it('data shorter than the header announces is low', () => {
    const short = floats().subarray(0, floats().length - 8);
    const issues = analyze(short);
    assert.deepEqual(ids(issues), ['AML-MODEL-NUMPY-002']);
    assert.equal(issues[0].severity, 'low');
    assert.match(issues[0].message, /announces 48 data bytes but holds 40/);
  });

  it('sniffs the NUMPY magic', () => {
    assert.equal(numpyAnalyzer.sniff?.(floats().subarray(0, 16)), true);
    assert.equal(numpyAnalyzer.sniff?.(Buffer.from('PK\u0003\u0004')), false);
  });
});
