import assert from 'node:assert/strict';
import { externalPathProblem, onnxAnalyzer } from '../../../../shared/scan/models/onnx';
import type { ModelIssue } from '../../../../shared/scan/types';
import { ld, msg, onnx, varint, vi } from './builders';

const analyze = (b: Buffer, path = 'models/m.onnx') => onnxAnalyzer.analyze(b, { path });
const ids = (issues: ModelIssue[]) => issues.map((i) => i.ruleId).sort();

const benign = () => onnx.model(onnx.graph([onnx.node('Relu'), onnx.node('LinearRegressor', 'ai.onnx.ml')], [onnx.tensor('w')]));

describe('models/onnx: protobuf walk, external data, custom domains', () => {
  it('a model with standard and com.microsoft operators and inline initializers is clean', () => {
    assert.deepEqual(analyze(benign()), []);
    assert.deepEqual(analyze(onnx.model(onnx.graph([onnx.node('FusedMatMul', 'com.microsoft'), onnx.node('QLinearConv', 'com.microsoft.nchwc')]))), []);
    assert.deepEqual(analyze(onnx.model(onnx.graph([onnx.node('Relu')], [onnx.externalTensor('w', 'weights.bin'), onnx.externalTensor('v', 'data/./sub/../v.bin')]))), []);
  });

  it('external data that escapes the model folder is critical', () => {
    for (const loc of ['../../etc/passwd', '/etc/shadow', 'C:\\Windows\\win.ini', '\\\\host\\share\\x', 'sub/../../x.bin', 'a\\..\\..\\b', 'file:///etc/passwd']) {
      const issues = analyze(onnx.model(onnx.graph([onnx.node('Relu')], [onnx.externalTensor('w', loc)])));
      assert.deepEqual(ids(issues), ['AML-MODEL-ONNX-001'], loc);
      assert.match(issues[0].message, /Tensor 'w' reads its data from/);
      assert.ok(issues[0].byteOffset !== undefined && issues[0].byteOffset > 0);
    }
  });

  it('external tensors inside node attributes and subgraphs are checked too', () => {
    const constant = onnx.node('Constant', '', msg(ld(1, 'value'), ld(5, onnx.externalTensor('c', '../secret.bin')), vi(20, 4)));
    const sub = onnx.graph([constant]);
    const iff = onnx.node('If', '', onnx.graphAttr('then_branch', sub), onnx.graphAttr('else_branch', onnx.graph([onnx.node('Relu')])));
    assert.deepEqual(ids(analyze(onnx.model(onnx.graph([iff])))), ['AML-MODEL-ONNX-001']);
  });

  it('custom domains are medium, found in nested subgraphs and training graphs, once per domain', () => {
    const inner = onnx.graph([onnx.node('EvilOp', 'com.evil'), onnx.node('OtherOp', 'com.evil')]);
    const loop = onnx.node('Loop', '', onnx.graphsAttr('body', [onnx.graph([onnx.node('If', '', onnx.graphAttr('then_branch', inner))])]));
    const issues = analyze(onnx.model(onnx.graph([loop])));
    assert.deepEqual(ids(issues), ['AML-MODEL-ONNX-002']);
    assert.match(issues[0].message, /custom domain 'com\.evil': 'EvilOp', 'OtherOp'|'OtherOp', 'EvilOp'/);
    const training = ld(20, msg(ld(2, onnx.graph([onnx.node('Step', 'org.trainer')]))));
    assert.deepEqual(ids(analyze(onnx.model(onnx.graph([onnx.node('Relu')]), [training]))), ['AML-MODEL-ONNX-002']);
  });

  it('operators of a custom domain defined as model-local functions are not custom code', () => {
    const fn = onnx.functionProto('my.funcs', 'Gelu2', [onnx.node('Mul'), onnx.node('Tanh')]);
    const model = onnx.model(onnx.graph([onnx.node('Gelu2', 'my.funcs')]), [ld(25, fn)]);
    assert.deepEqual(analyze(model), []);
    const fnUsingCustom = onnx.functionProto('my.funcs', 'Wrap', [onnx.node('Native', 'vendor.ops')]);
    assert.deepEqual(ids(analyze(onnx.model(onnx.graph([onnx.node('Wrap', 'my.funcs')]), [ld(25, fnUsingCustom)]))), ['AML-MODEL-ONNX-002']);
  });

  it('malformed protobuf is reported without throwing, keeping what was seen before', () => {
    const good = benign();
    const cases = [
      good.subarray(0, good.length - 3), // a length that runs past the end
      Buffer.from([0x08, 0x80]), // truncated varint
      Buffer.from([0x0b, 0x01]), // wire type 3 (group)
      Buffer.from('not a model'),
      Buffer.alloc(0),
      onnx.model(Buffer.concat([ld(1, Buffer.from([0xff, 0xff]))])), // node field holding garbage
    ];
    for (const c of cases) assert.deepEqual(ids(analyze(c)), ['AML-MODEL-ONNX-003'], c.toString('hex').slice(0, 40));
    const partly = onnx.model(onnx.graph([onnx.node('Bad', 'com.evil')]), [ld(25, Buffer.from([0xff]))]);
    assert.deepEqual(ids(analyze(partly)), ['AML-MODEL-ONNX-002', 'AML-MODEL-ONNX-003']);
    const noLocation = onnx.model(onnx.graph([onnx.node('Relu')], [onnx.externalTensor('w', undefined)]));
    assert.deepEqual(ids(analyze(noLocation)), ['AML-MODEL-ONNX-003']);
  });

  it('deep subgraph nesting is capped, and a long varint is rejected', () => {
    let g = onnx.graph([onnx.node('Relu')]);
    for (let i = 0; i < 80; i++) g = onnx.graph([onnx.node('If', '', onnx.graphAttr('then_branch', g))]);
    assert.deepEqual(ids(analyze(onnx.model(g))), ['AML-MODEL-LIMIT-001']);
    assert.deepEqual(ids(analyze(Buffer.concat([Buffer.from([0x08]), Buffer.alloc(11, 0xff)]))), ['AML-MODEL-ONNX-003']);
    assert.equal(varint(300).toString('hex'), 'ac02');
  });

  it('path arithmetic for external data', () => {
    assert.equal(externalPathProblem('w.bin'), undefined);
    assert.equal(externalPathProblem('./a/b/../c.bin'), undefined);
    assert.match(externalPathProblem('..')!, /climbs out/);
    assert.match(externalPathProblem('/abs')!, /absolute/);
    assert.match(externalPathProblem('D:rel')!, /absolute/);
    assert.match(externalPathProblem('a\u0000b')!, /NUL/);
  });
});
