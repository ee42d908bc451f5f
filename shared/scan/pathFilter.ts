/**
 * Include and exclude globs over paths relative to the scan root (forward slashes, picomatch syntax,
 * dot files matched like any other). As in .gitignore, a glob without a slash matches the name at any
 * depth (`*.pyc`, `node_modules`); one with a slash matches from the root (`src/**`). Pure.
 */
import picomatch from 'picomatch';
import { DEFAULT_EXCLUDES } from './options';

export interface PathFilter {
  /** The file is to be scanned. */
  file(rel: string): boolean;
  /** The whole folder is excluded (so the walk does not descend into it). */
  prunes(relDir: string): boolean;
}

// Forward slashes, no leading "./", no trailing "/" (`build/` names the folder); then a glob without a slash is
// prefixed with "**/" (picomatch's own `basename` option would apply to every glob, slashes or not).
export function normaliseGlob(glob: string): string {
  let g = glob.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  while (g.endsWith('/')) g = g.slice(0, -1); // not /\/+$/: unanchored, that regex is quadratic on a run of slashes
  return g && !g.includes('/') ? `**/${g}` : g;
}

// A folder name excluded at any depth: "**" + "/NAME/" + "**" with a plain NAME (every default exclude has this form).
const FOLDER_GLOB = /^\*\*\/([^*?[\]{}()!+@/\\]+)\/\*\*$/;

export function makePathFilter(include: readonly string[] | undefined, exclude: readonly string[] | undefined, defaultExcludes = true): PathFilter {
  const nocase = process.platform === 'win32';
  const opts = { dot: true, nocase };
  const inc = (include ?? []).map(normaliseGlob).filter(Boolean);
  const exc = [...(defaultExcludes ? DEFAULT_EXCLUDES : []), ...(exclude ?? []).map(normaliseGlob).filter(Boolean)];
  // Folder-name globs are checked segment by segment: the walk asks for every file and folder, and a dozen
  // picomatch expressions per path cost more than listing the folder did.
  const fold = (x: string) => (nocase ? x.toLowerCase() : x);
  const folders = new Set<string>();
  const globs: string[] = [];
  for (const g of exc) {
    const m = FOLDER_GLOB.exec(g);
    if (m) folders.add(fold(m[1]));
    else globs.push(g);
  }
  const inFolder = (rel: string) => folders.size > 0 && fold(rel).split('/').some((segment) => folders.has(segment));
  const matched = globs.length ? picomatch(globs, opts) : () => false;
  const included = inc.length ? picomatch(inc, opts) : () => true;
  const excluded = (rel: string) => inFolder(rel) || matched(rel);
  return {
    file: (rel) => included(rel) && !excluded(rel),
    // `node_modules/**` matches the folder `node_modules` itself, and `build/*` a subfolder of build: either
    // way nothing below can be wanted.
    prunes: (relDir) => excluded(relDir),
  };
}
