/**
 * ONNX models: a protobuf ModelProto walked without a schema library (field numbers from onnx.proto). It collects
 * operator domains of every node — in the main graph, in subgraphs of If/Loop/Scan attributes, in training graphs and
 * in model-local functions — and the external-data location of every tensor.
 *
 * External-data paths are judged by path arithmetic relative to the model's folder; `readSibling` is not called,
 * because reading a multi-gigabyte weights file only to prove it exists costs more than it tells.
 */
import type { ModelAnalyzer, ModelIssue } from '../types';
import { IssueSink, quote, safely } from './_issues';
import type { Field } from './_protobuf';
import { forEachField, utf8, WireError } from './_protobuf';
import { ONNX_CUSTOM_DOMAIN, ONNX_EXTERNAL_ESCAPE, ONNX_MALFORMED, SCAN_LIMIT } from './_rules';

// Field numbers (onnx.proto).
const MODEL = { graph: 7, opsetImport: 8, trainingInfo: 20, functions: 25 };
const TRAINING = { initialization: 1, algorithm: 2 };
const GRAPH = { node: 1, initializer: 5, sparseInitializer: 15 };
const NODE = { opType: 4, attribute: 5, domain: 7 };
const ATTR = { t: 5, g: 6, tensors: 10, graphs: 11, sparseTensor: 22, sparseTensors: 23 };
const TENSOR = { name: 8, externalData: 13, dataLocation: 14 };
const SPARSE = { values: 1, indices: 2 };
const ENTRY = { key: 1, value: 2 };
const FUNCTION = { name: 1, node: 7, domain: 10 };
const EXTERNAL = 1;

/** Domains whose operators ship with ONNX or ONNX Runtime (com.microsoft contrib ops and its internal layouts). */
function isStandardDomain(d: string): boolean {
  return d === '' || d === 'ai.onnx' || d === 'ai.onnx.ml' || d === 'ai.onnx.training' || d === 'ai.onnx.preview.training' ||
    d === 'ai.onnx.preview' || d === 'com.microsoft' || d.startsWith('com.microsoft.') || d === 'com.ms.internal.nhwc';
}

type Kind = 'graph' | 'node' | 'attr' | 'tensor' | 'sparse' | 'function' | 'training';
interface Job { kind: Kind; start: number; end: number; depth: number }

const MAX_GRAPH_DEPTH = 64;

interface Collected {
  domains: Map<string, { ops: Set<string>; count: number }>;
  functions: Set<string>;
  external: Array<{ tensor: string; location: string | undefined; at: number }>;
  /** The first malformed sub-message. */
  error?: WireError;
}

/** Fills `out` as it goes, so what was seen before a malformation is still reported. */
function walk(buf: Buffer, sink: IssueSink, out: Collected): void {
  const jobs: Job[] = [];
  let sawGraph = false;
  try {
    forEachField(buf, 0, buf.length, (f) => {
      if (f.wire !== 2) return;
      if (f.field === MODEL.graph) { sawGraph = true; jobs.push({ kind: 'graph', start: f.start, end: f.end, depth: 0 }); }
      else if (f.field === MODEL.trainingInfo) jobs.push({ kind: 'training', start: f.start, end: f.end, depth: 0 });
      else if (f.field === MODEL.functions) jobs.push({ kind: 'function', start: f.start, end: f.end, depth: 0 });
    });
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    out.error = err;
  }
  if (!sawGraph && !out.error) throw new WireError(0, 'no graph (ModelProto field 7) found');
  const push = (kind: Kind, f: Field, depth: number) => {
    if (f.wire !== 2) throw new WireError(f.start, `field ${f.field} of a ${kind} parent is not length-delimited`);
    jobs.push({ kind, start: f.start, end: f.end, depth });
  };
  while (jobs.length) {
    if (sink.budget.protoMessages-- <= 0) {
      sink.limit('the rest of the ONNX graph (message budget exhausted)', 'onnx-messages', 'medium');
      break;
    }
    const job = jobs.pop() as Job;
    try {
      visit(job);
    } catch (err) {
      // A broken sub-message spoils only itself: report the first one, keep walking the rest of the model.
      if (!(err instanceof WireError)) throw err;
      if (!out.error) out.error = err;
    }
  }

  function visit(job: Job): void {
    const d = job.depth;
    switch (job.kind) {
      case 'training':
        forEachField(buf, job.start, job.end, (f) => { if (f.field === TRAINING.initialization || f.field === TRAINING.algorithm) push('graph', f, d); });
        break;
      case 'graph':
        if (d > MAX_GRAPH_DEPTH) { sink.limit(`ONNX subgraphs nested deeper than ${MAX_GRAPH_DEPTH}`, 'onnx-depth', 'medium', job.start); break; }
        forEachField(buf, job.start, job.end, (f) => {
          if (f.field === GRAPH.node) push('node', f, d);
          else if (f.field === GRAPH.initializer) push('tensor', f, d);
          else if (f.field === GRAPH.sparseInitializer) push('sparse', f, d);
        });
        break;
      case 'function': {
        let name = '';
        let domain = '';
        forEachField(buf, job.start, job.end, (f) => {
          if (f.field === FUNCTION.node) push('node', f, d);
          else if (f.field === FUNCTION.name && f.wire === 2) name = utf8(buf, f);
          else if (f.field === FUNCTION.domain && f.wire === 2) domain = utf8(buf, f);
        });
        out.functions.add(`${domain}\u0000${name}`);
        break;
      }
      case 'node': {
        let domain = '';
        let op = '';
        forEachField(buf, job.start, job.end, (f) => {
          if (f.field === NODE.attribute) push('attr', f, d);
          else if (f.field === NODE.domain && f.wire === 2) domain = utf8(buf, f);
          else if (f.field === NODE.opType && f.wire === 2) op = utf8(buf, f);
        });
        if (!isStandardDomain(domain)) {
          let e = out.domains.get(domain);
          if (!e) { e = { ops: new Set(), count: 0 }; out.domains.set(domain, e); }
          e.count++;
          e.ops.add(op);
        }
        break;
      }
      case 'attr':
        forEachField(buf, job.start, job.end, (f) => {
          if (f.field === ATTR.g || f.field === ATTR.graphs) push('graph', f, d + 1);
          else if (f.field === ATTR.t || f.field === ATTR.tensors) push('tensor', f, d);
          else if (f.field === ATTR.sparseTensor || f.field === ATTR.sparseTensors) push('sparse', f, d);
        });
        break;
      case 'sparse':
        forEachField(buf, job.start, job.end, (f) => { if (f.field === SPARSE.values || f.field === SPARSE.indices) push('tensor', f, d); });
        break;
      case 'tensor': {
        let name = '';
        let location: string | undefined;
        let external = false;
        let hasEntries = false;
        forEachField(buf, job.start, job.end, (f) => {
          if (f.field === TENSOR.name && f.wire === 2) name = utf8(buf, f, 256);
          else if (f.field === TENSOR.dataLocation && f.wire === 0) external = f.varint === EXTERNAL;
          else if (f.field === TENSOR.externalData && f.wire === 2) {
            hasEntries = true;
            let key = '';
            let value = '';
            forEachField(buf, f.start, f.end, (g) => {
              if (g.field === ENTRY.key && g.wire === 2) key = utf8(buf, g);
              else if (g.field === ENTRY.value && g.wire === 2) value = utf8(buf, g);
            });
            if (key === 'location') location = value;
          }
        });
        if (external || (hasEntries && location !== undefined)) out.external.push({ tensor: name, location, at: job.start });
        break;
      }
    }
  }
}

