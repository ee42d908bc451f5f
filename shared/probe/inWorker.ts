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
  /** Probes one batch; batches may overlap (one per page of endpoints). */
  probe(targets: ProbeTarget[], opts: ProbeOptions): Promise<ProbeReport[]>;
  /** Ends the worker; batches still running are rejected. Idempotent. */
  close(): void;
}

export function startProbeRunner(entry = probeWorkerEntry()): ProbeRunner {
  if (!entry) return { probe: (targets, opts) => probeEndpoints(targets, opts), close: () => undefined };
  const worker = new Worker(entry);
  const pending = new Map<number, { resolve: (r: ProbeReport[]) => void; reject: (e: unknown) => void }>();
  // Held open only while a batch is out: an idle runner nobody closed (a failed collection) must not keep the task alive.
  const hold = () => (pending.size ? worker.ref() : worker.unref());
  let nextId = 0;
  // A worker that failed to start or died reports it to every batch, now and later; until then it must not crash the task.
  let failed: Error | undefined;
  const failAll = (e: Error) => {
    failed ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    hold();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the probe worker exited (code ${code}) before it reported`)));
  worker.on('message', (m: ProbeResponse) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    hold();
    if (m.ok) p.resolve(m.reports);
    else p.reject(new Error(m.message));
  });
  // After the listeners: adding a 'message' listener refs the worker's port again.
  hold();
  return {
    probe(targets, opts) {
      const { signal, ...options } = opts;
      if (failed) return Promise.reject(failed);
      const id = nextId++;
      return new Promise<ProbeReport[]>((resolve, reject) => {
        const onAbort = () => {
          pending.delete(id);
          hold();
          // Terminating the thread closes every socket it holds; every batch learns of it as an abort.
          reject(signal!.reason ?? new DOMException('The probes were aborted.', 'AbortError'));
          failAll(new DOMException('The probes were aborted.', 'AbortError'));
          void worker.terminate();
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        const settle = () => signal?.removeEventListener('abort', onAbort);
        pending.set(id, {
          resolve: (r) => { settle(); resolve(r); },
          reject: (e) => { settle(); reject(e); },
        });
        hold();
        worker.postMessage({ id, targets, options } satisfies ProbeRequest);
      });
    },
    close() {
      failAll(new Error('the probe runner was closed'));
      void worker.terminate();
    },
  };
}
