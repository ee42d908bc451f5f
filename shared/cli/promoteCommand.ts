/**
 * `mlops-gates promote`: the ModelRegistryPromote task on a command line. Its flags are the task's inputs
 * (task.json, read by taskFlags so they never drift), parsed by the task's own parser and run by its own
 * `runPromote`; the task's output variables (verdict, action, targetModelId) are printed as name=value lines.
 * Exit codes: 0 promoted, already present or dry run; 1 refused (evidence or target check, nothing written);
 * 2 usage error, or the promotion could not run or finish (the message says what exists).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parsePromoteInputs } from '../gates/promote/inputs';
import { runPromote, type PromoteResult } from '../gates/promote/run';
import { cliAzure } from './azureLogin';
import { parseTaskArgs } from './commandArgs';
import { flagHelp, flagInputSource, flagMessage, flagSpecs, wrap, type FlagSpec, type TaskDefinition } from './taskFlags';
import { EXIT, Redactor, reportError, terminalHost } from './terminal';
import promoteTask = require('../../tasks/ModelRegistryPromote/task.json');

export const PROMOTE_TASK = promoteTask as TaskDefinition;
export const PROMOTE_SUMMARY = "verify a model version's evidence and promote it (the ModelRegistryPromote task)";

const CLI_OPTIONS = {
  json: { type: 'string' },
  'management-url': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface PromoteCommandOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

const PREFIX = 'mlops-gates promote';

export async function promoteCommand(argv: string[], opts: PromoteCommandOptions = {}): Promise<number> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const specs = flagSpecs(PROMOTE_TASK);
  const values = parseTaskArgs('promote', specs, argv, CLI_OPTIONS, () => promoteHelp(specs));
  if (typeof values === 'number') return values;

  const quiet = Boolean(values.quiet);
  const redactor = new Redactor();
  const host = terminalHost(quiet, redactor);
  const keysFlag = specs.find((s) => s.input === 'trustedPublicKeys')?.flag;
  if (keysFlag && Array.isArray(values[keysFlag])) values[keysFlag] = (values[keysFlag] as string[]).map((v) => keyFileContents(v, cwd));
  const src = flagInputSource(specs, values, { azureSubscription: env.AZURE_SUBSCRIPTION_ID });
  const rewrite = (m: string) =>
    flagMessage(m, specs).replace(/the name or id of an Azure Resource Manager service connection/g, 'the id of the subscription that holds the workspaces, or AZURE_SUBSCRIPTION_ID');
  try {
    const inputs = parsePromoteInputs(src, { baseDir: cwd, outputDir: cwd, exists: existsSync });
    const azure = cliAzure({ subscriptionId: inputs.connectionId, managementUrl: values['management-url'] as string | undefined, env, mask: (s) => redactor.add(s) });
    if (azure.connection.scheme === 'AzureCli') {
      // The promotion record names who promoted: for a developer's login, the signed-in account (the task
      // records the service principal's client id). Signing in now also fails early, before any read.
      const token = await azure.credential.getToken(azure.connection.armScope);
      const who = tokenIdentity(token?.token);
      if (who) azure.connection.name = `${who} (az login)`;
    }
    host.info(`Signing in as ${azure.signIn}; Azure Resource Manager at ${azure.connection.managementUrl}.`);
    const r = await runPromote(inputs, { host, azure, context: {} });
    const outputs = { verdict: r.verdict, ...(r.action ? { action: r.action } : {}), ...(r.targetModelId ? { targetModelId: r.targetModelId } : {}) };
    // The task's output variables, one name=value line each: what a script reads.
    process.stdout.write(redactor.redact(Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join('')));
    if (values.json) await writeResult(resolve(cwd, values.json as string), r, outputs, redactor);
    const code = exitCode(r);
    if (code === EXIT.clean) host.info(r.message);
    else process.stderr.write(`${PREFIX}: ${redactor.redact(r.message)}\n`);
    return code;
  } catch (err) {
    return reportError(err, rewrite, redactor, PREFIX);
  }
}

/** 0 passed; 1 the plan refused (judged, nothing written); 2 anything else that failed (could not read, or incomplete). */
export function exitCode(r: Pick<PromoteResult, 'verdict' | 'plan'>): number {
  if (r.verdict === 'passed') return EXIT.clean;
  return r.plan?.kind === 'refuse' ? EXIT.findings : EXIT.error;
}

