/**
 * Entry of the probe worker thread (see inWorker.ts): probes the targets it is sent and posts the reports back.
 * Bundled as its own file next to the task's index.js; nothing here may need the task's other modules.
 */
import { parentPort } from 'node:worker_threads';
import { probeEndpoints } from './run';
import type { ProbeOptions, ProbeReport, ProbeTarget } from './types';

export interface ProbeRequest {
  /** Matches the response to its batch: a gate sends one batch per page of endpoints. */
  id: number;
  targets: ProbeTarget[];
  options: Omit<ProbeOptions, 'signal'>;
}

export type ProbeResponse = { id: number } & ({ ok: true; reports: ProbeReport[] } | { ok: false; message: string });

parentPort?.on('message', (req: ProbeRequest) => {
  probeEndpoints(req.targets, req.options).then(
    (reports) => parentPort!.postMessage({ id: req.id, ok: true, reports } satisfies ProbeResponse),
    (err: unknown) => parentPort!.postMessage({ id: req.id, ok: false, message: (err as Error)?.message ?? String(err) } satisfies ProbeResponse),
  );
});
