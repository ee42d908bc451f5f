/**
 * Which imports a pickle may name. Pure data plus one function.
 *
 * Policy, in the order it is applied (first match wins):
 *  1. Attribute traversal: a dotted name with a dunder segment (`Foo.__globals__`, `x.__class__`) reaches objects a plain
 *     import cannot, so it is dangerous whatever the module.
 *  2. Allow-list, exact module+name: data-reconstruction helpers (numpy `_reconstruct`/`_frombuffer`/`scalar`, torch
 *     `_rebuild_*`, `copyreg._reconstructor` and `__newobj__`, `_codecs.encode`), plain data types (builtins set/frozenset/
 *     slice/complex/bytearray/…, collections, datetime, decimal), numpy scalar types and torch dtypes/layouts/devices.
 *     `copyreg._reconstructor(cls, base, state)` and `__newobj__(cls, …)` are safe because the classes they receive are
 *     imports of their own, judged by this same policy.
 *  3. Deny-list: modules that run commands or code, open files or sockets, or deserialise further data (os, posix, nt,
 *     subprocess, socket, runpy, sys, shutil, importlib, pty, webbrowser, http, urllib, requests, pickle, marshal, dill,
 *     ctypes, multiprocessing, …), builtins eval/exec/compile/open/__import__/getattr/setattr/…, operator.attrgetter/
 *     methodcaller, types.CodeType/FunctionType, and gadgets inside ML libraries (numpy.load, numpy.testing, torch.load,
 *     torch.hub, torch.jit, torch.fx graph-module rebuilders that exec source, pandas.read_pickle, pandas.eval, joblib.load).
 *  4. Classes and reconstruction helpers of known ML libraries (sklearn, xgboost, lightgbm, catboost, scipy, pandas, numpy,
 *     torch, …): a name whose last segment is a class by PEP 8 (`LogisticRegression`, `_RemainderColsList`), a scipy sparse
 *     matrix, or a Cython/pandas unpickle helper (`__pyx_unpickle_*`, `_unpickle_*`, `_new_Index`). Importing a class runs
 *     no code; instantiating it (NEWOBJ, or REDUCE with arguments from the file) runs that library's own constructor and
 *     __setstate__, which take data, not code. Any callable passed to such a constructor is an import of its own, judged
 *     here. Lower-case functions of those libraries are not covered (they are step 5) unless listed in step 2.
 *  5. Everything else (a class from __main__, a third-party function): unknown, medium.
 */

export type Verdict = { verdict: 'safe' } | { verdict: 'dangerous'; why: string } | { verdict: 'unknown' };

/** Python 2 module names that Python 3's unpickler maps (fix_imports), so the policy sees one spelling. */
const PY2_MODULES: Record<string, string> = {
  __builtin__: 'builtins',
  exceptions: 'builtins',
  copy_reg: 'copyreg',
  cPickle: 'pickle',
  commands: 'subprocess',
  urllib2: 'urllib.request',
  httplib: 'http.client',
  cStringIO: 'io',
  StringIO: 'io',
  UserDict: 'collections',
  Queue: 'queue',
  SocketServer: 'socketserver',
  xmlrpclib: 'xmlrpc.client',
};

/** Python 2 builtins that Python 3 maps to another name (protocols 0-2 written by Python 3 still use them). */
const PY2_NAMES: Record<string, [string, string]> = {
  'builtins.xrange': ['builtins', 'range'],
  'builtins.unicode': ['builtins', 'str'],
  'builtins.basestring': ['builtins', 'str'],
  'builtins.long': ['builtins', 'int'],
  'builtins.unichr': ['builtins', 'chr'],
  'builtins.reduce': ['functools', 'reduce'],
  'builtins.intern': ['sys', 'intern'],
  'itertools.izip': ['builtins', 'zip'],
  'itertools.imap': ['builtins', 'map'],
  'itertools.ifilter': ['builtins', 'filter'],
};

export function normaliseModule(module: string): string {
  return PY2_MODULES[module] ?? module;
}

/** Module and name as Python 3's unpickler resolves them (fix_imports). */
export function normalise(module: string, name: string): [string, string] {
  const m = normaliseModule(module);
  return PY2_NAMES[`${m}.${name}`] ?? [m, name];
}