/** A --trusted-public-keys value that names a file stands for the keys in it; the task input takes key text. */
export function keyFileContents(value: string, cwd: string): string {
  const v = value.trim();
  if (!v || v.includes('-----BEGIN')) return value;
  const path = resolve(cwd, v);
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : value;
}

/** The signed-in account from an ARM token's claims (not verified: it only labels the record). */
export function tokenIdentity(token: string | undefined): string | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const c = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const k of ['upn', 'unique_name', 'preferred_username', 'oid', 'appid']) if (typeof c[k] === 'string' && c[k]) return c[k] as string;
  } catch {
    /* not a JWT */
  }
  return undefined;
}

async function writeResult(path: string, r: PromoteResult, outputs: Record<string, string>, redactor: Redactor): Promise<void> {
  const plan = r.plan;
  const body = {
    schema: 'mlops-gates.promote-result/1',
    ...outputs,
    message: r.message,
    ...(plan?.kind === 'refuse' ? { refused: plan.reasons } : {}),
    ...(plan?.kind === 'write' ? { changes: plan.changes } : {}),
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, redactor.redact(`${JSON.stringify(body, null, 2)}\n`));
}

/** `--help`: the task's inputs as flags (from its task.json), sign-in, outputs, exit codes. */
export function promoteHelp(specs: FlagSpec[] = flagSpecs(PROMOTE_TASK)): string {
  const required = specs.filter((s) => s.required && s.input !== 'azureSubscription').map((s) => `--${s.flag} <${s.valueName}>`);
  const para = (text: string) => wrap(text, 100).join('\n');
  return [
    `Usage: mlops-gates promote ${required.join(' ')} (--model-name <name> | --source-job <name>) [options]`,
    '',
    para(`${PROMOTE_TASK.friendlyName}. ${PROMOTE_TASK.description}`),
    '',
    `Options (the inputs of the ${PROMOTE_TASK.name} task, same names in kebab-case or shorter, same validation):`,
    flagHelp(specs),
    '',
    'Other options:',
    `  ${'--json <path>'.padEnd(36)} also write the result there: outputs, message, the changes made or the reasons refused`,
    `  ${'--management-url <url>'.padEnd(36)} Azure Resource Manager URL (default: $AZURE_RESOURCE_MANAGER_URL, else https://management.azure.com/)`,
    `  ${'-q, --quiet'.padEnd(36)} no progress on stderr`,
    `  ${'-h, --help'.padEnd(36)} this text`,
    '',
    para('--trusted-public-keys also takes a file holding PEM or base64 keys; a PEM itself needs the --trusted-public-keys="$(cat key.pem)" form, since it starts with dashes.'),
    '',
    para('Sign-in: a service principal when AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH, an unencrypted PEM file with the private key) are set; otherwise your Azure CLI login (az login), whose account the promotion record names. AZURE_AUTHORITY_HOST sets the Microsoft Entra authority. The identity reads the source workspace and writes model versions (and, for a workspace target, blobs) at the target, as the task\'s does.'),
    '',
    para('Outputs: the task\'s output variables on stdout, one name=value line each (verdict, action: promoted-by-reference | copied | already-present | dry-run, targetModelId); the plan, the changes and the result on stderr; with --json, the same as JSON. With --dry-run nothing is written.'),
    '',
    'Exit codes: 0 promoted, already present, or dry run; 1 refused: the evidence did not verify or the target holds',
    'other files (nothing written); 2 usage error, or the promotion could not run or finish (sign-in or a read failed,',
    'or a write failed: the message says what exists and a re-run completes it). Anything but 0: no new model version exists.',
  ].join('\n');
}
