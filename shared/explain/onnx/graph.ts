/**
 * ONNX ModelProto decoding: only the fields the explainers need (graph inputs/outputs, nodes with their
 * attributes, initializers, opsets). Field numbers are those of onnx/onnx.proto (IR version 3 to 10).
 * Subgraphs (If/Loop bodies, GRAPH attributes) are not descended into: we never need them, and skipping them
 * keeps the reader non-recursive.
 */
import type { OnnxElemType, OnnxValueInfo } from '../types';
import { Field, ProtoError, bytes, float32, int, pushDoubles, pushFloats, pushInt64s, readFields, str } from './protobuf';

/** TensorProto.DataType codes. */
export const ELEM_TYPES: Record<number, OnnxElemType> = {
  1: 'float', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'double', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

export interface TensorData {
  name: string;
  dims: number[];
  elemType: OnnxElemType | 'unknown';
  /** Numeric values (float, double, int types); undefined for types we do not decode (string, float16, external). */
  values?: Float64Array;
}

export type AttrValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: TensorData }
  | { kind: 'floats'; value: number[] }
  | { kind: 'ints'; value: number[] }
  | { kind: 'strings'; value: string[] }
  | { kind: 'other' };

export interface NodeInfo {
  opType: string;
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, AttrValue>;
}

