/**
 * A task's inputs as command-line flags, derived from its task.json at run time so that the CLI can never
 * lag behind the task: every input is a flag (kebab-case of its name, or a shorter name below), its value
 * reaches the task's own input parser unchanged, and the parser's messages name the flag instead of the
 * input. Pure: no I/O.
 */
import type { InputSource } from '../pipeline/inputs';

/** The part of a task.json this file reads. */
export interface TaskInputDefinition {
  name: string;
  type: string;
  label: string;
  required?: boolean;
  defaultValue?: string;
  helpMarkDown?: string;
  visibleRule?: string;
  options?: Record<string, string>;
}

export interface TaskDefinition {
  name: string;
  friendlyName: string;
  description: string;
  inputs: TaskInputDefinition[];
}

export interface FlagSpec {
  /** The task input this flag feeds. */
  input: string;
  /** The flag without its dashes; a boolean also has `no-<flag>`. */
  flag: string;
  kind: 'boolean' | 'value' | 'list';
  /** Placeholder for the value in the help: `<name>`. */
  valueName: string;
  label: string;
  /** Plain text (helpMarkDown without its markup). */
  help: string;
  /** The default as it applies on a command line (agent variables resolved to the current folder). */
  default?: string;
  /** Required and without a default. */
  required: boolean;
  /** The values a pick list takes. */
  choices?: string[];
  /** e.g. `with --audit`, from the input's visibleRule. */
  when?: string;
}

/**
 * Shorter names for inputs whose kebab-case would be long-winded on a command line (`--fail-on` rather
 * than `--fail-on-severity`). Every other input, including any added later, gets its kebab-case name.
 */
const SHORT_FLAGS: Record<string, string> = {
  azureSubscription: 'subscription',
  resourceGroupName: 'resource-group',
  workspaceName: 'workspace',
  endpointName: 'endpoint',
  policyFile: 'policy',
  failOnSeverity: 'fail-on',
  sarifOutput: 'sarif',
  auditWorkspace: 'audit',
  scanRepository: 'scan',
  scanModels: 'models',
  baselineFile: 'baseline',
  // ExplainabilityReport: the names `mlops-gates explain` documents.
  outputName: 'output',
  classIndex: 'class',
  explanationOutput: 'json',
  reportOutput: 'html',
};

/**
 * Inputs that take no flag: their values are secrets, and a command line is kept in shell history and shown
 * in the process list. Each comes from the environment variable named here instead.
 */
export const ENV_INPUTS: Readonly<Record<string, { variable: string; help: string }>> = {
  signingKey: {
    variable: 'MLOPS_GATES_SIGNING_KEY',
    help: 'The Ed25519 private key (PKCS#8 PEM or base64) that signs the evidence with --model-path; or sign with --key-vault-key-id instead. Never printed.',
  },
};

/** An input read from the environment (see ENV_INPUTS). */
export interface EnvSpec {
  input: string;
  variable: string;
  label: string;
  /** Plain text, input names as flags. */
  help: string;
}

/** Where an agent variable in a default points on a developer's machine: the current folder. */
const AGENT_DIRS = /\$\((Build\.ArtifactStagingDirectory|Build\.SourcesDirectory|System\.DefaultWorkingDirectory|Agent\.TempDirectory)\)/g;

/** What an AzureRM connection input means on a command line: the subscription, the sign-in coming from the environment. */
export const CONNECTION_HELP = 'On the command line: the id of the subscription that holds the workspace (default: $AZURE_SUBSCRIPTION_ID). Sign-in comes from the environment; see "Sign-in" below.';

export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^-/, '');
}

/** Markdown of helpMarkDown as plain text: links become `text (url)`, code and emphasis marks go. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

export function flagSpecs(task: TaskDefinition): FlagSpec[] {
  const flagOf = flagNames(task);
  return task.inputs.filter((i) => !ENV_INPUTS[i.name]).map((i) => {
    const kind: FlagSpec['kind'] = i.type === 'boolean' ? 'boolean' : i.type === 'multiLine' ? 'list' : 'value';
    const connection = i.type.startsWith('connectedService:');
    const dflt = i.defaultValue?.replace(AGENT_DIRS, '.').trim();
    return {
      input: i.name,
      flag: flagOf.get(i.name)!,
      kind,
      valueName: valueName(i, connection),
      label: i.label,
      help: connection ? CONNECTION_HELP : onCommandLine(plainText(i.helpMarkDown ?? ''), flagOf),
      default: dflt || undefined,
      required: Boolean(i.required) && !dflt,
      choices: i.type === 'pickList' && i.options ? Object.keys(i.options) : undefined,
      when: whenText(i.visibleRule, flagOf),
    };
  });
}

function flagNames(task: TaskDefinition): Map<string, string> {
  return new Map(task.inputs.filter((i) => !ENV_INPUTS[i.name]).map((i) => [i.name, SHORT_FLAGS[i.name] ?? kebabCase(i.name)]));
}

/** The task's inputs that come from the environment on a command line, in task.json order. */
export function envSpecs(task: TaskDefinition): EnvSpec[] {
  const flagOf = flagNames(task);
  return task.inputs
    .filter((i) => ENV_INPUTS[i.name])
    .map((i) => ({ input: i.name, variable: ENV_INPUTS[i.name].variable, label: i.label, help: onCommandLine(ENV_INPUTS[i.name].help, flagOf) }));
}

/** The values of those inputs, by input name, from `env`. */
export function envInputValues(task: TaskDefinition, env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(envSpecs(task).map((s) => [s.input, env[s.variable]]));
}

