/**
 * Test fixtures: a small ONNX ModelProto writer and the models the explain tests run through both runtimes
 * (linear regression as MatMul+Add, logistic regression as LinearClassifier with and without ZipMap, tree
 * ensembles as skl2onnx emits them). Field numbers follow onnx/onnx.proto.
 */
import { ProtoWriter } from '../../../shared/explain/onnx/protobuf';
import { mulberry32 } from '../prng';

export type Attr =
  | { f: number } | { i: number } | { s: string } | { floats: number[] } | { ints: number[] } | { strings: string[] }
  | { t: TensorSpec };

export interface NodeSpec { op: string; domain?: string; name?: string; inputs: string[]; outputs: string[]; attrs?: Record<string, Attr> }

export type ElemName = 'float' | 'double' | 'int64' | 'string';
const ELEM_CODES: Record<ElemName, number> = { float: 1, int64: 7, string: 8, double: 11 };

export interface TensorSpec { name?: string; type: 'float' | 'double' | 'int64'; dims: number[]; values: number[]; raw?: boolean }

export type ValueSpec =
  | { name: string; elem: ElemName; shape?: (number | string)[] }
  | { name: string; seqMap: { key: 'int64' | 'string'; value: 'float' } };

export interface ModelSpec {
  irVersion?: number;
  opsets?: { domain: string; version: number }[];
  producer?: string;
  producerVersion?: string;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: NodeSpec[];
  initializers?: TensorSpec[];
}

export const DEFAULT_OPSETS = [{ domain: '', version: 15 }, { domain: 'ai.onnx.ml', version: 3 }];

export function writeModel(spec: ModelSpec): Uint8Array {
  const m = new ProtoWriter().int(1, spec.irVersion ?? 8);
  if (spec.producer) m.string(2, spec.producer);
  if (spec.producerVersion) m.string(3, spec.producerVersion);
  const g = new ProtoWriter();
  spec.nodes.forEach((n, k) => g.message(1, node(n, k)));
  g.string(2, 'test-graph');
  for (const t of spec.initializers ?? []) g.message(5, tensor(t));
  for (const v of spec.inputs) g.message(11, valueInfo(v));
  for (const v of spec.outputs) g.message(12, valueInfo(v));
  m.message(7, g);
  for (const o of spec.opsets ?? DEFAULT_OPSETS) m.message(8, new ProtoWriter().string(1, o.domain).int(2, o.version));
  return m.finish();
}

function node(n: NodeSpec, k: number): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name ?? `${n.op}_${k}`).string(4, n.op);
  for (const [name, a] of Object.entries(n.attrs ?? {})) w.message(5, attr(name, a));
  if (n.domain) w.string(7, n.domain);
  return w;
}

function attr(name: string, a: Attr): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if ('f' in a) w.float(2, a.f).int(20, 1);
  else if ('i' in a) w.int(3, a.i).int(20, 2);
  else if ('s' in a) w.string(4, a.s).int(20, 3);
  else if ('t' in a) w.message(5, tensor(a.t)).int(20, 4);
  else if ('floats' in a) w.packedFloats(7, a.floats).int(20, 6);
  else if ('ints' in a) w.packedInts(8, a.ints).int(20, 7);
  else { for (const s of a.strings) w.string(9, s); w.int(20, 8); }
  return w;
}

export function tensor(t: TensorSpec): ProtoWriter {
  const w = new ProtoWriter().packedInts(1, t.dims).int(2, ELEM_CODES[t.type]);
  if (t.name) w.string(8, t.name);
  if (t.raw) {
    const size = t.type === 'float' ? 4 : 8;
    const b = new Uint8Array(t.values.length * size), dv = new DataView(b.buffer);
    t.values.forEach((v, i) => {
      if (t.type === 'float') dv.setFloat32(i * 4, v, true);
      else if (t.type === 'double') dv.setFloat64(i * 8, v, true);
      else dv.setBigInt64(i * 8, BigInt(v), true);
    });
    w.bytes(9, b);
  } else if (t.type === 'float') w.packedFloats(4, t.values);
  else if (t.type === 'double') w.packedDoubles(10, t.values);
  else w.packedInts(7, t.values);
  return w;
}

function valueInfo(v: ValueSpec): ProtoWriter {
  const type = new ProtoWriter();
  if ('seqMap' in v) {
    const map = new ProtoWriter().int(1, ELEM_CODES[v.seqMap.key]).message(2, new ProtoWriter().message(1, new ProtoWriter().int(1, ELEM_CODES[v.seqMap.value])));
    type.message(4, new ProtoWriter().message(1, new ProtoWriter().message(5, map)));
  } else {
    const tt = new ProtoWriter().int(1, ELEM_CODES[v.elem]);
    if (v.shape) {
      const shape = new ProtoWriter();
      for (const d of v.shape) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
      tt.message(2, shape);
    }
    type.message(1, tt);
  }
  return new ProtoWriter().string(1, v.name).message(2, type);
}

