/**
 * `mlops-gates`: the gates on a laptop or in a pre-commit hook. `scan` checks files; `security-gate` and
 * `endpoint-check` run the tasks of the same names with their inputs as flags. Exit codes: 0 nothing at or
 * above the threshold, 1 findings at or above it, 2 usage or internal error.
 */
import { runGateCommand } from './gateCommand';
import { GATE_COMMANDS } from './gateCommands';
import { SCAN_USAGE, scanCommand } from './scan';

export { EXIT } from './terminal';

export const USAGE = `Usage: mlops-gates <command> [options]

Commands:
  scan <path>               scan files for leaked secrets and unsafe content (below)
${GATE_COMMANDS.map((c) => `  ${c.name.padEnd(25)} ${c.summary}`).join('\n')}

'mlops-gates <command> --help' lists a command's options.

${SCAN_USAGE}`;

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const gate = GATE_COMMANDS.find((c) => c.name === argv[0]);
  if (gate) return runGateCommand(gate, argv.slice(1));
  return scanCommand(argv, USAGE);
}
