/**
 * ModelRegistryPromote's I/O: read the source version and digest its files by streaming, verify the bundle,
 * read the target, plan (plan.ts), then write. Nothing is written before the plan says so.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { TokenCredential } from '@azure/core-auth';
import { createMlClient } from '../../azure/armClient';
import { ArmReader } from '../../azure/armReader';
import { ArmWriter } from '../../azure/armWriter';
import { BlobTransfer, folderOf, folderUrl, type BlobFolder } from '../../azure/blobTransfer';
import type { AzureRmConnection } from '../../azure/cloud';
import { CollectionError } from '../../azure/errors';
import { BundleError, parseBundle, serializeBundle, type EvidenceBundle } from '../../evidence/bundle';
import { ed25519Verifier, type Verifier } from '../../evidence/keys';
import { keyVaultLocalVerifier } from '../../evidence/keyVault';
import { modelDigest } from '../../evidence/statement';
import { BUNDLE_TAG } from '../../evidence/tags';
import { verifyBundle } from '../../evidence/verify';
import type { GateHost } from '../../pipeline/host';
import { PRODUCT } from '../product';
import type { RunContext } from '../securityGate/run';
import type { PromoteInputs } from './inputs';
import { describeTarget, EVIDENCE_BUNDLE, planPromotion, type Plan, type PromoteAction, type SourceFacts, type TargetFacts } from './plan';

export const GATE_NAME = 'ModelRegistryPromote';
const MODELS_API = '2023-04-01';
const DATASTORE_API = '2022-10-01';
export const BUNDLE_FILE = 'evidence.bundle.json';
/** Test and private-cloud override of blob endpoints: `https://host[:port]/path/{account}`. */
export const BLOB_ENDPOINT_ENV = 'MLOPS_GATES_BLOB_ENDPOINT';

export interface PromoteDeps {
  host: GateHost;
  azure: { connection: AzureRmConnection; credential: TokenCredential };
  context: RunContext;
  now?: () => Date;
  env?: NodeJS.ProcessEnv;
}

export interface PromoteResult {
  verdict: 'passed' | 'failed';
  message: string;
  action?: PromoteAction;
  targetModelId?: string;
  plan?: Plan;
}

