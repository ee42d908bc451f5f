import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { pickleAnalyzer } from '../../../../shared/scan/models/pickle';
import { judgeImport } from '../../../../shared/scan/models/_picklePolicy';
import { walkPickle } from '../../../../shared/scan/models/_pickleWalker';
import type { ModelIssue } from '../../../../shared/scan/types';
import { makeZip, numpyArrayOps, numpyArrayPickle, osSystemPickle, Pickle, stackGlobalPickle } from './builders';

const analyze = (b: Buffer, path = 'model.pkl') => pickleAnalyzer.analyze(b, { path });
const ids = (issues: ModelIssue[]) => issues.map((i) => i.ruleId).sort();

describe('models/pickle: opcode walker and policy', () => {
  it('a numpy array pickle (protocol 2, numpy 1 and 2 module names) imports nothing outside the allow-list', () => {
    assert.deepEqual(analyze(numpyArrayPickle('numpy._core')), []);
    assert.deepEqual(analyze(numpyArrayPickle('numpy.core')), []);
  });

  it('GLOBAL os.system called by REDUCE is critical, at the GLOBAL opcode offset', () => {
    const issues = analyze(osSystemPickle());
    assert.deepEqual(ids(issues), ['AML-MODEL-PICKLE-001']);
    assert.equal(issues[0].byteOffset, 2);
    assert.equal(issues[0].key, 'os.system');
    assert.match(issues[0].message, /os\.system .*GLOBAL at byte 2, called on load/);
  });

  it('STACK_GLOBAL with module and name fetched from the memo is resolved and critical', () => {
    const issues = analyze(stackGlobalPickle());
    assert.deepEqual(ids(issues), ['AML-MODEL-PICKLE-001']);
    assert.match(issues[0].message, /os\.system .*STACK_GLOBAL/);
  });

  it('protocol 0 text pickles: INST and GLOBAL with Python 2 module names', () => {
    const inst = new Pickle().mark().string0('echo x').inst('subprocess', 'check_output').stop().bytes();
    assert.deepEqual(ids(analyze(inst)), ['AML-MODEL-PICKLE-001']);
    const py2 = new Pickle().global('__builtin__', 'eval').mark().unicode0('1+1').tuple().reduce().stop().bytes();
    const issues = analyze(py2);
    assert.deepEqual(ids(issues), ['AML-MODEL-PICKLE-001']);
    assert.match(issues[0].message, /builtins\.eval/);
    // Python 2 wrote 64-bit INT lines and arbitrarily long LONG lines; both are valid.
    const ints = new Pickle().mark().raw('I12345678901234567890\n').raw(`L${'9'.repeat(4000)}L\n`).raw('I01\n').tuple().stop().bytes();
    assert.deepEqual(analyze(ints), []);
    const posix = new Pickle().global('posix', 'system').mark().string0('id').tuple().reduce().stop().bytes();
    assert.deepEqual(ids(analyze(posix)), ['AML-MODEL-PICKLE-001']);
  });

  it('a class from __main__ is medium (not on the allow-list); ML library classes and helpers are allowed', () => {
    const main = new Pickle().proto(2).global('__main__', 'MyModel').emptyTuple().newobj().emptyDict().build().stop().bytes();
    const issues = analyze(main);
    assert.deepEqual(ids(issues), ['AML-MODEL-PICKLE-002']);
    assert.equal(issues[0].key, '__main__.MyModel');
    const sk = new Pickle().proto(2).global('sklearn.linear_model._logistic', 'LogisticRegression').emptyTuple().newobj().emptyDict().build().stop().bytes();
    assert.deepEqual(analyze(sk), []);
    assert.deepEqual(judgeImport('sklearn.tree._tree', 'Tree'), { verdict: 'safe' });
    assert.deepEqual(judgeImport('scipy.sparse._csr', 'csr_matrix'), { verdict: 'safe' });
    assert.deepEqual(judgeImport('pandas._libs.internals', '_unpickle_block'), { verdict: 'safe' });
    assert.deepEqual(judgeImport('sklearn.utils', 'resample'), { verdict: 'unknown' });
  });

  it('gadgets inside allowed libraries and dunder traversal are critical', () => {
    for (const [m, n] of [['numpy.testing._private.utils', 'runstring'], ['torch', 'load'], ['torch.hub', 'Anything'], ['pandas', 'read_pickle'],
      ['torch.fx.graph_module', 'reduce_graph_module'], ['builtins', 'getattr'], ['operator', 'attrgetter'], ['torch._utils', '_import_dotted_name'],
      ['torch._utils', '_rebuild_tensor_v2.__globals__'], ['numpy', 'dtype.__class__'], ['webbrowser', 'open'], ['runpy', '_run_code']]) {
      assert.equal(judgeImport(m, n).verdict, 'dangerous', `${m}.${n}`);
    }
    for (const [m, n] of [['torch._utils', '_rebuild_tensor_v2'], ['builtins', 'set'], ['copyreg', '_reconstructor'], ['collections', 'OrderedDict'], ['torch', 'float32']]) {
      assert.equal(judgeImport(m, n).verdict, 'safe', `${m}.${n}`);
    }
    // Methods reached by a dotted name are not classes, even in an allowed library.
    assert.equal(judgeImport('pathlib', 'Path.unlink').verdict, 'unknown');
    assert.equal(judgeImport('torch', 'Tensor.add_').verdict, 'unknown');
  });

  it('STACK_GLOBAL whose operands are not literal strings, and EXT opcodes, are unresolved (high)', () => {
    const computed = new Pickle().proto(4)
      .global('builtins', 'str').binUnicode('os').tuple1().reduce() // module name computed by a call
      .shortUnicode('system').stackGlobal().stop().bytes();
    const issues = analyze(computed);
    assert.deepEqual(ids(issues), ['AML-MODEL-PICKLE-003']);
    assert.equal(issues[0].byteOffset, computed.indexOf(0x93));
    const ext = new Pickle().proto(2).raw([0x82, 7]).emptyTuple().reduce().stop().bytes();
    assert.deepEqual(ids(analyze(ext)), ['AML-MODEL-PICKLE-003']);
  });

  it('malformed streams: truncation keeps the imports seen before it; unknown opcodes, empty files, garbage', () => {
    const full = osSystemPickle();
    const truncated = full.subarray(0, full.length - 3);
    assert.deepEqual(ids(analyze(truncated)), ['AML-MODEL-PICKLE-001', 'AML-MODEL-PICKLE-004']);
    const unknownOp = new Pickle().proto(2).raw([0xff]).stop().bytes();
    const issues = analyze(unknownOp);
    assert.deepEqual(ids(issues), ['AML-MODEL-PICKLE-004']);
    assert.match(issues[0].message, /unknown opcode 0xff at byte 2|unknown opcode 0xff/);
    assert.equal(issues[0].byteOffset, 2);
    assert.deepEqual(ids(analyze(Buffer.alloc(0))), ['AML-MODEL-PICKLE-004']);
    assert.deepEqual(ids(analyze(Buffer.from('this is not a pickle at all'))), ['AML-MODEL-PICKLE-004']);
    const underflow = new Pickle().proto(2).reduce().stop().bytes();
    assert.match(analyze(underflow)[0].message, /stack underflow/);
    const badMemo = new Pickle().proto(2).binget(9).stop().bytes();
    assert.match(analyze(badMemo)[0].message, /memo key 9 not found/);
  });

  it('protocol 4 frames, MEMOIZE and mark handling leave a benign OrderedDict clean', () => {
    const body = new Pickle()
      .shortUnicode('collections').memoize().shortUnicode('OrderedDict').memoize().stackGlobal().memoize()
      .emptyTuple().reduce().memoize()
      .mark().shortUnicode('a').int(1).shortUnicode('b').emptyList().mark().int(1).int(2).appends().setitems()
      .stop().bytes();
    const p = new Pickle().proto(4).frame(body.length).raw(body).bytes();
    assert.deepEqual(analyze(p), []);
    const walk = walkPickle(p, 0, { maxOpcodes: 1000 });
    assert.equal(walk.error, undefined);
    assert.equal(walk.end, p.length);
    assert.deepEqual(walk.imports.map((i) => [`${i.module}.${i.name}`, i.op, i.called]), [['collections.OrderedDict', 'STACK_GLOBAL', true]]);
  });

  it('several pickles in one file are all walked', () => {
    const two = Buffer.concat([numpyArrayPickle(), osSystemPickle()]);
    const issues = analyze(two);
    assert.deepEqual(ids(issues), ['AML-MODEL-PICKLE-001']);
    assert.equal(issues[0].byteOffset, numpyArrayPickle().length + 2);
  });

  it('joblib: raw array bytes between opcodes are skipped, and the stream resumes after them', () => {
    // Raw data that would read as a dangerous GLOBAL if it were walked as opcodes.
    const decoy = Buffer.from('cos\nsystem\n(S"x"\ntR.'.padEnd(24, 'x'), 'latin1');
    for (const aligned of [false, true]) {
      const p = new Pickle().proto(2)
        .global('joblib.numpy_pickle', 'NumpyArrayWrapper').emptyTuple().newobj()
        .emptyDict().mark()
        .binUnicode('subclass').global('numpy', 'ndarray')
        .binUnicode('shape').int(3).tuple1()
        .binUnicode('order').binUnicode('C')
        .binUnicode('dtype').global('numpy', 'dtype').binUnicode('f8').newFalse().newTrue().tuple3().reduce()
        .mark().int(3).binUnicode('<').none().none().none().int(-1).int(-1).int(0).tuple().build()
        .binUnicode('allow_mmap').newFalse();
      if (aligned) p.binUnicode('numpy_array_alignment_bytes').int(16);
      p.setitems().build();
      if (aligned) p.raw([3, 0xff, 0xff, 0xff]);
      p.raw(decoy).pop().global('__main__', 'AfterArray').pop().none().stop();
      const issues = analyze(p.bytes(), 'model.joblib');
      assert.deepEqual(issues.map((i) => i.key), ['__main__.AfterArray'], `aligned=${aligned}`);
    }
  });

  it('joblib: an object array is a nested pickle after the wrapper, and its imports are reported', () => {
    const nested = osSystemPickle();
    const p = new Pickle().proto(2)
      .global('joblib.numpy_pickle', 'NumpyArrayWrapper').emptyTuple().newobj()
      .emptyDict().mark()
      .binUnicode('shape').int(1).tuple1()
      .binUnicode('dtype').global('numpy', 'dtype').binUnicode('O8').newFalse().newTrue().tuple3().reduce()
      .setitems().build()
      .raw(nested).pop().none().stop().bytes();
    assert.deepEqual(ids(analyze(p, 'model.joblib')), ['AML-MODEL-PICKLE-001']);
  });

  it('gzip-compressed pickles are inflated; bz2/xz are reported as not analysed', () => {
    const issues = analyze(gzipSync(osSystemPickle()), 'model.pkl.gz');
    assert.deepEqual(ids(issues), ['AML-MODEL-PICKLE-001']);
    assert.match(issues[0].message, /gzip-decompressed content/);
    const bz2 = Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(32)]);
    const lim = analyze(bz2, 'model.joblib');
    assert.deepEqual(ids(lim), ['AML-MODEL-LIMIT-001']);
    assert.equal(lim[0].severity, 'medium');
  });

  it('a zip under a pickle name is read as a PyTorch-style archive', () => {
    const z = makeZip([{ name: 'm/data.pkl', data: osSystemPickle(), deflate: true }]);
    const issues = analyze(z, 'model.pkl');
    assert.deepEqual(ids(issues), ['AML-MODEL-PICKLE-001']);
    assert.match(issues[0].message, /member 'm\/data\.pkl'/);
    assert.equal(issues[0].key, "member 'm/data.pkl'!os.system");
  });

  it('a numpy array embedded after other values, with memo reuse, stays clean', () => {
    const p = numpyArrayOps(new Pickle().proto(2).mark(), 'numpy.core').binput(30).pop().binget(30).tuple().stop().bytes();
    assert.deepEqual(analyze(p), []);
  });

  it('a frame holding more values than the walker keeps still counts them exactly', () => {
    const n = 10_001;
    const items = (k: number) => Buffer.alloc(2 * k, Buffer.from([0x4b, 1])); // k × BININT1 1
    // Popping every value back down to the mark, then one more POP_MARK: balanced.
    const balanced = Buffer.concat([Buffer.from([0x80, 2, 0x28]), items(n), Buffer.alloc(n, 0x30), Buffer.from([0x31, 0x4e, 0x2e])]);
    assert.deepEqual(analyze(balanced), []);
    // As in Python, a POP on an empty frame pops its MARK; one POP more has nothing left to pop.
    const popsMark = Buffer.concat([Buffer.from([0x80, 2, 0x28]), items(n), Buffer.alloc(n + 1, 0x30), Buffer.from([0x4e, 0x2e])]);
    assert.deepEqual(analyze(popsMark), []);
    const over = Buffer.concat([Buffer.from([0x80, 2, 0x28]), items(n), Buffer.alloc(n + 2, 0x30), Buffer.from([0x4e, 0x2e])]);
    assert.deepEqual(ids(analyze(over)), ['AML-MODEL-PICKLE-004']);
    // SETITEMS checks the pair count including the values it did not keep.
    const dict = (k: number) => Buffer.concat([Buffer.from([0x80, 2, 0x7d, 0x28]), items(k), Buffer.from([0x75, 0x2e])]);
    assert.deepEqual(analyze(dict(10_000)), []);
    assert.match(analyze(dict(10_001))[0].message, /odd number of items/);
    // The value just below the kept window is still the right one when it matters (a memo get, then an import).
    const tail = new Pickle().global('os', 'system').pop().stop().bytes();
    const late = Buffer.concat([Buffer.from([0x80, 2, 0x28]), items(n), tail]);
    assert.deepEqual(ids(analyze(late)), ['AML-MODEL-PICKLE-001']);
  });

  it('the walk is linear: a 2-million-item list is walked within the time budget', () => {
    const n = 2_000_000;
    const body = Buffer.alloc(n * 2);
    for (let i = 0; i < n; i++) { body[2 * i] = 0x4b; body[2 * i + 1] = i & 0xff; }
    const p = Buffer.concat([Buffer.from([0x80, 2, 0x5d, 0x28]), body, Buffer.from([0x65, 0x2e])]);
    const t0 = process.hrtime.bigint();
    assert.deepEqual(analyze(p), []);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(ms < 3000, `took ${ms} ms`);
  });
});