// ------------------------------------------------------------------------------------------- fixtures

/** y = x · coef + intercept, as MatMul + Add (float). */
export function linearRegressionModel(coef: number[], intercept: number, opts: { raw?: boolean; sigmoid?: boolean } = {}): Uint8Array {
  const f = coef.length;
  const nodes: NodeSpec[] = [
    { op: 'MatMul', inputs: ['X', 'W'], outputs: ['xw'] },
    { op: 'Add', inputs: ['xw', 'B'], outputs: [opts.sigmoid ? 'logit' : 'Y'] },
  ];
  if (opts.sigmoid) nodes.push({ op: 'Sigmoid', inputs: ['logit'], outputs: ['Y'] });
  return writeModel({
    producer: 'test-writer', producerVersion: '1.0',
    opsets: [{ domain: '', version: 15 }],
    inputs: [{ name: 'X', elem: 'float', shape: ['N', f] }],
    outputs: [{ name: 'Y', elem: 'float', shape: ['N', 1] }],
    nodes,
    initializers: [
      { name: 'W', type: 'float', dims: [f, 1], values: coef, raw: opts.raw },
      { name: 'B', type: 'float', dims: [1], values: [intercept], raw: opts.raw },
    ],
  });
}

/** Binary logistic regression as skl2onnx writes it: LinearClassifier(±w, ±b, LOGISTIC) → Normalizer(L1) [→ ZipMap]. */
export function logisticRegressionModel(coef: number[], intercept: number, opts: { zipMap: boolean; labels?: number[] | string[] }): Uint8Array {
  const f = coef.length;
  const labels = opts.labels ?? [0, 1];
  const strLabels = typeof labels[0] === 'string';
  const labelAttr: Record<string, Attr> = strLabels ? { classlabels_strings: { strings: labels as string[] } } : { classlabels_ints: { ints: labels as number[] } };
  const zipAttr: Record<string, Attr> = strLabels ? { classlabels_strings: { strings: labels as string[] } } : { classlabels_int64s: { ints: labels as number[] } };
  const nodes: NodeSpec[] = [
    {
      op: 'LinearClassifier', domain: 'ai.onnx.ml', inputs: ['X'], outputs: ['label', 'probability_tensor'],
      attrs: { coefficients: { floats: [...coef.map((c) => -c), ...coef] }, intercepts: { floats: [-intercept, intercept] }, multi_class: { i: 0 }, post_transform: { s: 'LOGISTIC' }, ...labelAttr },
    },
    { op: 'Normalizer', domain: 'ai.onnx.ml', inputs: ['probability_tensor'], outputs: ['probabilities'], attrs: { norm: { s: 'L1' } } },
  ];
  const outputs: ValueSpec[] = [{ name: 'label', elem: strLabels ? 'string' : 'int64', shape: ['N'] }];
  if (opts.zipMap) {
    nodes.push({ op: 'ZipMap', domain: 'ai.onnx.ml', inputs: ['probabilities'], outputs: ['output_probability'], attrs: zipAttr });
    outputs.push({ name: 'output_probability', seqMap: { key: strLabels ? 'string' : 'int64', value: 'float' } });
  } else outputs.push({ name: 'probabilities', elem: 'float', shape: ['N', 2] });
  return writeModel({ producer: 'skl2onnx', producerVersion: '1.17.0', inputs: [{ name: 'X', elem: 'float', shape: ['N', f] }], outputs, nodes });
}

/** Flat ONNX tree attributes (one entry per node), plus leaf weights. */
export interface FlatTrees {
  treeIds: number[]; nodeIds: number[]; featureIds: number[]; values: number[]; modes: string[];
  trueIds: number[]; falseIds: number[]; missingTrue: number[];
  wTree: number[]; wNode: number[]; wId: number[]; wValue: number[];
}

export const rng = mulberry32;

/**
 * `count` random full trees of `depth` over `features` features; thresholds in [-1, 1] (float32-exact), leaf
 * weights per target from `leaf(rand, target)`. Modes vary across BRANCH_LEQ/LT/GTE/GT when `mixedModes`.
 */
