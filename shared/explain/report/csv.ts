/**
 * All local SHAP values as CSV (one row per explained row): the report offers it as a download. Cells that a
 * spreadsheet would run as a formula (= + - @ at the start) are prefixed with a quote, names are quoted.
 */
import type { ShapResult } from '../types';
import { isNum } from './format';

function cell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) || safe !== v ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function num(v: number | undefined): string {
  return isNum(v) ? String(v) : '';
}

export function shapCsv(shap: ShapResult): string {
  const head = ['row', 'base_value', 'output', ...shap.featureNames].map(cell).join(',');
  const rows = shap.values.map((r, i) => [String(shap.rowIndices[i] ?? i), num(shap.baseValue), num(shap.outputs[i]), ...shap.featureNames.map((_, f) => num(r[f]))].join(','));
  return [head, ...rows].join('\n') + '\n';
}
