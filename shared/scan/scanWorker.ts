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
/**
 * A batch's answer: the outcomes worth reading (findings, warnings, skips, bytes handed back), and only a count
 * for the files scanned clean, which are most of them: copying an object per clean file between threads cost
 * more than scanning a small one.
 */
export interface Batch {
  outcomes: FileOutcome[];
  clean: { files: number; bytes: number };
}
export type FromWorker = { type: 'ready' } | { type: 'initError'; message: string } | ({ type: 'result'; id: number } & Batch);

export function isClean(o: FileOutcome): boolean {
  return o.status === 'scanned' && o.findings.length === 0 && o.warnings.length === 0 && !o.text;
}

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
    const outcomes: FileOutcome[] = [];
    const clean = { files: 0, bytes: 0 };
    for (const f of m.files) {
      const o = scanner.scan(f);
      if (isClean(o)) {
        clean.files++;
        clean.bytes += o.bytes;
      } else outcomes.push(o);
    }
    const transfer = outcomes.flatMap((o) => (o.text ? [o.text.buffer as ArrayBuffer] : []));
    port.postMessage({ type: 'result', id: m.id, outcomes, clean } satisfies FromWorker, transfer);
  });
}
