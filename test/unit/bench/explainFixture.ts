/** Small, self-consistent inputs for the explain bench's parser and report tests (2 features, 2 explained rows). */
import type { ExplainBenchResult } from '../../../bench/explainBench';
import type { BackendMeasure, MeasureResult, Sample } from '../../../bench/explainMeasure';

export function pythonJson(): Record<string, unknown> {
  return {
    schema: 'mlops-gates/bench-explain-python@1',
    versions: { python: '3.11.2', sklearn: '1.2.1', numpy: '1.24.2', onnx: '1.12.0' },
    model: { kind: 'RandomForestClassifier', params: { n_estimators: 100, random_state: 0 }, trees: 100, nodes: 3000, maxDepth: 10, leaves: 1500, fitMs: 400 },
    data: { dataset: 'sklearn load_breast_cancer', trainRows: 6, evalRows: 3, features: 2, splitSeed: 42, backgroundRows: 2, explainRows: [0, 2] },
    evalAuc: 0.99,
    proba: [0.1, 0.5, 0.9],
    permutation: { wallMs: [3000, 2000, 2500], cpuMs: [800, 700, 1000], repeats: 5, seed: 0, scoring: 'roc_auc', mean: [0.05, 0.01], std: [0.01, 0.005] },
    kernelShap: { wallMs: [30000], cpuMs: [10000], nsamples: 2052, baseValue: 0.5, values: [[0.1, -0.2], [0.3, 0.1]], outputs: [0.4, 0.9] },
  };
}

const s = (cpuMs: number, wallMs = cpuMs): Sample => ({ cpuMs, wallMs });

function backend(name: 'web' | 'node', piMs: number): BackendMeasure {
  return {
    backend: name, runtime: `onnxruntime-${name} 1.30.0`,
    load: [s(300), s(40), s(50)],
    // Cold first, then warm runs whose median is piMs.
    permutation: [s(piMs * 3), s(piMs), s(piMs * 2), s(piMs / 2)],
    treeShap: [s(90), s(20), s(25), s(30)],
    treeCheck: [s(10), s(5), s(5), s(5)],
    kernel: [s(9000, 14000)],
    kernelBudget: 2052,
    proba: [0.1, 0.5000001, 0.9],
    importance: { mean: [0.052, 0.011], std: [0.01, 0.004], baseline: 0.99 },
  };
}

export function benchResult(python: ExplainBenchResult['python']): ExplainBenchResult {
  const first: MeasureResult = {
    label: 'Node 20', version: 'v20.20.2', backends: [backend('web', 200), backend('node', 50)],
    accuracy: {
      backend: 'node',
      tree: { values: [[0.1, -0.2], [0.3, 0.1]], baseValue: 0.5, outputs: [0.4, 0.9] },
      runtimeOutputs: [0.4000001, 0.9],
      kernel: { values: [[0.11, -0.21], [0.3, 0.1]], baseValue: 0.5, budget: 2052 },
      highBudget: { rows: [0], budget: 32768, values: [[0.101, -0.201]], wallMs: 1, cpuMs: 1 },
      exact: { rows: 2, features: 2, coalitions: 2, maxAbsDiff: 1e-17, meanAbsPhi: 0.175 },
    },
  };
  const second: MeasureResult = { label: 'Node 24', version: 'v24.21.0', backends: [backend('web', 150), backend('node', 60)] };
  return {
    date: '2026-11-27T10:00:00Z',
    machine: { cpuModel: 'AMD EPYC', cores: 2, loadBefore: 9, loadAfter: 10 },
    config: { runs: 3, kernelRuns: 1, pyPiRuns: 3, pyKernelRuns: 1, hbRows: 1, hbBudget: 32768 },
    python, nodes: [first, second], durationSec: 100,
  };
}
