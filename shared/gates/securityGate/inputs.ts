import { isAbsolute, resolve } from 'node:path';
import { boolean, integer, InputError, NAME_RULES, optionalString, requiredString, type InputSource } from '../../pipeline/inputs';
import { commonGateInputs, filePathInput, type CommonGateInputs, type PathContext } from '../commonInputs';

export type { PathContext };

/** SecurityGate's inputs, validated. The names are a contract with users' YAML: never rename one. */
export interface SecurityGateInputs extends CommonGateInputs {
  /** The workspace audit; absent when `auditWorkspace` is false. */
  audit?: {
    /** Id of the AzureRM service connection (the agent passes its GUID in INPUT_AZURESUBSCRIPTION). */
    connectionId: string;
    resourceGroupName: string;
    workspaceName: string;
    deadlineSeconds: number;
  };
  /** The content scan; absent when `scanRepository` is false. */
  scan?: {
    /** Absolute folder to scan. */
    path: string;
    include: string[];
    exclude: string[];
    /** Absolute path of the baseline file, when given. */
    baselineFile?: string;
    scanModels: boolean;
    /**
     * Set by the CLI's --staged: `path` holds copies of the staged files of this folder. Messages and evidence name
     * this folder, the copy is walked (git is not asked what it tracks), and the scan counts as partial: baseline
     * entries it does not meet are not called stale.
     */
    stagedFrom?: string;
  };
}

/** Globs from a multi-line input: one per line or comma-separated, blanks and `#` comments dropped. */
export function globList(src: InputSource, name: string): string[] {
  const v = optionalString(src, name);
  if (!v) return [];
  const out = v.split(/[\r\n,]+/).map((s) => s.trim()).filter((s) => s && !s.startsWith('#'));
  for (const g of out) {
    if (isAbsolute(g) || g.split(/[\\/]/).includes('..')) {
      throw new InputError(name, `Input '${name}' has the glob '${g}'; globs are relative to scanPath and may not leave it (no absolute paths, no '..').`);
    }
  }
  return out;
}

export function parseSecurityGateInputs(src: InputSource, paths: PathContext): SecurityGateInputs {
  const auditOn = boolean(src, 'auditWorkspace', true);
  const scanOn = boolean(src, 'scanRepository', true);
  if (!auditOn && !scanOn) {
    throw new InputError('auditWorkspace', "Inputs 'auditWorkspace' and 'scanRepository' are both false, so there is nothing to check; set at least one to true.");
  }

  const audit = auditOn
    ? {
        connectionId: requiredString(src, 'azureSubscription', {
          pattern: /^[\w.-]{1,128}$/,
          expected: 'the name or id of an Azure Resource Manager service connection (or set auditWorkspace to false to only scan files)',
        }),
        resourceGroupName: requiredString(src, 'resourceGroupName', NAME_RULES.resourceGroup),
        workspaceName: requiredString(src, 'workspaceName', NAME_RULES.workspace),
        deadlineSeconds: integer(src, 'deadlineSeconds', 300, 5, 3600),
      }
    : undefined;

  let scan: SecurityGateInputs['scan'];
  if (scanOn) {
    const path = filePathInput(src, 'scanPath', paths.baseDir) ?? resolve(paths.baseDir);
    if (!paths.exists(path)) throw new InputError('scanPath', `Input 'scanPath' names '${path}', which does not exist; point it at the folder to scan (default: the sources directory).`);
    const baselineFile = filePathInput(src, 'baselineFile', paths.baseDir);
    if (baselineFile && !paths.exists(baselineFile)) {
      throw new InputError('baselineFile', `Input 'baselineFile' names '${baselineFile}', which does not exist; create it with 'mlops-gates scan <path> --write-baseline <file>' or leave the input empty.`);
    }
    scan = { path, include: globList(src, 'include'), exclude: globList(src, 'exclude'), baselineFile, scanModels: boolean(src, 'scanModels', true) };
  }

  return { audit, scan, ...commonGateInputs(src, paths, 'security-gate.sarif') };
}
