/**
 * createPredictor: an ONNX model as the explainers' batched function, over onnxruntime-web (default) or
 * onnxruntime-node. One predict() call is one session run over the whole batch; inputs are cast to the
 * model's element type; ZipMap outputs are stripped from the graph first (no runtime can return them).
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { Matrix, ModelInfo, OnnxValueInfo, OutputSpace, Predictor, PredictorOptions } from '../types';
import { GraphInfo, NodeInfo, attrString } from './graph';
import { parseModelBytes } from './modelInfo';
import { loadNodeRuntime } from './nodeBackend';
import type { LoadedRuntime, OrtRuntime } from './runtime';
import { loadWebRuntime } from './webBackend';
import { stripZipMap } from './zipMap';

export type { LoadedRuntime } from './runtime';

export function loadRuntime(backend: PredictorOptions['backend']): Promise<LoadedRuntime> {
  if (backend === 'web') return loadWebRuntime();
  if (backend === 'node') return loadNodeRuntime();
  throw new Error(`The \`backend\` input is "${String(backend)}"; use \`web\` (default) or \`node\`.`);
}

const FEEDABLE = new Set(['float', 'double', 'int64', 'int32']);

/** How the graph output that is read was chosen, and what it means. Pure: no runtime involved. */
export interface OutputPlan {
  /** Name to fetch from the session (after ZipMap stripping). */
  fetch: string;
  /** The output as the user named it (may be the ZipMap output). */
  outputName: string;
  classifier: boolean;
  classIndex?: number;
  classLabel?: string | number;
  outputSpace: OutputSpace;
}

export function planOutput(graph: GraphInfo, info: ModelInfo, replacements: Map<string, string>, options: Pick<PredictorOptions, 'outputName' | 'classIndex'>): OutputPlan {
  const outputs = graph.outputs;
  const list = outputs.map((o) => o.name).join(', ');
  const classifier = !!info.classLabels?.length || replacements.size > 0 || graph.nodes.some((n) => n.opType === 'TreeEnsembleClassifier' || n.opType === 'LinearClassifier');
  let outputName = options.outputName;
  if (outputName !== undefined && !outputs.some((o) => o.name === outputName)) {
    throw new Error(`The model has no output "${outputName}"; its outputs are: ${list}. Set the output name to one of them.`);
  }
  if (outputName === undefined) {
    if (replacements.size) outputName = [...replacements.keys()][0];
    else {
      const numeric = outputs.filter((o) => o.kind === 'tensor' && (o.elemType === 'float' || o.elemType === 'double'));
      const fromOp = classifier ? numeric.find((o) => graph.nodes.some((n) => /Classifier$/.test(n.opType) && n.outputs[1] === o.name)) : undefined;
      const pick = classifier ? fromOp ?? numeric.find((o) => /prob/i.test(o.name)) ?? numeric[0] : outputs[0];
      if (!pick) throw new Error(`The model has no float output to explain (outputs: ${list}). Set the output name.`);
      outputName = pick.name;
    }
  }
  const fetch = replacements.get(outputName) ?? outputName;
  const out = outputs.find((o) => o.name === outputName)!;
  if (!replacements.has(outputName) && (out.kind !== 'tensor' || !FEEDABLE.has(out.elemType ?? ''))) {
    throw new Error(`Output "${outputName}" is a ${out.kind} of ${out.elemType ?? 'unknown'} values, not numbers; choose a numeric output (outputs: ${list}).`);
  }
  const columns = outputColumns(out, replacements.has(outputName) ? info.classLabels?.length : undefined);
  let classIndex: number | undefined, classLabel: string | number | undefined;
  if (classifier) {
    const labels = info.classLabels ?? [];
    const n = labels.length || columns;
    if (options.classIndex !== undefined) {
      if (!Number.isInteger(options.classIndex) || options.classIndex < 0 || (n !== undefined && options.classIndex >= n)) {
        throw new Error(`The explained class index ${options.classIndex} is out of range: the model has ${n ?? 'an unknown number of'} classes (${labels.join(', ')}).`);
      }
      classIndex = options.classIndex;
    } else if (n === 2 || n === 1) classIndex = n === 2 ? 1 : 0;
    else throw new Error(`The model has ${n ?? 'an unknown number of'} classes (${labels.join(', ') || 'labels unknown'}); choose the class to explain (its index).`);
    classLabel = labels[classIndex] ?? classIndex;
  }
  return { fetch, outputName, classifier, classIndex, classLabel, outputSpace: outputSpaceOf(graph, info, fetch, classifier) };
}

