/**
 * One file, start to end: where it really is (symlinks), what it is, reading it (whole, or in overlapping
 * chunks when big), and handing the bytes to the pure scanners. Synchronous on purpose: it runs inside
 * worker threads, where blocking reads of page-cached files are the fastest thing there is.
 *
 * Never throws for a file: every problem becomes a warning naming the file, and the scan goes on.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../rules/types';
import { findingsWith, matchBytes, ownedRange, runTextHandlers, scanNotebookFile, scanTextFile, scanUtf16File } from './contentScan';
import { DetectorSet, describeError } from './detect';
import { analyzersFor, hasNul, isKnownBinaryExtension, isNotebook, utf16Bom } from './fileKind';
import { modelFindings, type PlacedMatch } from './findings';
import { JsonSyntaxError } from './jsonWalk';
import { ByteLineMapper } from './lineMap';
import { CHUNK_BYTES, CHUNK_OVERLAP, SNIFF_BYTES, type SkipReason } from './options';
import { pluginRules, type ScanPlugins } from './plugins';
import type { ModelIssue } from './types';

export interface ScannerSettings {
  /** Real (symlink-free) absolute path of the scan root. */
  root: string;
  scanModels: boolean;
  maxFileBytes: number;
  maxModelBytes: number;
  /** Files came from git: a listed file that no longer exists is a deletion, not worth a warning. */
  fromGit: boolean;
  /**
   * Text files to hand back whole (FileOutcome.text) for text handlers that run on the calling thread:
   * their name endings, or 'all'. Set on workers only.
   */
  handBack?: string[] | 'all';
  /** For tests: chunk size and overlap of big-file reading. */
  chunkBytes?: number;
  chunkOverlap?: number;
}

/** 'alias': a symlink to something inside the root, scanned under its own path instead. */
export type FileStatus = 'scanned' | 'alias' | SkipReason;

export interface FileOutcome {
  file: string;
  status: FileStatus;
  bytes: number;
  findings: Finding[];
  warnings: string[];
  /** The file's bytes, when `handBack` asks for them (its own buffer, transferable). */
  text?: Uint8Array;
}

const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
/** Undefined on Windows: there every failed open is checked for a symlink with lstat. */
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** Files up to this size are read in one go. */
const WHOLE_READ_BYTES = 1024 * 1024;

export class FileScanner {
  private readonly set: DetectorSet;
  private readonly chunk: number;
  private readonly overlap: number;
  private buffer?: Buffer;
  private wholeBuffer?: Buffer;

  constructor(private readonly plugins: ScanPlugins, private readonly settings: ScannerSettings) {
    this.set = new DetectorSet(plugins.detectors, pluginRules(plugins));
    this.chunk = settings.chunkBytes ?? CHUNK_BYTES;
    this.overlap = Math.min(settings.chunkOverlap ?? CHUNK_OVERLAP, this.chunk >> 1);
  }

  /** `rel`: path relative to the root, forward slashes. */
  scan(rel: string): FileOutcome {
    const out: FileOutcome = { file: rel, status: 'scanned', bytes: 0, findings: [], warnings: [] };
    const warn = (m: string) => out.warnings.push(m);
    const abs = path.join(this.settings.root, rel);
    let fd: number;
    try {
      // O_NOFOLLOW: a symlink fails with ELOOP and is looked at below, so the common case costs no lstat.
      // O_NONBLOCK: a FIFO (or a path swapped for one since the listing) cannot hang the scan.
      fd = openSync(abs, constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || (O_NOFOLLOW === 0 && code !== 'ENOENT')) return this.maybeLink(abs, out, err);
      return this.unreadable(out, err);
    }
    try {
      // Most files fit the reused buffer: one read, no fstat and no allocation. fstat only for what did not fit,
      // for empty reads (an empty file, or a FIFO) and for reads that failed (a directory, say).
      const buf = (this.wholeBuffer ??= Buffer.allocUnsafe(WHOLE_READ_BYTES + 1));
      let got = -1;
      try {
        got = readInto(fd, buf, buf.length, 0);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EISDIR') out.status = 'alias'; // a git submodule: another repository
        else if (!fstatSync(fd).isFile()) got = -1;
        else throw err;
      }
      if (out.status === 'alias') return out;
      if (got > 0 && got <= WHOLE_READ_BYTES) this.scanOpen(fd, got, rel, out, warn, buf.subarray(0, got));
      else {
        const st = fstatSync(fd);
        if (st.isDirectory()) out.status = 'alias';
        else if (!st.isFile()) {
          warn(`${rel}: not a regular file (${kindOf(st)}); skipped`);
          out.status = 'unreadable';
        } else this.scanOpen(fd, st.size, rel, out, warn);
      }
    } catch (err) {
      out.findings = [];
      warn(`${rel}: could not be read (${describeError(err)}); skipped`);
      out.status = 'unreadable';
    } finally {
      closeSync(fd);
    }
    return out;
  }

