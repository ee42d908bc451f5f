/**
 * The start every task subcommand shares: parse argv against the task.json flags plus the command's own options,
 * print --help, and refuse unknown or conflicting flags with a usage error (exit 2) that names the command.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { flagConflicts, parseArgsOptions, type FlagSpec, type ParsedValues } from './taskFlags';
import { EXIT } from './terminal';

/** The parsed values, or the exit code when the command ends here (help shown, usage error printed). */
export function parseTaskArgs(command: string, specs: FlagSpec[], argv: string[], extra: NonNullable<ParseArgsConfig['options']>, help: () => string): ParsedValues | number {
  const usageError = (message: string) => {
    process.stderr.write(`mlops-gates ${command}: ${message}\nRun 'mlops-gates ${command} --help' for its options.\n`);
    return EXIT.error;
  };
  let values: ParsedValues;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...parseArgsOptions(specs), ...extra }, allowPositionals: false, strict: true }));
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${help()}\n`);
    return EXIT.clean;
  }
  const conflicts = flagConflicts(specs, values);
  return conflicts.length ? usageError(conflicts.join(' ')) : values;
}
