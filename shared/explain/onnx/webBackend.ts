/**
 * onnxruntime-web (WebAssembly) under Node: the default backend, no native code, same on every agent OS.
 * `require('onnxruntime-web')` resolves to dist/ort.node.min.js, which at first session imports
 * ort-wasm-simd-threaded.mjs and compiles ort-wasm-simd-threaded.wasm (14 MB). We locate both files ourselves
 * and hand them over explicitly (wasmPaths.mjs as a file URL, wasmBinary as bytes), because the library's own
 * guess ("./" relative to the importing script) breaks once esbuild has moved its code into a task bundle.
 * In a bundled task the two files sit next to index.js; in the repo they are found in node_modules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadedRuntime, OrtRuntime } from './runtime';

export const WASM_MJS = 'ort-wasm-simd-threaded.mjs';
export const WASM_BINARY = 'ort-wasm-simd-threaded.wasm';

/** Folders that may hold the wasm files, in order: next to this code (bundle), then the installed package. */
export function wasmDirCandidates(): string[] {
  const dirs = [__dirname];
  try {
    dirs.push(path.dirname(createRequire(__filename).resolve('onnxruntime-web')));
  } catch {
    // not installed: only the bundle folder remains
  }
  return dirs;
}

export function findWasmDir(candidates = wasmDirCandidates()): string {
  const dir = candidates.find((d) => existsSync(path.join(d, WASM_MJS)) && existsSync(path.join(d, WASM_BINARY)));
  if (!dir) {
    throw new Error(`The WebAssembly runtime files ${WASM_MJS} and ${WASM_BINARY} were not found (looked in ${candidates.join(', ')}). `
      + 'The task package is incomplete: rebuild it with scripts/bundle.mjs, or set the `backend` input to `node` where onnxruntime-node is installed.');
  }
  return dir;
}

let loaded: Promise<LoadedRuntime> | undefined;

export function loadWebRuntime(): Promise<LoadedRuntime> {
  loaded ??= (async () => {
    const dir = findWasmDir();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ort = require('onnxruntime-web') as typeof import('onnxruntime-web');
    // Single thread: on 2-core agents two threads were measured slower, and threads need worker files too.
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.wasm.wasmPaths = { mjs: pathToFileURL(path.join(dir, WASM_MJS)).href };
    ort.env.wasm.wasmBinary = readFileSync(path.join(dir, WASM_BINARY));
    ort.env.logLevel = 'error';
    return {
      ort: ort as unknown as OrtRuntime,
      sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 },
      description: `onnxruntime-web ${ort.env.versions?.web ?? '?'} (wasm)`,
    };
  })();
  loaded.catch(() => { loaded = undefined; });
  return loaded;
}
