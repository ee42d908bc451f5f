/**
 * The evidence inputs of every gate task (group "evidence"): which model files the run's evidence is sealed
 * about, which model version they are, where its bundle lives and which key signs. Pure over an InputSource,
 * except that the signing key is handed to `mask` the moment it is read, before anything can fail or log.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ed25519SignerFromSecret, KeyError, type Ed25519Signer } from '../evidence/keys';
import { InputError, NAME_RULES, optionalString, requiredString, type InputSource } from '../pipeline/inputs';
import { filePathInput, type PathContext } from './commonInputs';

/** The inputs of the group, in task.json order. Names are a contract with users' YAML: never rename one. */
export const EVIDENCE_INPUT_NAMES = ['modelPath', 'modelName', 'modelVersion', 'evidenceBundle', 'signingKey', 'keyVaultKeyId', 'trainingJobId', 'dataAssets'] as const;

/** The one secret input; the CLI takes it from the environment, never from a flag. */
export const SIGNING_KEY_INPUT = 'signingKey';

export type EvidenceKey = { kind: 'ed25519'; signer: Ed25519Signer } | { kind: 'keyVault'; keyId: string };

export interface EvidenceInputs {
  /** Absolute path of the model file or folder whose files are the statement's subjects. */
  modelPath: string;
  modelName: string;
  modelVersion: string;
  /** Absolute path of the bundle file: read if it exists, appended to, written back. */
  bundlePath: string;
  /** The signer itself for an Ed25519 secret, so the secret text goes no further than this parser. */
  key: EvidenceKey;
  trainingJobId?: string;
  dataAssets: string[];
}

