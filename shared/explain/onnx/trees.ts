/**
 * ai.onnx.ml TreeEnsembleRegressor / TreeEnsembleClassifier (v1 and v3 attributes, incl. *_as_tensor) into the
 * flat Tree arrays TreeSHAP walks. Nodes are renumbered in depth-first order from each tree's root, so node 0
 * is always the root; unreachable nodes are dropped and cycles rejected.
 *
 * Classifier targets follow onnxruntime: one column per class label, except the binary one-column case (two
 * labels, every weight on class 0, at most one base value), which onnxruntime treats as the score of the
 * POSITIVE class (label index 1): targets = 1, probability of class 1 = LOGISTIC(score) or, with
 * post_transform NONE, the score itself.
 */
import type { Tree, TreeEnsemble } from '../types';
import { GraphInfo, NodeInfo, attrInts, attrNumbers, attrString, attrStrings } from './graph';

const MODES = new Set(['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ', 'LEAF']);
const AGGREGATES = new Set(['SUM', 'AVERAGE', 'MIN', 'MAX']);
const TRANSFORMS = new Set(['NONE', 'LOGISTIC', 'SOFTMAX', 'SOFTMAX_ZERO', 'PROBIT']);

export class ModelFormatError extends Error {
  constructor(message: string) { super(message); this.name = 'ModelFormatError'; }
}

/** The graph input a node reads, directly or through Cast/Identity nodes; undefined when computed otherwise. */
export function sourceInput(graph: GraphInfo, value: string): string | undefined {
  for (let hops = 0; hops < 8; hops++) {
    if (graph.inputs.some((i) => i.name === value)) return value;
    const producer = graph.nodes.find((n) => n.outputs.includes(value));
    if (!producer || !['Cast', 'Identity'].includes(producer.opType)) return undefined;
    value = producer.inputs[0];
  }
  return undefined;
}

export function extractTreeEnsemble(graph: GraphInfo): TreeEnsemble | undefined {
  const nodes = graph.nodes.filter((n) => (n.opType === 'TreeEnsembleRegressor' || n.opType === 'TreeEnsembleClassifier') && n.domain === 'ai.onnx.ml');
  if (nodes.length !== 1) return undefined; // none, or a stack of ensembles we cannot explain as one
  const node = nodes[0];
  const inputName = sourceInput(graph, node.inputs[0]);
  if (!inputName) return undefined;
  return node.opType === 'TreeEnsembleRegressor' ? regressor(node, inputName) : classifier(node, inputName);
}

function regressor(node: NodeInfo, inputName: string): TreeEnsemble {
  const targets = Math.max(1, intAttr(node, 'n_targets', 1));
  const weights = leafWeights(node, 'target');
  const aggregate = attrString(node, 'aggregate_function', 'SUM');
  if (!AGGREGATES.has(aggregate)) throw bad(node, `aggregate_function "${aggregate}" is not one of ${[...AGGREGATES].join(', ')}`);
  const trees = buildTrees(node, targets, weights);
  return {
    op: 'TreeEnsembleRegressor', trees, targets,
    baseValues: baseValues(node, targets),
    aggregate: aggregate as TreeEnsemble['aggregate'],
    postTransform: postTransform(node), inputName,
  };
}

function classifier(node: NodeInfo, inputName: string): TreeEnsemble {
  const ints = attrInts(node, 'classlabels_int64s');
  const strs = attrStrings(node, 'classlabels_strings');
  const classLabels: (string | number)[] = ints?.length ? ints : strs ?? [];
  if (!classLabels.length) throw bad(node, 'has neither classlabels_int64s nor classlabels_strings');
  const weights = leafWeights(node, 'class');
  const usedClasses = new Set(weights.ids);
  const base = attrNumbers(node, 'base_values') ?? [];
  const oneColumn = classLabels.length === 2 && usedClasses.size === 1 && usedClasses.has(0) && base.length <= 1;
  const targets = oneColumn ? 1 : classLabels.length;
  for (const id of usedClasses) if (id < 0 || id >= classLabels.length) throw bad(node, `class_ids holds ${id}, outside the ${classLabels.length} class labels`);
  return {
    op: 'TreeEnsembleClassifier',
    trees: buildTrees(node, targets, weights),
    targets,
    baseValues: baseValues(node, targets),
    aggregate: 'SUM',
    postTransform: postTransform(node), classLabels, inputName,
  };
}

