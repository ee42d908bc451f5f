/**
 * A gate run's evidence, signed and added to the model version's evidence bundle: the in-toto Statement
 * about the model's files (their digests) carrying the run's evidence record, in a DSSE envelope.
 *
 * The slow parts start with the gate, not after it: the model files are hashed and a Key Vault key is read
 * while the gate audits, and `seal` only waits for them, signs and appends. A sealing that fails makes the
 * gate fail closed (`sealOrFail`): evidence that was asked for and cannot be sealed never passes in silence.
 */
import type { TokenCredential } from '@azure/core-auth';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, type AzureRmConnection } from '../azure/cloud';
import { workspaceId, type WorkspaceRef } from '../azure/inventory';
import { addEnvelope, describeModel, emptyBundle, envelopeDigest, readBundle, sameModel, writeBundle, type EvidenceBundle } from '../evidence/bundle';
import { digestModel, type FileDigest } from '../evidence/digests';
import type { Signer } from '../evidence/keys';
import { sealEvidence } from '../evidence/seal';
import { modelDigest, type Lineage, type ModelRef } from '../evidence/statement';
import type { GateHost } from '../pipeline/host';
import type { EvidenceRecord } from '../report/evidence';
import type { PolicyOutcome } from '../rules/policy';
import { escapeMarkdown } from '../report/markdownEscape';
import type { RunContext } from './securityGate/run';
import type { EvidenceInputs } from './evidenceInputs';
import { evidenceKeyVaultSigner, keyVaultDomainOf, keyVaultDomains, type KeyVaultConnectionData } from './evidenceKeyVault';

export interface SealResult {
  bundlePath: string;
  model: ModelRef;
  /** SHA-256 of the sorted file digest list: the `mlops-gates.model-digest` tag. */
  modelDigest: string;
  files: number;
  bytes: number;
  /** SHA-256 of the new envelope's canonical JSON: the `mlops-gates.<gate>.envelope` tag. */
  envelopeDigest: string;
  keyid: string;
  algorithm: string;
  /** Envelopes in the bundle after this one was added (this run's is the last). */
  envelopes: number;
}

export interface EvidenceSealer {
  /** The evidence inputs as the record lists them. */
  readonly inputs: EvidenceInputs;
  seal(evidence: EvidenceRecord): Promise<SealResult>;
}

export interface SealingSetup {
  /** The workspace that holds the model version: its ARM id is the model's `assetId`. */
  workspace: WorkspaceRef;
  /** The gate's connection; a Key Vault key signs with its credential. */
  azure?: { connection: AzureRmConnection; credential: TokenCredential };
  /** What the connection records about its cloud's Key Vault (agent only). */
  keyVaultData?: KeyVaultConnectionData;
  /** Commit, repository and run of the pipeline: the statement's lineage. */
  context: RunContext;
}

/** The model version's ARM id in its workspace, the same string for every gate that names it. */
export function modelAssetId(workspace: WorkspaceRef, name: string, version: string): string {
  return `${workspaceId(workspace)}/models/${name}/versions/${version}`;
}

/** One line, bounded: SDK errors can carry response bodies and stack-like detail. */
function reason(err: unknown): string {
  const e = err as { message?: string; statusCode?: number; code?: string };
  const text = String(e?.message ?? err).split(/\r?\n/)[0].trim().slice(0, 400);
  const status = typeof e?.statusCode === 'number' && !text.includes(String(e.statusCode)) ? ` (HTTP ${e.statusCode}${e.code ? ` ${e.code}` : ''})` : '';
  return `${text}${status}`;
}

/** A promise whose rejection waits for its reader instead of counting as unhandled meanwhile. */
function held<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * Starts hashing the model files and, for a Key Vault key, reading the key; returns the sealer the gate
 * calls once its evidence record exists. Throws a ConfigError at once, before the gate runs, for a Key
 * Vault key without a connection or outside the connection's cloud.
 */
export function startSealing(inputs: EvidenceInputs, setup: SealingSetup): EvidenceSealer {
  const model: ModelRef = { name: inputs.modelName, version: inputs.modelVersion, assetId: modelAssetId(setup.workspace, inputs.modelName, inputs.modelVersion) };
  const lineage: Lineage = {
    commit: setup.context.commit,
    repository: setup.context.repository,
    pipelineRunUrl: setup.context.runUrl,
    trainingJobId: inputs.trainingJobId,
    dataAssets: inputs.dataAssets,
  };
  let signer: Promise<Signer>;
  if (inputs.key.kind === 'ed25519') {
    signer = Promise.resolve(inputs.key.signer);
  } else {
    if (!setup.azure) throw new ConfigError("Input 'keyVaultKeyId': a Key Vault key signs with the 'azureSubscription' service connection; set it.", 'keyVaultKeyId');
    const keyId = inputs.key.keyId;
    // Before the gate runs: a key outside the connection's cloud is a setting to fix, not a failed run.
    const domain = keyVaultDomainOf(keyId, keyVaultDomains(setup.azure.connection, setup.keyVaultData));
    signer = held(
      evidenceKeyVaultSigner(keyId, setup.azure.credential, domain).catch((e: unknown) => {
        throw new Error(`the Key Vault key ${keyId} cannot sign: ${reason(e)}`);
      }),
    );
  }
  const files = held(
    digestModel(inputs.modelPath).catch((e: unknown) => {
      throw new Error(`the model files at ${inputs.modelPath} cannot be hashed: ${reason(e)}`);
    }),
  );

  return {
    inputs,
    async seal(evidence) {
      const [digests, key] = await Promise.all([files, signer]);
      const envelope = await sealEvidence({ files: digests, evidence, model, lineage, signers: [key] }).catch((e: unknown) => {
        throw new Error(`signing with ${key.keyid} failed: ${reason(e)}`);
      });
      const bundle = addEnvelope(await loadBundle(inputs.bundlePath, model), envelope);
      await mkdir(dirname(inputs.bundlePath), { recursive: true });
      await writeBundle(inputs.bundlePath, bundle).catch((e: unknown) => {
        throw new Error(`the bundle cannot be written to ${inputs.bundlePath}: ${reason(e)}`);
      });
      return {
        bundlePath: inputs.bundlePath,
        model,
        modelDigest: modelDigest(digests),
        files: digests.length,
        bytes: totalBytes(digests),
        envelopeDigest: envelopeDigest(envelope),
        keyid: key.keyid,
        algorithm: key.algorithm,
        envelopes: bundle.envelopes.length,
      };
    },
  };
}

