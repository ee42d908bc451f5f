/**
 * Inputs every gate shares: paths relative to the sources directory, the policy file, the SARIF path, the
 * severity threshold. One parser, so the same input behaves the same in every task.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { choice, optionalString, type InputSource } from '../pipeline/inputs';
import { THRESHOLDS, type Threshold } from '../rules/policy';

export interface PathContext {
  /** Where relative paths start (the sources directory on an agent, the cwd in the CLI). */
  baseDir: string;
  /** Default folder for outputs (the artifact staging directory on an agent). */
  outputDir: string;
  exists(path: string): boolean;
}

/** A filePath input: agents pass the sources directory itself when it is left empty, so that counts as unset. */
export function filePathInput(src: InputSource, name: string, baseDir: string): string | undefined {
  const given = optionalString(src, name);
  if (given === undefined || resolve(baseDir, given) === resolve(baseDir)) return undefined;
  return isAbsolute(given) ? given : resolve(baseDir, given);
}

export interface CommonGateInputs {
  /** Absolute path, or undefined when neither given nor found at the default place. */
  policyFile?: string;
  /** True when the user named the file: then a missing file is an error, not a silent default. */
  policyFileExplicit: boolean;
  failOnSeverity: Threshold;
  sarifOutput: string;
}

/** `sarifFileName`: the default SARIF file under <outputDir>/mlops-gates/. */
export function commonGateInputs(src: InputSource, paths: PathContext, sarifFileName: string): CommonGateInputs {
  const failOnSeverity = choice(src, 'failOnSeverity', THRESHOLDS, 'high');
  const policyGiven = filePathInput(src, 'policyFile', paths.baseDir);
  const fallback = join(paths.baseDir, '.mlops-gates.yml');
  const policyFile = policyGiven ?? (paths.exists(fallback) ? fallback : undefined);
  const sarifGiven = optionalString(src, 'sarifOutput');
  const sarifOutput = sarifGiven ? resolve(paths.baseDir, sarifGiven) : join(paths.outputDir, 'mlops-gates', sarifFileName);
  return { policyFile, policyFileExplicit: policyGiven !== undefined, failOnSeverity, sarifOutput };
}
