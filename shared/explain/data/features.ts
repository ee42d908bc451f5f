/**
 * From a Table to what the model takes: its feature columns in the model's order as a float64 matrix, and the
 * target (class labels mapped to their index in the model's label list). Every mismatch is an error naming
 * the column and what to change.
 */
import type { FeatureData, ModelInfo, OnnxValueInfo, Table } from '../types';
import { DataFormatError } from './csv';

export interface FeatureOptions {
  /** The label column; omit when the data has none (explanations without metrics). */
  target?: string;
  /** Feature columns in the model's order; default: the model's input names (one input per feature), else every column but the target. */
  featureNames?: string[];
}

const NUMERIC = new Set(['float', 'double', 'int64', 'int32', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'uint64', 'bool', 'float16', 'bfloat16']);

export function toFeatureData(table: Table, info: ModelInfo, options: FeatureOptions): FeatureData {
  const src = table.source;
  const col = (name: string): number => table.columns.indexOf(name);
  const listCols = (): string => table.columns.join(', ');
  const target = options.target;
  if (target !== undefined && col(target) < 0) {
    throw new DataFormatError(`${src}: the target column "${target}" is not in the data (columns: ${listCols()}). Set the target to one of them.`);
  }
  const featureNames = chooseFeatures(table, info, options);
  if (target !== undefined && featureNames.includes(target)) {
    throw new DataFormatError(`${src}: the target column "${target}" is also listed as a model feature; a model must not take its own label. Remove it from the feature names, or check the target.`);
  }
  const inputFor = (k: number): OnnxValueInfo => (info.inputs.length > 1 ? info.inputs[k] : info.inputs[0]);
  const rows = table.rowCount, f = featureNames.length;
  const data = new Float64Array(rows * f);
  featureNames.forEach((name, k) => {
    const c = col(name);
    if (c < 0) {
      throw new DataFormatError(`${src}: the model needs column "${name}", which is not in the data (columns: ${listCols()}). Add it, or list the right feature names.`);
    }
    const input = inputFor(k);
    const v = table.values[c];
    if (Array.isArray(v)) {
      const at = v.findIndex((s) => s.trim() !== '' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim()));
      throw new DataFormatError(`${src}: column "${name}" holds text (e.g. "${v[at] ?? v[0]}" in row ${at + 1}), but model input "${input.name}" takes ${input.elemType ?? 'numeric'} numbers. Encode the column as numbers the way the model was trained, or fix the file.`);
    }
    if (input.elemType && !NUMERIC.has(input.elemType)) {
      throw new DataFormatError(`${src}: model input "${input.name}" takes ${input.elemType} values; only numeric inputs can be explained.`);
    }
    for (let r = 0; r < rows; r++) data[r * f + k] = v[r];
  });
  const out: FeatureData = { featureNames, x: { rows, cols: f, data } };
  if (target !== undefined) Object.assign(out, targetValues(table, col(target), target, info));
  return out;
}

function chooseFeatures(table: Table, info: ModelInfo, options: FeatureOptions): string[] {
  const src = table.source;
  const inputs = info.inputs;
  if (!inputs.length) throw new DataFormatError('The model has no inputs.');
  const expected = inputs.length > 1 ? inputs.length : featureCount(inputs[0]);
  if (options.featureNames?.length) {
    const names = options.featureNames;
    const dup = names.find((n, k) => names.indexOf(n) !== k);
    if (dup) throw new DataFormatError(`Feature name "${dup}" is listed twice; list each model feature once, in the model's order.`);
    if (expected !== undefined && names.length !== expected) {
      throw new DataFormatError(`${names.length} feature names were given but the model takes ${expected} features${inputs.length > 1 ? ` (inputs: ${inputs.map((i) => i.name).join(', ')})` : ''}. List exactly the model's features, in its order.`);
    }
    return [...names];
  }
  if (inputs.length > 1) return inputs.map((i) => i.name);
  const rest = table.columns.filter((c) => c !== options.target);
  if (expected !== undefined && rest.length !== expected) {
    const extra = rest.length > expected ? ' Drop the extra columns (an id, a second label?)' : ' Columns are missing';
    throw new DataFormatError(`${src}: the model takes ${expected} features but the data has ${rest.length} columns besides the target${options.target ? ` "${options.target}"` : ''} (${rest.join(', ')}).${extra}, or list the model's feature names explicitly.`);
  }
  return rest;
}

function featureCount(input: OnnxValueInfo): number | undefined {
  const s = input.shape;
  if (!s || s.length < 2) return s?.length === 1 ? 1 : undefined;
  const last = s[s.length - 1];
  return typeof last === 'number' && last > 0 ? last : undefined;
}

function targetValues(table: Table, c: number, name: string, info: ModelInfo): Pick<FeatureData, 'y' | 'classLabels'> {
  const src = table.source;
  const v = table.values[c];
  const rows = table.rowCount;
  const y = new Float64Array(rows);
  const labels = info.classLabels;
  if (!labels?.length) {
    if (Array.isArray(v)) {
      throw new DataFormatError(`${src}: target column "${name}" holds text (e.g. "${v[0]}"), but the model gives numbers (a regressor, no class labels). Check the target column.`);
    }
    for (let r = 0; r < rows; r++) {
      if (Number.isNaN(v[r])) throw new DataFormatError(`${src}: target column "${name}" is missing in row ${r + 1}; drop rows without a label.`);
      y[r] = v[r];
    }
    return { y };
  }
  const index = new Map<string, number>();
  labels.forEach((l, k) => index.set(String(l), k));
  for (let r = 0; r < rows; r++) {
    const raw = Array.isArray(v) ? v[r].trim() : v[r];
    if (raw === '' || (typeof raw === 'number' && Number.isNaN(raw))) {
      throw new DataFormatError(`${src}: target column "${name}" is missing in row ${r + 1}; drop rows without a label.`);
    }
    const k = index.get(String(raw));
    if (k === undefined) {
      throw new DataFormatError(`${src}: target column "${name}" holds "${raw}" in row ${r + 1}, which is not one of the model's class labels (${labels.join(', ')}). Check the target column.`);
    }
    y[r] = k;
  }
  return { y, classLabels: [...labels] };
}