const SAFE_EXACT = new Set<string>([
  // builtins: data types only
  ...['set', 'frozenset', 'slice', 'complex', 'bytearray', 'bytes', 'str', 'int', 'float', 'bool', 'list', 'tuple', 'dict', 'range', 'object'].map((n) => `builtins.${n}`),
  'copyreg._reconstructor', 'copyreg.__newobj__', 'copyreg.__newobj_ex__',
  '_codecs.encode', 'codecs.encode',
  'collections.OrderedDict', 'collections.defaultdict', 'collections.deque', 'collections.Counter',
  'datetime.datetime', 'datetime.date', 'datetime.time', 'datetime.timedelta', 'datetime.timezone',
  'decimal.Decimal', 'fractions.Fraction', 'uuid.UUID', 'functools.partial', 're._compile',
  'array.array', 'array._array_reconstructor',
  'pathlib.Path', 'pathlib.PosixPath', 'pathlib.WindowsPath', 'pathlib.PurePosixPath', 'pathlib.PureWindowsPath',
  // numpy reconstruction (numpy 1.x `core`, numpy 2.x `_core`)
  ...['numpy.core', 'numpy._core'].flatMap((m) => [`${m}.multiarray._reconstruct`, `${m}.multiarray.scalar`, `${m}.numeric._frombuffer`, `${m}._multiarray_umath._reconstruct`]),
  'numpy.ndarray', 'numpy.dtype', 'numpy.ma.core._mareconstruct', 'numpy.core.records.recarray', 'numpy.matrix',
  'numpy.random._pickle.__randomstate_ctor', 'numpy.random._pickle.__bit_generator_ctor', 'numpy.random._pickle.__generator_ctor',
  'numpy.random.__RandomState_ctor',
  ...['bool_', 'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float16', 'float32', 'float64',
    'longdouble', 'complex64', 'complex128', 'clongdouble', 'str_', 'bytes_', 'void', 'object_', 'datetime64', 'timedelta64',
    'intc', 'uintc', 'int_', 'uint', 'longlong', 'ulonglong', 'half', 'single', 'double', 'csingle', 'cdouble', 'intp', 'uintp'].map((n) => `numpy.${n}`),
  // torch reconstruction
  'torch._tensor._rebuild_from_type_v2', 'torch._tensor._rebuild_from_type', 'torch.serialization._get_layout',
  'torch.device', 'torch.Size', 'torch.nn.parameter.Parameter',
  ...['float', 'float32', 'float64', 'double', 'float16', 'half', 'bfloat16', 'int', 'int8', 'int16', 'int32', 'int64', 'long',
    'short', 'uint8', 'uint16', 'uint32', 'uint64', 'bool', 'complex32', 'complex64', 'complex128', 'cfloat', 'cdouble', 'chalf',
    'quint8', 'qint8', 'qint32', 'quint4x2', 'quint2x4', 'float8_e4m3fn', 'float8_e5m2', 'float8_e4m3fnuz', 'float8_e5m2fnuz',
    'strided', 'sparse_coo', 'sparse_csr', 'sparse_csc', 'sparse_bsr', 'sparse_bsc', '_mkldnn',
    'contiguous_format', 'channels_last', 'channels_last_3d', 'preserve_format', 'per_tensor_affine', 'per_channel_affine'].map((n) => `torch.${n}`),
  'joblib.numpy_pickle.NumpyArrayWrapper', 'joblib.numpy_pickle.NDArrayWrapper', 'joblib.numpy_pickle.ZNDArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper', 'sklearn.externals.joblib.numpy_pickle.NDArrayWrapper',
]);

/** Module (or module prefix) → why importing anything from it is dangerous. */
const DANGEROUS_MODULES: Array<[string[], string]> = [
  [['os', 'posix', 'nt', 'subprocess', 'pty', 'popen2', '_posixsubprocess', 'multiprocessing', 'signal'], 'runs operating-system commands or processes'],
  [['runpy', 'importlib', 'imp', 'zipimport', 'pkgutil', 'code', 'codeop', 'pdb', 'bdb', 'timeit', 'trace', 'profile', 'cProfile', 'doctest', 'site', 'ctypes', '_ctypes', 'sys'], 'imports or runs arbitrary code'],
  [['socket', '_socket', 'ssl', 'http', 'urllib', 'urllib3', 'requests', 'httpx', 'aiohttp', 'ftplib', 'smtplib', 'telnetlib', 'poplib', 'imaplib', 'nntplib', 'socketserver', 'xmlrpc', 'webbrowser', 'asyncio'], 'opens network connections'],
  [['pickle', '_pickle', 'marshal', 'dill', 'cloudpickle', 'shelve', 'pickletools'], 'deserialises further data or code'],
  [['shutil'], 'copies, moves or deletes files'],
  [['numpy.testing', 'numpy.f2py', 'numpy.distutils', 'torch.hub', 'torch.package', 'torch.utils.cpp_extension', 'torch._dynamo', 'torch._inductor', 'torch.jit', 'torch.serialization', 'pandas.io'], 'loads or runs code through an ML library'],
];