export interface GraphInfo {
  nodes: NodeInfo[];
  initializers: Map<string, TensorData>;
  /** Graph inputs that are not initializers (IR < 4 lists initializers as inputs too). */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface ParsedModel {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer?: string;
  graph: GraphInfo;
}

export function parseModel(buf: Uint8Array): ParsedModel {
  let irVersion = 0, producer: string | undefined, producerVersion: string | undefined;
  const opsets: { domain: string; version: number }[] = [];
  let graph: GraphInfo | undefined;
  for (const f of readFields(buf)) {
    switch (f.num) {
      case 1: irVersion = int(f); break;
      case 2: producer = str(buf, f); break;
      case 3: producerVersion = str(buf, f); break;
      case 7: graph = parseGraph(buf, f); break;
      case 8: opsets.push(parseOpset(buf, f)); break;
    }
  }
  if (!graph) throw new ProtoError('no graph in the model (ModelProto field 7 missing): not an ONNX model file', 0);
  if (irVersion <= 0) throw new ProtoError('no ir_version in the model: not an ONNX model file', 0);
  if (producer && producerVersion) producer = `${producer} ${producerVersion}`;
  return { irVersion, opsets, producer, graph };
}

function parseOpset(buf: Uint8Array, m: Field): { domain: string; version: number } {
  let domain = '', version = 0;
  for (const f of readFields(buf, m.start, m.end)) {
    if (f.num === 1) domain = str(buf, f);
    else if (f.num === 2) version = int(f);
  }
  return { domain, version };
}

function parseGraph(buf: Uint8Array, m: Field): GraphInfo {
  const nodes: NodeInfo[] = [];
  const initializers = new Map<string, TensorData>();
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  for (const f of readFields(buf, m.start, m.end)) {
    switch (f.num) {
      case 1: nodes.push(parseNode(buf, f)); break;
      case 5: { const t = parseTensor(buf, f); initializers.set(t.name, t); break; }
      case 11: inputs.push(parseValueInfo(buf, f)); break;
      case 12: outputs.push(parseValueInfo(buf, f)); break;
    }
  }
  return { nodes, initializers, inputs: inputs.filter((i) => !initializers.has(i.name)), outputs };
}

function parseNode(buf: Uint8Array, m: Field): NodeInfo {
  const node: NodeInfo = { opType: '', domain: '', name: '', inputs: [], outputs: [], attrs: new Map() };
  for (const f of readFields(buf, m.start, m.end)) {
    switch (f.num) {
      case 1: node.inputs.push(str(buf, f)); break;
      case 2: node.outputs.push(str(buf, f)); break;
      case 3: node.name = str(buf, f); break;
      case 4: node.opType = str(buf, f); break;
      case 5: { const [name, v] = parseAttribute(buf, f); node.attrs.set(name, v); break; }
      case 7: node.domain = str(buf, f); break;
    }
  }
  return node;
}

// AttributeProto.AttributeType
const A_FLOAT = 1, A_INT = 2, A_STRING = 3, A_TENSOR = 4, A_FLOATS = 6, A_INTS = 7, A_STRINGS = 8;

function parseAttribute(buf: Uint8Array, m: Field): [string, AttrValue] {
  let name = '', type = 0, fv = 0, iv = 0, sv = '', tv: TensorData | undefined;
  const floats: number[] = [], ints: number[] = [], strings: string[] = [];
  for (const f of readFields(buf, m.start, m.end)) {
    switch (f.num) {
      case 1: name = str(buf, f); break;
      case 20: type = int(f); break;
      case 2: fv = float32(buf, f); break;
      case 3: iv = int(f); break;
      case 4: sv = str(buf, f); break;
      case 5: tv = parseTensor(buf, f); break;
      case 7: pushFloats(buf, f, floats); break;
      case 8: pushInt64s(buf, f, ints); break;
      case 9: strings.push(str(buf, f)); break;
    }
  }
  switch (type) {
    case A_FLOAT: return [name, { kind: 'float', value: fv }];
    case A_INT: return [name, { kind: 'int', value: iv }];
    case A_STRING: return [name, { kind: 'string', value: sv }];
    case A_TENSOR: return [name, tv ? { kind: 'tensor', value: tv } : { kind: 'other' }];
    case A_FLOATS: return [name, { kind: 'floats', value: floats }];
    case A_INTS: return [name, { kind: 'ints', value: ints }];
    case A_STRINGS: return [name, { kind: 'strings', value: strings }];
    default: return [name, { kind: 'other' }];
  }
}

export function parseTensor(buf: Uint8Array, m: Field): TensorData {
  let name = '', dataType = 0, raw: Uint8Array | undefined, external = false;
  const dims: number[] = [], floats: number[] = [], ints: number[] = [], doubles: number[] = [];
  for (const f of readFields(buf, m.start, m.end)) {
    switch (f.num) {
      case 1: pushInt64s(buf, f, dims); break;
      case 2: dataType = int(f); break;
      case 4: pushFloats(buf, f, floats); break;
      case 5: case 7: case 11: pushInt64s(buf, f, ints); break; // int32_data, int64_data, uint64_data
      case 8: name = str(buf, f); break;
      case 9: raw = bytes(buf, f); break;
      case 10: pushDoubles(buf, f, doubles); break;
      case 14: external = int(f) === 1; break;
    }
  }
  const elemType = ELEM_TYPES[dataType] ?? 'unknown';
  const count = dims.reduce((a, b) => a * b, 1);
  let values: Float64Array | undefined;
  if (!external) {
    if (raw) values = decodeRaw(raw, elemType, m.keyStart);
    else if (elemType === 'float') values = Float64Array.from(floats);
    else if (elemType === 'double') values = Float64Array.from(doubles);
    else if (/^u?int(8|16|32|64)$|^bool$/.test(elemType)) values = Float64Array.from(ints);
    if (values && values.length !== count) {
      throw new ProtoError(`tensor "${name}" has ${values.length} values but its dims [${dims.join(', ')}] need ${count}`, m.keyStart);
    }
  }
  return { name, dims, elemType, values };
}

const RAW_SIZES: Partial<Record<string, number>> = { float: 4, double: 8, int64: 8, int32: 4, uint64: 8, uint32: 4, int16: 2, uint16: 2, int8: 1, uint8: 1, bool: 1 };

function decodeRaw(raw: Uint8Array, elemType: string, at: number): Float64Array | undefined {
  const size = RAW_SIZES[elemType];
  if (!size) return undefined;
  if (raw.length % size) throw new ProtoError(`raw_data of ${raw.length} bytes is not a whole number of ${elemType} values`, at);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = raw.length / size, out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (elemType) {
      case 'float': out[i] = dv.getFloat32(o, true); break;
      case 'double': out[i] = dv.getFloat64(o, true); break;
      case 'int64': out[i] = Number(dv.getBigInt64(o, true)); break;
      case 'uint64': out[i] = Number(dv.getBigUint64(o, true)); break;
      case 'int32': out[i] = dv.getInt32(o, true); break;
      case 'uint32': out[i] = dv.getUint32(o, true); break;
      case 'int16': out[i] = dv.getInt16(o, true); break;
      case 'uint16': out[i] = dv.getUint16(o, true); break;
      case 'int8': out[i] = dv.getInt8(o); break;
      default: out[i] = dv.getUint8(o); break;
    }
  }
  return out;
}

