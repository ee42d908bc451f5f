/**
 * What an ONNX file tells us before any runtime loads it: inputs/outputs, opsets, producer, custom operator
 * domains, ZipMap outputs, and the tree ensemble or linear formula for exact SHAP.
 */
import { createHash } from 'node:crypto';
import type { ModelInfo } from '../types';
import { ParsedModel, attrInts, attrStrings, parseModel } from './graph';
import { extractLinear } from './linear';
import { ProtoError } from './protobuf';
import { ModelFormatError, extractTreeEnsemble } from './trees';

export { ModelFormatError } from './trees';

const STANDARD_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml']);

/** Parses the ModelProto; throws ModelFormatError naming what is wrong (never a raw decoder error). */
export function parseModelBytes(bytes: Uint8Array): ParsedModel {
  if (!bytes.length) throw new ModelFormatError('the model file is empty');
  try {
    return parseModel(bytes);
  } catch (e) {
    if (e instanceof ProtoError) throw new ModelFormatError(`not a valid ONNX model (truncated or not protobuf): ${e.message}`);
    throw e;
  }
}

export function readModelInfo(bytes: Uint8Array): ModelInfo {
  const model = parseModelBytes(bytes);
  return modelInfoOf(model, createHash('sha256').update(bytes).digest('hex'));
}

export function modelInfoOf(model: ParsedModel, sha256: string): ModelInfo {
  const g = model.graph;
  const domains = new Set<string>();
  for (const o of model.opsets) domains.add(o.domain);
  for (const n of g.nodes) domains.add(n.domain);
  const customDomains = [...domains].filter((d) => !STANDARD_DOMAINS.has(d)).sort();
  const zipMapOutputs = g.nodes.filter((n) => n.opType === 'ZipMap').map((n) => n.outputs[0]);
  const treeEnsemble = extractTreeEnsemble(g);
  const linear = treeEnsemble ? undefined : extractLinear(g);
  let classLabels = treeEnsemble?.classLabels ?? linear?.classLabels;
  if (!classLabels) {
    const zm = g.nodes.find((n) => n.opType === 'ZipMap');
    if (zm) classLabels = attrInts(zm, 'classlabels_int64s') ?? attrStrings(zm, 'classlabels_strings');
  }
  return {
    sha256,
    irVersion: model.irVersion,
    opsets: model.opsets,
    ...(model.producer ? { producer: model.producer } : {}),
    inputs: g.inputs,
    outputs: g.outputs,
    customDomains,
    zipMapOutputs,
    ...(treeEnsemble ? { treeEnsemble } : {}),
    ...(linear ? { linear: linear.model } : {}),
    ...(classLabels?.length ? { classLabels } : {}),
  };
}
