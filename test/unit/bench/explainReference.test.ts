import * as assert from 'node:assert/strict';
import { parsePythonReference } from '../../../bench/explainReference';
import { pythonJson } from './explainFixture';

describe('bench: the Python reference JSON of the explain bench', () => {
  it('parses what reference.py prints', () => {
    const r = parsePythonReference(JSON.stringify(pythonJson()));
    assert.equal(r.model.trees, 100);
    assert.deepEqual(r.data.explainRows, [0, 2]);
    assert.deepEqual(r.kernelShap.values[1], [0.3, 0.1]);
    assert.deepEqual(r.permutation.cpuMs, [800, 700, 1000]);
  });

  it('names the field that is wrong instead of passing NaN on', () => {
    const bad = (edit: (o: any) => void) => { const o: any = pythonJson(); edit(o); return JSON.stringify(o); };
    assert.throws(() => parsePythonReference(bad((o) => { o.permutation.mean = [0.1]; })), /permutation\.mean should be a list of 2 numbers, got "1 entries"/);
    assert.throws(() => parsePythonReference(bad((o) => { o.kernelShap.values[0][1] = null; })), /kernelShap\.values\[0\]\[1\] should be a finite number/);
    assert.throws(() => parsePythonReference(bad((o) => { o.kernelShap.values.pop(); })), /kernelShap\.values should be 2 rows/);
    assert.throws(() => parsePythonReference(bad((o) => { o.data.explainRows = [0, 3]; })), /data\.explainRows\[1\] should be a row index below 3/);
    assert.throws(() => parsePythonReference(bad((o) => { o.schema = 'other@1'; })), /schema should be/);
    assert.throws(() => parsePythonReference(bad((o) => { o.proba = [0.1]; })), /proba should be a list of 3 numbers/);
  });

  it('says when the output is not JSON at all, showing its start', () => {
    assert.throws(() => parsePythonReference('Traceback (most recent call last):\n  File "reference.py"'), /did not print JSON.*Traceback/);
  });
});
