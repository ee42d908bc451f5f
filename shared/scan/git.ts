/** One git command with a short answer (rev-parse, diff --name-only, checkout-index); `git ls-files` streams instead. */
import { spawn } from 'node:child_process';

export interface GitResult {
  /** null when git could not be started. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** git could not be started (not installed, not on PATH). */
  missing: boolean;
}

/** Runs git in `cwd`, writing `input` to its stdin when given; never rejects. Output is decoded once, whole. */
export function runGit(args: string[], cwd: string, input?: string): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = spawn('git', args, { cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const text = (b: Buffer[]) => Buffer.concat(b).toString('utf8');
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', () => resolve({ code: null, stdout: text(out), stderr: text(err), missing: true }));
    child.on('close', (code) => resolve({ code, stdout: text(out), stderr: text(err), missing: false }));
    // A git that exits before reading all of stdin closes the pipe; its exit code tells what happened.
    child.stdin?.on('error', () => undefined);
    if (input !== undefined) child.stdin!.end(input);
  });
}
