/**
 * The credit-risk scenario the gate's agent tests and `npm run demo` explain, generated at run time (nothing
 * committed): a CSV of 400 applicants (income, debt_ratio, age, years_employed, gender → default) whose label
 * follows a known logistic model, and three ONNX models written with the ONNX engineer's writer:
 *
 *   credit-good.onnx    the true coefficients: gender has weight 0 (passes)
 *   credit-biased.onnx  a model that leans on gender (fails: sensitive feature in the top-k)
 *   credit-broken.onnx  bytes that are not an ONNX model (fails closed)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logisticRegressionModel, rng } from '../onnxWriter';

export const FEATURES = ['income', 'debt_ratio', 'age', 'years_employed', 'gender'] as const;
export const TARGET = 'default';
/** Standardised features; the label's true logit is TRUE_COEF · x + TRUE_INTERCEPT. */
export const TRUE_COEF = [-1.4, 1.1, -0.15, -0.6, 0];
export const TRUE_INTERCEPT = -0.8;
export const BIASED_COEF = [-0.3, 0.2, 0, -0.1, 2.5];

export interface CreditScenario {
  dir: string;
  data: string;
  good: string;
  biased: string;
  broken: string;
}

export function writeCreditScenario(dir: string, rows = 400, seed = 7): CreditScenario {
  mkdirSync(dir, { recursive: true });
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const lines = [[...FEATURES, TARGET].join(',')];
  for (let i = 0; i < rows; i++) {
    const x = [normal(), normal(), normal(), normal(), r() < 0.5 ? 0 : 1];
    const logit = x.reduce((s, v, k) => s + v * TRUE_COEF[k], TRUE_INTERCEPT);
    const y = r() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    lines.push([...x.map((v, k) => (k === 4 ? String(v) : v.toFixed(4))), String(y)].join(','));
  }
  const out: CreditScenario = {
    dir,
    data: join(dir, 'credit-test.csv'),
    good: join(dir, 'credit-good.onnx'),
    biased: join(dir, 'credit-biased.onnx'),
    broken: join(dir, 'credit-broken.onnx'),
  };
  writeFileSync(out.data, `${lines.join('\n')}\n`);
  writeFileSync(out.good, logisticRegressionModel(TRUE_COEF, TRUE_INTERCEPT, { zipMap: true }));
  writeFileSync(out.biased, logisticRegressionModel(BIASED_COEF, TRUE_INTERCEPT, { zipMap: true }));
  writeFileSync(out.broken, Buffer.from('this is not an ONNX model: the export step wrote a log file here\n'));
  return out;
}