function valueName(i: TaskInputDefinition, connection: boolean): string {
  if (connection) return 'id';
  if (i.type === 'pickList') return 'choice';
  if (i.type === 'int') return 'n';
  if (i.type === 'filePath' || /(File|Path|Output)$/.test(i.name)) return 'path';
  if (i.type === 'multiLine') return 'glob';
  if (/Name$/.test(i.name)) return 'name';
  return 'value';
}

/** `probe = true` → `with --probe`; rules with several conditions are not shown. */
function whenText(rule: string | undefined, flagOf: Map<string, string>): string | undefined {
  const m = /^\s*(\w+)\s*==?\s*(true|false)\s*$/i.exec(rule ?? '');
  const flag = m && flagOf.get(m[1]);
  if (!flag) return undefined;
  return m[2].toLowerCase() === 'true' ? `with --${flag}` : `with --no-${flag}`;
}

/** Options for node:util parseArgs: each boolean as `--x` and `--no-x`, lists repeatable. */
export function parseArgsOptions(specs: FlagSpec[]): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> {
  const out: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const s of specs) {
    if (s.kind === 'boolean') {
      out[s.flag] = { type: 'boolean' };
      out[`no-${s.flag}`] = { type: 'boolean' };
    } else {
      out[s.flag] = { type: 'string', ...(s.kind === 'list' ? { multiple: true } : {}) };
    }
  }
  return out;
}

/** What node:util parseArgs returns for the options above. */
export type ParsedValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** A usage problem parseArgs cannot see: both `--x` and `--no-x`. */
export function flagConflicts(specs: FlagSpec[], values: ParsedValues): string[] {
  return specs.filter((s) => s.kind === 'boolean' && values[s.flag] && values[`no-${s.flag}`]).map((s) => `--${s.flag} and --no-${s.flag} contradict each other; give one.`);
}

/**
 * The task parser's view of the flags: input name → the string the agent would have passed. `fallback`
 * supplies values the flags left unset (the subscription from AZURE_SUBSCRIPTION_ID).
 */
export function flagInputSource(specs: FlagSpec[], values: ParsedValues, fallback: Record<string, string | undefined> = {}): InputSource {
  const byInput = new Map(specs.map((s) => [s.input, s]));
  return (name) => {
    const s = byInput.get(name);
    if (!s) return fallback[name];
    let v: string | undefined;
    if (s.kind === 'boolean') v = values[s.flag] ? 'true' : values[`no-${s.flag}`] ? 'false' : undefined;
    else if (s.kind === 'list') v = (values[s.flag] as string[] | undefined)?.join('\n');
    else v = values[s.flag] as string | undefined;
    return v ?? fallback[name];
  };
}

/**
 * A parser message in the CLI's words: `Input 'resourceGroupName'` → `Option --resource-group`, any quoted
 * or camelCase input name → its flag, "set --audit to false" → "use --no-audit".
 */
export function flagMessage(message: string, specs: FlagSpec[]): string {
  const flagOf = new Map(specs.map((s) => [s.input, s.flag]));
  // An input read from the environment is named by its variable.
  let out = message.replace(/\bInput '(\w+)'/g, (all, n: string) => (ENV_INPUTS[n] && !flagOf.has(n) ? `The environment variable ${ENV_INPUTS[n].variable}` : all));
  out = out.replace(/'(\w+)'/g, (all, n: string) => (ENV_INPUTS[n] && !flagOf.has(n) ? ENV_INPUTS[n].variable : all));
  out = out.replace(/\bInput(s?) (?='(\w+)')/g, (all, plural: string, n: string) => (flagOf.has(n) ? `Option${plural} ` : all));
  out = onCommandLine(out, flagOf);
  out = out.replace(/\bset --([\w-]+) to (true|false)\b/g, (all, f: string, v: string) => {
    const s = specs.find((x) => x.flag === f && x.kind === 'boolean');
    return s ? `use --${v === 'true' ? '' : 'no-'}${f}` : all;
  });
  return out;
}

/**
 * Task prose in the CLI's terms: input names (quoted, or camelCase words) become their flags, and the
 * agent's sources directory is the current folder.
 */
function onCommandLine(text: string, flagOf: Map<string, string>): string {
  return text
    .replace(/'(\w+)'/g, (all, n: string) => (flagOf.has(n) ? `--${flagOf.get(n)}` : all))
    .replace(/\b[a-z]+[A-Z]\w*\b/g, (n) => (flagOf.has(n) ? `--${flagOf.get(n)}` : n))
    .replace(/\bat the root of the sources directory\b/g, 'in the current folder')
    .replace(/\bthe sources directory\b/g, 'the current folder');
}

/** One help entry per flag: `--flag <value>`, the label and facts, then the help text wrapped and indented. */
export function flagHelp(specs: FlagSpec[], width = 100): string {
  const lines: string[] = [];
  for (const s of specs) {
    const head = s.kind === 'boolean' ? `--[no-]${s.flag}` : `--${s.flag} <${s.valueName}>${s.kind === 'list' ? ' (repeatable)' : ''}`;
    const facts = [
      s.required ? 'required' : '',
      s.choices ? s.choices.join(' | ') : '',
      s.kind === 'boolean' && s.default ? `default: ${/^true$/i.test(s.default) ? 'on' : 'off'}` : s.default ? `default: ${s.default}` : '',
      s.when ?? '',
    ].filter(Boolean);
    lines.push(`  ${head.padEnd(36)} ${s.label}${facts.length ? ` (${facts.join('; ')})` : ''}`);
    if (s.help) lines.push(...wrap(s.help, width - 6).map((l) => `      ${l}`));
  }
  return lines.join('\n');
}

export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