export function randomTrees(opts: { count: number; depth: number; features: number; targets: number[]; seed: number; mixedModes?: boolean; missing?: boolean; leaf?: (r: () => number, target: number) => number }): FlatTrees {
  const r = rng(opts.seed);
  const ft: FlatTrees = { treeIds: [], nodeIds: [], featureIds: [], values: [], modes: [], trueIds: [], falseIds: [], missingTrue: [], wTree: [], wNode: [], wId: [], wValue: [] };
  const modes = opts.mixedModes ? ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT'] : ['BRANCH_LEQ'];
  const leaf = opts.leaf ?? ((rr) => Math.round((rr() * 2 - 1) * 1000) / 1000);
  for (let t = 0; t < opts.count; t++) {
    let next = 0;
    const grow = (d: number): number => {
      const id = next++;
      const at = ft.treeIds.length;
      ft.treeIds.push(t); ft.nodeIds.push(id);
      if (d === opts.depth) {
        ft.featureIds.push(0); ft.values.push(0); ft.modes.push('LEAF'); ft.trueIds.push(0); ft.falseIds.push(0); ft.missingTrue.push(0);
        for (const target of opts.targets) { ft.wTree.push(t); ft.wNode.push(id); ft.wId.push(target); ft.wValue.push(leaf(r, target)); }
        return id;
      }
      ft.featureIds.push(Math.floor(r() * opts.features)); ft.values.push(Math.fround(r() * 2 - 1));
      ft.modes.push(modes[Math.floor(r() * modes.length)]); ft.missingTrue.push(r() < 0.5 && opts.missing !== false ? 1 : 0);
      ft.trueIds.push(0); ft.falseIds.push(0);
      const tc = grow(d + 1), fc = grow(d + 1);
      ft.trueIds[at] = tc; ft.falseIds[at] = fc;
      return id;
    };
    grow(0);
  }
  return ft;
}

function nodeAttrs(ft: FlatTrees, asTensor: boolean): Record<string, Attr> {
  return {
    nodes_treeids: { ints: ft.treeIds }, nodes_nodeids: { ints: ft.nodeIds }, nodes_featureids: { ints: ft.featureIds },
    ...(asTensor ? { nodes_values_as_tensor: { t: { type: 'double', dims: [ft.values.length], values: ft.values } } } : { nodes_values: { floats: ft.values } }),
    nodes_modes: { strings: ft.modes }, nodes_truenodeids: { ints: ft.trueIds }, nodes_falsenodeids: { ints: ft.falseIds },
    nodes_missing_value_tracks_true: { ints: ft.missingTrue },
    nodes_hitrates: { floats: ft.treeIds.map(() => 1) },
  };
}

export function treeRegressorModel(ft: FlatTrees, opts: { features: number; targets?: number; base?: number[]; aggregate?: string; asTensor?: boolean }): Uint8Array {
  const targets = opts.targets ?? 1;
  const elem = opts.asTensor ? 'double' : 'float';
  const w = (v: number[]): Attr => (opts.asTensor ? { t: { type: 'double', dims: [v.length], values: v } } : { floats: v });
  const suffix = opts.asTensor ? '_as_tensor' : '';
  return writeModel({
    producer: 'skl2onnx', producerVersion: '1.17.0',
    inputs: [{ name: 'input', elem, shape: ['N', opts.features] }],
    // onnxruntime's TreeEnsembleRegressor always outputs float, also for double input and thresholds.
    outputs: [{ name: 'variable', elem: 'float', shape: ['N', targets] }],
    nodes: [{
      op: 'TreeEnsembleRegressor', domain: 'ai.onnx.ml', inputs: ['input'], outputs: ['variable'],
      attrs: {
        ...nodeAttrs(ft, !!opts.asTensor), n_targets: { i: targets }, post_transform: { s: 'NONE' }, aggregate_function: { s: opts.aggregate ?? 'SUM' },
        target_treeids: { ints: ft.wTree }, target_nodeids: { ints: ft.wNode }, target_ids: { ints: ft.wId }, [`target_weights${suffix}`]: w(ft.wValue),
        ...(opts.base ? { [`base_values${suffix}`]: w(opts.base) } : {}),
      },
    }],
  });
}

/** TreeEnsembleClassifier with int64 labels, label + probabilities outputs, optionally → ZipMap (skl2onnx default). */
export function treeClassifierModel(ft: FlatTrees, opts: { features: number; labels: number[]; postTransform: string; base?: number[]; zipMap: boolean }): Uint8Array {
  const nodes: NodeSpec[] = [{
    op: 'TreeEnsembleClassifier', domain: 'ai.onnx.ml', inputs: ['input'], outputs: ['label', 'probabilities'],
    attrs: {
      ...nodeAttrs(ft, false), post_transform: { s: opts.postTransform }, classlabels_int64s: { ints: opts.labels },
      class_treeids: { ints: ft.wTree }, class_nodeids: { ints: ft.wNode }, class_ids: { ints: ft.wId }, class_weights: { floats: ft.wValue },
      ...(opts.base ? { base_values: { floats: opts.base } } : {}),
    },
  }];
  const outputs: ValueSpec[] = [{ name: 'label', elem: 'int64', shape: ['N'] }];
  if (opts.zipMap) {
    nodes.push({ op: 'ZipMap', domain: 'ai.onnx.ml', inputs: ['probabilities'], outputs: ['output_probability'], attrs: { classlabels_int64s: { ints: opts.labels } } });
    outputs.push({ name: 'output_probability', seqMap: { key: 'int64', value: 'float' } });
  } else outputs.push({ name: 'probabilities', elem: 'float', shape: ['N', opts.labels.length] });
  return writeModel({ producer: 'skl2onnx', producerVersion: '1.17.0', inputs: [{ name: 'input', elem: 'float', shape: ['N', opts.features] }], outputs, nodes });
}
