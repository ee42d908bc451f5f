/**
 * The ExplainabilityReport section of docs/benchmarks.md and its rows in the summary table, from the JSON of
 * bench/explainBench.ts. Pure. Speed goals are judged on CPU time (process CPU, all threads), because the
 * machine is shared and wall time measures the queue for a core as much as the work; wall time is shown beside.
 */
import { absError, compareImportance, efficiencyResidual, meanAbs, type ImportanceAgreement } from './explainAccuracy';
import type { ExplainBenchResult } from './explainBench';
import type { BackendMeasure, Sample } from './explainMeasure';
import { median } from './stats';

export const EXPLAIN_GOALS = {
  /** Permutation importance at least this many times faster than scikit-learn's permutation_importance. */
  permutationSpeedup: 10,
  /** TreeSHAP (exact path) at least this many times faster than the numpy KernelSHAP. */
  treeShapSpeedup: 100,
  /** Every feature's importance within this many combined sds (√(sd₁² + sd₂²)) of scikit-learn's. */
  importanceSd: 2,
  /** TreeSHAP against exact Shapley enumeration: float64 round-off, not sampling error. */
  exactTolerance: 1e-9,
};

export interface Timing { cpuMs: number; wallMs: number; coldCpuMs: number; coldWallMs: number; runs: number }

/** Median of the warm samples (all but the first, when there are more than one) and the cold first sample. */
export function timing(samples: readonly Sample[]): Timing {
  if (!samples.length) throw new Error('timing: no samples');
  const warm = samples.length > 1 ? samples.slice(1) : samples;
  return {
    cpuMs: median(warm.map((s) => s.cpuMs)), wallMs: median(warm.map((s) => s.wallMs)),
    coldCpuMs: samples[0].cpuMs, coldWallMs: samples[0].wallMs, runs: warm.length,
  };
}

/** treeShap() plus the runtime check the gate makes first, sample by sample. */
function treePath(b: BackendMeasure): Sample[] {
  return b.treeShap.map((s, i) => ({ wallMs: s.wallMs + (b.treeCheck[i]?.wallMs ?? 0), cpuMs: s.cpuMs + (b.treeCheck[i]?.cpuMs ?? 0) }));
}

export interface SpeedRow { node: string; version: string; backend: string; ours: Timing; cpuRatio: number; wallRatio: number; coldCpuRatio: number }

export interface ExplainFigures {
  python: { permutation: { cpuMs: number; wallMs: number; runs: number }; kernel: { cpuMs: number; wallMs: number; runs: number } };
  /** The product's path (the tree path when the trees reproduce the runtime); judged against the goal. */
  permutation: SpeedRow[];
  /** One runtime call per shuffle, timed beside it for comparison. */
  permutationModelCalls: SpeedRow[];
  treeShap: SpeedRow[];
  kernel: SpeedRow[];
  load: { node: string; version: string; backend: string; t: Timing; runtime: string }[];
  accuracy?: {
    backend: string;
    exactMaxAbsDiff: number;
    exactRows: number;
    exactFeatures: number;
    exactCoalitions: number;
    efficiencyVsJs: number;
    efficiencyVsRuntime: number;
    meanAbsPhi: number;
    numpyKernel: { mean: number; max: number };
    ourKernel: { mean: number; max: number };
    highBudget: { rows: number; budget: number; vsTree: { mean: number; max: number }; ourKernelSameRows: { mean: number; max: number }; numpySameRows: { mean: number; max: number }; cpuMs: number };
    importance: ImportanceAgreement;
    baselines: { ours: number; sklearn: number };
    /** Largest |runtime − scikit-learn| class-1 probability over the evaluation rows, per backend. */
    probaVsSklearn: { backend: string; maxAbsDiff: number }[];
  };
}