function outputColumns(o: OnnxValueInfo, zipMapClasses?: number): number | undefined {
  if (zipMapClasses) return zipMapClasses;
  const last = o.shape && o.shape.length > 1 ? o.shape[o.shape.length - 1] : undefined;
  return typeof last === 'number' && last > 0 ? last : undefined;
}

/** What the fetched number is: probability after a squashing op, margin for raw classifier scores, else value. */
export function outputSpaceOf(graph: GraphInfo, info: ModelInfo, fetch: string, classifier: boolean): OutputSpace {
  let node: NodeInfo | undefined = graph.nodes.find((n) => n.outputs.includes(fetch));
  for (let hops = 0; node && hops < 8; hops++) {
    switch (node.opType) {
      case 'Sigmoid': case 'Softmax': case 'Normalizer': return 'probability';
      case 'Identity': case 'Cast': node = graph.nodes.find((n) => n.outputs.includes(node!.inputs[0])); continue;
      case 'LinearClassifier': case 'TreeEnsembleClassifier': {
        const post = attrString(node, 'post_transform', 'NONE');
        if (post !== 'NONE') return 'probability';
        // Random forests vote with non-negative class proportions: those scores are probabilities.
        const w = node.opType === 'TreeEnsembleClassifier' ? info.treeEnsemble?.trees.every((t) => t.leafValues.every((v) => v >= 0)) : false;
        return w ? 'probability' : 'margin';
      }
      case 'LinearRegressor': case 'TreeEnsembleRegressor':
        return attrString(node, 'post_transform', 'NONE') === 'LOGISTIC' ? 'probability' : 'value';
      default: return classifier ? 'probability' : 'value';
    }
  }
  return classifier ? 'probability' : 'value';
}

interface InputPlan { name: string; elemType: string; rank: number; columns: number[] }

/** Which feature columns feed which graph input: one [N, F] input, or one [N, 1] input per feature. */
export function planInputs(info: ModelInfo, featureNames: string[]): InputPlan[] {
  const inputs = info.inputs;
  if (!inputs.length) throw new Error('The model has no inputs.');
  for (const i of inputs) {
    if (i.kind !== 'tensor' || !FEEDABLE.has(i.elemType ?? '')) {
      throw new Error(`Model input "${i.name}" takes ${i.kind === 'tensor' ? i.elemType ?? 'unknown' : i.kind} values; only float, double, int64 and int32 tensor inputs can be explained.`);
    }
  }
  if (inputs.length === 1) {
    const i = inputs[0];
    const last = i.shape?.[i.shape.length - 1];
    if (typeof last === 'number' && last > 0 && (i.shape?.length ?? 0) > 1 && last !== featureNames.length) {
      throw new Error(`Model input "${i.name}" takes ${last} features but ${featureNames.length} were given (${featureNames.join(', ')}). List exactly the model's features, in its order.`);
    }
    return [{ name: i.name, elemType: i.elemType!, rank: Math.max(2, i.shape?.length ?? 2), columns: featureNames.map((_, k) => k) }];
  }
  if (inputs.length !== featureNames.length) {
    throw new Error(`The model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}) but ${featureNames.length} features were given; give one feature per input.`);
  }
  const byName = inputs.every((i) => featureNames.includes(i.name));
  return inputs.map((i, k) => ({ name: i.name, elemType: i.elemType!, rank: i.shape?.length === 1 ? 1 : 2, columns: [byName ? featureNames.indexOf(i.name) : k] }));
}

