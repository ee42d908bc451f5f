import { boolean, choice, InputError, integer, NAME_RULES, optionalString, requiredString, type InputSource } from '../../pipeline/inputs';
import { filePathInput, type PathContext } from '../commonInputs';

export interface PromoteInputs {
  connectionId: string;
  sourceResourceGroup: string;
  sourceWorkspace: string;
  /** A model version by name and version (or 'latest'), or the model version a job produced. */
  source: { kind: 'model'; modelName: string; modelVersion: string } | { kind: 'job'; jobName: string };
  targetType: 'workspace' | 'registry';
  targetResourceGroup: string;
  targetName: string;
  /** Absent: the source version. */
  targetVersion?: string;
  evidenceBundle: string;
  trustedPublicKeys: string[];
  trustedKeyVaultKeys: string[];
  requiredGates: string[];
  maxEvidenceAgeDays: number;
  /** The stage (alias) to give the target version: a tag key=value; its value is also the version's `stage`. */
  stageTag?: { key: string; value: string };
  /**
   * true (default): every file is read once and its sha256 checked against the evidence. false, the user's
   * explicit choice for storage trusted not to change: names and the model-digest tag are checked, contents not read.
   */
  verifyFileDigests: boolean;
  dryRun: boolean;
  deadlineSeconds: number;
}

const MODEL_NAME = { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/, expected: 'an Azure ML model name: letters, digits, _ . -' };
const VERSION = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function lines(src: InputSource, name: string): string[] {
  return (optionalString(src, name) ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

/** PEM blocks stay whole; other non-empty lines are one base64 key each. */
export function splitPublicKeys(text: string): string[] {
  const keys: string[] = [];
  const pem = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;
  for (const m of text.matchAll(pem)) keys.push(m[0]);
  for (const l of text.replace(pem, '\n').split(/\r?\n/).map((x) => x.trim())) if (l) keys.push(l);
  return keys;
}

const JOB_NAME = { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/, expected: 'an Azure ML job name (letters, digits, _ -)' };

/** modelName (+ modelVersion) or sourceJob, exactly one of them. */
export function parseSource(src: InputSource): PromoteInputs['source'] {
  const job = optionalString(src, 'sourceJob');
  const name = optionalString(src, 'modelName');
  const version = optionalString(src, 'modelVersion');
  if (job !== undefined && name !== undefined) {
    throw new InputError('sourceJob', "Give either 'modelName' (with 'modelVersion') or 'sourceJob', not both: sourceJob promotes the model version that job produced.");
  }
  if (job !== undefined) {
    if (version !== undefined && !/^latest$/i.test(version)) throw new InputError('modelVersion', "Input 'modelVersion' cannot be combined with 'sourceJob': the job decides the version. Clear modelVersion or give modelName instead of sourceJob.");
    requiredString(src, 'sourceJob', JOB_NAME);
    return { kind: 'job', jobName: job };
  }
  if (name === undefined) throw new InputError('modelName', "Give the source: 'modelName' (and 'modelVersion', default latest) or 'sourceJob' (the job whose output model is promoted).");
  const modelVersion = version ?? 'latest';
  if (!/^latest$/i.test(modelVersion) && !VERSION.test(modelVersion)) throw new InputError('modelVersion', `Input 'modelVersion' has the value '${modelVersion}'; use a version or latest.`);
  return { kind: 'model', modelName: requiredString(src, 'modelName', MODEL_NAME), modelVersion: /^latest$/i.test(modelVersion) ? 'latest' : modelVersion };
}

export function parsePromoteInputs(src: InputSource, paths: PathContext): PromoteInputs {
  const source = parseSource(src);
  const targetVersion = optionalString(src, 'targetVersion');
  if (targetVersion !== undefined && !VERSION.test(targetVersion)) throw new InputError('targetVersion', `Input 'targetVersion' has the value '${targetVersion}', which is not a model version.`);
  const evidenceBundle = filePathInput(src, 'evidenceBundle', paths.baseDir);
  if (!evidenceBundle) throw new InputError('evidenceBundle', "Input 'evidenceBundle' is required: the evidence bundle file the gates wrote.");
  const trustedPublicKeys = splitPublicKeys(optionalString(src, 'trustedPublicKeys') ?? '');
  const trustedKeyVaultKeys = lines(src, 'trustedKeyVaultKeys');
  if (!trustedPublicKeys.length && !trustedKeyVaultKeys.length) {
    throw new InputError('trustedPublicKeys', "Give at least one trusted key: 'trustedPublicKeys' (PEM or base64 public keys) or 'trustedKeyVaultKeys' (key URLs).");
  }
  const stage = optionalString(src, 'stageTag');
  let stageTag: PromoteInputs['stageTag'];
  if (stage !== undefined) {
    const m = /^([^=\s]{1,256})=(.{0,256})$/.exec(stage);
    if (!m) throw new InputError('stageTag', `Input 'stageTag' has the value '${stage}'; use key=value, e.g. stage=production.`);
    stageTag = { key: m[1], value: m[2].trim() };
  }
  const requiredGates = lines(src, 'requiredGates');
  return {
    connectionId: requiredString(src, 'azureSubscription'),
    sourceResourceGroup: requiredString(src, 'sourceResourceGroup', NAME_RULES.resourceGroup),
    sourceWorkspace: requiredString(src, 'sourceWorkspace', NAME_RULES.workspace),
    source,
    targetType: choice(src, 'targetType', ['registry', 'workspace'] as const, 'registry'),
    targetResourceGroup: requiredString(src, 'targetResourceGroup', NAME_RULES.resourceGroup),
    targetName: requiredString(src, 'targetName', { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{2,32}$/, expected: 'a workspace or registry name' }),
    ...(targetVersion ? { targetVersion } : {}),
    evidenceBundle,
    trustedPublicKeys,
    trustedKeyVaultKeys,
    requiredGates: requiredGates.length ? requiredGates : ['security-gate'],
    maxEvidenceAgeDays: integer(src, 'maxEvidenceAgeDays', 30, 1, 3650),
    ...(stageTag ? { stageTag } : {}),
    verifyFileDigests: boolean(src, 'verifyFileDigests', true),
    dryRun: boolean(src, 'dryRun', false),
    deadlineSeconds: integer(src, 'deadlineSeconds', 900, 30, 86_400),
  };
}
