/**
 * What every subcommand shares: exit codes, a GateHost for a terminal, and one way to turn an error into a
 * line on stderr. The terminal has no log masker, so the host keeps its own: every value given to
 * `setSecret` is cut out of whatever it writes.
 */
import type { GateHost } from '../pipeline/host';
import { isUserFacing } from '../pipeline/userErrors';

export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

export const EXIT_CODES_HELP = 'Exit codes: 0 no finding at or above the threshold, 1 findings at or above it, 2 usage or internal error.';

/** Values that must never reach the terminal; `redact` replaces each with `***`. */
export class Redactor {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    // Very short values would blank ordinary words; none of our secrets is that short.
    for (const line of (value ?? '').split(/\r?\n/)) if (line.trim().length >= 8) this.values.add(line.trim());
  }

  redact(text: string): string {
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join('***');
    return out;
  }
}

/** Progress to stderr, findings to stdout (by the caller); never ##vso commands. */
export function terminalHost(quiet: boolean, redactor: Redactor = new Redactor()): GateHost {
  const err = (s: string) => process.stderr.write(`${redactor.redact(s)}\n`);
  return {
    info: (l) => { if (!quiet) err(l); },
    debug: () => undefined,
    warning: (m) => err(`warning: ${m}`),
    setSecret: (v) => redactor.add(v),
    variable: () => undefined,
    input: () => undefined,
    setOutput: () => undefined,
    uploadSummary: () => undefined,
    addAttachment: () => undefined,
    succeed: () => undefined,
    fail: () => undefined,
  };
}

/**
 * One line on stderr for an error, then the exit code for it. User-facing errors (inputs, policy, sign-in)
 * are shown as written, after `rewrite` (which turns task input names into flags); others get a short prefix.
 */
export function reportError(err: unknown, rewrite: (message: string) => string = (m) => m, redactor?: Redactor, prefix = 'mlops-gates'): number {
  const text = isUserFacing(err)
    ? rewrite(err.message)
    : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
  process.stderr.write(`${prefix}: ${redactor ? redactor.redact(text) : text}\n`);
  return EXIT.error;
}
