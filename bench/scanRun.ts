/**
 * Runs one scanner as a child process and measures it as a user sees it: wall time from spawn to exit, and peak
 * memory as the maximum resident set size GNU time reports for the child (threads included; for a tool that
 * spawns helpers, the largest process). Output goes to files, never to our stdout (reports may quote secrets).
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';

export interface RunResult {
  wallMs: number;
  maxRssKiB: number;
  exitCode: number;
}

export const GNU_TIME = '/usr/bin/time';

export function run(cmd: string, args: string[], opts: { cwd: string; stdoutFile: string; stderrFile: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  const timeFile = `${opts.stderrFile}.time`;
  rmSync(timeFile, { force: true });
  const out = openSync(opts.stdoutFile, 'w');
  const err = openSync(opts.stderrFile, 'w');
  const useTime = existsSync(GNU_TIME);
  const [c, a] = useTime ? [GNU_TIME, ['-f', '%M', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(c, a, { cwd: opts.cwd, stdio: ['ignore', out, err], env: opts.env ?? process.env });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (timer) clearTimeout(timer);
      closeSync(out);
      closeSync(err);
      let maxRssKiB = NaN;
      if (useTime && existsSync(timeFile)) {
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
        maxRssKiB = Number(last);
      }
      resolve({ wallMs, maxRssKiB, exitCode: code ?? (signal ? 128 : -1) });
    });
  });
}
