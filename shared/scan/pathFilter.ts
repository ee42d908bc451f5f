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

export function makePathFilter(include: readonly string[] | undefined, exclude: readonly string[] | undefined, defaultExcludes = true): PathFilter {
  const opts = { dot: true, nocase: process.platform === 'win32' };
  const inc = (include ?? []).map(normaliseGlob).filter(Boolean);
  const exc = [...(defaultExcludes ? DEFAULT_EXCLUDES : []), ...(exclude ?? []).map(normaliseGlob).filter(Boolean)];
  const included = inc.length ? picomatch(inc, opts) : () => true;
  const excluded = exc.length ? picomatch(exc, opts) : () => false;
  return {
    file: (rel) => included(rel) && !excluded(rel),
    // `node_modules/**` matches the folder `node_modules` itself, and `build/*` a subfolder of build: either
    // way nothing below can be wanted.
    prunes: (relDir) => excluded(relDir),
  };
}
