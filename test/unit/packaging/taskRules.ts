/**
 * task.json checks: our JSON Schema (test/schemas/task.schema.json, draft-07) for the format, and the
 * rules below for what a schema cannot say well (ado-conventions.md §1, traps T3, T7, T11).
 */
import Ajv from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPO } from './repo';

export type TaskJson = Record<string, any>;

/** Compiled validator for test/schemas/task.schema.json; returns error strings (empty when valid). */
export function taskSchemaValidator(): (task: unknown) => string[] {
  const schema = JSON.parse(readFileSync(join(REPO, 'test', 'schemas', 'task.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
  return (task) => (validate(task) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`));
}

const EOL_HANDLERS = ['Node', 'Node6', 'Node10', 'Node16', 'Node20'];
const SERVER_HANDLERS = ['HttpRequest', 'HttpRequestChain', 'ServiceBus'];
const MIN_AGENT = [4, 248, 0];

function versionAtLeast(v: string, min: number[]): boolean {
  const parts = v.split('.').map(Number);
  for (let i = 0; i < min.length; i++) {
    const p = parts[i] ?? 0;
    if (p !== min[i]) return p > min[i];
  }
  return true;
}

/**
 * Our own rules. `taskDir` is the task's source folder: the handler target `x.js` must have its source
 * `x.ts` there (scripts/bundle.mjs builds the one from the other). Returns problems, empty when fine.
 */
export function taskRuleProblems(task: TaskJson, taskDir?: string): string[] {
  const problems: string[] = [];
  const sections = ['execution', 'prejobexecution', 'postjobexecution'] as const;
  const handlers = sections.flatMap((s) => Object.keys(task[s] ?? {}).map((h) => ({ section: s, handler: h, body: task[s][h] })));

  for (const h of handlers) {
    if (EOL_HANDLERS.includes(h.handler)) problems.push(`${h.section}.${h.handler} is an end-of-life handler`);
  }
  const isServer = Object.keys(task.execution ?? {}).some((h) => SERVER_HANDLERS.includes(h));
  if (isServer) {
    if (handlers.some((h) => h.handler.startsWith('Node'))) problems.push('a server task cannot also have Node handlers');
    if ((task.runsOn ?? []).some((r: string) => r !== 'Server' && r !== 'ServerGate')) problems.push('a server task must run only on Server/ServerGate');
  } else {
    for (const s of sections) {
      const sec = task[s];
      if (!sec) continue;
      if (!sec.Node24 || !sec.Node20_1) problems.push(`${s} must declare both Node24 and Node20_1 (the agent may run either)`);
      else if (sec.Node24.target !== sec.Node20_1.target) problems.push(`${s}: Node24 and Node20_1 point at different targets`);
    }
    const target = task.execution?.Node24?.target ?? task.execution?.Node20_1?.target;
    if (taskDir && typeof target === 'string') {
      const source = join(taskDir, basename(target).replace(/\.js$/, '.ts'));
      if (!/\.js$/.test(target) || !existsSync(source)) problems.push(`handler target ${target} has no source ${basename(source)} in the task folder`);
    }
    if (!task.minimumAgentVersion || !versionAtLeast(task.minimumAgentVersion, MIN_AGENT)) {
      problems.push(`minimumAgentVersion must be at least ${MIN_AGENT.join('.')} (Node20_1)`);
    }
  }

  if (task.restrictions?.commands?.mode === 'restricted') {
    problems.push('restricted command mode silently drops uploadsummary/addattachment/artifact/build commands');
  }

  const inputs: TaskJson[] = task.inputs ?? [];
  const groups = new Set((task.groups ?? []).map((g: TaskJson) => g.name));
  const names = new Set<string>();
  for (const input of inputs) {
    if (input.groupName !== undefined && !groups.has(input.groupName)) problems.push(`input ${input.name} is in group ${input.groupName}, which is not declared`);
    for (const n of [input.name, ...(input.aliases ?? [])]) {
      if (names.has(String(n).toLowerCase())) problems.push(`input name or alias ${n} is used twice`);
      names.add(String(n).toLowerCase());
    }
    if (typeof input.helpMarkDown !== 'string' || !input.helpMarkDown.trim()) problems.push(`input ${input.name} has no helpMarkDown`);
    if ((input.type === 'pickList' || input.type === 'radio') && input.defaultValue !== undefined && input.defaultValue !== '') {
      if (!Object.prototype.hasOwnProperty.call(input.options ?? {}, input.defaultValue)) problems.push(`input ${input.name}: default ${input.defaultValue} is not one of its options`);
    }
  }

  // $(x) in instanceNameFormat must be an input (or alias); the agent shows the literal text otherwise.
  // Dotted names such as $(Build.BuildId) are pipeline variables and are allowed.
  for (const m of String(task.instanceNameFormat ?? '').matchAll(/\$\(([^)]+)\)/g)) {
    if (!m[1].includes('.') && !names.has(m[1].toLowerCase())) problems.push(`instanceNameFormat uses $(${m[1]}), which is not an input`);
  }

  const outs = new Set<string>();
  for (const o of task.outputVariables ?? []) {
    if (outs.has(o.name)) problems.push(`output variable ${o.name} is declared twice`);
    outs.add(o.name);
  }
  return problems;
}
