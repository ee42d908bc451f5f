/**
 * The ExplainabilityReport's HTML report: one self-contained file (inline CSS and SVG, no script, no external
 * requests) with the sections of a model explanation review, in the order reviewers expect them. Every string that
 * comes from the model, the data, the pipeline or another gate goes through `esc`; links are http(s) only.
 */
import { digestOf } from '../../report/evidence';
import { safeUrl } from '../../report/markdownEscape';
import type { ExplanationResult } from '../types';
import { dependencePlot, importanceBars, lineageGraph, localExplanation, shapSummary } from './charts';
import { REPORT_CSS } from './css';
import { confusionMatrix, predictedVsActualChart, probabilityChart, residualChart, shapBoxPlot, targetDistributionChart } from './perfCharts';
import { clip, efficiencyResidual, esc, fmt, headlineMetric, HIGHER_IS_BETTER, isNum, METRIC_LABEL, METRIC_ORDER, rankFeatures } from './format';
import { shapCsv } from './csv';
import type { GateCheck, ReportInput } from './types';

/** Dependence plots and local explanations shown, at most. */
const MAX_DEPENDENCE = 9;
const MAX_LOCAL = 3;

const SHAP_METHOD: Record<string, string> = {
  tree: 'TreeSHAP (exact for tree ensembles)',
  linear: 'Linear SHAP (exact, closed form)',
  'kernel-exact': 'KernelSHAP, all coalitions enumerated (exact)',
  'kernel-sampled': 'KernelSHAP, sampled coalitions (estimate)',
};

function link(text: string, url: string | undefined): string {
  const href = url ? safeUrl(url) : undefined;
  return href ? `<a href="${esc(href)}">${esc(text)}</a>` : esc(text);
}