function parseValueInfo(buf: Uint8Array, m: Field): OnnxValueInfo {
  let name = '';
  let type: Omit<OnnxValueInfo, 'name'> = { kind: 'other' };
  for (const f of readFields(buf, m.start, m.end)) {
    if (f.num === 1) name = str(buf, f);
    else if (f.num === 2) type = parseType(buf, f, 0);
  }
  return { name, ...type };
}

/** TypeProto: tensor (1), sequence (4), map (5). Depth-limited: a sequence of maps is as deep as ONNX models go. */
function parseType(buf: Uint8Array, m: Field, depth: number): Omit<OnnxValueInfo, 'name'> {
  if (depth > 4) throw new ProtoError('type nested deeper than 4 levels', m.keyStart);
  for (const f of readFields(buf, m.start, m.end)) {
    if (f.num === 1) return parseTensorType(buf, f);
    if (f.num === 4) {
      // Sequence: report the element's value type (for seq(map(int64, float)): float).
      for (const g of readFields(buf, f.start, f.end)) if (g.num === 1) return { kind: 'sequence', elemType: parseType(buf, g, depth + 1).elemType };
      return { kind: 'sequence' };
    }
    if (f.num === 5) {
      let elemType: OnnxElemType | undefined;
      for (const g of readFields(buf, f.start, f.end)) if (g.num === 2) elemType = parseType(buf, g, depth + 1).elemType;
      return { kind: 'map', elemType };
    }
  }
  return { kind: 'other' };
}

function parseTensorType(buf: Uint8Array, m: Field): Omit<OnnxValueInfo, 'name'> {
  let elemType: OnnxElemType | undefined, shape: (number | string)[] | undefined;
  for (const f of readFields(buf, m.start, m.end)) {
    if (f.num === 1) elemType = ELEM_TYPES[int(f)];
    else if (f.num === 2) {
      shape = [];
      for (const d of readFields(buf, f.start, f.end)) {
        if (d.num !== 1) continue;
        let dim: number | string = -1;
        for (const g of readFields(buf, d.start, d.end)) {
          if (g.num === 1) dim = int(g);
          else if (g.num === 2) dim = str(buf, g);
        }
        shape.push(dim);
      }
    }
  }
  return { kind: 'tensor', elemType, shape };
}

// ------------------------------------------------------------------------------------------- attribute access

export function attrString(n: NodeInfo, name: string, dflt: string): string {
  const a = n.attrs.get(name);
  return a?.kind === 'string' ? a.value : dflt;
}

export function attrInt(n: NodeInfo, name: string, dflt: number): number {
  const a = n.attrs.get(name);
  return a?.kind === 'int' ? a.value : dflt;
}

export function attrInts(n: NodeInfo, name: string): number[] | undefined {
  const a = n.attrs.get(name);
  return a?.kind === 'ints' ? a.value : undefined;
}

export function attrStrings(n: NodeInfo, name: string): string[] | undefined {
  const a = n.attrs.get(name);
  return a?.kind === 'strings' ? a.value : undefined;
}

/** A float list attribute, or its `<name>_as_tensor` double variant (ai.onnx.ml v3). */
export function attrNumbers(n: NodeInfo, name: string): number[] | undefined {
  const t = n.attrs.get(`${name}_as_tensor`);
  if (t?.kind === 'tensor' && t.value.values) return Array.from(t.value.values);
  const a = n.attrs.get(name);
  if (a?.kind === 'floats') return a.value;
  if (a?.kind === 'float') return [a.value];
  return undefined;
}
