/**
 * The files to scan, as paths relative to the root, streamed so that a huge tree never sits in memory:
 * in a git work tree what `git ls-files` lists (tracked, plus untracked files .gitignore does not
 * ignore, unless told otherwise), else a walk of the folder. Both honour the include/exclude globs. The
 * walk never follows symlinks; it hands them to the file scanner, which skips them or reports them.
 */
import { spawn } from 'node:child_process';
import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { runGit } from './git';
import type { PathFilter } from './pathFilter';

export interface FileListing {
  files: AsyncIterable<string>;
  /** Final once `files` has been consumed. */
  readonly source: 'git' | 'walk';
  /** Files and whole folders left out by the globs. */
  readonly excluded: number;
  /** Folders that could not be listed. */
  readonly unreadable: number;
  readonly warnings: string[];
}

export interface ListOptions {
  /** Real absolute path. */
  root: string;
  filter: PathFilter;
  gitMode: 'tracked' | 'tracked+untracked' | 'walk';
  signal?: AbortSignal;
}

interface Counters {
  source: 'git' | 'walk';
  excluded: number;
  unreadable: number;
  warnings: string[];
}

export async function listFiles(opts: ListOptions): Promise<FileListing> {
  const c: Counters = { source: 'walk', excluded: 0, unreadable: 0, warnings: [] };
  const useGit = opts.gitMode !== 'walk' && (await gitWorkTree(opts.root, c.warnings));
  if (useGit) c.source = 'git';
  const files = useGit ? gitThenWalk(opts, c) : walk(opts, c);
  return {
    files,
    get source() {
      return c.source;
    },
    get excluded() {
      return c.excluded;
    },
    get unreadable() {
      return c.unreadable;
    },
    warnings: c.warnings,
  };
}

/** The listing of a root that is one file: just that file, whatever the globs say (it was named explicitly). */
export function oneFile(rel: string): FileListing {
  return {
    files: (async function* () {
      yield rel;
    })(),
    source: 'walk',
    excluded: 0,
    unreadable: 0,
    warnings: [],
  };
}

/** True inside a git work tree git agrees to read; a refusal (ownership) is worth a warning. */
async function gitWorkTree(root: string, warnings: string[]): Promise<boolean> {
  const r = await runGit(['rev-parse', '--is-inside-work-tree'], root);
  if (r.missing) return false;
  if (r.code === 0) return r.stdout.trim() === 'true';
  if (/dubious ownership|safe\.directory/i.test(r.stderr)) {
    warnings.push(`git refuses the repository at ${root} (dubious ownership; see git config safe.directory): walked the folder instead, so files .gitignore ignores are scanned too`);
  }
  return false;
}

async function* gitThenWalk(opts: ListOptions, c: Counters): AsyncGenerator<string> {
  let listed = 0;
  for await (const rel of gitFiles(opts, c)) {
    listed++;
    yield rel;
  }
  if (listed === 0 && c.excluded === 0) {
    // An ignored folder inside a repository (a build output, say): git lists nothing, yet it was asked for.
    c.source = 'walk';
    yield* walk(opts, c);
  }
}

async function* gitFiles(opts: ListOptions, c: Counters): AsyncGenerator<string> {
  const args = ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached'];
  if (opts.gitMode === 'tracked+untracked') args.push('--others', '--exclude-standard');
  const child = spawn('git', args, { cwd: opts.root, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code));
  });
  let rest = Buffer.alloc(0);
  let previous = '';
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      opts.signal?.throwIfAborted();
      let data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let at = 0;
      for (let nul = data.indexOf(0, at); nul >= 0; nul = data.indexOf(0, at)) {
        const rel = data.toString('utf8', at, nul);
        at = nul + 1;
        // Unmerged files are listed once per stage, adjacent; a nested repository shows as "dir/".
        if (rel === previous || rel.endsWith('/') || rel === '') continue;
        previous = rel;
        if (!opts.filter.file(rel)) {
          c.excluded++;
          continue;
        }
        yield rel;
      }
      data = data.subarray(at);
      rest = Buffer.from(data);
    }
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const code = await closed;
  if (code !== 0) c.warnings.push(`git ls-files failed in ${opts.root} (${stderr.trim().split('\n')[0] || `exit ${code}`}); the file list may be incomplete`);
}

/**
 * Depth-first, names sorted, folders pruned by the excludes; symlinks and special files are passed on as they are.
 * Synchronous readdir: a promise round trip per folder through the libuv pool made the listing, not the
 * scanning, the bottleneck on trees of many small folders (node_modules), with the workers waiting.
 */
async function* walk(opts: ListOptions, c: Counters): AsyncGenerator<string> {
  const stack: string[] = [''];
  while (stack.length) {
    opts.signal?.throwIfAborted();
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir ? path.join(opts.root, dir) : opts.root, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      c.unreadable++;
      if (code !== 'ENOENT' || dir === '') c.warnings.push(`${dir || opts.root}/: folder cannot be listed (${code ?? (err as Error).message}); skipped`);
      else c.warnings.push(`${dir}/: folder vanished during the scan; skipped`);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const e of entries) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (opts.filter.prunes(rel)) c.excluded++;
        else subdirs.push(rel);
      } else if (opts.filter.file(rel)) yield rel;
      else c.excluded++;
    }
    for (let k = subdirs.length - 1; k >= 0; k--) stack.push(subdirs[k]);
  }
}
