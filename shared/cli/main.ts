/**
 * `mlops-gates`: the gates on a laptop or in a pre-commit hook. `scan` checks files; `security-gate`,
 * `endpoint-check`, `explain` and `promote` run the tasks of the same names with their inputs as flags;
 * `verify` checks an evidence bundle. Exit codes (docs/cli.md): 0 clean / verified / promoted, 1 findings /
 * refused, 2 usage error or the check could not run (it fails closed).
 */
import { runGateCommand } from './gateCommand';
import { GATE_COMMANDS } from './gateCommands';
import { PROMOTE_SUMMARY, PROMOTE_TASK, promoteCommand } from './promoteCommand';
import { SCAN_USAGE, scanCommand } from './scan';
import type { TaskDefinition } from './taskFlags';
import { VERIFY_SUMMARY, verifyCommand } from './verifyCommand';

export { EXIT } from './terminal';

/** Subcommands that run a task, by the task.json whose inputs are their flags. */
export const TASK_COMMANDS: ReadonlyArray<{ name: string; task: TaskDefinition; summary: string }> = [
  ...GATE_COMMANDS,
  { name: 'promote', task: PROMOTE_TASK, summary: PROMOTE_SUMMARY },
];

const COMMAND_LIST = [
  ['scan <path>', 'scan files for leaked secrets and unsafe content (below)'],
  ...TASK_COMMANDS.map((c) => [c.name, c.summary]),
  ['verify', VERIFY_SUMMARY],
];

export const EXIT_CODES = `Exit codes (every command):
  0  clean: no finding at or above the threshold; verify: verified; promote: promoted, already present or dry run
  1  findings at or above the threshold; verify: refused; promote: refused (nothing written)
  2  usage error, or the command could not run (sign-in, a read or a write failed): it fails closed, never 0,
     and its outputs (evidence record, --json) say why`;

export const USAGE = `Usage: mlops-gates <command> [options]

Commands:
${COMMAND_LIST.map(([n, s]) => `  ${n.padEnd(25)} ${s}`).join('\n')}

'mlops-gates <command> --help' lists a command's options.

${EXIT_CODES}

${SCAN_USAGE}`;

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const gate = GATE_COMMANDS.find((c) => c.name === argv[0]);
  if (gate) return runGateCommand(gate, argv.slice(1));
  if (argv[0] === 'promote') return promoteCommand(argv.slice(1));
  if (argv[0] === 'verify') return verifyCommand(argv.slice(1));
  return scanCommand(argv, USAGE);
}
