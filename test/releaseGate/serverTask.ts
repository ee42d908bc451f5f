/**
 * Runs an agentless task's `execution.HttpRequest.Execute` the way the Azure DevOps server does, against the
 * local Azure:
 *
 * - `$(name)` macros in EndpointId, EndpointUrl, Headers and Expression take the task's input values (the
 *   default when an input is not set; names case-insensitive, as AzurePolicyV0 writes `$(connectedServiceName)`
 *   for its input `ConnectedServiceName`) and the connection's `endpoint.url` and `endpoint.subscriptionId`.
 *   A macro with no value stays as written.
 * - EndpointId names the service connection whose credentials sign the request: for AzureRM, a bearer
 *   token for ARM is added to the headers from the task.json.
 * - The task passes when the response status is 2xx and the Expression, if any, evaluates to true over the
 *   JSON body (`root`). An expression that cannot be parsed or evaluated fails the task.
 *
 * The "Invoke REST API" check is the InvokeRESTAPI task behind the scenes: its EndpointUrl is
 * `$(endpoint.url)$(urlSuffix)` and its Expression `$(successCriteria)` (Tasks/InvokeRestApiV1/task.json).
 */
import { evaluateCondition } from './expression/evaluate';

export interface TaskInput {
  name: string;
  type: string;
  aliases?: string[];
  defaultValue?: string;
  required?: boolean;
}

export interface HttpRequestExecute {
  EndpointId: string;
  EndpointUrl: string;
  Method: string;
  Body?: string;
  Headers?: string;
  WaitForCompletion?: string;
  Expression?: string;
}

export interface ServerTaskJson {
  inputs: TaskInput[];
  execution: { HttpRequest: { Execute: HttpRequestExecute } };
}

/** An AzureRM service connection as the server knows it. */
export interface ArmConnection {
  id: string;
  /** endpoint.url: the ARM URL, with a trailing slash. */
  url: string;
  subscriptionId: string;
  /** An access token for ARM, as the connection's identity obtains it. */
  token(): Promise<string>;
}

const MACRO = /\$\(([^()]+)\)/g;

export function expandMacros(text: string, values: Readonly<Record<string, string>>): string {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return text.replace(MACRO, (whole, name: string) => lower.get(name.trim().toLowerCase()) ?? whole);
}

/** Input values by input name (set by name or alias, else the default), plus the connection's endpoint fields. */
export function macroValues(task: ServerTaskJson, given: Readonly<Record<string, string>>, connection: ArmConnection): Record<string, string> {
  const byName = new Map(Object.entries(given).map(([k, v]) => [k.toLowerCase(), v]));
  const values: Record<string, string> = {};
  for (const input of task.inputs) {
    const names = [input.name, ...(input.aliases ?? [])].map((n) => n.toLowerCase());
    const set = names.map((n) => byName.get(n)).find((v) => v !== undefined);
    const value = set ?? input.defaultValue ?? '';
    if (input.required && value === '') throw new Error(`input ${input.name} is required`);
    values[input.name] = value;
  }
  for (const k of byName.keys()) {
    if (!task.inputs.some((i) => [i.name, ...(i.aliases ?? [])].some((n) => n.toLowerCase() === k))) throw new Error(`task has no input ${k}`);
  }
  values['endpoint.url'] = connection.url;
  values['endpoint.subscriptionId'] = connection.subscriptionId;
  return values;
}

export interface HttpRequestRun {
  url: string;
  method: string;
  headers: Record<string, string>;
  status: number;
  body: unknown;
  expression: string;
  /** Whether the server would mark the task (or check) succeeded. */
  passed: boolean;
  /** Why the expression could not be evaluated, when it could not. */
  error?: string;
}

/** Sends one request as the server would and judges the response. */
export async function sendAndJudge(request: { url: string; method: string; headers: Record<string, string>; body?: string; expression: string }, connection: ArmConnection): Promise<HttpRequestRun> {
  if (/\$\(/.test(request.url)) throw new Error(`unexpanded macro in URL ${request.url}`);
  if (!request.url.startsWith(connection.url)) throw new Error(`URL ${request.url} is not under the connection's ${connection.url}`);
  const headers = { ...request.headers, Authorization: `Bearer ${await connection.token()}` };
  const res = await fetch(request.url, { method: request.method, headers, body: request.method === 'GET' || !request.body ? undefined : request.body });
  const text = await res.text();
  let body: unknown = null;
  let error: string | undefined;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    error = `response is not JSON: ${(e as Error).message}`;
  }
  let holds = request.expression.trim() === '';
  if (!holds && error === undefined) {
    try {
      holds = evaluateCondition(request.expression, { root: body });
    } catch (e) {
      error = `${(e as Error).name}: ${(e as Error).message}`;
    }
  }
  return { url: request.url, method: request.method, headers: request.headers, status: res.status, body, expression: request.expression, passed: res.ok && holds && error === undefined, error };
}

/** Runs the task's HttpRequest with these inputs (by name or alias) over `connection`. */
export async function runServerTask(task: ServerTaskJson, inputs: Readonly<Record<string, string>>, connection: ArmConnection): Promise<HttpRequestRun> {
  const execute = task.execution.HttpRequest.Execute;
  const values = macroValues(task, inputs, connection);
  const endpointId = expandMacros(execute.EndpointId, values);
  if (endpointId !== connection.id) throw new Error(`EndpointId resolves to ${endpointId}, not the connection ${connection.id}`);
  if (execute.WaitForCompletion !== 'false') throw new Error('only synchronous (WaitForCompletion "false") requests are judged here');
  return sendAndJudge({
    url: expandMacros(execute.EndpointUrl, values),
    method: expandMacros(execute.Method, values),
    headers: JSON.parse(expandMacros(execute.Headers || '{}', values)) as Record<string, string>,
    body: expandMacros(execute.Body ?? '', values),
    expression: expandMacros(execute.Expression ?? '', values),
  }, connection);
}

/** An "Invoke REST API" check with an Azure Resource Manager connection, as docs/release-gate.md configures it. */
export interface RestApiCheck {
  method: string;
  headers: string;
  urlSuffix: string;
  successCriteria: string;
}

/** Runs the check; `variables` are the predefined variables the check may use, such as Build.BuildId. */
export async function runRestApiCheck(check: RestApiCheck, variables: Readonly<Record<string, string>>, connection: ArmConnection): Promise<HttpRequestRun> {
  const values = { ...variables, 'endpoint.url': connection.url, urlSuffix: expandMacros(check.urlSuffix, variables) };
  return sendAndJudge({
    url: expandMacros('$(endpoint.url)$(urlSuffix)', values),
    method: check.method,
    headers: JSON.parse(expandMacros(check.headers, variables)) as Record<string, string>,
    expression: expandMacros(check.successCriteria, variables),
  }, connection);
}
