/**
 * Entry of the probe worker thread (see inWorker.ts): probes the targets it is sent and posts the reports back.
 * Bundled as its own file next to the task's index.js; nothing here may need the task's other modules.
 */
import { parentPort } from 'node:worker_threads';
import { probeEndpoints } from './run';
import type { ProbeOptions, ProbeReport, ProbeTarget } from './types';

export interface ProbeRequest {
  targets: ProbeTarget[];
  options: Omit<ProbeOptions, 'signal'>;
}

export type ProbeResponse = { ok: true; reports: ProbeReport[] } | { ok: false; message: string };

parentPort?.once('message', (req: ProbeRequest) => {
  probeEndpoints(req.targets, req.options).then(
    (reports) => parentPort!.postMessage({ ok: true, reports } satisfies ProbeResponse),
    (err: unknown) => parentPort!.postMessage({ ok: false, message: (err as Error)?.message ?? String(err) } satisfies ProbeResponse),
  );
});