  /** The open failed: a symlink (skipped as an alias, or as pointing outside), or a real read error. */
  private maybeLink(abs: string, out: FileOutcome, openError: unknown): FileOutcome {
    let st: Stats;
    try {
      st = lstatSync(abs);
    } catch (err) {
      return this.unreadable(out, err);
    }
    if (!st.isSymbolicLink()) return this.unreadable(out, openError);
    const target = this.resolveLink(abs, out);
    if (target === undefined) return out;
    return { ...out, status: target.inside ? 'alias' : 'symlinkOutside' };
  }

  /**
   * `whole`: the file already read (in the reused buffer: scanned synchronously, never kept). Without it, a
   * small file is read at once, and a big one is sniffed first, since a 2 GB archive is skipped on its first bytes.
   */
  private scanOpen(fd: number, size: number, rel: string, out: FileOutcome, warn: (m: string) => void, whole?: Buffer): void {
    whole ??= size <= WHOLE_READ_BYTES ? readAt(fd, size, 0) : undefined;
    const head = whole ? whole.subarray(0, SNIFF_BYTES) : readAt(fd, Math.min(size, SNIFF_BYTES), 0);
    const read = () => whole ?? readAt(fd, size, 0);
    const analyzers = analyzersFor(rel, head, this.plugins.analyzers, warn);
    if (analyzers.length && this.settings.scanModels) {
      if (size > this.settings.maxModelBytes) {
        warn(`${rel}: model file of ${mb(size)} is larger than the ${mb(this.settings.maxModelBytes)} limit; not analysed`);
        out.status = 'tooLarge';
        return;
      }
      const bytes = read();
      out.bytes = bytes.length;
      out.findings = this.analyze(rel, bytes, analyzers, warn);
      return;
    }
    const utf16 = utf16Bom(head);
    if (!utf16 && (analyzers.length || isKnownBinaryExtension(rel) || hasNul(head))) {
      out.status = 'binary';
      return;
    }
    if (size > this.settings.maxFileBytes) {
      warn(`${rel}: ${mb(size)} is larger than the ${mb(this.settings.maxFileBytes)} limit for text files; not scanned`);
      out.status = 'tooLarge';
      return;
    }
    if (utf16) {
      const bytes = read();
      out.bytes = bytes.length;
      out.findings = scanUtf16File(this.set, rel, bytes, utf16, warn);
      return;
    }
    if (isNotebook(rel) || size <= this.chunk) {
      const bytes = read();
      out.bytes = bytes.length;
      out.findings = this.scanWhole(rel, bytes, warn);
      // A copy: small reads may share Node's buffer pool, which must never be transferred away.
      if (this.wantsBack(rel)) out.text = new Uint8Array(bytes);
      return;
    }
    out.bytes = size;
    out.findings = this.scanChunked(fd, size, rel, warn);
  }

  private wantsBack(rel: string): boolean {
    const h = this.settings.handBack;
    if (!h) return false;
    const lower = rel.toLowerCase();
    return h === 'all' || h.some((e) => lower.endsWith(e));
  }

  private scanWhole(rel: string, bytes: Buffer, warn: (m: string) => void): Finding[] {
    const findings: Finding[] = [];
    if (isNotebook(rel)) {
      try {
        findings.push(...scanNotebookFile(this.set, rel, bytes, warn));
      } catch (err) {
        if (!(err instanceof JsonSyntaxError)) throw err;
        warn(`${rel}: not a valid notebook (${err.message}); scanned as plain text, without cell names`);
        findings.push(...scanTextFile(this.set, rel, bytes, warn));
      }
    } else {
      findings.push(...scanTextFile(this.set, rel, bytes, warn));
    }
    if (this.plugins.textHandlers.length) {
      const readSibling = (relative: string) => readSiblingFile(this.settings.root, rel, relative, this.settings.maxFileBytes)?.toString('utf8');
      findings.push(...runTextHandlers(this.plugins.textHandlers, rel, bytes, warn, { readSibling }));
    }
    return findings;
  }

