/**
 * One socket attempt under a hard deadline. Whatever ends it first (the probe's own result, the deadline, an
 * abort) settles it once, and the socket is destroyed right then: no attempt outlives its deadline and none
 * leaves a handle that keeps the process alive.
 */
import type { NetFailure } from './observations';

export interface Destroyable {
  destroy(): unknown;
}

export interface Attempt<T> {
  value: T;
  durationMs: number;
}

export interface AttemptControl<T> {
  /** Settles the attempt; later calls are ignored. */
  settle(value: T): void;
  /** Which phase the attempt is in, for the failure the deadline or an abort reports. */
  phase: NetFailure['phase'];
}

/**
 * `start` opens the socket, wires its events to `ctl.settle` and returns it. Its listeners stay attached after
 * settling, so a late 'error' from the destroyed socket is swallowed rather than thrown.
 */
export function runAttempt<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  start: (ctl: AttemptControl<T>) => Destroyable,
  onEnd: (f: NetFailure) => T,
): Promise<Attempt<T>> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let done = false;
    let handle: Destroyable | undefined;
    const ctl: AttemptControl<T> = { settle: (v) => finish(v), phase: 'connect' };
    const finish = (value: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      handle?.destroy();
      resolve({ value, durationMs: Math.round(performance.now() - t0) });
    };
    const timer = setTimeout(() => finish(onEnd({ kind: 'timeout', phase: ctl.phase, timeoutMs })), timeoutMs);
    const onAbort = () => finish(onEnd({ kind: 'aborted', phase: ctl.phase }));
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      handle = start(ctl);
    } catch (err) {
      finish(onEnd({ kind: 'error', phase: ctl.phase, code: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
      return;
    }
    // A synchronous settle inside start() ran before the handle was known.
    if (done) handle.destroy();
  });
}
