import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { kerasAnalyzer } from '../../../../shared/scan/models/keras';
import type { ModelIssue } from '../../../../shared/scan/types';
import { makeZip } from './builders';

const analyze = (b: Buffer, path = 'model.keras') => kerasAnalyzer.analyze(b, { path });
const ids = (issues: ModelIssue[]) => issues.map((i) => i.ruleId).sort();

const dense = { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense', units: 4, activation: { module: 'keras.activations', class_name: 'function', config: 'relu', registered_name: 'relu' } }, registered_name: null };

function sequential(...layers: unknown[]) {
  return { module: 'keras', class_name: 'Sequential', config: { name: 'seq', layers: [dense, ...layers] }, registered_name: null };
}

/** A Keras 3 Lambda layer whose function is serialised by module and name. */
const namedLambda = (module: string, fn: string) => ({
  module: 'keras.layers', class_name: 'Lambda', registered_name: null,
  config: { name: 'lam', function: { module, class_name: 'function', config: fn, registered_name: 'function' } },
});

/** A lambda expression: Keras 3 stores base64 marshal bytecode (random bytes stand in for it here). */
const bytecodeLambda = () => ({
  module: 'keras.layers', class_name: 'Lambda', registered_name: null,
  config: { name: 'anon', function: { class_name: '__lambda__', config: { code: randomBytes(48).toString('base64'), defaults: null, closure: null } } },
});

const kerasZip = (config: unknown) =>
  makeZip([
    { name: 'metadata.json', data: Buffer.from('{"keras_version": "3.5.0"}') },
    { name: 'config.json', data: Buffer.from(typeof config === 'string' ? config : JSON.stringify(config)), deflate: true },
    { name: 'model.weights.h5', data: Buffer.alloc(64) },
  ]);

/** Bytes that pass for an HDF5 file: the signature, binary noise, then the model_config attribute's JSON. */
function fakeH5(config: unknown, opts: { userBlock?: boolean; noise?: string } = {}): Buffer {
  const magic = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
  const head = opts.userBlock ? Buffer.concat([Buffer.alloc(512), magic]) : magic;
  const json = Buffer.from(JSON.stringify(config).replace(/":/g, '": ').replace(/,"/g, ', "'));
  return Buffer.concat([head, randomBytes(300), Buffer.from(opts.noise ?? ''), Buffer.from([0, 0]), Buffer.from('model_config'), Buffer.from([0, 0, 0]), json, Buffer.alloc(16), randomBytes(200)]);
}

describe('models/keras: .keras archives and HDF5 configs', () => {
  it('a plain Keras model is clean', () => {
    assert.deepEqual(analyze(kerasZip(sequential())), []);
    assert.deepEqual(analyze(fakeH5(sequential()), 'model.h5'), []);
  });

  it('a Lambda naming a function is high, once (not again as an outside reference)', () => {
    const issues = analyze(kerasZip(sequential(namedLambda('__main__', 'scale'))));
    assert.deepEqual(ids(issues), ['AML-MODEL-KERAS-001']);
    assert.match(issues[0].message, /Lambda layer 'lam' in config\.json wraps the Python function '__main__\.scale'/);
  });

  it('a Lambda with serialised bytecode is critical, in Keras 3 and Keras 2 layouts', () => {
    assert.deepEqual(ids(analyze(kerasZip(sequential(bytecodeLambda())))), ['AML-MODEL-KERAS-002']);
    const keras2 = { class_name: 'Lambda', config: { name: 'l2', function: [randomBytes(40).toString('base64'), null, null], function_type: 'lambda', module: '__main__' } };
    const h5 = analyze(fakeH5({ class_name: 'Sequential', config: { name: 's', layers: [keras2] } }), 'model.h5');
    assert.deepEqual(ids(h5), ['AML-MODEL-KERAS-002']);
    assert.match(h5[0].message, /Lambda layer 'l2' in the HDF5 attribute JSON at byte \d+ stores marshal-serialised Python bytecode/);
  });

  it('a Lambda or config entry naming a dangerous callable is critical', () => {
    assert.deepEqual(ids(analyze(kerasZip(sequential(namedLambda('os', 'system'))))), ['AML-MODEL-KERAS-002']);
    const activation = { ...dense, config: { ...dense.config, activation: { module: 'builtins', class_name: 'function', config: 'exec', registered_name: null } } };
    const issues = analyze(kerasZip(sequential(activation)));
    assert.deepEqual(ids(issues), ['AML-MODEL-KERAS-002']);
    assert.match(issues[0].message, /builtins\.exec/);
    const legacyFn = { class_name: 'Lambda', config: { name: 'l', function: 'system', function_type: 'function', module: 'posix' } };
    assert.deepEqual(ids(analyze(fakeH5({ class_name: 'Model', config: { layers: [legacyFn] } }), 'm.h5')), ['AML-MODEL-KERAS-002']);
  });

  it('a custom layer from outside Keras is medium', () => {
    const custom = { module: 'my_pkg.layers', class_name: 'Attention', config: { name: 'att' }, registered_name: 'MyPkg>Attention' };
    const issues = analyze(kerasZip(sequential(custom)));
    assert.deepEqual(ids(issues), ['AML-MODEL-KERAS-003']);
    assert.equal(issues[0].key, 'custom:my_pkg.layers.Attention');
  });

  it('HDF5: the config is found after a user block and after unbalanced look-alike fragments', () => {
    const noise = '{"class_name": "Broken", "config": {"x": [1, 2\u0000 more binary';
    const issues = analyze(fakeH5(sequential(namedLambda('__main__', 'f')), { userBlock: true, noise }), 'model.hdf5');
    assert.deepEqual(ids(issues), ['AML-MODEL-KERAS-001']);
  });

  it('missing or broken configs are reported; a weights-only HDF5 file is not', () => {
    assert.deepEqual(ids(analyze(makeZip([{ name: 'model.weights.h5', data: Buffer.alloc(8) }]))), ['AML-MODEL-KERAS-004']);
    assert.deepEqual(ids(analyze(makeZip([{ name: 'config.json', data: Buffer.from('{"class_name": ') }]))), ['AML-MODEL-KERAS-004']);
    const weightsOnly = Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(512)]);
    assert.deepEqual(analyze(weightsOnly, 'w.h5'), []);
    const truncated = fakeH5(sequential());
    assert.deepEqual(ids(analyze(truncated.subarray(0, truncated.indexOf('"layers"')), 'm.h5')), ['AML-MODEL-KERAS-004']);
    const notHdf5 = analyze(Buffer.from('just text'), 'm.h5');
    assert.deepEqual(ids(notHdf5), ['AML-MODEL-KERAS-004']);
    assert.equal(notHdf5[0].severity, 'low');
  });

  it('deeply nested configs do not overflow the stack', () => {
    // Built as text: JSON.stringify itself would overflow on 50,000 levels.
    const inner = JSON.stringify({ class_name: 'Lambda', config: { name: 'deep', function: { module: '__main__', class_name: 'function', config: 'f' } } });
    const n = 50_000;
    const deep = '{"class_name": "Wrapper", "module": "keras.layers", "config": {"layer": '.repeat(n) + inner + '}}'.repeat(n);
    assert.deepEqual(ids(analyze(kerasZip(deep))), ['AML-MODEL-KERAS-001']);
  });
});
