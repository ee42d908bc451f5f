/**
 * The JSON bench/explain/reference.py prints (model facts, data split, scikit-learn's permutation importance and
 * the numpy KernelSHAP with their timings), checked field by field so that a Python-side change fails here with
 * the field's name instead of as NaN in the report.
 */

export const PYTHON_SCHEMA = 'mlops-gates/bench-explain-python@1';

export interface PythonReference {
  schema: typeof PYTHON_SCHEMA;
  versions: { python: string; sklearn: string; numpy: string; onnx: string };
  model: { kind: string; params: Record<string, number | string>; trees: number; nodes: number; maxDepth: number; leaves: number; fitMs: number };
  data: { dataset: string; trainRows: number; evalRows: number; features: number; splitSeed: number; backgroundRows: number; explainRows: number[] };
  evalAuc: number;
  /** scikit-learn's probability of class 1 on each evaluation row. */
  proba: number[];
  permutation: { wallMs: number[]; cpuMs: number[]; repeats: number; seed: number; scoring: string; mean: number[]; std: number[] };
  kernelShap: { wallMs: number[]; cpuMs: number[]; nsamples: number; baseValue: number; values: number[][]; outputs: number[] };
}

type Json = Record<string, unknown>;

function fail(path: string, want: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 60);
  throw new Error(`the Python reference's JSON: ${path} should be ${want}, got ${shown}; re-run bench/explain/reference.py or fix it`);
}

function obj(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Json;
}

function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a finite number', v);
  return v as number;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'a string', v);
  return v as string;
}

function nums(v: unknown, path: string, length?: number): number[] {
  if (!Array.isArray(v)) fail(path, 'a list of numbers', v);
  const a = v as unknown[];
  if (length !== undefined && a.length !== length) fail(path, `a list of ${length} numbers`, `${a.length} entries`);
  return a.map((x, i) => num(x, `${path}[${i}]`));
}

function nonEmpty(v: unknown, path: string): number[] {
  const a = nums(v, path);
  if (!a.length) fail(path, 'a non-empty list of numbers', v);
  return a;
}

/** Parses and checks the Python side's stdout. */
export function parsePythonReference(text: string): PythonReference {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`the Python reference did not print JSON (${(e as Error).message}); its output starts with ${JSON.stringify(text.slice(0, 80))}`);
  }
  const o = obj(raw, '(top level)');
  if (o.schema !== PYTHON_SCHEMA) fail('schema', JSON.stringify(PYTHON_SCHEMA), o.schema);
  const v = obj(o.versions, 'versions');
  const m = obj(o.model, 'model');
  const d = obj(o.data, 'data');
  const features = num(d.features, 'data.features');
  const evalRows = num(d.evalRows, 'data.evalRows');
  const explainRows = nonEmpty(d.explainRows, 'data.explainRows');
  explainRows.forEach((r, i) => { if (!Number.isInteger(r) || r < 0 || r >= evalRows) fail(`data.explainRows[${i}]`, `a row index below ${evalRows}`, r); });
  const p = obj(o.permutation, 'permutation');
  const k = obj(o.kernelShap, 'kernelShap');
  if (!Array.isArray(k.values) || k.values.length !== explainRows.length) fail('kernelShap.values', `${explainRows.length} rows (one per explained row)`, Array.isArray(k.values) ? `${k.values.length} rows` : k.values);
  const params = obj(m.params, 'model.params') as Record<string, number | string>;
  return {
    schema: PYTHON_SCHEMA,
    versions: { python: str(v.python, 'versions.python'), sklearn: str(v.sklearn, 'versions.sklearn'), numpy: str(v.numpy, 'versions.numpy'), onnx: str(v.onnx, 'versions.onnx') },
    model: {
      kind: str(m.kind, 'model.kind'), params, trees: num(m.trees, 'model.trees'), nodes: num(m.nodes, 'model.nodes'),
      maxDepth: num(m.maxDepth, 'model.maxDepth'), leaves: num(m.leaves, 'model.leaves'), fitMs: num(m.fitMs, 'model.fitMs'),
    },
    data: {
      dataset: str(d.dataset, 'data.dataset'), trainRows: num(d.trainRows, 'data.trainRows'), evalRows, features,
      splitSeed: num(d.splitSeed, 'data.splitSeed'), backgroundRows: num(d.backgroundRows, 'data.backgroundRows'), explainRows,
    },
    evalAuc: num(o.evalAuc, 'evalAuc'),
    proba: nums(o.proba, 'proba', evalRows),
    permutation: {
      wallMs: nonEmpty(p.wallMs, 'permutation.wallMs'), cpuMs: nonEmpty(p.cpuMs, 'permutation.cpuMs'), repeats: num(p.repeats, 'permutation.repeats'),
      seed: num(p.seed, 'permutation.seed'), scoring: str(p.scoring, 'permutation.scoring'),
      mean: nums(p.mean, 'permutation.mean', features), std: nums(p.std, 'permutation.std', features),
    },
    kernelShap: {
      wallMs: nonEmpty(k.wallMs, 'kernelShap.wallMs'), cpuMs: nonEmpty(k.cpuMs, 'kernelShap.cpuMs'), nsamples: num(k.nsamples, 'kernelShap.nsamples'),
      baseValue: num(k.baseValue, 'kernelShap.baseValue'),
      values: (k.values as unknown[]).map((row, i) => nums(row, `kernelShap.values[${i}]`, features)),
      outputs: nums(k.outputs, 'kernelShap.outputs', explainRows.length),
    },
  };
}
