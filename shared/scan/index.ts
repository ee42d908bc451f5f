/** Content scanning: the public surface of the scanner core. */
export { scanTree, AUTO_WORKER_MIN_FILES } from './scanTree';
export {
  DEFAULT_EXCLUDES,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_MODEL_BYTES,
  type ScanOptions,
  type ScanResult,
  type ScanStats,
  type ScanProgress,
  type SkipReason,
  type TextHandler,
  type TextHandlerContext,
} from './options';
export { defaultPlugins, pluginRules, type ScanPlugins } from './plugins';
export { applyBaseline, baselineOf, loadBaseline, parseBaseline, writeBaseline, BaselineError, type Baseline, type BaselineEntry, type BaselineSplit } from './baseline';
export { previewOf, secretFingerprint, modelFingerprint, valueHash } from './redact';
export type { Detector, DetectorContext, ModelAnalyzer, ModelIssue, SecretMatch } from './types';
