/** `mlops-gates security-gate | endpoint-check [flags]`: a task's gate on a command line, its inputs as flags. */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cliAzure } from './azureLogin';
import { parseTaskArgs } from './commandArgs';
import { formatFindings } from './format';
import type { GateCommand } from './gateCommands';
import { envInputValues, envSpecs, flagHelp, flagInputSource, flagMessage, flagSpecs, wrap, type FlagSpec } from './taskFlags';
import { EXIT, Redactor, reportError, terminalHost } from './terminal';
import { outputBase } from '../gates/outputs';

/** Flags of the CLI itself, beside the task's inputs. */
const CLI_OPTIONS = {
  'management-url': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface GateCommandOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export async function runGateCommand(cmd: GateCommand, argv: string[], opts: GateCommandOptions = {}): Promise<number> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const specs = flagSpecs(cmd.task);
  const values = parseTaskArgs(cmd.name, specs, argv, CLI_OPTIONS, () => gateHelp(cmd, specs));
  if (typeof values === 'number') return values;

  const quiet = Boolean(values.quiet);
  const redactor = new Redactor();
  const host = terminalHost(quiet, redactor);
  const connectionInput = specs.find((s) => s.flag === 'subscription')?.input;
  const fromEnv = { ...envInputValues(cmd.task, env), ...(connectionInput ? { [connectionInput]: env.AZURE_SUBSCRIPTION_ID } : {}) };
  const src = flagInputSource(specs, values, fromEnv);
  const tempDir = mkdtempSync(join(tmpdir(), 'mlops-gates-'));
  const rewrite = (m: string) => flagMessage(m, specs).replace(/the name or id of an Azure Resource Manager service connection/g, 'the id of the subscription that holds the workspace, or AZURE_SUBSCRIPTION_ID');
  try {
    const r = await cmd.run(src, {
      host,
      tempDir,
      paths: { baseDir: cwd, outputDir: cwd, exists: existsSync },
      azure: (subscriptionId) => {
        const a = cliAzure({ subscriptionId, managementUrl: values['management-url'] as string | undefined, env, mask: (s) => redactor.add(s) });
        host.info(`Signing in as ${a.signIn}; Azure Resource Manager at ${a.connection.managementUrl}.`);
        return a;
      },
    });
    // The summary goes beside the SARIF log under a name that says what it is, like the evidence record.
    const summaryPath = `${outputBase(r.sarifPath)}.summary.md`;
    copyFileSync(r.summaryPath, summaryPath);
    // A gate that could not judge found nothing to count: a "0 findings" tally would read as a pass.
    if (!r.error || r.outcome.active.length) process.stdout.write(redactor.redact(formatFindings(r.outcome, { quiet, known: r.known })));
    const shown = (p: string) => (relative(cwd, p).startsWith('..') ? p : relative(cwd, p) || p);
    host.info(`SARIF: ${shown(r.sarifPath)}; evidence: ${r.evidencePaths.map(shown).join(', ')}; summary: ${shown(summaryPath)}`);
    if (r.outputs?.length) host.info(r.outputs.map((o) => `${o.label}: ${shown(o.path)}`).join('; '));
    if (r.sealed) host.info(`Signed evidence: envelope ${r.sealed.envelopes} of ${shown(r.sealed.bundlePath)} (model digest ${r.sealed.modelDigest}, key ${r.sealed.keyid})`);
    if (r.error) {
      process.stderr.write(`mlops-gates ${cmd.name}: ${redactor.redact(r.message)}\n`);
      return EXIT.error;
    }
    host.info(r.message);
    return r.verdict === 'failed' ? EXIT.findings : EXIT.clean;
  } catch (err) {
    return reportError(err, rewrite, redactor, `mlops-gates ${cmd.name}`);
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Inputs that are secrets come from the environment, never from a flag (shell history, process list). */
function envHelp(cmd: GateCommand): string[] {
  const specs = envSpecs(cmd.task);
  if (!specs.length) return [];
  const lines = ['Environment (secret inputs of the task: never on the command line, where shell history and the process list keep them):'];
  for (const s of specs) lines.push(`  ${s.variable.padEnd(36)} ${s.label}`, ...wrap(s.help, 94).map((l) => `      ${l}`));
  return [...lines, ''];
}

/** `--help` of a gate command: the task's inputs as flags (from its task.json), sign-in, outputs, exit codes. */
export function gateHelp(cmd: GateCommand, specs: FlagSpec[] = flagSpecs(cmd.task)): string {
  const required = specs.filter((s) => s.required).map((s) => `--${s.flag} <${s.valueName}>`);
  const sarif = specs.find((s) => s.flag === 'sarif')?.default ?? `./mlops-gates/${cmd.name}.sarif`;
  const para = (text: string) => wrap(text, 100).join('\n');
  return [
    `Usage: mlops-gates ${cmd.name}${required.length ? ` ${required.join(' ')}` : ''} [options]`,
    '',
    para(`${cmd.task.friendlyName}. ${cmd.task.description}`),
    '',
    `Options (the inputs of the ${cmd.task.name} task, same names in kebab-case or shorter, same validation):`,
    flagHelp(specs),
    '',
    ...envHelp(cmd),
    'Other options:',
    `  ${'--management-url <url>'.padEnd(36)} Azure Resource Manager URL (default: $AZURE_RESOURCE_MANAGER_URL, else https://management.azure.com/)`,
    `  ${'-q, --quiet'.padEnd(36)} print only findings at or above the threshold, no progress`,
    `  ${'-h, --help'.padEnd(36)} this text`,
    '',
    para('Sign-in: a service principal when AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH, an unencrypted PEM file with the private key) are set; otherwise your Azure CLI login (az login). AZURE_AUTHORITY_HOST sets the Microsoft Entra authority (default: https://login.microsoftonline.com/). Reader on the workspace is enough; nothing is changed and no key is listed.'),
    '',
    para(cmd.outputsHelp ?? `Outputs: findings on stdout (one line each, worst first), progress on stderr; the SARIF log at --sarif (default: ${sarif}), the evidence record${cmd.name === 'endpoint-check' ? 's (one for the run, one per endpoint)' : ''} and the Markdown summary (<name>.summary.md) beside it; with --model-path, the run's signed evidence appended to the bundle at --evidence-bundle.`),
    '',
    'Exit codes: 0 no finding at or above the threshold, 1 findings at or above it, 2 usage error, or the check',
    'could not run (sign-in or a read failed: the gate fails closed and its outputs say why).',
  ].join('\n');
}