/** Why an external-data location escapes the model's folder, or undefined when it stays inside. */
export function externalPathProblem(location: string): string | undefined {
  if (location.includes('\u0000')) return 'contains a NUL byte';
  if (/^[\\/]/.test(location) || /^[A-Za-z]:/.test(location)) return 'is an absolute path';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return 'is a URL';
  let depth = 0;
  for (const seg of location.split(/[\\/]+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (--depth < 0) return "climbs out of the model folder through '..'";
    } else depth++;
  }
  return undefined;
}

function report(c: Collected, sink: IssueSink): void {
  for (const ext of c.external) {
    const tensor = quote(ext.tensor || '(unnamed)', 80);
    if (ext.location === undefined || ext.location === '') {
      sink.add({ ruleId: ONNX_MALFORMED.id, message: `Tensor ${tensor} stores its data externally but names no location.`, byteOffset: ext.at, key: `extdata-missing:${ext.tensor}` });
      continue;
    }
    const problem = externalPathProblem(ext.location);
    if (problem) {
      // A URL's query or fragment may carry a token (a SAS signature): never shown, never keyed.
      const shown = ext.location.replace(/[?#].*$/s, '');
      sink.add({
        ruleId: ONNX_EXTERNAL_ESCAPE.id,
        message: `Tensor ${tensor} reads its data from ${quote(shown)}${shown.length < ext.location.length ? ' (query omitted)' : ''}, which ${problem}.`,
        byteOffset: ext.at,
        key: `extdata:${shown}`,
      });
    }
  }
  for (const [domain, e] of c.domains) {
    const custom = [...e.ops].filter((op) => !c.functions.has(`${domain}\u0000${op}`));
    if (custom.length === 0) continue;
    const shown = custom.slice(0, 5).map((o) => quote(o, 60)).join(', ') + (custom.length > 5 ? `, and ${custom.length - 5} more` : '');
    sink.add({ ruleId: ONNX_CUSTOM_DOMAIN.id, message: `ONNX graph uses operators from the custom domain ${quote(domain)}: ${shown}.`, key: `domain:${domain}` });
  }
}

export const onnxAnalyzer: ModelAnalyzer = {
  rules: [ONNX_EXTERNAL_ESCAPE, ONNX_CUSTOM_DOMAIN, ONNX_MALFORMED, SCAN_LIMIT],
  extensions: ['.onnx'],
  analyze(bytes): ModelIssue[] {
    const sink = new IssueSink();
    return safely(sink, ONNX_MALFORMED.id, () => {
      const out: Collected = { domains: new Map(), functions: new Set(), external: [] };
      try {
        walk(bytes, sink, out);
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
        out.error ??= err;
      }
      if (out.error) {
        const e = out.error;
        sink.add({ ruleId: ONNX_MALFORMED.id, message: `ONNX model does not decode as a ModelProto: ${e.message} (byte ${e.at}).`, byteOffset: e.at, key: 'wire' });
      }
      report(out, sink);
    });
  },
};
