/**
 * The model card, after Mitchell et al. 2019 and the Model Card Toolkit's sections (model details, parameters, data,
 * quantitative analysis, considerations), plus what this gate adds: the explanation's top features, the gate's
 * verdict and the lineage. `buildModelCard` gives the JSON (numbers not computed become null, so the JSON stays
 * valid and says so); `renderModelCard` the Markdown, every value escaped.
 */
import { escapeMarkdown, mdLink } from '../../report/markdownEscape';
import type { BackendName, MetricName, OutputSpace, ShapMethod, TaskType } from '../types';
import { fmt, headlineMetric, isNum, METRIC_LABEL, METRIC_ORDER, rankFeatures } from './format';
import type { ReportInput, ReportLineage } from './types';

export const MODEL_CARD_SCHEMA = 'mlops-gates/model-card@1';
const TOP = 10;
const OUT_OF_SCOPE = 'Fairness across groups and causal effects are not assessed: SHAP values and partial dependence describe the model, assume independent features, and are not causal.';

type Num = number | null;
const num = (v: unknown): Num => (isNum(v) ? v : null);

export interface ModelCard {
  schema: typeof MODEL_CARD_SCHEMA;
  modelDetails: {
    name?: string; version?: string; assetId?: string; path: string; sha256: string; taskType: TaskType;
    owners: string[]; license?: string; references: string[];
  };
  modelParameters: { inputs: string[]; target: string; output: { name: string; space: OutputSpace; backend: BackendName } };
  data: { evaluation: { source: string; rows: number }; background: { source: string; rows: number; method: string }; explainedRows: number };
  quantitativeAnalysis: {
    rows: number;
    headline: { metric: MetricName; value: number } | null;
    metrics: Partial<Record<MetricName, Num>>;
    champion?: { name?: string; version?: string; sha256: string; metrics: Partial<Record<MetricName, Num>>; maxImportanceShift: Num };
  };
  explainability: {
    topFeatures: { feature: string; meanAbsShap: Num; permutationImportance: Num; permutationStd: Num }[];
    shapMethod: ShapMethod; permutationMetric: MetricName; permutationRepeats: number; seed: number;
  };
  considerations: { intendedUse?: string; limitations?: string; ethicalConsiderations?: string; warnings: string[]; outOfScope: string };
  gate: { verdict: 'passed' | 'failed'; failures: { check: string; threshold: string | number; value: string | number | null; message: string }[] };
  lineage: ReportLineage;
  generatedAt: string;
  generator: string;
}

function metricsOf(m: Partial<Record<MetricName, number>>, task: TaskType): Partial<Record<MetricName, Num>> {
  return Object.fromEntries(METRIC_ORDER[task].filter((k) => k in m).map((k) => [k, num(m[k])]));
}

export function buildModelCard(input: ReportInput): ModelCard {
  const e = input.explanation;
  const given = input.modelCard ?? {};
  const head = headlineMetric(e.metrics, e.taskType);
  const c = e.champion;
  const card: ModelCard = {
    schema: MODEL_CARD_SCHEMA,
    modelDetails: {
      name: input.lineage.modelName ?? e.model.name, version: input.lineage.modelVersion ?? e.model.version, assetId: input.lineage.modelAssetId,
      path: e.model.path, sha256: e.model.sha256, taskType: e.taskType,
      owners: [...(given.owners ?? [])], license: given.license, references: [...(given.references ?? [])],
    },
    modelParameters: { inputs: [...e.featureNames], target: e.target, output: { name: e.model.outputName, space: e.shap.outputSpace, backend: e.model.backend } },
    data: {
      evaluation: { source: input.data.source, rows: input.data.rows },
      background: { source: input.data.backgroundSource, rows: e.shap.background.rows, method: e.shap.background.method },
      explainedRows: e.shap.values.length,
    },
    quantitativeAnalysis: {
      rows: e.metrics.rows,
      headline: head ? { metric: head.name, value: head.value } : null,
      metrics: metricsOf(e.metrics, e.taskType),
      ...(c ? { champion: { name: c.model.name, version: c.model.version, sha256: c.model.sha256, metrics: metricsOf(c.metrics, e.taskType), maxImportanceShift: num(c.maxShift) } } : {}),
    },
    explainability: {
      topFeatures: rankFeatures(e).slice(0, TOP).map((r) => ({ feature: r.feature, meanAbsShap: num(r.meanAbsShap), permutationImportance: num(r.permutationMean), permutationStd: num(r.permutationStd) })),
      shapMethod: e.shap.method, permutationMetric: e.permutationImportance.metric, permutationRepeats: e.permutationImportance.repeats, seed: e.seed,
    },
    considerations: { intendedUse: given.intendedUse, limitations: given.limitations, ethicalConsiderations: given.ethicalConsiderations, warnings: [...e.warnings], outOfScope: OUT_OF_SCOPE },
    gate: {
      verdict: input.gate.verdict,
      failures: input.gate.failures.map((f) => ({ check: f.check, threshold: f.threshold, value: f.value === undefined ? null : typeof f.value === 'number' ? num(f.value) : f.value, message: f.message })),
    },
    lineage: { ...input.lineage, ...(input.lineage.dataAssets ? { dataAssets: [...input.lineage.dataAssets] } : {}) },
    generatedAt: input.generatedAt,
    generator: `MLOps Gates ExplainabilityReport ${input.productVersion}`,
  };
  // Plain JSON: optional members that were not given are absent rather than undefined.
  return JSON.parse(JSON.stringify(card)) as ModelCard;
}

const md = (v: string | undefined, max = 500) => (v ? escapeMarkdown(v, max) : '_Not provided._');
const n = (v: Num) => (v === null ? 'not computed' : fmt(v));

