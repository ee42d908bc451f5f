import assert from 'node:assert/strict';
import { parseCsv } from '../../../../shared/explain/data/csv';
import { toFeatureData } from '../../../../shared/explain/data/features';
import { readModelInfo } from '../../../../shared/explain/onnx/modelInfo';
import type { ModelInfo } from '../../../../shared/explain/types';
import { linearRegressionModel, logisticRegressionModel, writeModel } from '../onnxWriter';

const reg = (): ModelInfo => readModelInfo(linearRegressionModel([1, 2], 0));
const clf = (labels?: string[]): ModelInfo => readModelInfo(logisticRegressionModel([1, 2], 0, { zipMap: true, labels }));

describe('explain/data/features', () => {
  it('takes every column but the target, in file order, for a one-input model', () => {
    const t = parseCsv('a,y,b\n1,10,2\n3,20,4\n', 'd.csv');
    const fd = toFeatureData(t, reg(), { target: 'y' });
    assert.deepEqual(fd.featureNames, ['a', 'b']);
    assert.deepEqual(Array.from(fd.x.data), [1, 2, 3, 4]);
    assert.deepEqual(Array.from(fd.y!), [10, 20]);
    assert.equal(fd.classLabels, undefined);
  });

  it('picks and orders listed features, ignoring other columns', () => {
    const t = parseCsv('id,b,a,y\n7,2,1,0\n', 'd.csv');
    const fd = toFeatureData(t, reg(), { target: 'y', featureNames: ['a', 'b'] });
    assert.deepEqual(Array.from(fd.x.data), [1, 2]);
  });

  it('maps class labels to their index (int and string labels)', () => {
    const t = parseCsv('a,b,y\n1,2,1\n3,4,0\n', 'd.csv');
    const fd = toFeatureData(t, clf(), { target: 'y' });
    assert.deepEqual(Array.from(fd.y!), [1, 0]);
    assert.deepEqual(fd.classLabels, [0, 1]);
    const s = parseCsv('a,b,y\n1,2,yes\n3,4,no\n', 'd.csv');
    assert.deepEqual(Array.from(toFeatureData(s, clf(['no', 'yes']), { target: 'y' }).y!), [1, 0]);
    assert.throws(() => toFeatureData(s, clf(['0', '1']), { target: 'y' }), /target column "y" holds "yes" in row 1, which is not one of the model's class labels \(0, 1\)/);
  });

  it('one input per feature: columns picked by the input names', () => {
    const info = readModelInfo(writeModel({
      inputs: [{ name: 'age', elem: 'float', shape: ['N', 1] }, { name: 'income', elem: 'double', shape: ['N', 1] }],
      outputs: [{ name: 'Y', elem: 'float', shape: ['N', 1] }],
      nodes: [{ op: 'Add', inputs: ['age', 'age'], outputs: ['Y'] }],
    }));
    const fd = toFeatureData(parseCsv('income,x,age\n5,0,30\n', 'd.csv'), info, {});
    assert.deepEqual(fd.featureNames, ['age', 'income']);
    assert.deepEqual(Array.from(fd.x.data), [30, 5]);
    assert.throws(() => toFeatureData(parseCsv('income,x\n5,0\n', 'd.csv'), info, {}), /needs column "age", which is not in the data \(columns: income, x\)/);
  });

  it('clear errors: text column for a float input, missing column, target as feature, wrong count, missing target', () => {
    const t = parseCsv('a,b,y\n1,x,0\n2,3,1\n', 'd.csv');
    assert.throws(() => toFeatureData(t, reg(), { target: 'y' }), /d\.csv: column "b" holds text \(e\.g\. "x" in row 1\), but model input "X" takes float numbers/);
    const n = parseCsv('a,b,y,extra\n1,2,0,9\n', 'd.csv');
    assert.throws(() => toFeatureData(n, reg(), { target: 'y' }), /takes 2 features but the data has 3 columns besides the target "y" \(a, b, extra\)/);
    assert.throws(() => toFeatureData(n, reg(), { target: 'y', featureNames: ['a', 'zz'] }), /needs column "zz"/);
    assert.throws(() => toFeatureData(n, reg(), { target: 'y', featureNames: ['a', 'y'] }), /target column "y" is also listed as a model feature/);
    assert.throws(() => toFeatureData(n, reg(), { target: 'label' }), /target column "label" is not in the data \(columns: a, b, y, extra\)/);
    assert.throws(() => toFeatureData(n, reg(), { featureNames: ['a'] }), /1 feature names were given but the model takes 2/);
    const miss = parseCsv('a,b,y\n1,2,\n', 'd.csv');
    assert.throws(() => toFeatureData(miss, reg(), { target: 'y' }), /target column "y" is missing in row 1/);
    const txt = parseCsv('a,b,y\n1,2,hi\n', 'd.csv');
    assert.throws(() => toFeatureData(txt, reg(), { target: 'y' }), /target column "y" holds text/);
  });

  it('keeps NaN features (missing values) for the model to handle', () => {
    const fd = toFeatureData(parseCsv('a,b\n,2\n', 'd.csv'), reg(), {});
    assert.ok(Number.isNaN(fd.x.data[0]));
    assert.equal(fd.y, undefined);
  });
});
