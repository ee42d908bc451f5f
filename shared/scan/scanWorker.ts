/**
 * Worker-thread entry: loads the same plugins as the calling thread (by module and position), then scans
 * the batches of files it is sent. Bundled as scanWorker.js next to the task's index.js.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { FileScanner, type FileOutcome, type ScannerSettings } from './fileScanner';
import { resolvePlugins, type PluginRef } from './plugins';

export interface WorkerInit {
  refs: PluginRef[];
  settings: ScannerSettings;
}

export type ToWorker = { id: number; files: string[] };
export type FromWorker = { type: 'ready' } | { type: 'initError'; message: string } | { type: 'result'; id: number; outcomes: FileOutcome[] };

if (!isMainThread && parentPort) {
  const port = parentPort;
  const init = workerData as WorkerInit;
  let scanner: FileScanner | undefined;
  try {
    scanner = new FileScanner(resolvePlugins(init.refs), init.settings);
    port.postMessage({ type: 'ready' } satisfies FromWorker);
  } catch (err) {
    port.postMessage({ type: 'initError', message: String((err as Error)?.message ?? err).split('\n')[0] } satisfies FromWorker);
  }
  port.on('message', (m: ToWorker) => {
    if (!scanner) return;
    const outcomes = m.files.map((f) => scanner!.scan(f));
    const transfer = outcomes.flatMap((o) => (o.text ? [o.text.buffer as ArrayBuffer] : []));
    port.postMessage({ type: 'result', id: m.id, outcomes } satisfies FromWorker, transfer);
  });
}
