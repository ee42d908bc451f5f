/** Paths and script loading shared by the packaging tests (compiled to build/test/unit/packaging/). */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO = resolve(__dirname, '..', '..', '..', '..');

/** Loads one of our .mjs build scripts (ESM) from this CommonJS test. */
export async function loadScript<T = Record<string, any>>(name: string): Promise<T> {
  return (await import(pathToFileURL(resolve(REPO, 'scripts', name)).href)) as T;
}
