/**
 * Linear graphs in closed form, for exact linear SHAP: ai.onnx.ml LinearRegressor / LinearClassifier, or
 * MatMul(X, W) [+ Add(B)] [+ Sigmoid | Softmax] with W and B as initializers. Anything else (a hidden layer,
 * a scaler in front, several inputs) yields undefined and the explainers fall back to KernelSHAP.
 */
import type { LinearModel } from '../types';
import { GraphInfo, NodeInfo, TensorData, attrInt, attrNumbers, attrString } from './graph';
import { sourceInput } from './trees';

export interface LinearExtraction {
  model: LinearModel;
  /** The graph output the closed form describes (before any Normalizer/ZipMap after an ml op). */
  outputName: string;
  classLabels?: (string | number)[];
}

export function extractLinear(graph: GraphInfo): LinearExtraction | undefined {
  if (graph.inputs.length !== 1) return undefined;
  const features = featureCount(graph);
  const ml = graph.nodes.find((n) => n.domain === 'ai.onnx.ml' && (n.opType === 'LinearRegressor' || n.opType === 'LinearClassifier'));
  if (ml) return mlLinear(graph, ml, features);
  return matMulLinear(graph, features);
}

function featureCount(graph: GraphInfo): number | undefined {
  const shape = graph.inputs[0].shape;
  const last = shape?.[shape.length - 1];
  return typeof last === 'number' && last > 0 ? last : undefined;
}

function mlLinear(graph: GraphInfo, node: NodeInfo, features: number | undefined): LinearExtraction | undefined {
  if (!sourceInput(graph, node.inputs[0])) return undefined;
  const coefficients = attrNumbers(node, 'coefficients') ?? [];
  const intercepts = attrNumbers(node, 'intercepts') ?? [];
  let targets: number;
  let classLabels: (string | number)[] | undefined;
  if (node.opType === 'LinearRegressor') targets = attrInt(node, 'targets', 1);
  else {
    const a = node.attrs.get('classlabels_ints'), s = node.attrs.get('classlabels_strings');
    classLabels = a?.kind === 'ints' && a.value.length ? a.value : s?.kind === 'strings' ? s.value : undefined;
    targets = intercepts.length || (classLabels?.length ?? 1);
  }
  if (targets < 1 || coefficients.length % targets) return undefined;
  const f = coefficients.length / targets;
  if (features !== undefined && f !== features) return undefined;
  const post = attrString(node, 'post_transform', 'NONE');
  if (post !== 'NONE' && post !== 'LOGISTIC' && post !== 'SOFTMAX') return undefined;
  const b = new Float64Array(targets);
  b.set(intercepts.slice(0, targets));
  const outputName = node.opType === 'LinearClassifier' ? node.outputs[1] : node.outputs[0];
  return { model: { coefficients: Float64Array.from(coefficients), intercepts: b, targets, postTransform: post }, outputName, classLabels };
}

function matMulLinear(graph: GraphInfo, features: number | undefined): LinearExtraction | undefined {
  const input = graph.inputs[0].name;
  const consumers = (v: string): NodeInfo[] => graph.nodes.filter((n) => n.inputs.includes(v));
  const first = consumers(input);
  if (first.length !== 1) return undefined;
  const mm = first[0];
  if (mm.domain !== '' && mm.domain !== 'ai.onnx') return undefined;
  let w: TensorData | undefined, transB = false, gemmB: TensorData | undefined;
  if (mm.opType === 'MatMul' && mm.inputs[0] === input) w = graph.initializers.get(mm.inputs[1]);
  else if (mm.opType === 'Gemm' && mm.inputs[0] === input && attrInt(mm, 'transA', 0) === 0
    && (mm.attrs.get('alpha') === undefined || attrNumbers(mm, 'alpha')?.[0] === 1)
    && (mm.attrs.get('beta') === undefined || attrNumbers(mm, 'beta')?.[0] === 1)) {
    w = graph.initializers.get(mm.inputs[1]);
    transB = attrInt(mm, 'transB', 0) === 1;
    if (mm.inputs[2]) { gemmB = graph.initializers.get(mm.inputs[2]); if (!gemmB) return undefined; }
  }
  if (!w?.values || w.dims.length !== 2) return undefined;
  const [rowsW, colsW] = w.dims;
  const f = transB ? colsW : rowsW, targets = transB ? rowsW : colsW;
  if (features !== undefined && f !== features) return undefined;
  const coefficients = new Float64Array(targets * f);
  for (let i = 0; i < f; i++) for (let t = 0; t < targets; t++) {
    coefficients[t * f + i] = transB ? w.values[t * f + i] : w.values[i * targets + t];
  }
  const intercepts = new Float64Array(targets);
  const addBias = (b: TensorData | undefined): boolean => {
    if (!b?.values) return false;
    if (b.values.length === 1) intercepts.fill(intercepts[0] + b.values[0]);
    else if (b.values.length === targets) b.values.forEach((v, t) => { intercepts[t] += v; });
    else return false;
    return true;
  };
  if (gemmB && !addBias(gemmB)) return undefined;
  const chain = [mm];
  let out = mm.outputs[0];
  let next = consumers(out);
  if (next.length === 1 && next[0].opType === 'Add') {
    const add = next[0];
    const other = add.inputs[0] === out ? add.inputs[1] : add.inputs[0];
    if (!addBias(graph.initializers.get(other))) return undefined;
    chain.push(add);
    out = add.outputs[0];
    next = consumers(out);
  }
  let postTransform: LinearModel['postTransform'] = 'NONE';
  if (next.length === 1 && (next[0].opType === 'Sigmoid' || next[0].opType === 'Softmax')) {
    postTransform = next[0].opType === 'Sigmoid' ? 'LOGISTIC' : 'SOFTMAX';
    chain.push(next[0]);
    out = next[0].outputs[0];
  }
  // Every node must be part of the chain, and its end a graph output: otherwise the output is not this formula.
  if (chain.length !== graph.nodes.length || !graph.outputs.some((o) => o.name === out)) return undefined;
  return { model: { coefficients, intercepts, targets, postTransform }, outputName: out };
}