function bad(node: NodeInfo, what: string): ModelFormatError {
  return new ModelFormatError(`${node.opType} node "${node.name || '(unnamed)'}" ${what}; the model file is malformed or uses a variant this reader does not support`);
}

function intAttr(node: NodeInfo, name: string, dflt: number): number {
  const a = node.attrs.get(name);
  return a?.kind === 'int' ? a.value : dflt;
}

function postTransform(node: NodeInfo): TreeEnsemble['postTransform'] {
  const p = attrString(node, 'post_transform', 'NONE');
  if (!TRANSFORMS.has(p)) throw bad(node, `post_transform "${p}" is not one of ${[...TRANSFORMS].join(', ')}`);
  return p as TreeEnsemble['postTransform'];
}

function baseValues(node: NodeInfo, targets: number): Float64Array {
  const b = attrNumbers(node, 'base_values') ?? [];
  const out = new Float64Array(targets);
  if (b.length && b.length !== targets && !(targets === 1 && b.length === 1)) throw bad(node, `has ${b.length} base_values for ${targets} targets`);
  out.set(b.slice(0, targets));
  return out;
}

interface Weights { trees: number[]; nodes: number[]; ids: number[]; values: number[] }

function leafWeights(node: NodeInfo, prefix: 'target' | 'class'): Weights {
  const w: Weights = {
    trees: attrInts(node, `${prefix}_treeids`) ?? [],
    nodes: attrInts(node, `${prefix}_nodeids`) ?? [],
    ids: attrInts(node, `${prefix}_ids`) ?? [],
    values: attrNumbers(node, `${prefix}_weights`) ?? [],
  };
  const n = w.trees.length;
  if (w.nodes.length !== n || w.ids.length !== n || w.values.length !== n) {
    throw bad(node, `has ${prefix}_treeids/nodeids/ids/weights of different lengths (${n}, ${w.nodes.length}, ${w.ids.length}, ${w.values.length})`);
  }
  return w;
}

