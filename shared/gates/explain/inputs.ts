/** ExplainabilityReport's inputs, validated. The names are a contract with users' YAML: never rename one. */
import { dirname, basename, join, resolve } from 'node:path';
import type { BackendName, MetricName, TaskType } from '../../explain/types';
import { choice, InputError, integer, NAME_RULES, optionalString, requiredString, type InputSource } from '../../pipeline/inputs';
import { commonGateInputs, type CommonGateInputs, type PathContext } from '../commonInputs';
import { parseAssetRef, type AssetRef } from './assets';
import { METRIC_NAMES, parseMetricFloors, type ExplainThresholds } from './thresholds';

export interface ExplainInputs extends CommonGateInputs {
  /** Present when an input needs Azure (an `azureml:` asset); the names are checked even when it is not. */
  workspace?: { connectionId: string; resourceGroupName: string; workspaceName: string };
  model: AssetRef;
  data: AssetRef;
  background?: AssetRef;
  champion?: AssetRef;
  target: string;
  /** undefined: detect from the model. */
  taskType?: TaskType;
  outputName?: string;
  classIndex?: number;
  explainRows: number;
  seed: number;
  backend: BackendName;
  /** The input thresholds; the policy file's are merged in at run time (thresholds.ts). */
  thresholds: ExplainThresholds;
  reportOutput: string;
  explanationOutput: string;
  /** `<base>.model-card.json`; the Markdown card is `<base>.model-card.md`. */
  modelCardOutput: string;
  deadlineSeconds: number;
}

const CONNECTION = { pattern: /^[\w.-]{1,128}$/, expected: 'the name or id of an Azure Resource Manager service connection' };

/** The HTML path without `.html`: the explanation and the model card are named after it. */
export function reportBase(reportPath: string): string {
  return join(dirname(reportPath), basename(reportPath).replace(/\.html?$/i, ''));
}

export function parseExplainInputs(src: InputSource, paths: PathContext): ExplainInputs {
  const ref = (name: string, asset: 'model' | 'data', required: boolean) => {
    const v = required ? requiredString(src, name) : optionalString(src, name);
    return v === undefined ? undefined : parseAssetRef(name, v, asset, paths.baseDir);
  };
  const model = ref('model', 'model', true)!;
  const data = ref('data', 'data', true)!;
  const background = ref('background', 'data', false);
  const champion = ref('championModel', 'model', false);
  for (const [name, r] of [['model', model], ['data', data], ['background', background], ['championModel', champion]] as const) {
    if (r?.kind === 'file' && !paths.exists(r.path)) {
      throw new InputError(name, `Input '${name}' names '${r.path}', which does not exist; give the file's path (relative to the sources directory) or an Azure ML asset azureml:<name>:<version>.`);
    }
  }

  const anyAsset = [model, data, background, champion].find((r) => r?.kind === 'azureml');
  const why = anyAsset ? `(input ${anyAsset.label} is an Azure ML asset, read through the workspace)` : '';
  const conn = optionalString(src, 'azureSubscription');
  let workspace: ExplainInputs['workspace'];
  if (anyAsset || conn) {
    workspace = {
      connectionId: requiredString(src, 'azureSubscription', { ...CONNECTION, expected: `${CONNECTION.expected} ${why}`.trim() }),
      resourceGroupName: requiredString(src, 'resourceGroupName', { ...NAME_RULES.resourceGroup, expected: `${NAME_RULES.resourceGroup.expected} ${why}`.trim() }),
      workspaceName: requiredString(src, 'workspaceName', { ...NAME_RULES.workspace, expected: `${NAME_RULES.workspace.expected} ${why}`.trim() }),
    };
  }

  const taskType = choice(src, 'taskType', ['auto', 'classification', 'regression'] as const, 'auto');
  const classText = optionalString(src, 'classIndex');
  let classIndex: number | undefined;
  if (classText !== undefined) {
    classIndex = Number(classText);
    if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex > 10_000) {
      throw new InputError('classIndex', `Input 'classIndex' has the value '${classText}'; use the index of a class (0, 1, …), or leave it empty for the positive class of a binary model.`);
    }
  }
  const outputName = optionalString(src, 'outputName');
  if (outputName !== undefined && outputName.length > 256) throw new InputError('outputName', "Input 'outputName' is longer than 256 characters; give the name of one ONNX output of the model.");

  const shiftText = optionalString(src, 'maxImportanceShift');
  let maxImportanceShift: number | undefined;
  if (shiftText !== undefined) {
    maxImportanceShift = Number(shiftText);
    if (!Number.isFinite(maxImportanceShift) || maxImportanceShift < 0 || maxImportanceShift > 1) {
      throw new InputError('maxImportanceShift', `Input 'maxImportanceShift' has the value '${shiftText}'; use a number from 0 to 1 (a share of the total importance, e.g. 0.25), or leave it empty.`);
    }
  }
  const sensitive = (optionalString(src, 'sensitiveFeatures') ?? '').split(/[\r\n,]+/).map((s) => s.trim()).filter((s) => s && !s.startsWith('#'));
  const thresholds: ExplainThresholds = {
    metricFloors: parseMetricFloors(optionalString(src, 'metricFloors') ?? '', (problem) => new InputError('metricFloors', `Input 'metricFloors' ${problem}; write one metric=value per line, metrics: ${METRIC_NAMES.join(', ')}.`)),
    sensitiveFeatures: [...new Set(sensitive)],
    sensitiveTopK: integer(src, 'sensitiveTopK', 5, 1, 100),
    ...(maxImportanceShift !== undefined ? { maxImportanceShift } : {}),
  };
  if (maxImportanceShift !== undefined && !champion) {
    throw new InputError('maxImportanceShift', "Input 'maxImportanceShift' is set but 'championModel' is empty: the shift is measured against the champion. Name the champion model, or clear the limit.");
  }

  const common = commonGateInputs(src, paths, 'explainability-report.sarif');
  const reportGiven = optionalString(src, 'reportOutput');
  const reportOutput = reportGiven ? resolve(paths.baseDir, reportGiven) : join(paths.outputDir, 'mlops-gates', 'explainability-report.html');
  if (!/\.html?$/i.test(reportOutput)) throw new InputError('reportOutput', `Input 'reportOutput' names '${reportOutput}'; the report is HTML: end the path with .html.`);
  const jsonGiven = optionalString(src, 'explanationOutput');
  const base = reportBase(reportOutput);
  return {
    ...common,
    workspace,
    model,
    data,
    background,
    champion,
    target: requiredString(src, 'target', { pattern: /^[^\r\n]{1,256}$/, expected: 'the name of the label column in the data' }),
    taskType: taskType === 'auto' ? undefined : taskType,
    outputName,
    classIndex,
    explainRows: integer(src, 'explainRows', 20, 1, 1000),
    seed: integer(src, 'seed', 42, 0, 2_147_483_647),
    backend: choice(src, 'backend', ['web', 'node'] as const, 'web'),
    thresholds,
    reportOutput,
    explanationOutput: jsonGiven ? resolve(paths.baseDir, jsonGiven) : `${base}.explanation.json`,
    modelCardOutput: `${base}.model-card.json`,
    deadlineSeconds: integer(src, 'deadlineSeconds', 300, 5, 3600),
  };
}

export type { MetricName };