function totalBytes(files: readonly FileDigest[]): number {
  return files.reduce((n, f) => n + f.size, 0);
}

/** The bundle to append to: the file as it is, or a new one. One about another model version is refused. */
async function loadBundle(path: string, model: ModelRef): Promise<EvidenceBundle> {
  let bundle: EvidenceBundle;
  try {
    bundle = await readBundle(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyBundle(model);
    throw new Error(`the bundle at ${path} cannot be appended to: ${reason(e)}`);
  }
  if (!sameModel(bundle.model, model)) {
    throw new Error(`the bundle at ${path} is about ${describeModel(bundle.model)}, this run about ${describeModel(model)}; give each model version its own bundle (input 'evidenceBundle')`);
  }
  return bundle;
}

/** Seals, turning any failure into the one-line reason the gate fails closed with; says in the log where it went. */
export async function sealOrFail(sealer: EvidenceSealer, evidence: EvidenceRecord, host: Pick<GateHost, 'info'>): Promise<{ sealed?: SealResult; error?: string }> {
  try {
    const r = await sealer.seal(evidence);
    host.info(`Signed evidence about model ${r.model.name}:${r.model.version} (${r.files} file${r.files === 1 ? '' : 's'}, model digest ${r.modelDigest}): envelope ${r.envelopes} of ${r.bundlePath}, key ${r.keyid}.`);
    return { sealed: r };
  } catch (e) {
    return { error: `The evidence could not be sealed, so the gate fails closed: ${reason(e)}.`.replace(/\.\.$/, '.') };
  }
}

/**
 * Seals the record a gate built for its verdict. If sealing fails, the gate fails closed: the outcome turns failed
 * and the record is built again, saying why (the gate's own error first). `failure` is every reason, for the summary.
 */
export async function sealJudged(
  sealer: EvidenceSealer | undefined,
  outcome: PolicyOutcome,
  gateError: string | undefined,
  build: (o: PolicyOutcome, error: string | undefined) => EvidenceRecord,
  host: Pick<GateHost, 'info'>,
): Promise<{ outcome: PolicyOutcome; evidence: EvidenceRecord; sealed?: SealResult; sealError?: string; failure?: string }> {
  const evidence = build(outcome, gateError);
  const { sealed, error: sealError } = sealer ? await sealOrFail(sealer, evidence, host) : {};
  const failure = [gateError, sealError].filter(Boolean).join(' ') || undefined;
  if (!sealError) return { outcome, evidence, sealed, failure };
  const failed: PolicyOutcome = { ...outcome, verdict: 'failed' };
  return { outcome: failed, evidence: build(failed, failure), sealError, failure };
}

/** The summary section: where the signed evidence went and what it is about. */
export function sealSection(r: SealResult): { title: string; lines: string[] } {
  const mib = (r.bytes / 1024 / 1024).toFixed(r.bytes < 10 * 1024 * 1024 ? 2 : 0);
  return {
    title: 'Signed evidence',
    lines: [
      `Model ${escapeMarkdown(r.model.name)} version ${escapeMarkdown(r.model.version)}: ${r.files} file${r.files === 1 ? '' : 's'} (${mib} MiB), model digest \`${r.modelDigest}\`.`,
      '',
      `Envelope ${r.envelopes} of the bundle \`${escapeMarkdown(r.bundlePath)}\`, signed ${r.algorithm} by key \`${escapeMarkdown(r.keyid)}\`; envelope digest \`${r.envelopeDigest}\`.`,
    ],
  };
}

/** Output variables and the attachment later steps (promotion, tags, verification) read. */
export function publishSealOutputs(host: GateHost, gate: string, r: SealResult): void {
  host.setOutput('evidenceBundlePath', r.bundlePath);
  host.setOutput('modelDigest', r.modelDigest);
  host.setOutput('envelopeDigest', r.envelopeDigest);
  host.addAttachment('mlops-gates.evidence-bundle', `${gate}.evidence.bundle.json`, r.bundlePath);
}
