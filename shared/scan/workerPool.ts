/**
 * A fixed set of scan workers fed with batches of paths. A worker that dies (a plugin that exits, a crash on
 * a hostile file) is replaced; its queued batches are sent again, the batch it was running is retried file by
 * file, and a file that kills a worker on its own is reported as unreadable with a warning. Nothing else is lost.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileOutcome } from './fileScanner';
import type { Batch, FromWorker, ToWorker, WorkerInit } from './scanWorker';

/** Where the worker entry sits: next to this module in the tsc build, next to index.js in a bundle. */
export function workerEntry(): string | undefined {
  const file = path.join(__dirname, 'scanWorker.js');
  return existsSync(file) ? file : undefined;
}

interface Job {
  id: number;
  files: string[];
  /** Already a retry of a crashed batch: if this crashes too, give up on its file. */
  retried: boolean;
  resolve(batch: Batch): void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closing = false;

  private constructor(private readonly entry: string, private readonly init: WorkerInit) {}

  /** Starts `count` workers and waits until each has loaded its plugins; rejects if one cannot. */
  static async start(entry: string, init: WorkerInit, count: number): Promise<WorkerPool> {
    const pool = new WorkerPool(entry, init);
    try {
      await Promise.all(Array.from({ length: count }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  scan(files: string[]): Promise<Batch> {
    return new Promise((resolve) => this.dispatch({ id: this.nextId++, files, retried: false, resolve }));
  }

  /** Stops every worker; batches still pending resolve with no outcomes (the caller is aborting). */
  async close(): Promise<void> {
    this.closing = true;
    const slots = this.slots.splice(0);
    for (const s of slots) for (const job of s.jobs.values()) job.resolve(batchOf([]));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(job: Job): void {
    if (this.closing) return job.resolve(batchOf([]));
    if (this.slots.length === 0) return job.resolve(batchOf(job.files.map((file) => lost(file, 'no scanner worker could be started'))));
    const slot = this.slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    slot.jobs.set(job.id, job);
    slot.worker.postMessage({ id: job.id, files: job.files } satisfies ToWorker);
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.entry, { workerData: this.init });
      const slot: Slot = { worker, jobs: new Map() };
      let ready = false;
      let dead = false;
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          ready = true;
          this.slots.push(slot);
          resolve();
        } else if (m.type === 'initError') {
          dead = true;
          void worker.terminate();
          reject(new Error(`scan worker could not load its plugins: ${m.message}`));
        } else {
          const job = slot.jobs.get(m.id);
          slot.jobs.delete(m.id);
          job?.resolve({ outcomes: m.outcomes, clean: m.clean });
        }
      });
      const died = (why: string) => {
        if (dead) return;
        dead = true;
        if (!ready) return reject(new Error(`scan worker failed to start: ${why}`));
        const index = this.slots.indexOf(slot);
        if (index >= 0) this.slots.splice(index, 1);
        if (this.closing) return;
        const orphans = [...slot.jobs.values()];
        slot.jobs.clear();
        void this.spawn()
          .catch(() => undefined)
          .then(() => this.recover(orphans, why));
      };
      worker.on('error', (err) => died(`${err.name}: ${String(err.message).split('\n')[0]}`));
      worker.on('exit', (code) => died(`exit code ${code}`));
    });
  }

  /**
   * A worker runs its batches in the order sent, so the first unanswered one was running when it died and
   * the others had not started: those are sent again as they are. The one that was running is retried file
   * by file (which file was at fault is unknown); a file that kills a worker on its own retry is given up.
   */
  private recover(orphans: Job[], why: string): void {
    const [running, ...waiting] = orphans;
    for (const job of waiting) this.dispatch(job);
    if (!running) return;
    if (running.retried || this.slots.length === 0) {
      running.resolve(batchOf(running.files.map((file) => lost(file, `the scanner worker died while scanning it (${why})`))));
      return;
    }
    const parts = running.files.map((file) => new Promise<Batch>((resolve) => this.dispatch({ id: this.nextId++, files: [file], retried: true, resolve })));
    void Promise.all(parts).then((res) =>
      running.resolve({
        outcomes: res.flatMap((b) => b.outcomes),
        clean: { files: res.reduce((n, b) => n + b.clean.files, 0), bytes: res.reduce((n, b) => n + b.clean.bytes, 0) },
      }),
    );
  }
}

function batchOf(outcomes: FileOutcome[]): Batch {
  return { outcomes, clean: { files: 0, bytes: 0 } };
}

function lost(file: string, why: string): FileOutcome {
  return { file, status: 'unreadable', bytes: 0, findings: [], warnings: [`${file}: ${why}; skipped`] };
}
