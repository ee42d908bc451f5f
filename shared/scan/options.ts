/**
 * Options and result of a content scan (`scanTree`), and the text-handler hook that lets whole-file
 * evaluators (ARM templates) ride on the same walk.
 */
import type { Finding, RuleMeta } from '../rules/types';
import type { Detector, ModelAnalyzer } from './types';

/**
 * A whole-file evaluator of text files (the ARM template check, say). It sees decoded text, returns
 * finished Findings (their locations and fingerprints are its business) and must not throw; if it does,
 * the scanner turns the exception into a warning naming the file.
 */
export interface TextHandler {
  id: string;
  /** Rule metadata of every rule id its findings can carry (for SARIF and the policy). */
  rules?: RuleMeta[];
  /** Lower-case file name endings it may apply to (e.g. ['.json']). Set it: files of other types are not decoded for it. */
  extensions?: string[];
  /**
   * Text every file it applies to contains (e.g. `"$schema"`), looked for in the raw bytes first: most files
   * of its type then cost no decoding at all.
   */
  requires?: string;
  applies(path: string, text: string): boolean;
  scan(path: string, text: string, ctx?: TextHandlerContext): { findings: Finding[]; warnings: string[] };
}

export interface TextHandlerContext {
  /** A file relative to this one, as UTF-8 text; undefined when missing, too big or outside the scan root. */
  readSibling?(relative: string): string | undefined;
}

export interface ScanProgress {
  files: number;
  bytes: number;
}

export interface ScanOptions {
  /** Absolute path of the folder to scan. */
  root: string;
  /** Globs relative to root (picomatch, dot files included). Default: every file. */
  include?: string[];
  /** Globs relative to root; added to DEFAULT_EXCLUDES unless `defaultExcludes` is false. */
  exclude?: string[];
  /** Default true: DEFAULT_EXCLUDES apply (dependency folders, VCS metadata, caches). */
  defaultExcludes?: boolean;
  /**
   * Text files larger than this are skipped with a warning (default 100 MiB). Files over CHUNK_BYTES are
   * read and scanned in overlapping chunks, so a big file never sits in memory whole.
   */
  maxFileBytes?: number;
  /** Model files larger than this are not analysed (an analyzer needs the whole file); default 256 MiB. */
  maxModelBytes?: number;
  /** Default true: run ModelAnalyzers on model files. False: model files count as binary and are skipped. */
  scanModels?: boolean;
  /**
   * In a git work tree: 'tracked' lists `git ls-files` only; 'tracked+untracked' (default) adds untracked
   * files that .gitignore does not ignore, so a local run also sees files not yet added. 'walk' ignores git.
   */
  gitMode?: 'tracked' | 'tracked+untracked' | 'walk';
  detectors: Detector[];
  analyzers: ModelAnalyzer[];
  textHandlers?: TextHandler[];
  /**
   * Worker threads for reading and scanning. 'auto' (default), for a tree of 500 files or more: min(4, processors)
   * workers with three processors or more; with two, one worker, and the calling thread scans too whenever the
   * worker has enough queued; with one, none. On two processors one thread already keeps both busy (V8 compiles
   * and collects garbage on the other): two workers, each compiling the scanner again, took as long as one
   * thread on the benchmark's 200 MB trees with a third more CPU, and longer on a 20 MB tree (0.72 s against
   * 0.49 s). Smaller trees are scanned on the calling thread. Workers are used only when every detector and analyzer
   * can be loaded inside one (the default plugins, or those exported by `pluginModules`); text handlers that
   * cannot (built by the caller with its own configuration) run on the calling thread on bytes the workers hand
   * back. 0: everything on the calling thread, which lets timers and other I/O run between files.
   */
  workers?: number | 'auto';
  /** Processors `auto` plans for; default os.availableParallelism() (set it where a container's CPU limit is lower). */
  cores?: number;
  /**
   * Absolute paths of CommonJS modules exporting `detectors`, `analyzers` and/or `textHandlers` arrays whose
   * members may be passed above; a worker requires the same module to get the same objects. For tests
   * and extensions; the default plugins (shared/scan/plugins.ts) need no entry.
   */
  pluginModules?: string[];
  signal?: AbortSignal;
  onProgress?(p: ScanProgress): void;
}

export type SkipReason = 'binary' | 'tooLarge' | 'excluded' | 'unreadable' | 'symlinkOutside';

export interface ScanStats {
  /** Files read and scanned (text, notebooks, model files). */
  files: number;
  /** Bytes of those files. */
  bytes: number;
  ms: number;
  skipped: Record<SkipReason, number>;
  /** How the file list was made, and how many worker threads scanned (0: the calling thread). */
  source: 'git' | 'walk';
  workers: number;
}

export interface ScanResult {
  findings: Finding[];
  /** Each names the file (or the detector) and what happened; the scan went on. */
  warnings: string[];
  /** Every rule the configured detectors, analyzers and handlers can emit. */
  rules: RuleMeta[];
  stats: ScanStats;
}

/**
 * Skipped unless `defaultExcludes: false`: other people's code and generated caches, where a hit is not a
 * leak of this repository (and in a git checkout they are normally ignored anyway). Build output (dist/,
 * build/) is scanned on purpose: bundlers bake secrets into it.
 */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '**/.git/**',
  '**/.hg/**',
  '**/.svn/**',
  '**/node_modules/**',
  '**/__pycache__/**',
  '**/.ipynb_checkpoints/**',
  '**/.mypy_cache/**',
  '**/.pytest_cache/**',
  '**/.ruff_cache/**',
  '**/.tox/**',
  '**/.terraform/**',
];

export const MiB = 1024 * 1024;
export const DEFAULT_MAX_FILE_BYTES = 100 * MiB;
export const DEFAULT_MAX_MODEL_BYTES = 256 * MiB;
/** Text files above this are scanned in chunks of this size. */
export const CHUNK_BYTES = 8 * MiB;
/** Chunks overlap by this much; a secret (with its context) shorter than half of it is seen whole. */
export const CHUNK_OVERLAP = 64 * 1024;
/** Binary sniffing looks for NUL bytes in this many leading bytes. */
export const SNIFF_BYTES = 8192;
