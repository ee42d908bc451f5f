/**
 * The ExplainabilityReport's Markdown run summary (the pipeline's Extensions tab): verdict, headline metric, failed
 * checks, the top features by mean |SHAP| with text bars next to permutation importance, warnings, and where the
 * full report is. Every value from the model, the data or the pipeline goes through escapeMarkdown / mdLink.
 */
import { escapeMarkdown, mdLink, safeUrl } from '../../report/markdownEscape';
import { fmt, headlineMetric, isNum, METRIC_LABEL, rankFeatures } from './format';
import type { ReportInput } from './types';

const TOP = 10;
const BAR = 16;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A Unicode bar of `width` characters at most, in eighths of a character; empty for 0 or not computed. */
export function textBar(value: number, max: number, width = BAR): string {
  if (!isNum(value) || !isNum(max) || max <= 0 || value <= 0) return '';
  const eighths = Math.round((Math.min(value, max) / max) * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

export function renderSummary(input: ReportInput, reportLink?: string): string {
  const e = input.explanation;
  const model = input.lineage.modelName ?? e.model.name ?? e.model.path;
  const version = input.lineage.modelVersion ?? e.model.version;
  const icon = input.gate.verdict === 'passed' ? '✅' : '❌';
  const out = [`## ${icon} ExplainabilityReport ${input.gate.verdict}: ${escapeMarkdown(model, 200)}${version ? ` version ${escapeMarkdown(version, 50)}` : ''}`, ''];

  const head = headlineMetric(e.metrics, e.taskType);
  const champ = head && e.champion ? e.champion.metrics[head.name] : undefined;
  const champText = head && isNum(champ) ? ` (champion${e.champion?.model.version ? ` version ${escapeMarkdown(e.champion.model.version, 50)}` : ''}: ${fmt(champ)}, ${head.value - champ >= 0 ? '+' : ''}${fmt(head.value - champ, 3)})` : '';
  out.push(
    `${head ? `**${METRIC_LABEL[head.name]} ${fmt(head.value)}**${champText}` : '**No metric computed**'} on ${e.metrics.rows} rows · ${e.featureNames.length} features · ${e.shap.values.length} rows explained (${escapeMarkdown(e.shap.method)} SHAP, ${escapeMarkdown(e.shap.outputSpace)})`,
    '',
  );

  if (input.gate.failures.length) {
    out.push(`### Failed checks (${input.gate.failures.length})`, '', '| Check | Threshold | Value | Detail |', '|---|---|---|---|');
    for (const f of input.gate.failures) {
      const value = f.value === undefined || (typeof f.value === 'number' && !isNum(f.value)) ? 'not computed' : typeof f.value === 'number' ? fmt(f.value) : escapeMarkdown(f.value, 200);
      out.push(`| ${escapeMarkdown(f.check, 200)} | ${typeof f.threshold === 'number' ? fmt(f.threshold) : escapeMarkdown(f.threshold, 200)} | ${value} | ${escapeMarkdown(f.message, 500)} |`);
    }
    out.push('');
  }

  const ranks = rankFeatures(e).filter((r) => isNum(r.meanAbsShap) || isNum(r.permutationMean));
  const top = ranks.slice(0, TOP);
  out.push(`### Top features`, '');
  if (top.length === 0) {
    out.push('Feature importance was not computed.', '');
  } else {
    const max = Math.max(...top.map((r) => (isNum(r.meanAbsShap) ? r.meanAbsShap : 0)));
    const metric = METRIC_LABEL[e.permutationImportance.metric] ?? escapeMarkdown(e.permutationImportance.metric);
    out.push(`| # | Feature | Mean \\|SHAP\\| | | Permutation (${metric}) |`, '|--:|---|--:|---|--:|');
    top.forEach((r, i) => {
      const pi = isNum(r.permutationMean) ? `${fmt(r.permutationMean, 3)} ± ${fmt(r.permutationStd, 2)}` : 'not computed';
      out.push(`| ${i + 1} | ${escapeMarkdown(r.feature, 80)} | ${isNum(r.meanAbsShap) ? fmt(r.meanAbsShap, 3) : 'not computed'} | ${textBar(r.meanAbsShap, max)} | ${pi} |`);
    });
    if (ranks.length > top.length) out.push('', `… and ${ranks.length - top.length} more in the report.`);
    out.push('');
  }

  if (e.warnings.length) {
    out.push(`### Warnings (${e.warnings.length})`, '');
    for (const w of e.warnings) out.push(`- ⚠️ ${escapeMarkdown(w, 1000)}`);
    out.push('');
  }

  if (reportLink) {
    out.push(safeUrl(reportLink) ? `📄 ${mdLink('Full explainability report', reportLink)}` : `📄 Full report: **${escapeMarkdown(reportLink, 200)}** (attached to this run).`, '');
  }
  out.push('---', '', `ExplainabilityReport ${escapeMarkdown(input.productVersion, 50)} · model SHA-256 ${escapeMarkdown(e.model.sha256.slice(0, 16), 20)}… · seed ${e.seed} · ${escapeMarkdown(input.generatedAt, 40)}`, '');
  return out.join('\n');
}
