import * as tl from 'azure-pipelines-task-lib/task';

/**
 * What a gate may do to the world it runs in. The agent implementation below speaks ##vso commands
 * through task-lib; the CLI supplies its own. Gates never import task-lib themselves.
 */
export interface GateHost {
  info(line: string): void;
  debug(line: string): void;
  warning(message: string): void;
  /** Masks a value in every later log line. */
  setSecret(value: string): void;
  variable(name: string): string | undefined;
  input(name: string): string | undefined;
  setOutput(name: string, value: string): void;
  uploadSummary(path: string): void;
  addAttachment(type: string, name: string, path: string): void;
  succeed(message: string): void;
  fail(message: string): void;
}

export const agentHost: GateHost = {
  info: (line) => console.log(line),
  debug: (line) => tl.debug(line),
  warning: (message) => tl.warning(message),
  setSecret: (value) => { if (value) tl.setSecret(value); },
  variable: (name) => tl.getVariable(name),
  input: (name) => tl.getInput(name, false),
  setOutput: (name, value) => tl.setVariable(name, value, false, true),
  uploadSummary: (path) => tl.uploadSummary(path),
  addAttachment: (type, name, path) => tl.addAttachment(type, name, path),
  succeed: (message) => tl.setResult(tl.TaskResult.Succeeded, message),
  fail: (message) => tl.setResult(tl.TaskResult.Failed, message),
};