export function renderModelCard(card: ModelCard): string {
  const d = card.modelDetails;
  const q = card.quantitativeAnalysis;
  const out = [
    `# Model card: ${escapeMarkdown(d.name ?? d.path, 200)}${d.version ? ` version ${escapeMarkdown(d.version, 50)}` : ''}`, '',
    '## Model details', '',
    `- **File:** ${escapeMarkdown(d.path, 300)}`,
    `- **SHA-256:** ${escapeMarkdown(d.sha256, 80)}`,
    ...(d.assetId ? [`- **Asset:** ${escapeMarkdown(d.assetId, 400)}`] : []),
    `- **Task:** ${d.taskType}; target ${escapeMarkdown(card.modelParameters.target, 200)}; output ${escapeMarkdown(card.modelParameters.output.name, 100)} (${card.modelParameters.output.space})`,
    `- **Owners:** ${d.owners.length ? d.owners.map((o) => escapeMarkdown(o, 200)).join(', ') : '_Not provided._'}`,
    `- **License:** ${md(d.license, 200)}`,
    ...(d.references.length ? [`- **References:** ${d.references.map((r) => mdLink(r, r)).join(', ')}`] : []),
    `- **Inputs (${card.modelParameters.inputs.length}):** ${card.modelParameters.inputs.map((f) => escapeMarkdown(f, 100)).join(', ')}`, '',
    '## Intended use', '', md(card.considerations.intendedUse, 2000), '',
    '## Data', '',
    `- **Evaluation:** ${escapeMarkdown(card.data.evaluation.source, 300)}, ${card.data.evaluation.rows} rows`,
    `- **Background:** ${escapeMarkdown(card.data.background.source, 300)}, ${card.data.background.rows} rows (${escapeMarkdown(card.data.background.method)})`,
    `- **Explained rows:** ${card.data.explainedRows}`, '',
    '## Quantitative analysis', '',
  ];
  const names = Object.keys(q.metrics) as MetricName[];
  if (names.length) {
    const champ = q.champion;
    out.push(`| Metric | Value${champ ? ` | Champion${champ.version ? ` (version ${escapeMarkdown(champ.version, 50)})` : ''}` : ''} |`, `|---|--:${champ ? '|--:' : ''}|`);
    for (const m of names) out.push(`| ${METRIC_LABEL[m]} | ${n(q.metrics[m] ?? null)}${champ ? ` | ${n(champ.metrics[m] ?? null)}` : ''} |`);
    out.push('', `On ${q.rows} rows.${champ ? ` Largest importance shift against the champion: ${n(champ.maxImportanceShift)}.` : ''}`, '');
  } else out.push('_No metric computed._', '');
  const x = card.explainability;
  out.push('## Explainability', '', `SHAP: ${x.shapMethod}; permutation importance: ${METRIC_LABEL[x.permutationMetric]}, ${x.permutationRepeats} repeats; seed ${x.seed}.`, '');
  if (x.topFeatures.length) {
    out.push('| # | Feature | Mean \\|SHAP\\| | Permutation importance |', '|--:|---|--:|--:|');
    x.topFeatures.forEach((f, i) => out.push(`| ${i + 1} | ${escapeMarkdown(f.feature, 100)} | ${n(f.meanAbsShap)} | ${f.permutationImportance === null ? 'not computed' : `${fmt(f.permutationImportance)} ± ${n(f.permutationStd)}`} |`));
    out.push('');
  }
  const c = card.considerations;
  out.push('## Considerations', '', `- **Limitations:** ${md(c.limitations, 2000)}`, ...(c.ethicalConsiderations ? [`- **Ethical considerations:** ${md(c.ethicalConsiderations, 2000)}`] : []), `- **Out of scope:** ${c.outOfScope}`);
  for (const w of c.warnings) out.push(`- ⚠️ ${escapeMarkdown(w, 1000)}`);
  out.push('', '## Gate', '', `**${card.gate.verdict}**${card.gate.failures.length ? `, ${card.gate.failures.length} failed check${card.gate.failures.length === 1 ? '' : 's'}:` : '.'}`);
  for (const f of card.gate.failures) {
    const v = f.value === null ? 'not computed' : typeof f.value === 'number' ? fmt(f.value) : escapeMarkdown(f.value, 200);
    out.push(`- ${escapeMarkdown(f.check, 200)}: ${typeof f.threshold === 'number' ? fmt(f.threshold) : escapeMarkdown(f.threshold, 200)}, value ${v}`);
  }
  const l = card.lineage;
  const lineage = [
    l.repository || l.commit ? `- **Source:** ${escapeMarkdown(l.repository ?? '', 300)}${l.commit ? ` @ ${escapeMarkdown(l.commit, 64)}` : ''}` : '',
    l.pipelineRunUrl ? `- **Pipeline run:** ${mdLink(l.pipelineRunUrl, l.pipelineRunUrl)}` : '',
    l.trainingJobId ? `- **Training job:** ${escapeMarkdown(l.trainingJobId, 400)}` : '',
    l.dataAssets?.length ? `- **Data assets:** ${l.dataAssets.map((a) => escapeMarkdown(a, 300)).join(', ')}` : '',
    l.environment ? `- **Environment:** ${escapeMarkdown(l.environment, 300)}` : '',
  ].filter(Boolean);
  out.push('', '## Lineage', '', ...(lineage.length ? lineage : ['_Not recorded._']), '', '---', '', `${escapeMarkdown(card.generator, 100)} · ${escapeMarkdown(card.generatedAt, 40)}`, '');
  return out.join('\n');
}