function buildTrees(node: NodeInfo, targets: number, w: Weights): Tree[] {
  const treeIds = attrInts(node, 'nodes_treeids') ?? [];
  const nodeIds = attrInts(node, 'nodes_nodeids') ?? [];
  const featureIds = attrInts(node, 'nodes_featureids') ?? [];
  const values = attrNumbers(node, 'nodes_values') ?? [];
  const modes = attrStrings(node, 'nodes_modes') ?? [];
  const trueIds = attrInts(node, 'nodes_truenodeids') ?? [];
  const falseIds = attrInts(node, 'nodes_falsenodeids') ?? [];
  const missing = attrInts(node, 'nodes_missing_value_tracks_true') ?? [];
  const n = treeIds.length;
  if (!n) throw bad(node, 'has no nodes');
  for (const [name, arr] of [['nodes_nodeids', nodeIds], ['nodes_featureids', featureIds], ['nodes_values', values], ['nodes_modes', modes], ['nodes_truenodeids', trueIds], ['nodes_falsenodeids', falseIds]] as const) {
    if (arr.length !== n) throw bad(node, `has ${arr.length} ${name} for ${n} nodes`);
  }
  if (missing.length && missing.length !== n) throw bad(node, `has ${missing.length} nodes_missing_value_tracks_true for ${n} nodes`);

  // Per tree: node id -> attribute index.
  const byTree = new Map<number, Map<number, number>>();
  for (let i = 0; i < n; i++) {
    if (!MODES.has(modes[i])) throw bad(node, `has node mode "${modes[i]}"`);
    let m = byTree.get(treeIds[i]);
    if (!m) byTree.set(treeIds[i], (m = new Map()));
    if (m.has(nodeIds[i])) throw bad(node, `repeats node ${nodeIds[i]} in tree ${treeIds[i]}`);
    m.set(nodeIds[i], i);
  }
  const order = new Map<number, number[]>(); // tree id -> attribute indices in DFS order
  const local = new Map<number, Map<number, number>>(); // tree id -> attribute index -> new index
  for (const [tid, ids] of byTree) {
    const children = new Set<number>();
    for (const i of ids.values()) if (modes[i] !== 'LEAF') { children.add(trueIds[i]); children.add(falseIds[i]); }
    const roots = [...ids.keys()].filter((k) => !children.has(k));
    if (roots.length !== 1) throw bad(node, `tree ${tid} has ${roots.length} root nodes (nodes no other node points to); expected 1`);
    const seq: number[] = [], seen = new Map<number, number>();
    const stack = [ids.get(roots[0])!];
    while (stack.length) {
      const i = stack.pop()!;
      if (seen.has(i)) throw bad(node, `tree ${tid} reaches node ${nodeIds[i]} twice (a cycle or a shared child)`);
      seen.set(i, seq.length);
      seq.push(i);
      if (modes[i] === 'LEAF') continue;
      for (const c of [falseIds[i], trueIds[i]]) {
        const ci = ids.get(c);
        if (ci === undefined) throw bad(node, `tree ${tid} node ${nodeIds[i]} points to missing node ${c}`);
        stack.push(ci);
      }
    }
    order.set(tid, seq);
    local.set(tid, seen);
  }

  const trees = new Map<number, Tree>();
  for (const [tid, seq] of order) {
    const k = seq.length, idx = local.get(tid)!, ids = byTree.get(tid)!;
    const t: Tree = {
      feature: new Int32Array(k), threshold: new Float64Array(k), mode: new Array<string>(k),
      trueChild: new Int32Array(k), falseChild: new Int32Array(k), missingTracksTrue: new Uint8Array(k),
      leafValues: new Float64Array(k * targets),
    };
    seq.forEach((i, j) => {
      const leaf = modes[i] === 'LEAF';
      t.mode[j] = modes[i];
      t.feature[j] = leaf ? -1 : featureIds[i];
      t.threshold[j] = leaf ? 0 : values[i];
      t.trueChild[j] = leaf ? -1 : idx.get(ids.get(trueIds[i])!)!;
      t.falseChild[j] = leaf ? -1 : idx.get(ids.get(falseIds[i])!)!;
      t.missingTracksTrue[j] = missing[i] ? 1 : 0;
      if (!leaf && featureIds[i] < 0) throw bad(node, `tree ${tid} node ${nodeIds[i]} tests feature ${featureIds[i]}`);
    });
    trees.set(tid, t);
  }
  for (let e = 0; e < w.trees.length; e++) {
    const ids = byTree.get(w.trees[e]);
    const ai = ids?.get(w.nodes[e]);
    if (ai === undefined) throw bad(node, `has a leaf weight for missing node ${w.nodes[e]} of tree ${w.trees[e]}`);
    const j = local.get(w.trees[e])!.get(ai);
    if (j === undefined) continue; // unreachable node: onnxruntime never visits it
    if (modes[ai] !== 'LEAF') throw bad(node, `has a leaf weight on branch node ${w.nodes[e]} of tree ${w.trees[e]}`);
    const target = targets === 1 ? 0 : w.ids[e];
    if (target < 0 || target >= targets) throw bad(node, `has a weight for target ${w.ids[e]} of ${targets}`);
    trees.get(w.trees[e])!.leafValues[j * targets + target] += w.values[e];
  }
  return [...trees.keys()].sort((a, b) => a - b).map((k) => trees.get(k)!);
}