export function explainFigures(r: ExplainBenchResult): ExplainFigures {
  const py = r.python;
  const pyPi = { cpuMs: median(py.permutation.cpuMs), wallMs: median(py.permutation.wallMs), runs: py.permutation.cpuMs.length };
  const pyKs = { cpuMs: median(py.kernelShap.cpuMs), wallMs: median(py.kernelShap.wallMs), runs: py.kernelShap.cpuMs.length };
  const rows = (pick: (b: BackendMeasure) => Sample[], ref: { cpuMs: number; wallMs: number }): SpeedRow[] =>
    r.nodes.flatMap((n) => n.backends.filter((b) => pick(b).length).map((b) => {
      const t = timing(pick(b));
      return { node: n.label, version: n.version, backend: b.backend, ours: t, cpuRatio: ref.cpuMs / t.cpuMs, wallRatio: ref.wallMs / t.wallMs, coldCpuRatio: ref.cpuMs / t.coldCpuMs };
    }));
  // KernelSHAP runs are long and few: every run counts (no cold run set aside).
  const kernelRows = r.nodes.flatMap((n) => n.backends.filter((b) => b.kernel.length).map((b) => {
    const t: Timing = { cpuMs: median(b.kernel.map((s) => s.cpuMs)), wallMs: median(b.kernel.map((s) => s.wallMs)), coldCpuMs: b.kernel[0].cpuMs, coldWallMs: b.kernel[0].wallMs, runs: b.kernel.length };
    return { node: n.label, version: n.version, backend: b.backend, ours: t, cpuRatio: pyKs.cpuMs / t.cpuMs, wallRatio: pyKs.wallMs / t.wallMs, coldCpuRatio: pyKs.cpuMs / t.coldCpuMs };
  }));
  const figures: ExplainFigures = {
    python: { permutation: pyPi, kernel: pyKs },
    permutation: rows((b) => b.permutation, pyPi),
    permutationModelCalls: rows((b) => b.permutationModelCalls ?? [], pyPi),
    treeShap: rows(treePath, pyKs),
    kernel: kernelRows,
    load: r.nodes.flatMap((n) => n.backends.map((b) => ({ node: n.label, version: n.version, backend: b.backend, t: timing(b.load), runtime: b.runtime }))),
  };
  const a = r.nodes[0]?.accuracy;
  if (a) {
    const tree = a.tree.values;
    const same = (m: number[][]) => a.highBudget.rows.map((i) => m[i]);
    const b = r.nodes[0].backends.find((x) => x.backend === a.backend) ?? r.nodes[0].backends[0];
    figures.accuracy = {
      backend: a.backend,
      exactMaxAbsDiff: a.exact.maxAbsDiff, exactRows: a.exact.rows, exactFeatures: a.exact.features, exactCoalitions: a.exact.coalitions,
      efficiencyVsJs: efficiencyResidual(tree, a.tree.baseValue, a.tree.outputs),
      efficiencyVsRuntime: efficiencyResidual(tree, a.tree.baseValue, a.runtimeOutputs),
      meanAbsPhi: meanAbs(tree),
      numpyKernel: absError(py.kernelShap.values, tree),
      ourKernel: absError(a.kernel.values, tree),
      highBudget: {
        rows: a.highBudget.rows.length, budget: a.highBudget.budget, cpuMs: a.highBudget.cpuMs,
        vsTree: absError(a.highBudget.values, same(tree)),
        ourKernelSameRows: absError(same(a.kernel.values), same(tree)),
        numpySameRows: absError(same(py.kernelShap.values), same(tree)),
      },
      importance: compareImportance(b.importance, py.permutation),
      baselines: { ours: b.importance.baseline, sklearn: py.evalAuc },
      probaVsSklearn: r.nodes[0].backends.map((x) => ({ backend: x.backend, maxAbsDiff: Math.max(...x.proba.map((v, i) => Math.abs(v - py.proba[i]))) })),
    };
  }
  return figures;
}

const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
const ms = (v: number) => (v >= 100 ? `${Math.round(v).toLocaleString('en-US')} ms` : `${v.toFixed(1)} ms`);
const x = (v: number) => `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1)}×`;
const sci = (v: number) => (v === 0 ? '0' : v.toExponential(1));
const backendName = (b: string) => (b === 'web' ? 'onnxruntime-web' : 'onnxruntime-node');

function speedSummary(rows: SpeedRow[], goal: number, what: string): string[] {
  const backends = [...new Set(rows.map((r) => r.backend))];
  return backends.map((b) => {
    const mine = rows.filter((r) => r.backend === b);
    const measured = mine.map((r) => `${r.version}: ${x(r.cpuRatio)} CPU (${x(r.wallRatio)} wall)`).join('; ');
    return `| ${what} ≥ ${goal}× faster (${backendName(b)}) | ${measured} | ${verdict(mine.every((r) => r.cpuRatio >= goal))} |`;
  });
}

