/**
 * Neither onnxruntime-node nor onnxruntime-web can return a ZipMap output (a sequence of maps): "Non tensor type
 * is temporarily not supported" / "Reading data from non-tensor typed value is not supported". skl2onnx adds
 * one to every classifier by default. We rewrite the model bytes: drop each ZipMap node and expose its input,
 * the [N, classes] float probability tensor, as a graph output under its own name. All other fields are
 * copied byte for byte.
 */
import { GraphInfo } from './graph';
import { ProtoWriter, readFields, str } from './protobuf';

export interface ZipMapRewrite {
  bytes: Uint8Array;
  /** ZipMap output name -> name of the tensor output that now carries the same probabilities. */
  replacements: Map<string, string>;
}

export function zipMapReplacements(graph: GraphInfo): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of graph.nodes) if (n.opType === 'ZipMap') out.set(n.outputs[0], n.inputs[0]);
  return out;
}

/** The model without ZipMap nodes; returns the input bytes unchanged when there is none. */
export function stripZipMap(model: Uint8Array, graph: GraphInfo): ZipMapRewrite {
  const replacements = zipMapReplacements(graph);
  if (!replacements.size) return { bytes: model, replacements };
  const existing = new Set(graph.outputs.map((o) => o.name));
  const w = new ProtoWriter();
  for (const f of readFields(model)) {
    if (f.num !== 7) { w.raw(model.subarray(f.keyStart, f.end)); continue; }
    const g = new ProtoWriter();
    for (const gf of readFields(model, f.start, f.end)) {
      if (gf.num === 1 && isZipMap(model, gf.start, gf.end)) continue;
      if (gf.num === 12) {
        const name = valueInfoName(model, gf.start, gf.end);
        const tensor = replacements.get(name);
        if (tensor !== undefined) {
          if (!existing.has(tensor)) g.message(12, floatTensorValueInfo(tensor));
          existing.add(tensor);
          continue;
        }
      }
      g.raw(model.subarray(gf.keyStart, gf.end));
    }
    w.message(7, g);
  }
  return { bytes: w.finish(), replacements };
}

function isZipMap(buf: Uint8Array, start: number, end: number): boolean {
  return readFields(buf, start, end).some((f) => f.num === 4 && str(buf, f) === 'ZipMap');
}

function valueInfoName(buf: Uint8Array, start: number, end: number): string {
  const f = readFields(buf, start, end).find((x) => x.num === 1);
  return f ? str(buf, f) : '';
}

/** ValueInfoProto { name, type: TypeProto { tensor_type { elem_type: FLOAT } } }; shape left to inference. */
function floatTensorValueInfo(name: string): ProtoWriter {
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, new ProtoWriter().int(1, 1)));
}
