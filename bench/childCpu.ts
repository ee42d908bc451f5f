/**
 * CPU time of reaped child processes, from /proc/self/stat (cutime + cstime), so that a task's CPU use can be
 * read without touching the task process. Linux only; elsewhere undefined. Resolution: one clock tick (10 ms).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** cutime + cstime in ticks from the text of /proc/<pid>/stat; the command name may hold spaces and parentheses. */
export function reapedChildTicks(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after "(comm)" start at field 3 (state); cutime is field 16, cstime field 17.
  return Number(rest[13]) + Number(rest[14]);
}

let ticksPerSecond: number | undefined;

/** Milliseconds of CPU used so far by this process's children that have exited and been waited for. */
export function reapedChildCpuMs(): number | undefined {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (reapedChildTicks(readFileSync('/proc/self/stat', 'utf8')) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}
