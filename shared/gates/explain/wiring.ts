/**
 * The gate's real dependencies: the explainability core (shared/explain) behind ExplainEngine and
 * ReportWriters, and the Azure side (asset downloads through the workspace). Kept apart from run.ts so that
 * the gate logic is tested with fakes and the task bundle pulls the runtime in only through here.
 */
import type { TokenCredential } from '@azure/core-auth';
import { createMlClient } from '../../azure/armClient';
import { ArmReader } from '../../azure/armReader';
import { BlobTransfer } from '../../azure/blobTransfer';
import type { AzureRmConnection } from '../../azure/cloud';
import { workspaceId } from '../../azure/inventory';
import { loadTable } from '../../explain/data/table';
import { renderReport } from '../../explain/report/html';
import { renderSummary } from '../../explain/report/markdown';
import { buildModelCard, renderModelCard } from '../../explain/report/modelCard';
import { PRODUCT } from '../product';
import type { AssetRef } from './assets';
import { downloadAsset } from './download';
import type { ExplainEngine, ExplainRequest, Explained, ReportWriters } from './engine';
import { toFeatureData } from '../../explain/data/features';
import { explainModel, NOT_COMPUTED, type ExplainArgs } from '../../explain/methods/explain';
import { readModelInfo } from '../../explain/onnx/modelInfo';
import { createPredictor } from '../../explain/onnx/backend';
import type { ModelInfo, Predictor, TaskType } from '../../explain/types';
import type { ExplainInputs } from './inputs';

export function defaultEngine(): ExplainEngine {
  return {
    // Messages name the file as the user gave it (the input, or the azureml: asset), not a download path.
    loadTable: async (path, source) => ({ ...(await loadTable(path)), source }),
    explain,
  };
}

export function defaultReports(): ReportWriters {
  return {
    html: renderReport,
    summary: renderSummary,
    modelCard: (input) => {
      const card = buildModelCard(input);
      return { json: card, markdown: renderModelCard(card) };
    },
  };
}

/** Downloads of `azureml:` assets through the workspace, and its ARM id; undefined without a workspace. */
export function azureAssets(
  inputs: ExplainInputs,
  azure: { connection: AzureRmConnection; credential: TokenCredential } | undefined,
  gateName: string,
): { fetchAsset?: (ref: Extract<AssetRef, { kind: 'azureml' }>, dir: string) => Promise<string>; workspaceId?: string } {
  if (!inputs.workspace || !azure) return {};
  const wsId = workspaceId({ subscriptionId: azure.connection.subscriptionId, resourceGroup: inputs.workspace.resourceGroupName, workspace: inputs.workspace.workspaceName });
  let source: { reader: ArmReader; blobs: BlobTransfer } | undefined;
  const open = () => {
    if (source) return source;
    const signal = AbortSignal.timeout(inputs.deadlineSeconds * 1000);
    const { client } = createMlClient(azure.connection, azure.credential, `${PRODUCT.userAgent} ${gateName}`);
    source = { reader: new ArmReader(client, azure.connection.managementUrl, { signal, maxPages: 10, deadlineSeconds: inputs.deadlineSeconds }), blobs: new BlobTransfer(client, azure.credential, signal) };
    return source;
  };
  return { workspaceId: wsId, fetchAsset: (ref, dir) => downloadAsset(ref, { ...open(), workspaceId: wsId }, dir) };
}

/** A model's info and predictor; a file that is not ONNX, or that no runtime loads, throws naming the model. */
async function load(bytes: Uint8Array, label: string, req: ExplainRequest, featureNames: string[]): Promise<{ info: ModelInfo; predictor: Predictor & { outputName?: string } }> {
  let info: ModelInfo;
  try {
    info = readModelInfo(bytes);
  } catch (e) {
    throw new Error(`${label} cannot be read as an ONNX model: ${(e as Error).message}`);
  }
  const predictor = await createPredictor(bytes, info, { backend: req.backend, outputName: req.outputName, classIndex: req.classIndex, featureNames });
  return { info, predictor };
}

/** Classification when the model's explained output is a probability (or it names a class); regression otherwise. */
function taskTypeOf(predictor: Predictor, info: ModelInfo): TaskType {
  if (predictor.explainedClass || predictor.outputSpace === 'probability') return 'classification';
  return info.treeEnsemble?.op === 'TreeEnsembleClassifier' ? 'classification' : 'regression';
}

async function explain(req: ExplainRequest): Promise<Explained> {
  let info: ModelInfo;
  try {
    info = readModelInfo(req.modelBytes);
  } catch (e) {
    throw new Error(`${req.modelPath} cannot be read as an ONNX model: ${(e as Error).message}`);
  }
  const data = toFeatureData(req.data, info, { target: req.target });
  const { predictor } = await load(req.modelBytes, req.modelPath, req, data.featureNames);
  const closers: Predictor[] = [predictor];
  try {
    const background = req.background ? toFeatureData(req.background, info, { featureNames: data.featureNames }).x : undefined;
    const warnings: string[] = [];
    let champion: ExplainArgs['champion'];
    if (req.champion) {
      const c = req.champion;
      try {
        const loaded = await load(c.modelBytes, c.modelPath, req, data.featureNames);
        closers.push(loaded.predictor);
        champion = { predictor: loaded.predictor, modelInfo: loaded.info, model: { sha256: loaded.info.sha256, ...(c.modelName ? { name: c.modelName } : {}), ...(c.modelVersion ? { version: c.modelVersion } : {}) } };
      } catch (e) {
        warnings.push(`${NOT_COMPUTED}champion comparison: ${(e as Error).message}`);
      }
    }
    const result = await explainModel({
      predictor,
      data,
      background,
      modelInfo: info,
      model: {
        path: req.modelPath, sha256: info.sha256,
        ...(req.modelName ? { name: req.modelName } : {}), ...(req.modelVersion ? { version: req.modelVersion } : {}),
        outputName: (predictor as { outputName?: string }).outputName ?? req.outputName ?? info.outputs[0]?.name ?? '',
        backend: req.backend,
      },
      taskType: req.taskType ?? taskTypeOf(predictor, info),
      target: req.target,
      seed: req.seed,
      options: { explainRows: req.explainRows },
      champion,
    });
    return { result: { ...result, warnings: [...warnings, ...result.warnings] }, x: data.x };
  } finally {
    await Promise.all(closers.map((p) => p.close().catch(() => undefined)));
  }
}
