/**
 * Cross-checks the walker against pickles written by CPython itself (and NumPy's own .npy/.npz writers), when a
 * python3 is on the PATH; skipped otherwise. Python only dumps here: nothing is ever loaded.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ALL_ANALYZERS } from '../../../../shared/scan/models/index';
import type { ModelIssue } from '../../../../shared/scan/types';

const SCRIPT = String.raw`
import base64, collections, datetime, decimal, fractions, json, os, pickle, sys, uuid
out = {}
class Evil:
    def __reduce__(self):
        return (os.system, ('true',))
class Gadget:
    def __reduce__(self):
        return (getattr, ('abc', 'upper'))
class Mine:
    pass
benign = {'n': [1, -2, 2**70, -2**70, 1.5, None, True], 's': 'h\u00e9llo\n\'"', 'b': b'\x00\xff', 'ba': bytearray(b'xy'),
          'set': {1, 2}, 'fs': frozenset({3}), 'c': 3+4j, 'sl': slice(1, 5, 2), 'r': range(3),
          'dt': datetime.datetime(2024, 1, 2, 3, 4, 5), 'd': datetime.date(2024, 1, 2), 'td': datetime.timedelta(days=1),
          'dec': decimal.Decimal('1.25'), 'fr': fractions.Fraction(1, 3), 'u': uuid.UUID(int=1),
          'od': collections.OrderedDict(a=1), 'dd': collections.defaultdict(list, {'k': [1]}), 'dq': collections.deque([1])}
benign['self'] = [benign['n'], benign['n']]
for p in range(0, pickle.HIGHEST_PROTOCOL + 1):
    out['benign-%d.pkl' % p] = pickle.dumps(benign, protocol=p)
    out['evil-%d.pkl' % p] = pickle.dumps([1, Evil()], protocol=p)
    out['gadget-%d.pkl' % p] = pickle.dumps(Gadget(), protocol=p)
    out['mine-%d.pkl' % p] = pickle.dumps(Mine(), protocol=p)
try:
    import io, numpy as np
    for p in range(2, pickle.HIGHEST_PROTOCOL + 1):
        out['np-%d.pkl' % p] = pickle.dumps({'a': np.arange(6, dtype='f4').reshape(2, 3), 's': np.float64(2.5), 'o': np.array([1, 'x'], dtype=object),
                                          'rec': np.zeros(2, dtype=[('x', '<i4'), ('y', '<f8')]), 'rng': np.random.default_rng(1)}, protocol=p)
    def saved(fn, *a, **k):
        buf = io.BytesIO(); fn(buf, *a, **k); return buf.getvalue()
    out['plain.npy'] = saved(np.save, np.ones((3, 3)))
    out['obj.npy'] = saved(np.save, np.array([{'k': 1}, None], dtype=object), allow_pickle=True)
    out['evilobj.npy'] = saved(np.save, np.array([Evil()], dtype=object), allow_pickle=True)
    out['arrays.npz'] = saved(np.savez, a=np.ones(4), b=np.arange(3))
    out['packed.npz'] = saved(np.savez_compressed, a=np.ones(400), o=np.array([Evil()], dtype=object))
except ImportError:
    pass
json.dump({k: base64.b64encode(v).decode() for k, v in out.items()}, sys.stdout)
`;

function dumps(): Record<string, Buffer> | undefined {
  const r = spawnSync('python3', ['-c', SCRIPT], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  if (r.status !== 0 || !r.stdout) return undefined;
  return Object.fromEntries(Object.entries(JSON.parse(r.stdout) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

function analyze(name: string, bytes: Buffer): ModelIssue[] {
  const a = ALL_ANALYZERS.find((x) => x.extensions.some((e) => name.endsWith(e)));
  assert.ok(a, name);
  return a.analyze(bytes, { path: name });
}

const ids = (issues: ModelIssue[]) => [...new Set(issues.map((i) => i.ruleId))].sort();

describe('models: pickles written by CPython (when python3 is available)', function () {
  let files: Record<string, Buffer> | undefined;
  before(function () {
    this.timeout(60_000);
    files = dumps();
    if (!files) this.skip();
  });

  it('benign objects of every protocol import nothing outside the allow-list', () => {
    const names = Object.keys(files!).filter((n) => n.startsWith('benign-'));
    assert.ok(names.length >= 5);
    for (const n of names) assert.deepEqual(analyze(n, files![n]), [], n);
  });

  it('os.system and getattr reducers are critical in every protocol; a __main__ class is medium', () => {
    for (const n of Object.keys(files!)) {
      if (n.startsWith('evil-')) {
        const issues = analyze(n, files![n]);
        assert.deepEqual(ids(issues), ['AML-MODEL-PICKLE-001'], n);
        assert.match(issues[0].message, /(posix|nt)\.system/);
      }
      if (n.startsWith('gadget-')) assert.deepEqual(ids(analyze(n, files![n])).includes('AML-MODEL-PICKLE-001'), true, n);
      if (n.startsWith('mine-')) assert.deepEqual(analyze(n, files![n]).map((i) => i.key), ['__main__.Mine'], n);
    }
  });

  it('numpy arrays, scalars, records and generators pickle with allow-listed imports only', function () {
    const names = Object.keys(files!).filter((n) => n.startsWith('np-'));
    if (names.length === 0) this.skip();
    for (const n of names) assert.deepEqual(analyze(n, files![n]), [], n);
  });

  it("numpy's own .npy/.npz writers: plain arrays clean, object arrays reported, their imports judged", function () {
    if (!files!['plain.npy']) this.skip();
    assert.deepEqual(analyze('plain.npy', files!['plain.npy']), []);
    assert.deepEqual(analyze('arrays.npz', files!['arrays.npz']), []);
    assert.deepEqual(ids(analyze('obj.npy', files!['obj.npy'])), ['AML-MODEL-NUMPY-001']);
    assert.deepEqual(ids(analyze('evilobj.npy', files!['evilobj.npy'])), ['AML-MODEL-NUMPY-001', 'AML-MODEL-PICKLE-001']);
    assert.deepEqual(ids(analyze('packed.npz', files!['packed.npz'])), ['AML-MODEL-NUMPY-001', 'AML-MODEL-PICKLE-001']);
  });
});