function toTensor(ort: OrtRuntime, x: Matrix, plan: InputPlan, featureNames: string[]): Tensor {
  const n = x.rows, c = plan.columns.length;
  const at = (r: number, j: number): number => x.data[r * x.cols + plan.columns[j]];
  const dims = plan.rank === 1 ? [n] : [n, c];
  switch (plan.elemType) {
    case 'float': { const a = new Float32Array(n * c); for (let r = 0; r < n; r++) for (let j = 0; j < c; j++) a[r * c + j] = at(r, j); return new ort.Tensor('float32', a, dims); }
    case 'double': { const a = new Float64Array(n * c); for (let r = 0; r < n; r++) for (let j = 0; j < c; j++) a[r * c + j] = at(r, j); return new ort.Tensor('float64', a, dims); }
    default: {
      const big = plan.elemType === 'int64';
      const a = big ? new BigInt64Array(n * c) : new Int32Array(n * c);
      for (let r = 0; r < n; r++) for (let j = 0; j < c; j++) {
        const v = at(r, j);
        if (!Number.isFinite(v)) {
          throw new Error(`Feature "${featureNames[plan.columns[j]]}" is missing (${v}) in row ${r + 1}, but model input "${plan.name}" is ${plan.elemType} and cannot take it. Fill or drop those rows.`);
        }
        if (big) (a as BigInt64Array)[r * c + j] = BigInt(Math.round(v)); else (a as Int32Array)[r * c + j] = Math.round(v);
      }
      return new ort.Tensor(big ? 'int64' : 'int32', a, dims);
    }
  }
}

/** The explained column of the fetched output, as float64. */
function readColumn(t: Tensor, rows: number, classIndex: number | undefined, name: string): Float64Array {
  const total = t.dims.reduce((a, b) => a * b, 1);
  if (!rows || total % rows) throw new Error(`Output "${name}" has shape [${t.dims.join(', ')}], which does not hold one result per row (${rows} rows).`);
  const cols = total / rows;
  const col = cols === 1 ? 0 : classIndex ?? 0;
  if (col >= cols) throw new Error(`Output "${name}" has ${cols} columns; class index ${col} is out of range.`);
  const data = t.data as ArrayLike<number | bigint>;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = Number(data[r * cols + col]);
  return out;
}

export interface CreatedPredictor extends Predictor {
  /** The output name fetched from the runtime (the ZipMap input when a ZipMap output was asked for). */
  readonly fetchedOutput: string;
  readonly outputName: string;
  readonly runtime: string;
}

export async function createPredictor(modelBytes: Uint8Array, info: ModelInfo, options: PredictorOptions): Promise<CreatedPredictor> {
  if (info.customDomains.length) {
    throw new Error(`The model uses operators from custom domains (${info.customDomains.join(', ')}), which onnxruntime-web and onnxruntime-node do not provide. Export the model with standard ONNX operators only.`);
  }
  const featureNames = [...options.featureNames];
  const model = parseModelBytes(modelBytes);
  const { bytes, replacements } = stripZipMap(modelBytes, model.graph);
  const plan = planOutput(model.graph, info, replacements, options);
  const inputs = planInputs(info, featureNames);
  const rt = await loadRuntime(options.backend);
  let session: InferenceSession;
  try {
    session = await rt.ort.InferenceSession.create(bytes, rt.sessionOptions);
  } catch (e) {
    throw new Error(`${rt.description} could not load the model: ${(e as Error).message}`);
  }
  const ort = rt.ort;
  return {
    featureNames,
    outputSpace: plan.outputSpace,
    ...(plan.classIndex !== undefined ? { explainedClass: { index: plan.classIndex, label: plan.classLabel! } } : {}),
    fetchedOutput: plan.fetch,
    outputName: plan.outputName,
    runtime: rt.description,
    async predict(x: Matrix): Promise<Float64Array> {
      if (x.cols !== featureNames.length) throw new Error(`predict() got ${x.cols} columns for ${featureNames.length} features.`);
      if (x.data.length !== x.rows * x.cols) throw new Error(`predict() got ${x.data.length} values for a ${x.rows}x${x.cols} matrix.`);
      if (x.rows === 0) return new Float64Array(0);
      const feeds: Record<string, Tensor> = {};
      for (const p of inputs) feeds[p.name] = toTensor(ort, x, p, featureNames);
      const result = await session.run(feeds, [plan.fetch]);
      return readColumn(result[plan.fetch], x.rows, plan.classIndex, plan.outputName);
    },
    async close(): Promise<void> {
      await session.release();
    },
  };
}
