/**
 * Metadata of every model-file check. Ids follow AML-MODEL-<KIND>-NNN; a `malformed` rule per format so a
 * broken file is visible without being confused with a dangerous one.
 */
import type { RuleMeta, RuleReference } from '../../rules/types';

const PY_PICKLE: RuleReference = { title: 'Python docs: pickle (security warning)', url: 'https://docs.python.org/3/library/pickle.html' };
const TORCH_LOAD: RuleReference = { title: 'PyTorch: torch.load and weights_only', url: 'https://pytorch.org/docs/stable/generated/torch.load.html' };
const JOBLIB: RuleReference = { title: 'joblib: persistence (security)', url: 'https://joblib.readthedocs.io/en/stable/persistence.html' };
const NUMPY_LOAD: RuleReference = { title: 'NumPy: numpy.load allow_pickle', url: 'https://numpy.org/doc/stable/reference/generated/numpy.load.html' };
const NUMPY_FORMAT: RuleReference = { title: 'NumPy: the .npy format', url: 'https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html' };
const KERAS_LAMBDA: RuleReference = { title: 'Keras: Lambda layer', url: 'https://keras.io/api/layers/core_layers/lambda/' };
const KERAS_SAVING: RuleReference = { title: 'Keras: saving and loading (safe_mode)', url: 'https://keras.io/api/models/model_saving_apis/model_saving_and_loading/' };
const ONNX_EXTERNAL: RuleReference = { title: 'ONNX: external data', url: 'https://onnx.ai/onnx/repo-docs/ExternalData.html' };
const ONNX_PROTO: RuleReference = { title: 'ONNX: onnx.proto', url: 'https://github.com/onnx/onnx/blob/main/onnx/onnx.proto' };
const ORT_CUSTOM_OP: RuleReference = { title: 'ONNX Runtime: custom operators', url: 'https://onnxruntime.ai/docs/reference/operators/add-custom-op.html' };
const SAFETENSORS: RuleReference = { title: 'Hugging Face safetensors: format', url: 'https://huggingface.co/docs/safetensors/index' };
const ATLAS_UNSAFE: RuleReference = { title: 'MITRE ATLAS AML.T0011.000: Unsafe ML Artifacts', url: 'https://atlas.mitre.org/techniques/AML.T0011.000' };
const ATLAS_SUPPLY: RuleReference = { title: 'MITRE ATLAS AML.T0010: ML Supply Chain Compromise', url: 'https://atlas.mitre.org/techniques/AML.T0010' };
const ZIP_SPEC: RuleReference = { title: 'PKWARE APPNOTE: .ZIP file format', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' };

const SAFE_FORMATS =
  'Prefer formats that hold only tensors (safetensors, ONNX without custom operators); load pickles only from trusted, ' +
  'signed sources, with torch.load(weights_only=True) or an allow-listing unpickler.';

export const PICKLE_DANGEROUS: RuleMeta = {
  id: 'AML-MODEL-PICKLE-001',
  title: 'Pickle imports a callable that runs code, commands or I/O on load',
  severity: 'critical',
  rationale:
    'Unpickling calls whatever callable the pickle names (os.system, builtins.eval, subprocess, socket, a nested loader…) ' +
    'with arguments from the file, so loading the model runs that code on the agent or the endpoint. The scan reads the ' +
    'opcodes without loading anything; it sees every import the stream names, not what a custom Unpickler would remap.',
  remediation:
    'Do not load the file. Rebuild the model from trusted code and data, then save it as safetensors or ONNX. ' + SAFE_FORMATS,
  references: [PY_PICKLE, TORCH_LOAD, JOBLIB, ATLAS_UNSAFE],
  tags: ['model', 'pickle', 'supply-chain', 'code-execution'],
};

export const PICKLE_UNLISTED: RuleMeta = {
  id: 'AML-MODEL-PICKLE-002',
  title: 'Pickle imports a callable that is not on the allow-list',
  severity: 'medium',
  rationale:
    'The import is not known to be dangerous, but it is not a known data-reconstruction helper or a class of a known ML ' +
    'library either (a class from __main__, a function of a third-party package), so loading the file depends on code the ' +
    'scan cannot vouch for.',
  remediation:
    'Check that the named callable is yours and only rebuilds data; if so, waive the finding by fingerprint. ' + SAFE_FORMATS,
  references: [PY_PICKLE, ATLAS_UNSAFE],
  tags: ['model', 'pickle', 'supply-chain'],
};

export const PICKLE_UNRESOLVED: RuleMeta = {
  id: 'AML-MODEL-PICKLE-003',
  title: 'Pickle imports a callable the scan cannot resolve statically',
  severity: 'high',
  rationale:
    'A STACK_GLOBAL whose module or name is computed rather than a literal string, an extension-registry import (EXT1/2/4) ' +
    'or a nested pickle passed as non-literal bytes hides what will be called on load; honest writers never produce these.',
  remediation: 'Treat the file as untrusted: do not load it, and rebuild the model from trusted code. ' + SAFE_FORMATS,
  references: [PY_PICKLE, ATLAS_UNSAFE],
  tags: ['model', 'pickle', 'supply-chain', 'obfuscation'],
};

export const PICKLE_MALFORMED: RuleMeta = {
  id: 'AML-MODEL-PICKLE-004',
  title: 'Pickle stream is malformed',
  severity: 'medium',
  rationale:
    'A truncated stream, an unknown opcode or a broken stack cannot be loaded as is, yet Python runs every opcode before the ' +
    'error, so a malformed pickle can still execute what precedes it; it is also a common way to trip up scanners. Imports ' +
    'seen before the error are reported on their own.',
  remediation: 'Re-export the model from its source; if the file was damaged in transit, restore it from the registry.',
  references: [PY_PICKLE],
  tags: ['model', 'pickle', 'malformed'],
};

export const ARCHIVE_MALFORMED: RuleMeta = {
  id: 'AML-MODEL-ZIP-001',
  title: 'Model archive (zip) is malformed',
  severity: 'medium',
  rationale:
    'PyTorch checkpoints, .npz and .keras files are zip archives. A directory that points outside the file, a member that does ' +
    'not inflate or an encrypted member keeps the scan from seeing the pickles and configs inside.',
  remediation: 'Re-save the model with its framework (torch.save, numpy.savez, model.save) and scan it again.',
  references: [ZIP_SPEC, TORCH_LOAD],
  tags: ['model', 'archive', 'malformed'],
};

export const SCAN_LIMIT: RuleMeta = {
  id: 'AML-MODEL-LIMIT-001',
  title: 'Part of a model file was not analysed',
  severity: 'low',
  rationale:
    'The scan caps inflated archive size, members, opcodes and nesting so a hostile file cannot exhaust the agent, and it does ' +
    'not decompress bz2, xz or lz4. What lies beyond a cap is unknown; the finding names it. It is medium when a whole pickle ' +
    'went unread.',
  remediation: 'Scan the unpacked file separately, or re-save it uncompressed; raise no cap without reviewing the file.',
  references: [ATLAS_SUPPLY],
  tags: ['model', 'coverage'],
};

export const TORCH_MALFORMED: RuleMeta = {
  id: 'AML-MODEL-TORCH-001',
  title: 'PyTorch file is neither a zip checkpoint nor a pickle',
  severity: 'medium',
  rationale:
    'torch.load accepts zip checkpoints and the legacy pickle sequence. A .pt or .pth file that is neither cannot be vouched ' +
    'for (a legacy tar checkpoint is not analysed).',
  remediation: 'Re-save the model with torch.save (or, better, safetensors) and scan it again.',
  references: [TORCH_LOAD],
  tags: ['model', 'pytorch', 'malformed'],
};

export const NUMPY_OBJECT_ARRAY: RuleMeta = {
  id: 'AML-MODEL-NUMPY-001',
  title: 'NumPy file holds an object array (embedded pickle)',
  severity: 'low',
  rationale:
    'An object array is stored as a pickle and loads only with numpy.load(allow_pickle=True), which gives the file code ' +
    'execution if it is ever replaced. Its imports are analysed and reported as pickle findings.',
  remediation: 'Store numeric arrays (a fixed dtype) or strings with a fixed-width dtype; keep allow_pickle=False.',
  references: [NUMPY_LOAD, NUMPY_FORMAT],
  tags: ['model', 'numpy', 'pickle'],
};

export const NUMPY_MALFORMED: RuleMeta = {
  id: 'AML-MODEL-NUMPY-002',
  title: 'NumPy .npy header is malformed',
  severity: 'medium',
  rationale: 'A .npy file must start with the NUMPY magic and a dictionary literal naming descr, fortran_order and shape.',
  remediation: 'Re-save the array with numpy.save and scan it again.',
  references: [NUMPY_FORMAT],
  tags: ['model', 'numpy', 'malformed'],
};

export const KERAS_LAMBDA_LAYER: RuleMeta = {
  id: 'AML-MODEL-KERAS-001',
  title: 'Keras model has a Lambda layer (arbitrary Python function)',
  severity: 'high',
  rationale:
    'A Lambda layer wraps a Python function that runs whenever the model is loaded or called; loading resolves it by ' +
    'module and name. The scan reads the model config only (config.json of a .keras archive, or the model_config JSON found ' +
    'in the plain bytes of an .h5 file); it does not see configs stored compressed or split in an HDF5 heap, nor the code ' +
    'of the function, which lives outside the file.',
  remediation:
    'Replace the Lambda with a built-in layer or a registered custom layer class reviewed in source control; load with ' +
    'keras.models.load_model(..., safe_mode=True).',
  references: [KERAS_LAMBDA, KERAS_SAVING, ATLAS_UNSAFE],
  tags: ['model', 'keras', 'code-execution'],
};

export const KERAS_BYTECODE: RuleMeta = {
  id: 'AML-MODEL-KERAS-002',
  title: 'Keras model embeds serialised Python bytecode or names a dangerous callable',
  severity: 'critical',
  rationale:
    'A Lambda saved from a lambda expression stores the function as base64-encoded marshal bytecode that Keras rebuilds and ' +
    'runs on load (unless safe_mode blocks it); a config entry naming os.system, builtins.eval and the like is called on load. ' +
    'The scan cannot decompile the bytecode; any of it is treated as code execution.',
  remediation: 'Do not load the file. Rebuild the model from source without lambdas; load with safe_mode=True.',
  references: [KERAS_LAMBDA, KERAS_SAVING, ATLAS_UNSAFE],
  tags: ['model', 'keras', 'code-execution'],
};

export const KERAS_CUSTOM_OBJECT: RuleMeta = {
  id: 'AML-MODEL-KERAS-003',
  title: 'Keras config refers to code outside Keras',
  severity: 'medium',
  rationale:
    'A config entry whose module is not a Keras package (a custom layer, loss or function) is resolved by importing that ' +
    'module on load, so the model depends on code the file does not hold (and older Keras imported any module named there).',
  remediation: 'Check that the module is your reviewed code, register the object explicitly, and waive by fingerprint.',
  references: [KERAS_SAVING, ATLAS_SUPPLY],
  tags: ['model', 'keras', 'supply-chain'],
};

export const KERAS_MALFORMED: RuleMeta = {
  id: 'AML-MODEL-KERAS-004',
  title: 'Keras model config is missing or malformed',
  severity: 'medium',
  rationale:
    'A .keras archive must hold config.json, and an .h5 model a JSON model_config; one that does not parse cannot be checked ' +
    'for Lambda layers.',
  remediation: 'Re-save the model with model.save("model.keras") and scan it again.',
  references: [KERAS_SAVING],
  tags: ['model', 'keras', 'malformed'],
};

export const ONNX_EXTERNAL_ESCAPE: RuleMeta = {
  id: 'AML-MODEL-ONNX-001',
  title: 'ONNX external data points outside the model folder',
  severity: 'critical',
  rationale:
    'Tensor data stored outside the model is read from the path in external_data.location. An absolute path or one that ' +
    'climbs out with ../ makes loading read any file the process can (keys, /etc/shadow, a host file) into the model, from ' +
    'where inference can leak it. The path is judged by path arithmetic; symbolic links inside the folder are not followed.',
  remediation: 'Keep external data next to the model with a plain relative file name (onnx.save_model(..., location="x.data")).',
  references: [ONNX_EXTERNAL, ONNX_PROTO],
  tags: ['model', 'onnx', 'path-traversal'],
};

export const ONNX_CUSTOM_DOMAIN: RuleMeta = {
  id: 'AML-MODEL-ONNX-002',
  title: 'ONNX model uses operators from a custom domain',
  severity: 'medium',
  rationale:
    'Operators outside the standard ONNX domains (and ONNX Runtime\'s com.microsoft contrib ops, which ship in the runtime) ' +
    'run only when a native custom-operator library is registered with the session, so serving the model means loading ' +
    'native code the model does not show. Model-local functions are expanded from standard nodes and are not reported.',
  remediation: 'Export with standard opsets, or review and pin the custom-op library the deployment registers.',
  references: [ORT_CUSTOM_OP, ONNX_PROTO],
  tags: ['model', 'onnx', 'supply-chain'],
};

export const ONNX_MALFORMED: RuleMeta = {
  id: 'AML-MODEL-ONNX-003',
  title: 'ONNX model is malformed',
  severity: 'medium',
  rationale:
    'The file does not decode as a protobuf ModelProto (bad varint, a length past the end, an invalid wire type), or an ' +
    'external-data entry has no location, so the scan cannot see its graph.',
  remediation: 'Re-export the model and validate it with onnx.checker.check_model.',
  references: [ONNX_PROTO],
  tags: ['model', 'onnx', 'malformed'],
};

export const SAFETENSORS_MALFORMED: RuleMeta = {
  id: 'AML-MODEL-SAFETENSORS-001',
  title: 'safetensors header does not parse or its offsets are out of range',
  severity: 'medium',
  rationale:
    'safetensors is safe because loaders only copy bytes described by its JSON header. A header that is not UTF-8 JSON, ' +
    'a dtype or shape that does not match the byte range, or ranges that overlap, leave gaps or run past the file are ' +
    'rejected by the reference loader and may confuse others.',
  remediation: 'Re-save the tensors with safetensors.torch.save_file (or the library of your framework).',
  references: [SAFETENSORS],
  tags: ['model', 'safetensors', 'malformed'],
};