export function explainSummaryRows(f: ExplainFigures): string[] {
  const rows = [
    ...speedSummary(f.permutation, EXPLAIN_GOALS.permutationSpeedup, 'Permutation importance vs scikit-learn'),
    ...speedSummary(f.treeShap, EXPLAIN_GOALS.treeShapSpeedup, 'TreeSHAP vs numpy KernelSHAP'),
  ];
  const a = f.accuracy;
  if (a) {
    const exact = a.exactMaxAbsDiff <= EXPLAIN_GOALS.exactTolerance && a.efficiencyVsJs <= EXPLAIN_GOALS.exactTolerance;
    rows.push(`| TreeSHAP accuracy ≥ KernelSHAP's (error vs exact Shapley values) | ${sci(a.exactMaxAbsDiff)} max vs enumeration; numpy KernelSHAP ${sci(a.numpyKernel.mean)} mean, ${sci(a.numpyKernel.max)} max | ${verdict(exact && a.exactMaxAbsDiff <= a.numpyKernel.mean)} |`);
    const im = a.importance;
    rows.push(`| Permutation importance matches scikit-learn's (every feature within ${EXPLAIN_GOALS.importanceSd} combined sd) | worst ${im.worstSdRatio.toFixed(2)} sd; Spearman ${im.spearman.toFixed(2)}; top-${im.k} overlap ${im.topOverlap}/${im.k} | ${verdict(im.worstSdRatio <= EXPLAIN_GOALS.importanceSd)} |`);
  }
  return rows;
}

function timingCells(t: Timing): string {
  return `${ms(t.cpuMs)} | ${ms(t.wallMs)} | ${ms(t.coldCpuMs)} / ${ms(t.coldWallMs)} | ${t.runs}`;
}

