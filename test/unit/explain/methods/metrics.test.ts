/** Metrics against values worked out by hand. */
import * as assert from 'node:assert/strict';
import { accuracy, auc, computeMetrics, defaultMetric, f1, higherIsBetter, logLoss, mae, precision, r2, recall, rmse } from '../../../../shared/explain/methods/metrics';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} ≠ ${b}`);

describe('explain/methods metrics', () => {
  it('regression: r2, rmse, mae', () => {
    const y = [1, 2, 3, 4], p = [1, 2, 3, 5];
    close(r2(y, p), 1 - 1 / 5); // ssRes 1, ssTot 5
    close(rmse(y, p), 0.5);
    close(mae(y, p), 0.25);
    assert.ok(Number.isNaN(r2([2, 2], [1, 3])));
  });

  it('AUC counts ties one half', () => {
    close(auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
    close(auc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]), 3.5 / 4);
    close(auc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]), 0.5);
    assert.ok(Number.isNaN(auc([1, 1], [0.2, 0.3])));
    // Against the pair-counting definition, exactly, on scores with many ties (incl. 0 and −0) and other positive classes.
    for (let seed = 1; seed <= 20; seed++) {
      let s = seed;
      const rand = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
      const n = 5 + Math.floor(rand() * 60);
      const y = Array.from({ length: n }, () => Math.floor(rand() * 3));
      const p = Array.from({ length: n }, () => { const v = Math.floor(rand() * 8) / 8; return v === 0 && rand() < 0.5 ? -0 : v; });
      for (const pc of [1, 2]) {
        let pairs = 0, good = 0;
        for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
          if (y[i] === pc && y[k] !== pc) { pairs++; good += p[i] > p[k] ? 1 : p[i] === p[k] ? 0.5 : 0; }
        }
        const want = pairs ? good / pairs : NaN;
        const got = auc(y, p, { positiveClass: pc });
        assert.ok(Object.is(got, want), `seed ${seed}: ${got} vs ${want}`);
      }
    }
  });

  it('log loss is clipped; threshold metrics use the positive class', () => {
    close(logLoss([1, 0], [0.8, 0.3]), -(Math.log(0.8) + Math.log(0.7)) / 2);
    close(logLoss([0], [1]), -Math.log(1 - (1 - 1e-15))); // clipped to 1 − 1e-15, not infinite
    const y = [1, 1, 0, 0, 1], p = [0.9, 0.4, 0.6, 0.1, 0.7]; // predicted 1,0,1,0,1: tp 2, fp 1, fn 1
    close(accuracy(y, p), 3 / 5);
    close(precision(y, p), 2 / 3);
    close(recall(y, p), 2 / 3);
    close(f1(y, p), 2 / 3);
    assert.equal(precision([1, 0], [0.1, 0.2]), 0);
    // Class 2 of a multi-class target, one-vs-rest.
    close(recall([2, 0, 2, 1], [0.9, 0.8, 0.2, 0.1], { positiveClass: 2 }), 0.5);
  });

  it('computeMetrics leaves out what the data cannot define, and names the bad row', () => {
    const m = computeMetrics('classification', [1, 1, 1], [0.9, 0.8, 0.4]);
    assert.equal(m.rows, 3);
    assert.equal(m.auc, undefined);
    close(m.accuracy!, 2 / 3);
    assert.deepEqual(Object.keys(computeMetrics('regression', [1, 2], [1, 2])).sort(), ['mae', 'r2', 'rmse', 'rows']);
    assert.throws(() => computeMetrics('regression', [1, 2], [1, NaN]), /returned NaN for row 1/);
    assert.throws(() => computeMetrics('regression', [1, 2], [1]), /2 labels but 1 predictions/);
    assert.equal(defaultMetric('regression'), 'r2');
    assert.equal(defaultMetric('classification'), 'auc');
    assert.equal(higherIsBetter('logLoss'), false);
  });
});
