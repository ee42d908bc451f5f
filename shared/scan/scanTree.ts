/**
 * scanTree: lists the files under a root and scans each for secrets, unsafe model files and (through text
 * handlers) insecure templates. Memory stays flat in the size of the tree: paths stream from the listing,
 * at most a few batches are in flight, and a file is held only while it is scanned (big ones in chunks).
 *
 * Small trees are scanned on the calling thread; larger ones by worker threads (reading and matching are CPU
 * work), with the calling thread listing, collecting, and scanning too when there are fewer workers than
 * processors. See ScanOptions.workers.
 */
import { realpathSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Finding } from '../rules/types';
import { listFiles, oneFile } from './fileList';
import { runTextHandlers } from './contentScan';
import { FileScanner, readSiblingFile, type FileOutcome, type ScannerSettings } from './fileScanner';
import {
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_MODEL_BYTES,
  type ScanOptions,
  type ScanResult,
  type ScanStats,
  type TextHandler,
} from './options';
import { makePathFilter } from './pathFilter';
import { locatePlugins, pluginRules, type ScanPlugins } from './plugins';
import type { Batch } from './scanWorker';
import { WorkerPool, workerEntry } from './workerPool';

/** With `auto` workers: a tree with fewer files than this is scanned on the calling thread (~50 ms of work, about what starting two workers costs). */
export const AUTO_WORKER_MIN_FILES = 500;
/** With `auto` workers: once this many files are listed, workers start booting while the listing goes on. */
const SPECULATE_FILES = 100;
/** On the calling thread, timers and I/O get a turn at least this often (ms). */
const YIELD_EVERY_MS = 20;

/** Workers `auto` uses on this many processors (see ScanOptions.workers for why only one on two). */
export function autoWorkers(cores: number): number {
  return cores >= 3 ? Math.min(4, cores) : cores === 2 ? 1 : 0;
}
const BATCH_FILES = 32;
/** Batches in flight per worker: one being scanned, one queued, so a worker never waits for the listing. */
const INFLIGHT_PER_WORKER = 2;