export function explainSection(r: ExplainBenchResult): string[] {
  const f = explainFigures(r);
  const py = r.python;
  const m = py.model;
  const calls = 1 + py.data.features * py.permutation.repeats;
  const piMethod = (p: SpeedRow) => r.nodes.find((n) => n.label === p.node)?.backends.find((b) => b.backend === p.backend)?.permutationMethod ?? 'model-calls';
  const piMethods = new Set(f.permutation.map(piMethod));
  const piPath = piMethods.size === 1 && piMethods.has('tree')
    ? `the product's path: one runtime call of ${py.data.evalRows} rows (the baseline, which also proves the trees read from the graph reproduce the runtime), then every shuffle scored from the trees, re-walking only the (tree, row) pairs whose path tests the shuffled feature (\`shared/explain/methods/treePermutation.ts\`; same numbers as model calls). The model-call path (${calls} runtime calls of ${py.data.evalRows} rows) is timed beside it`
    : `${calls} runtime calls of ${py.data.evalRows} rows${piMethods.has('tree') ? '; the tree path on some backends' : ''}`;
  const out: string[] = [
    `## Goal 6: ExplainabilityReport: permutation importance ≥ ${EXPLAIN_GOALS.permutationSpeedup}× scikit-learn, TreeSHAP ≥ ${EXPLAIN_GOALS.treeShapSpeedup}× KernelSHAP, at equal or better accuracy`,
    '',
    `Made in the same run by \`bench/explain/reference.py\` (Python ${py.versions.python}, scikit-learn ${py.versions.sklearn}, numpy ${py.versions.numpy}, onnx ${py.versions.onnx}; files in \`.cache/bench/explain/\`):`,
    '',
    `- **Data**: ${py.data.dataset} (${py.data.features} numeric features), stratified 70/30 split with seed ${py.data.splitSeed}: ${py.data.trainRows} training rows,`,
    `  ${py.data.evalRows} evaluation rows (\`data.csv\`); ${py.data.backgroundRows} background rows sampled from the training rows; ${py.data.explainRows.length} evaluation rows explained.`,
    `- **Model**: ${m.kind}(${Object.entries(m.params).map(([k, v]) => `${k}=${v}`).join(', ')}; others default, full-depth trees): ${m.trees} trees, ${m.nodes.toLocaleString('en-US')} nodes,`,
    `  ${m.leaves.toLocaleString('en-US')} leaves, depth ≤ ${m.maxDepth}; evaluation AUC ${py.evalAuc.toFixed(4)}. Written to ONNX by hand as skl2onnx writes forests: TreeEnsembleClassifier`,
    '  (ai.onnx.ml 1, float32 BRANCH_LEQ thresholds, leaf class probabilities / trees as weights of both classes) + ZipMap, so the',
    '  predictor strips the ZipMap as it does for real skl2onnx models.',
    `- **Permutation importance**: metric ROC AUC, ${py.permutation.repeats} repeats; scikit-learn's \`permutation_importance(scoring="roc_auc", n_repeats=${py.permutation.repeats}, random_state=${py.permutation.seed})\``,
    `  (single-threaded, median of ${f.python.permutation.runs}) against ours (seed 42): ${piPath}.`,
    `- **SHAP**: ${py.data.explainRows.length} rows × ${py.data.backgroundRows} background rows, interventional. Reference: KernelSHAP in numpy as shap's KernelExplainer does it`,
    `  with nsamples "auto" (${py.kernelShap.nsamples} = 2M + 2048 coalitions per row, one \`predict_proba\` call per row, no L1 selection), ${f.python.kernel.runs} run.`,
    '  Ours: TreeSHAP (exact, `shared/explain/methods/treeShap.ts`) and, like for like, our KernelSHAP with the same budget on the runtime.',
    '',
    'Python runs with one BLAS/OpenMP thread (OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=MKL_NUM_THREADS=1) and scikit-learn\'s n_jobs unset; both onnxruntimes',
    'run with one thread (the task\'s settings), so every figure below is one core\'s work.',
    '',
    `CPU is process CPU time (all threads; Python's \`time.process_time\`, Node's \`process.cpuUsage\`); speed goals are judged on it because the machine`,
    `was shared: load average ${r.machine.loadBefore.toFixed(1)} before and ${r.machine.loadAfter.toFixed(1)} after this part on ${r.machine.cores} cores, so wall times include waiting for a core`,
    'and vary from run to run. Medians of warm runs; the cold column is the first run in a fresh process (first runtime load, unoptimised JS).',
    '',
    '| Step | Node | Backend | CPU, median | Wall, median | Cold CPU / wall | Runs |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const l of f.load) out.push(`| Model load (read + session) | ${l.version} | ${l.runtime} | ${timingCells(l.t)} |`);
  for (const p of f.permutation) out.push(`| Permutation importance (${piMethod(p)} path) | ${p.version} | ${backendName(p.backend)} | ${timingCells(p.ours)} |`);
  for (const p of f.permutationModelCalls) out.push(`| Permutation importance, model calls (comparison) | ${p.version} | ${backendName(p.backend)} | ${timingCells(p.ours)} |`);
  for (const t of f.treeShap) out.push(`| TreeSHAP path (runtime check + treeShap) | ${t.version} | ${backendName(t.backend)} | ${timingCells(t.ours)} |`);
  for (const k of f.kernel) out.push(`| KernelSHAP, ${py.kernelShap.nsamples} coalitions | ${k.version} | ${backendName(k.backend)} | ${ms(k.ours.cpuMs)} | ${ms(k.ours.wallMs)} | — | ${k.ours.runs} |`);
  out.push(
    `| scikit-learn permutation_importance | Python ${py.versions.python} | scikit-learn ${py.versions.sklearn} | ${ms(f.python.permutation.cpuMs)} | ${ms(f.python.permutation.wallMs)} | — | ${f.python.permutation.runs} |`,
    `| numpy KernelSHAP, ${py.kernelShap.nsamples} coalitions | Python ${py.versions.python} | scikit-learn ${py.versions.sklearn} | ${ms(f.python.kernel.cpuMs)} | ${ms(f.python.kernel.wallMs)} | — | ${f.python.kernel.runs} |`,
    '',
    '| Ratio (Python reference / ours) | Node | Backend | CPU | Wall | Cold CPU | Goal | Result |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const p of f.permutation) out.push(`| Permutation importance (${piMethod(p)} path) | ${p.version} | ${backendName(p.backend)} | ${x(p.cpuRatio)} | ${x(p.wallRatio)} | ${x(p.coldCpuRatio)} | ≥ ${EXPLAIN_GOALS.permutationSpeedup}× | ${verdict(p.cpuRatio >= EXPLAIN_GOALS.permutationSpeedup)} |`);
  for (const p of f.permutationModelCalls) out.push(`| Permutation importance, model calls | ${p.version} | ${backendName(p.backend)} | ${x(p.cpuRatio)} | ${x(p.wallRatio)} | ${x(p.coldCpuRatio)} | (comparison) | |`);
  for (const t of f.treeShap) out.push(`| TreeSHAP vs numpy KernelSHAP | ${t.version} | ${backendName(t.backend)} | ${x(t.cpuRatio)} | ${x(t.wallRatio)} | ${x(t.coldCpuRatio)} | ≥ ${EXPLAIN_GOALS.treeShapSpeedup}× | ${verdict(t.cpuRatio >= EXPLAIN_GOALS.treeShapSpeedup)} |`);
  for (const k of f.kernel) out.push(`| KernelSHAP vs numpy KernelSHAP (same budget) | ${k.version} | ${backendName(k.backend)} | ${x(k.cpuRatio)} | ${x(k.wallRatio)} | — | (like for like) | |`);
  out.push('', 'Goals are judged on the warm CPU median; a pipeline run explains once, in a fresh process, so the cold column is what one run of the task sees.', '');
  const byCalls = f.permutationModelCalls.length ? f.permutationModelCalls : f.permutation.filter((p) => piMethod(p) === 'model-calls');
  const pi = byCalls.map((p) => `${backendName(p.backend)} on ${p.version}: ${ms(p.ours.cpuMs / calls)}`).join(', ');
  out.push(`Permutation importance CPU per runtime call (${py.data.evalRows} rows, including the AUC): ${pi}; scikit-learn: ${ms(f.python.permutation.cpuMs / (py.data.features * py.permutation.repeats))} per shuffled score.`, '');
  const a = f.accuracy;
  if (a) {
    const im = a.importance;
    out.push(
      `### Accuracy (${backendName(a.backend)}, ${r.nodes[0].version})`,
      '',
      `- **TreeSHAP is exact.** Exact Shapley values by enumeration are out of reach at ${py.data.features} features, so on a reduced game (each background row`,
      `  replaced by the explained row with only its ${a.exactFeatures} most important features taken from the background row; every tree path kept) KernelSHAP`,
      `  enumerated all ${a.exactCoalitions.toLocaleString('en-US')} coalitions for ${a.exactRows} rows, on the forest evaluated in float64: largest |TreeSHAP − exact| = ${sci(a.exactMaxAbsDiff)}`,
      `  (mean |φ| ${sci(a.meanAbsPhi)}). Efficiency on the real game: |base + Σφ − f(x)| ≤ ${sci(a.efficiencyVsJs)} against the float64 evaluation, ≤ ${sci(a.efficiencyVsRuntime)} against the`,
      '  runtime\'s float32 output.',
      `- **High-budget KernelSHAP agrees with TreeSHAP**: ${a.highBudget.rows} rows at ${a.highBudget.budget.toLocaleString('en-US')} coalitions: mean |Δ| ${sci(a.highBudget.vsTree.mean)} (max ${sci(a.highBudget.vsTree.max)}), against`,
      `  ${sci(a.highBudget.ourKernelSameRows.mean)} for our ${py.kernelShap.nsamples}-coalition run and ${sci(a.highBudget.numpySameRows.mean)} for numpy's on the same rows: the sampled`,
      `  estimates converge on the TreeSHAP values as the budget grows (√(budget ratio) = ${Math.sqrt(a.highBudget.budget / py.kernelShap.nsamples).toFixed(1)}).`,
      `- **Error against TreeSHAP, all ${py.data.explainRows.length} rows × ${py.data.features} features** (mean |φ| = ${sci(a.meanAbsPhi)}): numpy KernelSHAP mean ${sci(a.numpyKernel.mean)}, max ${sci(a.numpyKernel.max)};`,
      `  our KernelSHAP at the same budget mean ${sci(a.ourKernel.mean)}, max ${sci(a.ourKernel.max)}; TreeSHAP itself: ${sci(a.exactMaxAbsDiff)} (above).`,
      `- **Permutation importance vs scikit-learn's** (different random shuffles): baseline AUC ${a.baselines.ours.toFixed(6)} (ours) vs ${a.baselines.sklearn.toFixed(6)};`,
      `  ${im.withinSd}/${im.features} features within one combined sd √(sd₁² + sd₂²), worst ${im.worstSdRatio.toFixed(2)} sd, largest |Δ| ${sci(im.maxAbsDiff)};`,
      `  Spearman rank correlation ${im.spearman.toFixed(2)} (many features have near-zero importance, whose order is noise); top-${im.k} overlap ${im.topOverlap}/${im.k}.`,
      `- **Runtime vs scikit-learn predictions** (class-1 probability, ${py.data.evalRows} rows): ${a.probaVsSklearn.map((p) => `${backendName(p.backend)} max |Δ| ${sci(p.maxAbsDiff)}`).join(', ')} (float32 sums).`,
      '',
    );
  }
  return out;
}

/** docs/benchmarks.md with the summary rows appended to the summary table and the section before "## Reproduce". */
export function withExplain(doc: string, r: ExplainBenchResult): string {
  const lines = doc.split('\n');
  const summary = lines.indexOf('## Summary');
  if (summary >= 0) {
    let i = summary + 1;
    while (i < lines.length && !lines[i].startsWith('|')) i++;
    while (i < lines.length && lines[i].startsWith('|')) i++;
    lines.splice(i, 0, ...explainSummaryRows(explainFigures(r)));
  }
  const section = explainSection(r);
  const at = lines.indexOf('## Reproduce');
  if (at >= 0) lines.splice(at, 0, ...section);
  else lines.push('', ...section);
  return lines.join('\n');
}
