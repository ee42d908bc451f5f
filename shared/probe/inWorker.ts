/**
 * Probes on a second thread. With hundreds of endpoints the probes' TLS handshakes and sockets cost about as much
 * CPU as the ARM reads, rules and reports together, and both run at the same time: on the main thread they
 * queued behind each other. The worker starts when the gate starts, so it is loaded by the time the endpoints are
 * listed. Without the worker file (a caller that is not a bundled task nor the tsc build) the probes run here.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { probeEndpoints } from './run';
import type { ProbeOptions, ProbeReport, ProbeTarget } from './types';
import type { ProbeRequest, ProbeResponse } from './worker';

/** The worker's file name in a task bundle (scripts/bundle.mjs writes it next to index.js). */
export const PROBE_WORKER_FILE = 'probeWorker.js';

/** Next to index.js in a bundle, next to this module in the tsc build. */
export function probeWorkerEntry(): string | undefined {
  for (const f of [path.join(__dirname, PROBE_WORKER_FILE), path.join(__dirname, 'worker.js')]) if (existsSync(f)) return f;
  return undefined;
}

export interface ProbeRunner {
  probe(targets: ProbeTarget[], opts: ProbeOptions): Promise<ProbeReport[]>;
  /** Ends the worker if it was never used (a failed collection); idempotent. */
  close(): void;
}

export function startProbeRunner(entry = probeWorkerEntry()): ProbeRunner {
  if (!entry) return { probe: (targets, opts) => probeEndpoints(targets, opts), close: () => undefined };
  const worker = new Worker(entry);
  // A worker that failed to start reports it on first use; until then its error must not crash the task.
  let failed: Error | undefined;
  worker.on('error', (e) => { failed = e; });
  worker.unref();
  let used = false;
  return {
    probe(targets, opts) {
      if (used) return Promise.reject(new Error('the probe worker runs one batch'));
      used = true;
      const { signal, ...options } = opts;
      if (failed) return Promise.reject(failed);
      return new Promise<ProbeReport[]>((resolve, reject) => {
        const onAbort = () => {
          // Terminating the thread closes every socket it holds; the caller learns of it as an abort.
          void worker.terminate();
          reject(signal!.reason ?? new DOMException('The probes were aborted.', 'AbortError'));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        const settle = () => signal?.removeEventListener('abort', onAbort);
        worker.once('message', (m: ProbeResponse) => {
          settle();
          void worker.terminate();
          if (m.ok) resolve(m.reports);
          else reject(new Error(m.message));
        });
        worker.once('error', (e) => { settle(); reject(e); });
        worker.once('exit', (code) => { settle(); reject(new Error(`the probe worker exited (code ${code}) before it reported`)); });
        worker.postMessage({ targets, options } satisfies ProbeRequest);
      });
    },
    close() {
      if (!used) void worker.terminate();
      used = true;
    },
  };
}