export async function scanTree(opts: ScanOptions): Promise<ScanResult> {
  const t0 = Date.now();
  opts.signal?.throwIfAborted();
  if (!path.isAbsolute(opts.root)) throw new Error(`scanTree: root must be an absolute path, got ${opts.root}`);
  let real: string;
  try {
    real = realpathSync(opts.root);
  } catch (err) {
    throw new Error(`scanTree: cannot scan ${opts.root} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  // A single file (a pre-commit hook passes file names): its folder is the root, and it the only file.
  const single = statSync(real).isFile() ? path.basename(real) : undefined;
  const root = single ? path.dirname(real) : real;
  const plugins: ScanPlugins = { detectors: opts.detectors, analyzers: opts.analyzers, textHandlers: opts.textHandlers ?? [] };
  const settings: ScannerSettings = {
    root,
    scanModels: opts.scanModels ?? true,
    maxFileBytes: opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxModelBytes: opts.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES,
    fromGit: false,
  };
  const listing = single
    ? oneFile(single)
    : await listFiles({
        root,
        filter: makePathFilter(opts.include, opts.exclude, opts.defaultExcludes ?? true),
        gitMode: opts.gitMode ?? 'tracked+untracked',
        signal: opts.signal,
      });
  settings.fromGit = listing.source === 'git';

  const stats: ScanStats = {
    files: 0,
    bytes: 0,
    ms: 0,
    skipped: { binary: 0, tooLarge: 0, excluded: 0, unreadable: 0, symlinkOutside: 0 },
    source: listing.source,
    workers: 0,
  };
  const findings: Finding[] = [];
  const fileWarnings: Array<{ file: string; message: string }> = [];
  const collect = (outcomes: FileOutcome[], clean?: Batch['clean']) => {
    if (clean) {
      stats.files += clean.files;
      stats.bytes += clean.bytes;
    }
    for (const o of outcomes) {
      if (o.status === 'scanned') {
        stats.files++;
        stats.bytes += o.bytes;
      } else if (o.status !== 'alias') stats.skipped[o.status]++;
      findings.push(...o.findings);
      for (const message of o.warnings) fileWarnings.push({ file: o.file, message });
    }
    opts.onProgress?.({ files: stats.files, bytes: stats.bytes });
  };

  const iterator = listing.files[Symbol.asyncIterator]();
  // Look ahead to decide between the calling thread and workers. Workers take a while to boot (a thread, the
  // scanner's code), so on a tree that is already past SPECULATE_FILES they start while the listing goes on; if
  // the tree then stays under AUTO_WORKER_MIN_FILES they are stopped unused.
  const head: string[] = [];
  let exhausted = false;
  const poolWarnings: string[] = [];
  let booting: ReturnType<typeof startPool> | undefined;
  try {
    while (head.length < AUTO_WORKER_MIN_FILES) {
      const r = await iterator.next();
      if (r.done) {
        exhausted = true;
        break;
      }
      head.push(r.value);
      if (head.length === SPECULATE_FILES && (opts.workers ?? 'auto') === 'auto' && workerCount(opts) > 0) booting = startPool(opts, plugins, settings, poolWarnings);
    }
  } catch (err) {
    await (await booting)?.pool.close();
    throw err;
  }
  const wanted = wantsPool(opts, exhausted, head.length);
  booting ??= wanted ? startPool(opts, plugins, settings, poolWarnings) : undefined;
  // This thread starts scanning while the workers boot (a few hundred milliseconds: a thread, the scanner's
  // code) when it is to scan beside them anyway, or alone (a small tree stops the workers it booted early).
  const here = booting && (!wanted || workerCount(opts) < processors(opts)) ? new FileScanner(plugins, settings) : undefined;
  const scanBatchHere = (scanner: FileScanner) => (files: string[]) => collect(files.map((f) => scanner.scan(f)));
  if (booting && here) {
    try {
      exhausted = await scanWhileBooting(booting, scanBatchHere(here), head, exhausted ? undefined : iterator, opts.signal);
    } catch (err) {
      await (await booting)?.pool.close();
      throw err;
    }
  }
  const booted = await booting;
  if (booted && !wanted) await booted.pool.close();
  const started = wanted ? booted : undefined;
  const pool = started?.pool;
  try {
    if (started) {
      stats.workers = started.pool.size;
      const local = started.localHandlers;
      // Handlers the workers cannot load run here, on the bytes the workers hand back.
      const withLocal = (b: Batch) => collect(local.length ? b.outcomes.map((o) => runLocal(o, local, settings)) : b.outcomes, b.clean);
      // With fewer workers than processors this thread scans too, whenever the workers have enough queued. Its
      // scanner holds every handler, local ones included, so it hands nothing back to itself.
      const scanHere = started.pool.size < processors(opts) ? scanBatchHere(here ?? new FileScanner(plugins, settings)) : undefined;
      await scanWithPool(started.pool, head, exhausted ? undefined : iterator, withLocal, opts.signal, scanHere);
    } else {
      const scanner = here ?? new FileScanner(plugins, settings);
      const rest = exhausted ? undefined : iterator;
      // The walk lists synchronously: without a turn now and then, a scan would hold up everything else the
      // process does (the workspace audit's requests, a deadline's timer) until it ends.
      let turn = performance.now();
      const one = async (rel: string) => {
        opts.signal?.throwIfAborted();
        collect([scanner.scan(rel)]);
        if (performance.now() - turn >= YIELD_EVERY_MS) {
          await nextTurn();
          turn = performance.now();
        }
      };
      for (const rel of head) await one(rel);
      if (rest) for (let r = await rest.next(); !r.done; r = await rest.next()) await one(r.value);
    }
  } finally {
    await pool?.close();
    if (!exhausted) await iterator.return?.();
  }

  stats.skipped.excluded += listing.excluded;
  stats.skipped.unreadable += listing.unreadable;
  stats.source = listing.source;
  stats.ms = Date.now() - t0;
  fileWarnings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    findings: findings.sort(byPlace),
    warnings: [...listing.warnings, ...(wanted ? poolWarnings : []), ...fileWarnings.map((w) => w.message)],
    rules: pluginRules(plugins),
    stats,
  };
}

function processors(opts: ScanOptions): number {
  return opts.cores ?? availableParallelism();
}

function workerCount(opts: ScanOptions): number {
  const requested = opts.workers ?? 'auto';
  return requested === 'auto' ? autoWorkers(processors(opts)) : requested;
}

function wantsPool(opts: ScanOptions, exhausted: boolean, listed: number): boolean {
  if (workerCount(opts) === 0) return false;
  // A number asks for workers whatever the tree; `auto` only for a tree that is not small.
  return (opts.workers ?? 'auto') !== 'auto' || (!exhausted && listed >= AUTO_WORKER_MIN_FILES);
}

async function startPool(
  opts: ScanOptions,
  plugins: ScanPlugins,
  settings: ScannerSettings,
  warnings: string[],
): Promise<{ pool: WorkerPool; localHandlers: TextHandler[] } | undefined> {
  const entry = workerEntry();
  if (!entry) return undefined;
  let located: ReturnType<typeof locatePlugins>;
  try {
    located = locatePlugins(plugins, opts.pluginModules);
  } catch (err) {
    warnings.push(`scan workers not used: a plugin module cannot be loaded (${(err as Error).message.split('\n')[0]}); scanned on one thread`);
    return undefined;
  }
  // A detector or analyzer the workers cannot load: everything is scanned here.
  if (located.unlocated.detectors.length || located.unlocated.analyzers.length) return undefined;
  const localHandlers = located.unlocated.textHandlers;
  const handBack = localHandlers.some((h) => !h.extensions) ? ('all' as const) : [...new Set(localHandlers.flatMap((h) => h.extensions ?? []))];
  const count = workerCount(opts);
  try {
    const pool = await WorkerPool.start(entry, { refs: located.refs, settings: { ...settings, ...(localHandlers.length ? { handBack } : {}) } }, count);
    return { pool, localHandlers };
  } catch (err) {
    warnings.push(`scan workers not used (${(err as Error).message}); scanned on one thread`);
    return undefined;
  }
}

/**
 * Scans on this thread, a batch at a time, until the pool has booted (or failed to): first the files listed so
 * far, which it takes out of `head`, then more from the listing. Returns whether the listing ran out meanwhile.
 */
async function scanWhileBooting(
  booting: Promise<unknown>,
  scanHere: (files: string[]) => void,
  head: string[],
  rest: AsyncIterator<string> | undefined,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  let booted = false;
  const done = () => (booted = true);
  booting.then(done, done); // a failed boot is the caller's to report; here it only ends the wait
  let taken = 0;
  let exhausted = !rest;
  try {
    while (!booted) {
      const batch = head.slice(taken, taken + BATCH_FILES);
      taken += batch.length;
      while (batch.length < BATCH_FILES && !exhausted) {
        const r = await rest!.next();
        if (r.done) exhausted = true;
        else batch.push(r.value);
      }
      if (!batch.length) break;
      signal?.throwIfAborted();
      scanHere(batch);
      await nextTurn(); // the pool's "ready" messages arrive as events
    }
  } finally {
    head.splice(0, taken);
  }
  return exhausted;
}

/** Lets timers, I/O and worker messages run before this thread goes on scanning. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs calling-thread text handlers on a file a worker handed back, and drops the bytes. */
function runLocal(o: FileOutcome, handlers: readonly TextHandler[], settings: ScannerSettings): FileOutcome {
  if (!o.text) return o;
  const bytes = Buffer.from(o.text.buffer, o.text.byteOffset, o.text.byteLength);
  const warnings = [...o.warnings];
  const readSibling = (relative: string) => readSiblingFile(settings.root, o.file, relative, settings.maxFileBytes)?.toString('utf8');
  const found = runTextHandlers(handlers, o.file, bytes, (m) => warnings.push(m), { readSibling });
  return { ...o, text: undefined, findings: [...o.findings, ...found], warnings };
}

async function scanWithPool(
  pool: WorkerPool,
  head: string[],
  rest: AsyncIterator<string> | undefined,
  collect: (b: Batch) => void,
  signal: AbortSignal | undefined,
  scanHere?: (files: string[]) => void,
): Promise<void> {
  const inflight = new Set<Promise<void>>();
  const limit = pool.size * INFLIGHT_PER_WORKER;
  const send = async (files: string[]) => {
    signal?.throwIfAborted();
    if (scanHere && inflight.size >= limit) {
      // The workers are busy: this thread takes the batch, then lets their answers in.
      scanHere(files);
      await nextTurn();
      return;
    }
    const tracked: Promise<void> = pool
      .scan(files)
      .then(collect)
      .finally(() => inflight.delete(tracked));
    inflight.add(tracked);
    // Without a local scanner, wait for a free slot here; with one, the next batch goes local instead.
    if (!scanHere) while (inflight.size >= limit) await Promise.race(inflight);
  };
  // Aborting stops the workers at once; their pending batches resolve empty and the loop below throws.
  const stop = () => void pool.close();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    let batch: string[] = [];
    const add = async (rel: string) => {
      batch.push(rel);
      if (batch.length >= BATCH_FILES) {
        const full = batch;
        batch = [];
        await send(full);
      }
    };
    for (const rel of head) await add(rel);
    if (rest) for (let r = await rest.next(); !r.done; r = await rest.next()) await add(r.value);
    if (batch.length) await send(batch);
    await Promise.all(inflight);
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  signal?.throwIfAborted();
}

function byPlace(a: Finding, b: Finding): number {
  const fa = a.location?.file ?? a.resourceId;
  const fb = b.location?.file ?? b.resourceId;
  return (
    (fa < fb ? -1 : fa > fb ? 1 : 0) ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}