  /** Big text: overlapping chunks through one reused buffer, then a second streaming pass for positions. */
  private scanChunked(fd: number, size: number, rel: string, warn: (m: string) => void): Finding[] {
    const buf = (this.buffer ??= Buffer.allocUnsafe(this.chunk));
    const matches: PlacedMatch[] = [];
    for (let start = 0; start < size; ) {
      const len = readInto(fd, buf, Math.min(this.chunk, size - start), start);
      if (len === 0) break;
      const end = start + len;
      matches.push(...matchBytes(this.set, rel, buf, warn, { end: len, base: start, owned: ownedRange(start, end, size, this.overlap) }));
      if (end >= size) break;
      start = end - this.overlap;
    }
    const lower = rel.toLowerCase();
    // Only a handler that names this file type can be said to miss it; one without `extensions` may not care.
    if (this.plugins.textHandlers.some((h) => h.extensions?.some((e) => lower.endsWith(e)))) warn(`${rel}: larger than ${mb(this.chunk)}; scanned for secrets in chunks, not evaluated as a template`);
    return findingsWith(this.set, rel, matches, (offsets) => {
      const mapper = new ByteLineMapper(offsets);
      for (let at = 0; at < size && !mapper.done; ) {
        const len = readInto(fd, buf, Math.min(this.chunk, size - at), at);
        if (len === 0) break;
        mapper.push(buf, at, len);
        at += len;
      }
      return mapper.finish();
    });
  }

  private analyze(rel: string, bytes: Buffer, analyzers: ReturnType<typeof analyzersFor>, warn: (m: string) => void): Finding[] {
    const issues: ModelIssue[] = [];
    const readSibling = (relative: string) => readSiblingFile(this.settings.root, rel, relative, this.settings.maxModelBytes);
    for (const a of analyzers) {
      try {
        issues.push(...a.analyze(bytes, { path: rel, readSibling }));
      } catch (err) {
        warn(`${rel}: model analyzer ${a.rules[0]?.id ?? '?'} failed (${describeError(err)}); the file is not fully analysed`);
      }
    }
    return modelFindings(rel, issues, this.set.meta);
  }

  private resolveLink(abs: string, out: FileOutcome): { inside: boolean } | undefined {
    try {
      return { inside: isInside(this.settings.root, realpathSync(abs)) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      out.status = 'unreadable';
      if (code === 'ELOOP') out.warnings.push(`${out.file}: symlink loop; not followed`);
      else if (code === 'ENOENT') out.warnings.push(`${out.file}: symlink to a missing file; skipped`);
      else out.warnings.push(`${out.file}: symlink cannot be resolved (${code ?? describeError(err)}); skipped`);
      return undefined;
    }
  }

  private unreadable(out: FileOutcome, err: unknown): FileOutcome {
    const code = (err as NodeJS.ErrnoException).code;
    out.status = 'unreadable';
    if (code === 'ENOENT' && this.settings.fromGit) return out; // deleted in the working tree
    const why = code === 'ENOENT' ? 'it vanished during the scan' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? describeError(err));
    out.warnings.push(`${out.file}: could not be read (${why}); skipped`);
    return out;
  }
}

/** A file next to `rel` (ONNX external data, template parameters), only when it really lies inside the root. */
export function readSiblingFile(root: string, rel: string, relative: string, maxBytes: number): Buffer | undefined {
  try {
    const abs = path.resolve(root, path.dirname(rel), relative);
    const real = realpathSync(abs);
    if (!isInside(root, real)) return undefined;
    const st = statSync(real);
    if (!st.isFile() || st.size > maxBytes) return undefined;
    const fd = openSync(real, constants.O_RDONLY | O_NONBLOCK);
    try {
      return readAt(fd, st.size, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

export function isInside(root: string, target: string): boolean {
  const r = path.relative(root, target);
  return r === '' || (r !== '..' && !r.startsWith(`..${path.sep}`) && !path.isAbsolute(r));
}

function kindOf(st: Stats): string {
  return st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'special file';
}

function mb(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

function readInto(fd: number, buf: Buffer, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break; // the file shrank since fstat
    got += n;
  }
  return got;
}

function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  const got = readInto(fd, buf, length, position);
  return got === length ? buf : buf.subarray(0, got);
}