const rgBase = (sub: string, rg: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices`;

export async function runPromote(inputs: PromoteInputs, deps: PromoteDeps): Promise<PromoteResult> {
  const { host } = deps;
  const { connection, credential } = deps.azure;
  const sub = connection.subscriptionId;
  const signal = AbortSignal.timeout(inputs.deadlineSeconds * 1000);
  const { client } = createMlClient(connection, credential, `${PRODUCT.userAgent} ${GATE_NAME}`);
  const reader = new ArmReader(client, connection.managementUrl, { signal, maxPages: 100, deadlineSeconds: inputs.deadlineSeconds });
  const writer = new ArmWriter(client, connection.managementUrl, reader, signal);
  const blobs = new BlobTransfer(client, credential, signal);
  const fail = (message: string): PromoteResult => ({ verdict: 'failed', message });

  try {
    if (inputs.targetType === 'workspace') return fail('targetType workspace (a streamed copy between workspaces) is not supported in this version; promote to a registry');

    // 1. The source version and its files, digested by streaming (nothing kept).
    const wsBase = `${rgBase(sub, inputs.sourceResourceGroup)}/workspaces/${inputs.sourceWorkspace}`;
    let version = inputs.modelVersion;
    if (version === 'latest') {
      const container = await reader.get(`${wsBase}/models/${inputs.modelName}`, MODELS_API, `model ${inputs.modelName}`);
      version = String((container?.properties as Record<string, unknown> | undefined)?.latestVersion ?? '');
      if (!version) return fail(`model ${inputs.modelName} in workspace ${inputs.sourceWorkspace} has no versions`);
    }
    const assetId = `${wsBase}/models/${inputs.modelName}/versions/${version}`;
    const sourceVersion = await reader.get(assetId, MODELS_API, `model version ${inputs.modelName}:${version}`);
    const sp = (sourceVersion?.properties ?? {}) as Record<string, any>;
    const folder = await sourceFolder(reader, String(sp.modelUri ?? ''), wsBase, deps.env ?? process.env);
    host.info(`Digesting the files of ${inputs.modelName}:${version} (${folderUrl(folder)}) by streaming.`);
    const files = await blobs.digestFolder(folder, `files of ${inputs.modelName}:${version}`);
    if (!files.length) return fail(`model version ${inputs.modelName}:${version} has no files under ${folderUrl(folder)}`);
    const digest = modelDigest(files);
    host.info(`${files.length} file(s), model digest ${digest}.`);

    // 2. The evidence.
    const bundleText = await readFile(inputs.evidenceBundle).catch((e: NodeJS.ErrnoException) => {
      throw new BundleError(`cannot read the evidence bundle ${inputs.evidenceBundle}: ${e.code ?? e.message}`);
    });
    let bundle: EvidenceBundle | undefined;
    try {
      bundle = parseBundle(bundleText);
    } catch (e) {
      if (!(e instanceof BundleError)) throw e;
    }
    const trusted = await trustedVerifiers(inputs, credential);
    const verification = await verifyBundle(bundleText, {
      files: files.map(({ name, sha256, size }) => ({ name, sha256, size })),
      trustedKeys: trusted,
      requiredGates: inputs.requiredGates,
      maxAgeDays: inputs.maxEvidenceAgeDays,
      now: (deps.now ?? (() => new Date()))(),
    });

    // 3. The target.
    const targetVersion = inputs.targetVersion ?? version;
    const regId = `${rgBase(sub, inputs.targetResourceGroup)}/registries/${inputs.targetName}`;
    const registry = await reader.get(regId, MODELS_API, `registry ${inputs.targetName}`, true);
    if (!registry) return fail(`registry ${inputs.targetName} was not found in resource group ${inputs.targetResourceGroup}`);
    const targetId = `${regId}/models/${inputs.modelName}/versions/${targetVersion}`;
    const existing = await reader.get(targetId, MODELS_API, `registry model version ${inputs.modelName}:${targetVersion}`, true);
    const ep = (existing?.properties ?? {}) as Record<string, any>;

    const source: SourceFacts = {
      subscriptionId: sub, resourceGroup: inputs.sourceResourceGroup, workspace: inputs.sourceWorkspace, name: inputs.modelName, version, assetId, digest,
      fileCount: files.length, ...(sp.jobName ? { jobName: String(sp.jobName) } : {}), tags: stringMap(sp.tags),
    };
    const target: TargetFacts = {
      kind: 'registry', name: inputs.targetName, model: inputs.modelName, version: targetVersion,
      ...(existing ? { existing: { modelUri: ep.modelUri, tags: stringMap(ep.tags) } } : {}),
    };
    const plan = planPromotion({
      source, target, verification,
      bundleModel: bundle?.model ?? { name: inputs.modelName, version, assetId },
      ...(inputs.stageTag ? { stageTag: inputs.stageTag } : {}),
      promotion: { by: connection.clientId ?? connection.name ?? connection.id, at: new Date().toISOString(), ...(deps.context.runUrl ? { runUrl: deps.context.runUrl } : {}) },
    });
    const dst = describeTarget(target);
    if (plan.kind === 'refuse') {
      for (const r of plan.reasons) host.info(`  refused: ${r}`);
      return { verdict: 'failed', plan, message: `Not promoted, nothing written: ${plan.reasons[0]}${plan.reasons.length > 1 ? ` (and ${plan.reasons.length - 1} more)` : ''}` };
    }
    if (plan.kind === 'noop') return { verdict: 'passed', plan, action: 'already-present', targetModelId: targetId, message: plan.message };
    host.info(`${inputs.dryRun ? 'Would change' : 'Changes'} in ${dst}:`);
    for (const c of plan.changes) host.info(`  ${c}`);
    if (inputs.dryRun) return { verdict: 'passed', plan, action: 'dry-run', targetModelId: targetId, message: `Dry run: ${dst} would be created (${plan.changes.length} changes listed); nothing written` };

    // 4. Writes: the bundle next to the model (a pending upload folder of the registry), then the version.
    const uploadId = uuidOf(`${targetId}\n${digest}`);
    const pending = (await writer.post(`${regId}/models/${inputs.modelName}/versions/${targetVersion}/startPendingUpload`, MODELS_API,
      { pendingUploadId: uploadId, pendingUploadType: 'TemporaryBlobReference' }, `upload folder for ${dst}`)) as any;
    const ref = pending?.blobReferenceForConsumption;
    const sas = String(ref?.credential?.sasUri ?? '');
    const blobUri = String(ref?.blobUri ?? '');
    if (!blobUri || !sas.includes('?')) throw new CollectionError(`upload folder for ${dst}`, targetId, 'the answer has no blobUri and SAS');
    const up: BlobFolder = folderOf(blobUri.replace(/\/+$/, ''), '', sas.slice(sas.indexOf('?') + 1));
    const bytes = Buffer.from(serializeBundle(bundle!));
    const bundleUrl = await blobs.put(up, BUNDLE_FILE, bytes, bytes.length, `evidence bundle for ${dst}`);
    host.info(`Uploaded the evidence bundle to ${bundleUrl}.`);
    const tags = { ...plan.tags, [BUNDLE_TAG]: bundleUrl };
    const body = {
      properties: {
        modelUri: plan.modelUri,
        ...(sp.modelType ? { modelType: sp.modelType } : {}),
        ...(sp.description ? { description: sp.description } : {}),
        ...(sp.flavors ? { flavors: sp.flavors } : {}),
        ...(sp.jobName ? { jobName: sp.jobName } : {}),
        tags,
        properties: { ...stringMap(sp.properties), ...plan.properties, [EVIDENCE_BUNDLE]: bundleUrl },
      },
    };
    try {
      await writer.put(targetId, MODELS_API, body, `registry model version ${dst}`);
    } catch (e) {
      const why = e instanceof CollectionError ? e.reason : (e as Error).message;
      return { verdict: 'failed', plan, message: `Promotion incomplete: the evidence bundle is uploaded at ${bundleUrl}, but ${dst} was not created (${why}); nothing else exists. Re-run to complete the promotion.` };
    }
    return { verdict: 'passed', plan, action: plan.action, targetModelId: targetId, message: `Promoted ${inputs.modelName}:${version} to ${dst} (${plan.action}), model digest ${digest}` };
  } catch (e) {
    if (e instanceof CollectionError) return fail(`Not promoted: ${e.what}: ${e.reason}`);
    if (e instanceof BundleError) return fail(`Not promoted: ${e.message}`);
    throw e;
  }
}

async function trustedVerifiers(inputs: PromoteInputs, credential: TokenCredential): Promise<Verifier[]> {
  const out: Verifier[] = inputs.trustedPublicKeys.map((k) => ed25519Verifier(k));
  for (const keyId of inputs.trustedKeyVaultKeys) out.push(await keyVaultLocalVerifier({ keyId, credential } as Parameters<typeof keyVaultLocalVerifier>[0]));
  return out;
}

/** The blob folder a workspace model version's datastore path names. */
async function sourceFolder(reader: ArmReader, modelUri: string, wsBase: string, env: NodeJS.ProcessEnv): Promise<BlobFolder> {
  const m = /^azureml:\/\/(?:subscriptions\/[^/]+\/resourcegroups\/[^/]+\/(?:providers\/microsoft\.machinelearningservices\/)?workspaces\/[^/]+\/)?datastores\/([^/]+)\/paths\/(.*)$/i.exec(modelUri);
  if (!m) throw new CollectionError('model files', modelUri || '(none)', 'the version\'s modelUri is not a datastore path (azureml://…/datastores/<name>/paths/<folder>)');
  const ds = await reader.get(`${wsBase}/datastores/${m[1]}`, DATASTORE_API, `datastore ${m[1]}`);
  const p = (ds?.properties ?? {}) as Record<string, any>;
  if (p.datastoreType !== 'AzureBlob' || !p.accountName || !p.containerName) throw new CollectionError(`datastore ${m[1]}`, String(ds?.id), 'only Azure Blob datastores are supported');
  const template = env[BLOB_ENDPOINT_ENV];
  const account = String(p.accountName);
  const endpoint = template ? template.replace('{account}', account) : `https://${account}.blob.${p.endpoint ?? 'core.windows.net'}`;
  return folderOf(`${endpoint.replace(/\/+$/, '')}/${p.containerName}`, decodeURIComponent(m[2]));
}

function stringMap(x: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** A stable GUID-shaped id, so a re-run gets the same pending upload folder. */
function uuidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