const DANGEROUS_EXACT: Record<string, string> = {};
function deny(names: string[], why: string): void {
  for (const n of names) DANGEROUS_EXACT[n] = why;
}
deny(['eval', 'exec', 'execfile', 'compile', '__import__', 'input', 'raw_input', 'breakpoint', 'apply', 'reload', '__build_class__', 'help'].map((n) => `builtins.${n}`), 'evaluates or imports arbitrary code');
deny(['getattr', 'setattr', 'delattr', 'globals', 'locals', 'vars', 'exit', 'quit'].map((n) => `builtins.${n}`), 'reaches arbitrary attributes or interpreter state (a gadget for code execution)');
deny(['builtins.open', 'builtins.file', 'io.open', 'io.open_code', 'io.FileIO', '_io.open', '_io.open_code', '_io.FileIO', 'codecs.open'], 'opens files');
deny(['operator.attrgetter', 'operator.methodcaller', '_operator.attrgetter', '_operator.methodcaller'], 'calls arbitrary attributes (a gadget for code execution)');
deny(['types.CodeType', 'types.FunctionType', 'types.LambdaType', 'types.MethodType', 'types.ModuleType'], 'builds functions or modules from raw code');
deny(['numpy.load', 'numpy.lib.npyio.load', 'numpy.lib._npyio_impl.load', 'torch.load', 'pandas.read_pickle', 'joblib.load', 'joblib.numpy_pickle.load', 'sklearn.externals.joblib.load', 'torch.storage._load_from_bytes'], 'deserialises a further file or pickle');
deny(['torch._utils._import_dotted_name'], 'imports arbitrary code');
deny(['numpy.fromfile', 'numpy.memmap', 'numpy.loadtxt', 'numpy.genfromtxt'], 'reads files');
deny(['pandas.eval', 'pandas.core.computation.eval.eval', 'numpy.testing._private.utils.runstring'], 'evaluates expressions or code from the file');
deny(['reduce_graph_module', 'reduce_package_graph_module', 'reduce_deploy_graph_module', '_forward_from_src', '_exec_with_source', '_method_from_src'].map((n) => `torch.fx.graph_module.${n}`), 'executes Python source embedded in the pickle');

const ML_ROOTS = new Set([
  'sklearn', 'xgboost', 'lightgbm', 'catboost', 'scipy', 'pandas', 'numpy', 'torch', 'torchvision', 'torchaudio', 'torchtext',
  'statsmodels', 'imblearn', 'joblib', 'transformers', 'sentence_transformers', 'tokenizers', 'category_encoders',
]);

const SPARSE_MATRIX = /^(?:csr|csc|coo|bsr|dia|dok|lil)_(?:matrix|array)$/;
const UNPICKLE_HELPER = /^(?:__pyx_unpickle_\w+|_{0,2}unpickle\w*|\w*_unpickle|_new_[A-Z]\w*|_rebuild\w*|_reconstruct\w*)$/;

function inModule(module: string, prefix: string): boolean {
  return module === prefix || module.startsWith(prefix + '.');
}

/** Judges one import as the unpickler would resolve it (module normalised like Python 3's fix_imports). */
export function judgeImport(rawModule: string, rawName: string): Verdict {
  const [module, name] = normalise(rawModule, rawName);
  const segments = name.split('.');
  if (segments.some((s) => s.startsWith('__') && s.endsWith('__') && s.length > 4)) {
    return { verdict: 'dangerous', why: 'reaches a dunder attribute through a dotted name (attribute traversal)' };
  }
  const full = `${module}.${name}`;
  if (SAFE_EXACT.has(full)) return { verdict: 'safe' };
  if (module === 'torch._utils' && /^_rebuild_\w+$/.test(name)) return { verdict: 'safe' };
  const exact = DANGEROUS_EXACT[full];
  if (exact) return { verdict: 'dangerous', why: exact };
  for (const [mods, why] of DANGEROUS_MODULES) {
    if (mods.some((m) => inModule(module, m) || inModule(full, m))) return { verdict: 'dangerous', why };
  }
  const root = module.split('.')[0];
  if (ML_ROOTS.has(root)) {
    const last = segments[segments.length - 1];
    // Dotted names reach methods (`Path.unlink`): only a plain class name, or a nested class path, counts as a class.
    const isClass = segments.every((s) => /^_*[A-Z]/.test(s));
    if (isClass) return { verdict: 'safe' };
    if (segments.length === 1 && (UNPICKLE_HELPER.test(last) || (root === 'scipy' && SPARSE_MATRIX.test(last)))) return { verdict: 'safe' };
  }
  return { verdict: 'unknown' };
}
