/**
 * Judges a parsed Keras model config (Keras 3 config.json, or the model_config of a Keras 2 .h5): Lambda layers and
 * what their function is, and entries whose `module` lies outside Keras. Iterative, so deep nesting cannot overflow.
 */
import type { IssueSink } from './_issues';
import { quote } from './_issues';
import { judgeImport } from './_picklePolicy';
import { KERAS_BYTECODE, KERAS_CUSTOM_OBJECT, KERAS_LAMBDA_LAYER } from './_rules';

const KERAS_PACKAGES = new Set(['keras', 'tf_keras', 'keras_hub', 'keras_cv', 'keras_nlp', 'tensorflow']);
const MAX_NODES = 5_000_000;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export function judgeKerasConfig(root: Json, sink: IssueSink, origin: string): void {
  const stack: Json[] = [root];
  // The function object of a Lambda is judged with its layer, not again as a reference of its own.
  const handled = new Set<Obj>();
  let visited = 0;
  while (stack.length) {
    if (++visited > MAX_NODES) {
      sink.limit(`the rest of the Keras config in ${origin} (more than ${MAX_NODES} values)`, 'keras-nodes', 'medium');
      return;
    }
    const v = stack.pop() as Json;
    if (Array.isArray(v)) { for (const x of v) if (typeof x === 'object' && x !== null) stack.push(x); continue; }
    if (!isObj(v) || handled.has(v)) continue;
    const cls = str(v.class_name);
    if (cls === 'Lambda') {
      lambdaLayer(v, sink, origin);
      const cfg = v.config;
      if (isObj(cfg) && isObj(cfg.function)) handled.add(cfg.function);
    }
    else if (cls === '__lambda__') bytecode(v, sink, origin, 'a serialised lambda');
    else if (cls !== undefined) externalReference(v, cls, sink, origin);
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (typeof x === 'object' && x !== null) stack.push(x);
    }
  }
}

function layerName(layer: Obj): string {
  const cfg = layer.config;
  return quote((isObj(cfg) && str(cfg.name)) || '(unnamed)', 80);
}

function lambdaLayer(layer: Obj, sink: IssueSink, origin: string): void {
  const name = layerName(layer);
  const cfg = isObj(layer.config) ? layer.config : {};
  const fn = cfg.function;
  // Keras 2 func_dump: [base64 marshal code, defaults, closure]; Keras 1 stored the code string with type 'lambda'.
  if (Array.isArray(fn) || (typeof fn === 'string' && str(cfg.function_type) === 'lambda')) {
    bytecode(layer, sink, origin, `Lambda layer ${name}`);
    return;
  }
  if (isObj(fn) && str(fn.class_name) === '__lambda__') {
    bytecode(layer, sink, origin, `Lambda layer ${name}`);
    return;
  }
  let module: string | undefined;
  let fname: string | undefined;
  if (isObj(fn)) {
    module = str(fn.module);
    fname = str(fn.config) ?? str(fn.registered_name) ?? str(fn.class_name);
  } else if (typeof fn === 'string') {
    module = str(cfg.module);
    fname = fn;
  }
  const target = module && fname ? `${module}.${fname}` : fname ?? 'an unnamed function';
  if (module && fname && judgeImport(module, fname).verdict === 'dangerous') {
    sink.add({ ruleId: KERAS_BYTECODE.id, message: `Lambda layer ${name} in ${origin} calls ${quote(target)}, which runs code or commands on load.`, key: `callable:${target}` });
    return;
  }
  sink.add({ ruleId: KERAS_LAMBDA_LAYER.id, message: `Lambda layer ${name} in ${origin} wraps the Python function ${quote(target)}.`, key: `lambda:${name}:${target}` });
}

function bytecode(obj: Obj, sink: IssueSink, origin: string, what: string): void {
  sink.add({ ruleId: KERAS_BYTECODE.id, message: `${what} in ${origin} stores marshal-serialised Python bytecode that Keras runs on load.`, key: `bytecode:${what}` });
}

/** An object named by module + class_name (Keras 3) or registered_name that lies outside the Keras packages. */
function externalReference(obj: Obj, cls: string, sink: IssueSink, origin: string): void {
  const module = str(obj.module);
  const registered = str(obj.registered_name);
  if (module === undefined) {
    if (registered && registered.includes('>') && !/^keras/i.test(registered)) {
      sink.add({ ruleId: KERAS_CUSTOM_OBJECT.id, message: `Keras config in ${origin} uses the registered custom object ${quote(registered)}.`, key: `custom:${registered}` });
    }
    return;
  }
  const root = module.split('.')[0];
  if (KERAS_PACKAGES.has(root)) return;
  // For functions Keras stores the function's name in config; for classes the class name is class_name.
  const name = cls === 'function' ? str(obj.config) ?? registered ?? cls : cls;
  const target = `${module}.${name}`;
  if (judgeImport(module, name).verdict === 'dangerous') {
    sink.add({ ruleId: KERAS_BYTECODE.id, message: `Keras config in ${origin} names ${quote(target)}, which runs code or commands on load.`, key: `callable:${target}` });
  } else {
    sink.add({ ruleId: KERAS_CUSTOM_OBJECT.id, message: `Keras config in ${origin} refers to ${quote(target)}, code outside Keras.`, key: `custom:${target}` });
  }
}
