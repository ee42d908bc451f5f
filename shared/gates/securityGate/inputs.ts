import { isAbsolute, join, resolve } from 'node:path';
import { choice, integer, NAME_RULES, optionalString, requiredString, type InputSource } from '../../pipeline/inputs';
import { THRESHOLDS, type Threshold } from '../../rules/policy';

/** SecurityGate's inputs, validated. The names are a contract with users' YAML: never rename one. */
export interface SecurityGateInputs {
  /** Id of the AzureRM service connection (the agent passes its GUID in INPUT_AZURESUBSCRIPTION). */
  connectionId: string;
  resourceGroupName: string;
  workspaceName: string;
  /** Absolute path, or undefined when neither given nor found at the default place. */
  policyFile?: string;
  /** True when the user named the file: then a missing file is an error, not a silent default. */
  policyFileExplicit: boolean;
  failOnSeverity: Threshold;
  sarifOutput: string;
  deadlineSeconds: number;
}

export interface PathContext {
  /** Where relative paths start (the sources directory on an agent, the cwd in the CLI). */
  baseDir: string;
  /** Default folder for outputs (the artifact staging directory on an agent). */
  outputDir: string;
  exists(path: string): boolean;
}

export function parseSecurityGateInputs(src: InputSource, paths: PathContext): SecurityGateInputs {
  const connectionId = requiredString(src, 'azureSubscription', {
    pattern: /^[\w.-]{1,128}$/,
    expected: 'the name or id of an Azure Resource Manager service connection',
  });
  const resourceGroupName = requiredString(src, 'resourceGroupName', NAME_RULES.resourceGroup);
  const workspaceName = requiredString(src, 'workspaceName', NAME_RULES.workspace);
  const failOnSeverity = choice(src, 'failOnSeverity', THRESHOLDS, 'high');
  const deadlineSeconds = integer(src, 'deadlineSeconds', 300, 5, 3600);

  const given = optionalString(src, 'policyFile');
  // A filePath input left empty arrives as the sources directory itself on some agents: treat it as unset.
  const explicit = given !== undefined && resolve(paths.baseDir, given) !== resolve(paths.baseDir);
  let policyFile: string | undefined;
  if (explicit) policyFile = isAbsolute(given!) ? given : resolve(paths.baseDir, given!);
  else {
    const fallback = join(paths.baseDir, '.mlops-gates.yml');
    policyFile = paths.exists(fallback) ? fallback : undefined;
  }

  const sarifGiven = optionalString(src, 'sarifOutput');
  const sarifOutput = sarifGiven ? resolve(paths.baseDir, sarifGiven) : join(paths.outputDir, 'mlops-gates', 'security-gate.sarif');

  return { connectionId, resourceGroupName, workspaceName, policyFile, policyFileExplicit: explicit, failOnSeverity, sarifOutput, deadlineSeconds };
}