const ASSET_NAME = { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, expected: 'an Azure Machine Learning model name: up to 255 letters, digits, hyphens, underscores or periods, starting with a letter or digit' };
const ASSET_VERSION = { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, expected: 'a model version such as 3 or $(Build.BuildId): letters, digits, hyphens, underscores or periods' };
/** A job name or id, a data asset reference (azureml:name:version, azureml://…, an ARM id): one token, no spaces. */
const REFERENCE = /^[^\s,]{1,1024}$/;
/** `https://<vault host>[:port]/keys/<name>[/<version>]`, as Key Vault shows a key's identifier. */
const KEY_ID = /^https:\/\/[^/?#\s]+\/keys\/[0-9A-Za-z-]{1,127}(\/[0-9A-Za-z]{1,64})?\/?$/;

/** A macro the agent could not expand stays as its text: `$(signingKey)` means the variable does not exist. */
function unexpanded(value: string | undefined): string | undefined {
  return value === undefined ? undefined : /^\$\(([^()\s]+)\)$/.exec(value.trim())?.[1];
}

/**
 * Masks an Ed25519 secret in every shape a log line could hold it: the whole value, and each line or
 * space-separated piece of a PEM (pipeline variables turn newlines into spaces or literal `\n`). The
 * BEGIN/END lines are public text and short pieces would mask ordinary words, so both are left alone.
 */
export function maskSigningKey(secret: string, mask: (value: string) => void): void {
  const text = secret.trim();
  if (!text) return;
  if (!/[\r\n]/.test(text)) mask(text);
  for (const piece of text.split(/\\[nr]|\s+/)) if (piece.length >= 16 && !piece.includes('-----')) mask(piece);
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

export interface EvidenceParseOptions {
  /** Registers a secret with the log masker. */
  mask(value: string): void;
}

/**
 * The evidence inputs, or undefined when `modelPath` is empty (no sealing). Any other evidence input given
 * without `modelPath` is an error: the user asked for sealing, and a gate must not pass unsealed in silence.
 */
export function parseEvidenceInputs(src: InputSource, paths: PathContext, opts: EvidenceParseOptions): EvidenceInputs | undefined {
  const rawKey = src(SIGNING_KEY_INPUT);
  if (rawKey) maskSigningKey(rawKey, opts.mask);
  for (const name of EVIDENCE_INPUT_NAMES) {
    const variable = unexpanded(src(name));
    if (variable) {
      throw new InputError(name, `Input '${name}' is the unexpanded text '$(${variable})': the pipeline has no variable '${variable}'. Define it${name === SIGNING_KEY_INPUT ? ' as a secret variable' : ''}, or leave the input empty.`);
    }
  }

  const modelPath = filePathInput(src, 'modelPath', paths.baseDir);
  if (!modelPath) {
    const given = EVIDENCE_INPUT_NAMES.filter((n) => n !== 'modelPath' && n !== 'evidenceBundle' && optionalString(src, n) !== undefined);
    if (given.length) {
      throw new InputError('modelPath', `Input 'modelPath' is empty, so no evidence would be sealed, yet ${given.map((n) => `'${n}'`).join(', ')} ${given.length === 1 ? 'is' : 'are'} set. Set 'modelPath' to the model file or folder, or clear the evidence inputs.`);
    }
    return undefined;
  }
  if (!paths.exists(modelPath)) {
    throw new InputError('modelPath', `Input 'modelPath' names '${modelPath}', which does not exist; point it at the model file or folder whose evidence is sealed.`);
  }
  const modelName = requiredString(src, 'modelName', ASSET_NAME);
  const modelVersion = requiredString(src, 'modelVersion', ASSET_VERSION);

  const bundlePath = filePathInput(src, 'evidenceBundle', paths.baseDir) ?? resolve(paths.outputDir, 'mlops-gates', 'evidence.bundle.json');
  if (isInside(modelPath, bundlePath)) {
    throw new InputError('evidenceBundle', `Input 'evidenceBundle' names '${bundlePath}', inside the model at '${modelPath}': the bundle would change the files it is about. Keep it outside the model folder.`);
  }

  const keyText = optionalString(src, SIGNING_KEY_INPUT);
  const keyId = optionalString(src, 'keyVaultKeyId');
  if (Boolean(keyText) === Boolean(keyId)) {
    throw new InputError(keyText ? 'keyVaultKeyId' : SIGNING_KEY_INPUT, keyText
      ? "Both a signing key ('signingKey') and a Key Vault key ('keyVaultKeyId') are set; evidence is signed with exactly one key: clear one of them."
      : "Input 'modelPath' is set, so the evidence must be signed: set 'signingKey' (a secret variable holding an Ed25519 private key) or 'keyVaultKeyId' (a Key Vault key URL).");
  }
  let key: EvidenceKey;
  if (keyText) {
    try {
      key = { kind: 'ed25519', signer: ed25519SignerFromSecret(keyText) };
    } catch (e) {
      // KeyError messages describe the shape of the secret, never its text.
      if (e instanceof KeyError) throw new InputError(SIGNING_KEY_INPUT, `Input 'signingKey' is not a usable key: ${e.message}.`);
      throw e;
    }
  } else {
    if (!KEY_ID.test(keyId!)) {
      throw new InputError('keyVaultKeyId', `Input 'keyVaultKeyId' has the value '${keyId}'; expected a Key Vault key identifier such as https://<vault>.vault.azure.net/keys/<name> (optionally /<version>).`);
    }
    key = { kind: 'keyVault', keyId: keyId!.replace(/\/$/, '') };
  }

  const trainingJobId = optionalString(src, 'trainingJobId');
  if (trainingJobId !== undefined && !REFERENCE.test(trainingJobId)) {
    throw new InputError('trainingJobId', `Input 'trainingJobId' has the value '${trainingJobId}'; expected one Azure ML job name or id, without spaces.`);
  }
  const dataAssets = (optionalString(src, 'dataAssets') ?? '').split(/[\r\n,]+/).map((s) => s.trim()).filter((s) => s && !s.startsWith('#'));
  for (const d of dataAssets) {
    if (!REFERENCE.test(d)) throw new InputError('dataAssets', `Input 'dataAssets' has the entry '${d}'; expected one data asset per line (azureml:<name>:<version>, azureml://… or an ARM id).`);
  }
  return { modelPath, modelName, modelVersion, bundlePath, key, trainingJobId, dataAssets: [...new Set(dataAssets)] };
}

/** Refuses gate outputs inside the model folder: the next gate would digest other files than this one. */
export function checkOutputsOutsideModel(inputs: EvidenceInputs, outputs: ReadonlyArray<{ input: string; path: string }>): void {
  for (const o of outputs) {
    if (isInside(inputs.modelPath, o.path)) {
      throw new InputError(o.input, `Input '${o.input}' names '${o.path}', inside the model at '${inputs.modelPath}': the gate's outputs would change the files its evidence is about. Write them outside the model folder.`);
    }
  }
}

/**
 * Where the model version lives when the gate itself reads no workspace (SecurityGate with the audit off):
 * the connection gives the subscription, the two names the rest of the model version's ARM id.
 */
export function sealWorkspaceInputs(src: InputSource): { connectionId: string; resourceGroupName: string; workspaceName: string } {
  const why = 'the workspace that holds the model version names it in the sealed evidence';
  return {
    connectionId: requiredString(src, 'azureSubscription', { pattern: /^[\w.-]{1,128}$/, expected: `the name or id of an Azure Resource Manager service connection (${why})` }),
    resourceGroupName: requiredString(src, 'resourceGroupName', { ...NAME_RULES.resourceGroup, expected: `${NAME_RULES.resourceGroup.expected} (${why})` }),
    workspaceName: requiredString(src, 'workspaceName', { ...NAME_RULES.workspace, expected: `${NAME_RULES.workspace.expected} (${why})` }),
  };
}

/** The evidence inputs as the evidence record lists them: everything but the key's secret. */
export function evidenceRecordInputs(inputs: EvidenceInputs | undefined): Record<string, string | string[] | undefined> {
  if (!inputs) return {};
  return {
    modelPath: inputs.modelPath,
    modelName: inputs.modelName,
    modelVersion: inputs.modelVersion,
    evidenceBundle: inputs.bundlePath,
    keyVaultKeyId: inputs.key.kind === 'keyVault' ? inputs.key.keyId : undefined,
    signingKeyId: inputs.key.kind === 'ed25519' ? inputs.key.signer.keyid : undefined,
    trainingJobId: inputs.trainingJobId,
    dataAssets: inputs.dataAssets.length ? inputs.dataAssets : undefined,
  };
}
