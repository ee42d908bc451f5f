/**
 * Runs a bundled task the way the agent does: a child node process whose environment carries the inputs
 * (INPUT_*), the service connections (ENDPOINT_*), the agent's variables (SYSTEM_*, BUILD_*, AGENT_*),
 * and whose ##vso commands are read back from stdout.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { recordOutput } from './sweep';

export const REPO = resolve(__dirname, '..', '..', '..');

export interface VsoCommand {
  area: string; // task, artifact, build
  event: string; // setvariable, complete, issue, uploadsummary ...
  props: Record<string, string>;
  data: string;
}

export interface TaskRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  commands: VsoCommand[];
  /** From ##vso[task.complete result=...]; undefined when the task never said. */
  result?: string;
  resultMessage?: string;
  outputs: Record<string, string>;
  errors: string[];
  warnings: string[];
  /** Milliseconds from spawn to the first byte on stdout. */
  firstOutputMs?: number;
  durationMs: number;
  tempDir: string;
}

/** An AzureRM service connection as the agent exposes it in the environment. */
export interface ServiceConnectionEnv {
  id: string;
  url: string;
  scheme: string;
  params: Record<string, string>;
  data: Record<string, string>;
}

export function connectionEnv(c: ServiceConnectionEnv): Record<string, string> {
  const env: Record<string, string> = {
    [`ENDPOINT_URL_${c.id}`]: c.url,
    [`ENDPOINT_AUTH_${c.id}`]: JSON.stringify({ scheme: c.scheme, parameters: c.params }),
    [`ENDPOINT_AUTH_SCHEME_${c.id}`]: c.scheme,
  };
  for (const [k, v] of Object.entries(c.params)) env[`ENDPOINT_AUTH_PARAMETER_${c.id}_${k.toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(c.data)) env[`ENDPOINT_DATA_${c.id}_${k.toUpperCase()}`] = v;
  return env;
}

/** Agent variables every job has; tests override what they need. */
export function agentVariables(tempDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const staging = join(tempDir, 'a');
  const sources = join(tempDir, 's');
  mkdirSync(staging, { recursive: true });
  mkdirSync(sources, { recursive: true });
  return {
    AGENT_TEMPDIRECTORY: tempDir,
    AGENT_VERSION: '4.266.2',
    AGENT_JOBSTATUS: 'Succeeded',
    BUILD_ARTIFACTSTAGINGDIRECTORY: staging,
    BUILD_SOURCESDIRECTORY: sources,
    BUILD_SOURCEVERSION: '9c4b2f7e1d3a5b6c8e0f1a2b3c4d5e6f7a8b9c0d',
    BUILD_SOURCEBRANCH: 'refs/heads/main',
    BUILD_REPOSITORY_URI: 'https://dev.azure.com/contoso/ml/_git/churn-model',
    BUILD_REPOSITORY_NAME: 'churn-model',
    BUILD_BUILDID: '4711',
    BUILD_BUILDNUMBER: '20261127.3',
    BUILD_DEFINITIONNAME: 'churn-model-ci',
    SYSTEM_HOSTTYPE: 'build',
    SYSTEM_JOBATTEMPT: '1',
    SYSTEM_TEAMPROJECT: 'ml',
    SYSTEM_TEAMPROJECTID: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    SYSTEM_PLANID: '7e6d5c4b-3a2f-4e1d-9c8b-7a6f5e4d3c2b',
    SYSTEM_JOBID: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
    SYSTEM_DEFAULTWORKINGDIRECTORY: sources,
    ...extra,
  };
}

export function parseVso(stdout: string): VsoCommand[] {
  const out: VsoCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^##vso\[([a-z]+)\.([a-z]+)(?: ([^\]]*))?\](.*)$/i.exec(line.trim());
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const kv of (m[3] ?? '').split(';')) {
      const i = kv.indexOf('=');
      if (i > 0) props[kv.slice(0, i).trim()] = kv.slice(i + 1);
    }
    out.push({ area: m[1].toLowerCase(), event: m[2].toLowerCase(), props, data: m[4] });
  }
  return out;
}

export interface RunOptions {
  /** Path of the bundled entry, e.g. dist/tasks/SecurityGate/index.js. */
  entry: string;
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** Node binary; defaults to the one running the tests (Node 20 or 24 in the matrix). */
  node?: string;
  timeoutMs?: number;
  tempDir?: string;
}

export function runTask(opts: RunOptions): Promise<TaskRun> {
  const tempDir = opts.tempDir ?? mkdtempSync(join(tmpdir(), 'mlops-agent-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tempDir,
    ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
    ...agentVariables(tempDir),
    ...opts.env,
  };
  for (const [k, v] of Object.entries(opts.inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const started = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(opts.node ?? process.execPath, [resolve(REPO, opts.entry)], { env, cwd: tempDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let firstOutputMs: number | undefined;
    child.stdout.on('data', (d: Buffer) => {
      if (firstOutputMs === undefined) firstOutputMs = Number(process.hrtime.bigint() - started) / 1e6;
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const commands = parseVso(stdout);
      const complete = commands.filter((c) => c.area === 'task' && c.event === 'complete').pop();
      const outputs: Record<string, string> = {};
      for (const c of commands) if (c.area === 'task' && c.event === 'setvariable' && c.props.isOutput === 'true') outputs[c.props.variable] = c.data;
      const issues = (type: string) => commands.filter((c) => c.area === 'task' && (c.event === 'issue' || c.event === 'logissue') && c.props.type === type).map((c) => c.data);
      // Everything the task wrote goes to the secret sweep. The masking commands carry values to the agent on
      // purpose (it hides them), so those lines are left out.
      recordOutput(`${opts.entry} stdout`, stdout.split('\n').filter((l) => !l.startsWith('##vso[task.setsecret]')).join('\n') + stderr);
      const files = new Set<string>([...commands.filter((c) => c.event === 'uploadsummary' || c.event === 'addattachment').map((c) => c.data), ...Object.values(outputs)]);
      for (const f of files) if (f.startsWith('/') && existsSync(f) && !f.endsWith('/')) { try { recordOutput(f, readFileSync(f, 'utf8')); } catch { /* a folder or unreadable: not an output file */ } }
      resolvePromise({
        stdout, stderr, exitCode: code, commands, outputs,
        result: complete?.props.result, resultMessage: complete?.data,
        errors: issues('error'), warnings: issues('warning'),
        firstOutputMs, durationMs: Number(process.hrtime.bigint() - started) / 1e6, tempDir,
      });
    });
  });
}