function facts(rows: [string, string | undefined][]): string {
  const kept = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
  return `<dl class="facts">${kept.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function table(head: string[], rows: string[][], numeric: number[] = []): string {
  const cls = (i: number) => (numeric.includes(i) ? ' class="num"' : '');
  return `<div class="scroll"><table><thead><tr>${head.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}

function section(id: string, title: string, body: string[]): string {
  return `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${esc(title)}</h2>\n${body.join('\n')}\n</section>`;
}

function figure(svg: string, caption?: string, cls?: string): string {
  return `<figure${cls ? ` class="${cls}"` : ''}>${svg}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
}

const notProvided = (input: string) => `<span class="note">Not provided (task input <code>${esc(input)}</code>).</span>`;

function header(input: ReportInput): string {
  const e = input.explanation;
  const name = input.lineage.modelName ?? e.model.name ?? e.model.path;
  const version = input.lineage.modelVersion ?? e.model.version;
  const head = headlineMetric(e.metrics, e.taskType);
  const champ = head && e.champion ? e.champion.metrics[head.name] : undefined;
  const top = rankFeatures(e).filter((r) => isNum(r.meanAbsShap) || isNum(r.permutationMean)).slice(0, 3);
  const verdict = input.gate.verdict;
  const kpis = [
    `<div class="kpi"><b class="verdict">${verdict === 'passed' ? '✓ Passed' : '✗ Failed'}</b><span>${input.gate.failures.length} failed check${input.gate.failures.length === 1 ? '' : 's'}</span></div>`,
    head
      ? `<div class="kpi"><b>${esc(METRIC_LABEL[head.name])} ${esc(fmt(head.value))}</b><span>${isNum(champ) ? `champion ${esc(fmt(champ))}` : `on ${esc(String(e.metrics.rows))} rows`}</span></div>`
      : `<div class="kpi"><b>No metric</b><span class="note">not computed</span></div>`,
    `<div class="kpi"><b>${esc(String(e.featureNames.length))} features</b><span>${esc(String(e.shap.values.length))} rows explained</span></div>`,
    `<div class="kpi"><b>Top features</b><span>${top.length ? top.map((t) => esc(clip(t.feature, 40))).join(', ') : 'not computed'}</span></div>`,
  ];
  const toc = [['model', 'Model'], ['data', 'Data'], ['metrics', 'Metrics'], ['importance', 'Importance'], ['shap', 'SHAP'], ['dependence', 'Dependence'], ['local', 'Local'], ['checks', 'Checks'], ['evidence', 'Evidence'], ['lineage', 'Lineage'], ['warnings', 'Warnings'], ['method', 'Method']];
  return [
    `<header><p class="sub">MLOps Gates · Explainability report</p>`,
    `<h1>${esc(name)}${version ? ` <span class="sub">version ${esc(version)}</span>` : ''}</h1>`,
    `<p class="sub">${esc(e.taskType)} · target <code>${esc(e.target)}</code> · generated ${esc(input.generatedAt)}${input.run?.id ? ` · run ${link(input.run.id, input.run.url)}` : ''}</p>`,
    `<div class="banner ${verdict}" role="status">${kpis.join('')}</div>`,
    `<nav class="toc" aria-label="Sections">${toc.map(([id, t]) => `<a href="#${id}">${t}</a>`).join('')}</nav></header>`,
  ].join('\n');
}

function modelSection(input: ReportInput): string {
  const e = input.explanation;
  const card = input.modelCard ?? {};
  const space = e.shap.outputSpace === 'value' ? 'the regression value' : e.shap.outputSpace === 'probability' ? 'the class probability' : 'the margin (logit / raw score)';
  return section('model', 'Model details', [
    facts([
      ['Name', esc(input.lineage.modelName ?? e.model.name ?? 'not registered')],
      ['Version', input.lineage.modelVersion ?? e.model.version ? esc(input.lineage.modelVersion ?? e.model.version) : undefined],
      ['Asset id', input.lineage.modelAssetId ? `<code>${esc(input.lineage.modelAssetId)}</code>` : undefined],
      ['File', `<code>${esc(e.model.path)}</code>`],
      ['SHA-256', `<code>${esc(e.model.sha256)}</code>`],
      ['Task', esc(e.taskType)],
      ['Explained output', `<code>${esc(e.model.outputName)}</code>, explained as ${esc(space)}`],
      ['Inputs', `${esc(String(e.featureNames.length))} features (listed under Data)`],
      ['Owners', card.owners?.length ? card.owners.map(esc).join('<br>') : notProvided('modelOwners')],
      ['License', card.license ? esc(card.license) : notProvided('modelLicense')],
      ['References', card.references?.length ? card.references.map((r) => link(r, r)).join('<br>') : undefined],
    ]),
    '<h3>Intended use</h3>',
    card.intendedUse ? `<p>${esc(card.intendedUse)}</p>` : `<p>${notProvided('intendedUse')}</p>`,
  ]);
}

function dataSection(input: ReportInput): string {
  const e = input.explanation;
  const bg = e.shap.background;
  const body = [
    facts([
      ['Evaluation data', `<code>${esc(input.data.source)}</code>`],
      ['Rows', esc(String(input.data.rows))],
      ['Background', `<code>${esc(input.data.backgroundSource)}</code>: ${esc(String(bg.rows))} rows (${esc(bg.method)})`],
      ['Explained rows', esc(String(e.shap.values.length))],
      ['Target', `<code>${esc(e.target)}</code>`],
      ['Features', `${e.featureNames.map((f) => `<code>${esc(f)}</code>`).join(', ')}`],
    ]),
  ];
  const stats = input.data.featureStats ?? [];
  if (stats.length) {
    body.push('<h3>Feature statistics</h3>', table(['Feature', 'Min', 'Q1', 'Median', 'Q3', 'Max', 'Missing'], stats.map((s) => [esc(s.feature), ...[s.min, s.q1, s.median, s.q3, s.max, s.missing].map((v) => esc(fmt(v)))]), [1, 2, 3, 4, 5, 6]));
  }
  const td = e.performance?.targetDistribution;
  body.push('<h3>Target distribution</h3>', td
    ? figure(targetDistributionChart(td, e.target), 'edges' in td ? `Histogram of ${e.target} over the evaluation rows with a target.` : `Evaluation rows per class of ${e.target}.`)
    : '<p class="note">Target distribution not computed (the data has no target column, or the model could not score it).</p>');
  return section('data', 'Data', body);
}

function metricsSection(e: ExplanationResult): string {
  const names = METRIC_ORDER[e.taskType].filter((m) => m in e.metrics || (e.champion && m in e.champion.metrics));
  const c = e.champion;
  const rows = names.map((m) => {
    const v = e.metrics[m];
    const cv = c?.metrics[m];
    const d = isNum(v) && isNum(cv) ? v - cv : NaN;
    const better = isNum(d) && d !== 0 ? (d > 0) === HIGHER_IS_BETTER[m] : undefined;
    const delta = isNum(d) ? `<span class="${better === undefined ? '' : better ? 'ok' : 'bad'}">${d > 0 ? '+' : ''}${esc(fmt(d, 3))}</span>` : '';
    return [esc(METRIC_LABEL[m]), isNum(v) ? esc(fmt(v)) : '<span class="note">not computed</span>', ...(c ? [isNum(cv) ? esc(fmt(cv)) : 'n/a', delta] : [])];
  });
  const perf = [
    rows.length ? table(['Metric', 'This model', ...(c ? ['Champion', 'Δ'] : [])], rows, c ? [1, 2, 3] : [1]) : '<p class="note">No metric was computed (the data has no target column, or it could not be scored).</p>',
    `<p class="sub">On ${esc(String(e.metrics.rows))} rows.</p>`,
  ];
  const charts = performanceCharts(e);
  if (!c) return section('metrics', 'Model performance', [...perf, charts]);
  const shifts = Object.entries(c.importanceShift).filter(([, v]) => isNum(v)).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || (a[0] < b[0] ? -1 : 1)).slice(0, 8);
  const champion = [
    `<h3 class="first">Champion comparison</h3><p>Champion ${esc(c.model.name ?? 'model')}${c.model.version ? ` version ${esc(c.model.version)}` : ''} (<code>${esc(clip(c.model.sha256, 16))}</code>). Largest shift in normalised importance (share of total, this model − champion): <b>${esc(fmt(c.maxShift, 3))}</b>.</p>`,
    shifts.length ? table(['Feature', 'Shift'], shifts.map(([f, v]) => [esc(f), `${v > 0 ? '+' : ''}${esc(fmt(v, 3))}`]), [1]) : '<p class="note">Importance shift not computed.</p>',
  ];
  return section('metrics', 'Model performance', [`<div class="grid"><div>${perf.join('')}</div><div>${champion.join('')}</div></div>`, charts]);
}

/** Regression: residual histogram and predicted-vs-actual scatter; classification: confusion matrix and probability histogram. */
function performanceCharts(e: ExplanationResult): string {
  const p = e.performance;
  if (!p) return '<p class="note">Performance charts not drawn (the data has no target column, or the model could not score it).</p>';
  if (e.taskType === 'regression') {
    const pts = p.predictedVsActual?.actual.length ?? 0;
    return `<div class="grid">${figure(residualChart(p.residualHistogram, e.target), 'Residuals (actual − predicted) over the evaluation rows; centred on 0 with no long tail is good.')}${figure(predictedVsActualChart(p.predictedVsActual, e.target), `Predicted against actual for ${pts < e.metrics.rows ? `a seeded sample of ${pts} of ${e.metrics.rows}` : `all ${pts}`} rows; the dashed line is a perfect model.`)}</div>`;
  }
  const t = p.confusion?.threshold;
  const rule = isNum(t) ? `a row is predicted as the explained class when its probability is at least ${fmt(t)}${p.confusion && p.confusion.labels.length === 2 && p.targetDistribution && 'labels' in p.targetDistribution && p.targetDistribution.labels.length > 2 ? ' (explained class against the rest: the model gave one probability column)' : ''}` : 'the predicted class is the one with the highest probability';
  return `<div class="grid">${figure(confusionMatrix(p.confusion), `Rows: true class; columns: predicted class; ${rule}.`)}${figure(probabilityChart(p.probabilityHistogram), 'Predicted probability of the explained class, stacked by true class; well separated colours mean the classes are told apart.')}</div>`;
}

function importanceSection(e: ExplanationResult): string {
  const ranks = rankFeatures(e);
  const rows = ranks.map((r, i) => [String(i + 1), esc(r.feature), isNum(r.meanAbsShap) ? esc(fmt(r.meanAbsShap)) : '<span class="note">not computed</span>', isNum(r.permutationMean) ? `${esc(fmt(r.permutationMean))} ± ${esc(fmt(r.permutationStd, 2))}` : '<span class="note">not computed</span>']);
  const pi = e.permutationImportance;
  return section('importance', 'Global feature importance', [
    `<div class="grid">${figure(importanceBars(pi), `Permutation importance: drop in ${METRIC_LABEL[pi.metric] ?? pi.metric} (baseline ${fmt(pi.baseline)}) when a feature is shuffled; mean ± sd over ${pi.repeats} repeats.`)}${figure(shapSummary(e.shap), `Mean |SHAP value| per feature over ${e.shap.values.length} explained rows, in ${e.shap.outputSpace} space.`)}</div>`,
    '<h3>Both rankings</h3>',
    table(['#', 'Feature', 'Mean |SHAP|', `Permutation (${METRIC_LABEL[pi.metric] ?? pi.metric})`], rows, [0, 2, 3]),
  ]);
}

function shapSection(input: ReportInput): string {
  const e = input.explanation;
  const box = figure(shapBoxPlot(e.shap), 'Box: quartiles of each feature\'s SHAP values; red bar: median; whiskers: furthest value within 1.5 × IQR; circles: outliers.');
  return section('shap', 'SHAP summary', [
    input.x
      ? `<div class="grid">${figure(shapSummary(e.shap, input.x), 'One dot per explained row: position is the SHAP value, colour the feature value (blue low, red high, grey missing).')}${box}</div>`
      : `<p class="note">Feature values were not passed to the report, so the beeswarm cannot be coloured; see mean |SHAP| above.</p><div class="grid">${figure(shapSummary(e.shap))}${box}</div>`,
  ]);
}

function dependenceSection(e: ExplanationResult): string {
  const order = rankFeatures(e).map((r) => r.feature);
  const feats = Object.keys(e.partialDependence).sort((a, b) => (order.indexOf(a) >>> 0) - (order.indexOf(b) >>> 0) || (a < b ? -1 : 1));
  const shown = feats.slice(0, MAX_DEPENDENCE);
  const yLabel = e.shap.outputSpace === 'probability' ? 'predicted probability' : e.shap.outputSpace === 'margin' ? 'model output (margin)' : 'predicted value';
  return section('dependence', 'Dependence: partial dependence and ICE', [
    shown.length
      ? `<div class="grid3">${shown.map((f) => figure(dependencePlot(f, e.partialDependence[f], { yLabel }))).join('')}</div>`
      : '<p class="note">Partial dependence was not computed.</p>',
    feats.length > shown.length ? `<p class="sub">${feats.length - shown.length} more features have partial dependence in the explanation JSON.</p>` : '',
    '<p class="sub">Red: average prediction as the feature is set to each grid value for every row (partial dependence). Grey: the same for single rows (ICE); crossing lines mean interactions.</p>',
  ]);
}

/** Highest, lowest and median prediction among the explained rows (distinct rows, stable order). */
function pickRows(outputs: number[]): { pos: number; why: string }[] {
  const idx = outputs.map((v, i) => i).filter((i) => isNum(outputs[i])).sort((a, b) => outputs[b] - outputs[a] || a - b);
  if (idx.length === 0) return outputs.length ? [{ pos: 0, why: 'first explained row' }] : [];
  const picks = [{ pos: idx[0], why: 'highest prediction' }, { pos: idx[idx.length - 1], why: 'lowest prediction' }, { pos: idx[Math.floor(idx.length / 2)], why: 'median prediction' }];
  const seen = new Set<number>();
  return picks.filter((p) => (seen.has(p.pos) ? false : (seen.add(p.pos), true))).slice(0, MAX_LOCAL);
}

function localSection(input: ReportInput): string {
  const shap = input.explanation.shap;
  const picks = pickRows(shap.outputs);
  const csv = shapCsv(shap);
  return section('local', 'Local explanations', [
    picks.length
      ? `<div class="grid">${picks.map((p) => figure(localExplanation(shap, p.pos, 10, input.x), `Row ${shap.rowIndices[p.pos] ?? p.pos} (${p.why}).`)).join('')}</div>`
      : '<p class="note">No row was explained.</p>',
    `<p><a download="shap-values.csv" href="data:text/csv;charset=utf-8,${esc(encodeURIComponent(csv))}">Download all local SHAP values (CSV, ${shap.values.length} rows)</a></p>`,
  ]);
}

function checksSection(input: ReportInput): string {
  const row = (c: GateCheck, ok: boolean) => [
    `<span class="chip ${ok ? 'ok' : 'bad'}">${ok ? 'passed' : 'failed'}</span>`, esc(c.check), esc(typeof c.threshold === 'number' ? fmt(c.threshold) : c.threshold),
    c.value === undefined || (typeof c.value === 'number' && !isNum(c.value)) ? '<span class="note">not computed</span>' : esc(typeof c.value === 'number' ? fmt(c.value) : c.value), esc(c.message),
  ];
  const rows = [...input.gate.failures.map((c) => row(c, false)), ...(input.gate.passed ?? []).map((c) => row(c, true))];
  return section('checks', 'Gate checks', [
    `<p>Verdict: <b class="${input.gate.verdict === 'passed' ? 'ok' : 'bad'}">${input.gate.verdict}</b>.</p>`,
    rows.length ? table(['Status', 'Check', 'Threshold', 'Value', 'Detail'], rows) : '<p class="note">No threshold failed (failed checks are listed here; none were).</p>',
  ]);
}

function evidenceSection(input: ReportInput): string {
  const rows = input.evidence.map((r) => {
    const d = digestOf(r);
    const c = r.counts;
    return [esc(r.gate), esc(r.gateVersion), `<span class="chip ${r.verdict === 'passed' ? 'ok' : 'bad'}">${esc(r.verdict)}</span>${r.error ? `<br><span class="bad">${esc(clip(r.error, 300))}</span>` : ''}`, esc(r.threshold), `${c.critical}/${c.high}/${c.medium}/${c.low}/${c.info}`, esc(r.finishedAt), `<code title="${esc(d)}">${esc(d.slice(0, 16))}…</code>`];
  });
  return section('evidence', 'Evidence of every gate', [
    rows.length ? table(['Gate', 'Version', 'Verdict', 'Threshold', 'Findings C/H/M/L/I', 'Finished', 'Record digest (SHA-256)'], rows) : '<p class="note">No gate evidence was recorded for this model and run.</p>',
    '<p class="sub">Counts are active (not waived) findings per severity. The digest is SHA-256 over the canonical JSON of the record, as signed by the gate.</p>',
  ]);
}

function lineageSection(input: ReportInput): string {
  const l = input.lineage;
  return section('lineage', 'Lineage', [
    `<div class="scroll">${lineageGraph(l, input.evidence)}</div>`,
    facts([
      ['Repository', l.repository ? link(l.repository, l.repository) : undefined],
      ['Commit', l.commit ? `<code>${esc(l.commit)}</code>` : undefined],
      ['Pipeline run', l.pipelineRunUrl ? link(l.pipelineRunUrl, l.pipelineRunUrl) : undefined],
      ['Training job', l.trainingJobId ? `<code>${esc(l.trainingJobId)}</code>` : undefined],
      ['Data assets', l.dataAssets?.length ? l.dataAssets.map((d) => `<code>${esc(d)}</code>`).join('<br>') : undefined],
      ['Environment', l.environment ? `<code>${esc(l.environment)}</code>` : undefined],
    ]),
  ]);
}

function warningsSection(input: ReportInput): string {
  const w = input.explanation.warnings;
  const card = input.modelCard ?? {};
  return section('warnings', 'Warnings and limitations', [
    w.length ? `<ul class="warn">${w.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>` : '<p>No warnings.</p>',
    '<h3>Limitations</h3>', card.limitations ? `<p>${esc(card.limitations)}</p>` : `<p>${notProvided('limitations')}</p>`,
    ...(card.ethicalConsiderations ? ['<h3>Ethical considerations</h3>', `<p>${esc(card.ethicalConsiderations)}</p>`] : []),
    '<h3>Out of scope</h3><p>This report explains what the model does, not why the world works that way: SHAP values and partial dependence are not causal effects, and they assume features are independent (correlated features share credit). Fairness across groups is not assessed here.</p>',
  ]);
}

function methodSection(input: ReportInput): string {
  const e = input.explanation;
  const s = e.shap;
  const pi = e.permutationImportance;
  const residual = efficiencyResidual(s);
  const timings = Object.entries(e.timings).filter(([, v]) => isNum(v)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return section('method', 'How it was computed', [
    facts([
      ['SHAP', `${esc(SHAP_METHOD[s.method] ?? s.method)}${s.samples ? `, ${esc(String(s.samples))} coalitions per row` : ''}; output space ${esc(s.outputSpace)}; base value ${esc(fmt(s.baseValue))}`],
      ['Background', `${esc(String(s.background.rows))} rows (${esc(s.background.method)})`],
      ['Efficiency check', isNum(residual) ? `max |base + Σφ − f(x)| = ${esc(fmt(residual, 3))}` : '<span class="note">not computed</span>'],
      ['Permutation importance', `${esc(METRIC_LABEL[pi.metric] ?? pi.metric)} (baseline ${esc(fmt(pi.baseline))}), ${esc(String(pi.repeats))} shuffles per feature`],
      ['Partial dependence', 'brute force over the evaluation rows; grid: unique values when fewer than 20, else 20 points between the 5th and 95th percentiles'],
      ['Seed', esc(String(e.seed))],
      ['Runtime', `ONNX Runtime (${e.model.backend === 'web' ? 'WebAssembly' : 'native'} backend)`],
      ['Generator', `MLOps Gates ${esc(input.productVersion)}`],
    ]),
    timings.length ? `<h3>Timings</h3>${table(['Step', 'Time (ms)'], timings.map(([k, v]) => [esc(k), esc(String(Math.round(v)))]), [1])}` : '',
  ]);
}

/** The whole report as one HTML document. Deterministic: the same input gives the same bytes. */
export function renderReport(input: ReportInput): string {
  const e = input.explanation;
  const title = `Explainability report: ${input.lineage.modelName ?? e.model.name ?? e.model.path}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No script, no remote anything: the page must render the same offline, attached to a pipeline run.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${esc(title)}</title>`,
    `<style>${REPORT_CSS}</style></head><body><main>`,
    header(input),
    `<div class="pair">${modelSection(input)}${dataSection(input)}</div>`,
    metricsSection(e),
    importanceSection(e),
    shapSection(input),
    dependenceSection(e),
    localSection(input),
    checksSection(input),
    evidenceSection(input),
    lineageSection(input),
    warningsSection(input),
    methodSection(input),
    `<footer>Generated by MLOps Gates ${esc(input.productVersion)} ExplainabilityReport at ${esc(input.generatedAt)} · model SHA-256 <code>${esc(e.model.sha256)}</code></footer>`,
    '</main></body></html>',
    '',
  ].join('\n');
}
