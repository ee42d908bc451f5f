import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ALL_ANALYZERS } from '../../../../shared/scan/models/index';
import type { ModelAnalyzer } from '../../../../shared/scan/types';
import { makeZip, npy, numpyArrayPickle, onnx, osSystemPickle, safetensors, stackGlobalPickle, torchStateDictPickle, torchZip, prng } from './builders';

/** Valid samples of every format, each with the analyzer that owns its extension. */
function samples(): Array<{ path: string; bytes: Buffer }> {
  const config = JSON.stringify({ class_name: 'Sequential', config: { layers: [{ class_name: 'Lambda', config: { name: 'l', function: ['AAAA', null, null], function_type: 'lambda' } }] } });
  return [
    { path: 'a.pkl', bytes: osSystemPickle() },
    { path: 'b.pkl', bytes: stackGlobalPickle() },
    { path: 'c.joblib', bytes: gzipSync(numpyArrayPickle()) },
    { path: 'd.pt', bytes: torchZip(torchStateDictPickle(), { deflate: true }) },
    { path: 'e.pth', bytes: torchZip(osSystemPickle(), { zip64: true }) },
    { path: 'f.npy', bytes: npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", osSystemPickle()) },
    { path: 'g.npz', bytes: makeZip([{ name: 'x.npy', data: npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", Buffer.alloc(8)), deflate: true }]) },
    { path: 'h.keras', bytes: makeZip([{ name: 'config.json', data: Buffer.from(config), deflate: true }]) },
    { path: 'i.h5', bytes: Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40), Buffer.from(config), Buffer.alloc(40)]) },
    { path: 'j.onnx', bytes: onnx.model(onnx.graph([onnx.node('If', '', onnx.graphAttr('g', onnx.graph([onnx.node('X', 'com.evil')])))], [onnx.externalTensor('w', '../w.bin')])) },
    { path: 'k.safetensors', bytes: safetensors({ t: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, Buffer.alloc(8)) },
  ];
}

function owner(path: string): ModelAnalyzer {
  const a = ALL_ANALYZERS.find((x) => x.extensions.some((e) => path.endsWith(e)));
  assert.ok(a, path);
  return a;
}

function runChecked(a: ModelAnalyzer, bytes: Buffer, path: string, what: string): void {
  let issues;
  try {
    issues = a.analyze(bytes, { path });
  } catch (err) {
    assert.fail(`${what}: analyze threw ${(err as Error).message}`);
  }
  assert.ok(Array.isArray(issues), what);
  const known = new Set(a.rules.map((r) => r.id));
  for (const i of issues) {
    assert.ok(known.has(i.ruleId), `${what}: ${i.ruleId} is not in the analyzer's rules`);
    assert.ok(typeof i.key === 'string' && i.key.length > 0 && typeof i.message === 'string', what);
  }
}

describe('models: fuzzing never throws and emits only declared rules', () => {
  it('every sample finds something before fuzzing (the fuzz inputs are meaningful)', () => {
    for (const s of samples()) {
      const a = owner(s.path);
      const issues = a.analyze(s.bytes, { path: s.path });
      if (!['c.joblib', 'd.pt', 'g.npz', 'k.safetensors'].includes(s.path)) assert.ok(issues.length > 0, s.path);
      else assert.deepEqual(issues, [], s.path);
    }
  });

  it('random truncations, byte flips and garbage', () => {
    const rnd = prng(20240611);
    let runs = 0;
    for (const s of samples()) {
      const a = owner(s.path);
      for (let i = 0; i < 150; i++) {
        const cut = s.bytes.subarray(0, Math.floor(rnd() * s.bytes.length));
        runChecked(a, cut, s.path, `${s.path} cut at ${cut.length}`);
        const flipped = Buffer.from(s.bytes);
        for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) flipped[Math.floor(rnd() * flipped.length)] = Math.floor(rnd() * 256);
        runChecked(a, flipped, s.path, `${s.path} flipped`);
        runs += 2;
      }
      const garbage = Buffer.from(Array.from({ length: 512 }, () => Math.floor(rnd() * 256)));
      runChecked(a, garbage, s.path, `${s.path} garbage`);
    }
    assert.ok(runs >= 3000);
  });
});
