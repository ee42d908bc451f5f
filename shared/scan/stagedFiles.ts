/**
 * The files staged for the next commit, as the commit will hold them. A pre-commit hook must judge the index, not
 * the work tree: a secret staged and then deleted from the file would otherwise pass, and one typed after
 * `git add` would block a clean commit. git writes the index versions into a private folder (its own checkout
 * code, so filters and line endings come out as in a checkout), and the scan reads that folder.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runGit } from './git';

export interface StagedCopy {
  /** The copy of `target`: scan this folder; paths under it are the same as under `target`. */
  root: string;
  /** Staged files (added, copied, modified or renamed) under `target`. */
  files: number;
}

/** git could not say what is staged: not a work tree, git missing, or a git error. The message says which. */
export class StagedFilesError extends Error {
  override name = 'StagedFilesError';
}

/**
 * Copies the staged version of every added, copied, modified or renamed file under `target` into `dest` (an
 * empty folder the caller owns and removes: the copies may hold the very secrets the scan looks for).
 */
export async function copyStaged(target: string, dest: string): Promise<StagedCopy> {
  // Checked first: git started in a missing folder fails as if git itself were missing.
  if (!existsSync(target)) throw new StagedFilesError(`${target} does not exist`);
  const inside = await git(['rev-parse', '--is-inside-work-tree'], target).catch((err: Error) => {
    throw new StagedFilesError(`--staged needs a git work tree, and ${target} is not in one (${err.message})`);
  });
  if (inside.trim() !== 'true') throw new StagedFilesError(`--staged needs a git work tree, and ${target} is inside a .git folder`);
  // The target's place in the repository ('' at the top, 'sub/dir/' below): checkout-index writes full paths.
  const prefix = (await git(['rev-parse', '--show-prefix'], target)).replace(/\n$/u, '');
  // Deletions (D) and unmerged paths (U) have no staged content to read; --relative limits to the target.
  const names = await git(['diff', '--cached', '--name-only', '-z', '--no-renames', '--diff-filter=ACMRT', '--relative', '--', '.'], target);
  const files = names.split('\0').filter(Boolean);
  mkdirSync(dest, { recursive: true });
  // --prefix must end with a separator: git prepends it to each path as a string.
  if (files.length) await git(['checkout-index', '-z', '--stdin', `--prefix=${dest}/`], target, files.join('\0'));
  const root = join(dest, prefix);
  mkdirSync(root, { recursive: true });
  return { root, files: files.length };
}

async function git(args: string[], cwd: string, input?: string): Promise<string> {
  const r = await runGit(args, cwd, input);
  if (r.missing) throw new StagedFilesError('git is not installed or not on PATH');
  if (r.code !== 0) throw new StagedFilesError(`git ${args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? ''} failed: ${r.stderr.trim().split('\n')[0] || `exit ${r.code}`}`);
  return r.stdout;
}
