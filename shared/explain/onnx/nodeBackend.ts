/**
 * onnxruntime-node: the optional native backend (2-4x faster, but 288 MB installed and per-OS binaries, so it
 * is not shipped in the task). Required lazily, by a name esbuild does not follow, from this code's own
 * node_modules chain or else from the working directory, where a pipeline can install it with
 * `ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node` (without the variable the install fails offline
 * on linux-x64: its postinstall fetches CUDA libraries from NuGet).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LoadedRuntime, OrtRuntime } from './runtime';

export const NODE_PACKAGE = 'onnxruntime-node';

let loaded: Promise<LoadedRuntime> | undefined;

export function requireOrtNode(from: string[] = [__filename, path.join(process.cwd(), 'package.json')]): OrtRuntime & { env: { versions?: Record<string, string> } } {
  let lastError: unknown;
  for (const base of from) {
    try {
      return createRequire(base)(NODE_PACKAGE);
    } catch (e) {
      lastError = e;
      if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') break;
    }
  }
  const why = (lastError as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND'
    ? 'it is not installed'
    : `it failed to load: ${(lastError as Error)?.message ?? lastError}`;
  throw new Error(`The \`backend\` input is \`node\`, but ${NODE_PACKAGE} cannot be used: ${why}. `
    + `Install it in the pipeline's working directory with \`ONNXRUNTIME_NODE_INSTALL=skip npm install ${NODE_PACKAGE}\`, `
    + 'or set `backend` to `web` (the default, bundled with the task).');
}

export function loadNodeRuntime(): Promise<LoadedRuntime> {
  loaded ??= (async () => {
    const ort = requireOrtNode();
    return {
      ort,
      // One intra-op thread: two were measured slower on 2-core agents, and results stay deterministic.
      sessionOptions: { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 },
      description: `${NODE_PACKAGE} ${ort.env.versions?.node ?? ort.env.versions?.common ?? '?'} (cpu)`,
    };
  })();
  loaded.catch(() => { loaded = undefined; });
  return loaded;
}
