/**
 * Runs one scanner as a child process and measures it as a user sees it: wall time from spawn to exit, and peak
 * memory as the maximum resident set size GNU time reports for the child (threads included; for a tool that
 * spawns helpers, the largest process), and its CPU time (user + system, all threads, waited-for children included). Output goes to files, never to our stdout (reports may quote secrets).
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';

export interface RunResult {
  wallMs: number;
  maxRssKiB: number;
  /** User + system CPU time from GNU time; NaN without it. Two busy threads for 1 s of wall make 2,000 ms. */
  cpuMs: number;
  exitCode: number;
}

export const GNU_TIME = '/usr/bin/time';

export function run(cmd: string, args: string[], opts: { cwd: string; stdoutFile: string; stderrFile: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  const timeFile = `${opts.stderrFile}.time`;
  rmSync(timeFile, { force: true });
  const out = openSync(opts.stdoutFile, 'w');
  const err = openSync(opts.stderrFile, 'w');
  const useTime = existsSync(GNU_TIME);
  const [c, a] = useTime ? [GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, cmd, ...args]] : [cmd, args];
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
      let cpuMs = NaN;
      if (useTime && existsSync(timeFile)) {
        // The last line: GNU time puts "Command exited with non-zero status" lines before it.
        const [user, sys, rss] = (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
        maxRssKiB = rss ?? NaN;
        cpuMs = ((user ?? NaN) + (sys ?? NaN)) * 1000;
      }
      resolve({ wallMs, maxRssKiB, cpuMs, exitCode: code ?? (signal ? 128 : -1) });
    });
  });
}
