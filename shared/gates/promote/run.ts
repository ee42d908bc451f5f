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
import { BlobTransfer, folderOf, folderUrl, type BlobFile, type BlobFolder, type CopyMode } from '../../azure/blobTransfer';
import type { AzureRmConnection } from '../../azure/cloud';
import { CollectionError } from '../../azure/errors';
import { BundleError, parseBundle, serializeBundle, type EvidenceBundle } from '../../evidence/bundle';
import type { FileDigest } from '../../evidence/digests';
import { ed25519Verifier, type Verifier } from '../../evidence/keys';
import { trustedKeyVaultVerifier, type KeyVaultConnectionData } from '../evidenceKeyVault';
import { modelDigest } from '../../evidence/statement';
import { BUNDLE_TAG, MODEL_DIGEST_TAG } from '../../evidence/tags';
import { verifyBundle, type VerifyFailure, type VerifyResult } from '../../evidence/verify';
import type { GateHost } from '../../pipeline/host';
import { PRODUCT } from '../product';
import type { RunContext } from '../securityGate/run';
import type { PromoteInputs } from './inputs';
import { claimedFiles, type ClaimedFiles, type ListedFile } from './claimed';
import { describeTarget, EVIDENCE_BUNDLE, planPromotion, type FileDigests, type Plan, type PromoteAction, type SourceFacts, type TargetFacts, type Verification } from './plan';
import { datastoreFolder, listFolder, MODELS_API, resolveSource, sourceFolder } from './source';

export const GATE_NAME = 'ModelRegistryPromote';
export const BUNDLE_FILE = 'evidence.bundle.json';
/** The target workspace's datastore and folder that promoted copies go to: `promoted/<model>/<version>/model/`. */
export const TARGET_DATASTORE = 'workspaceblobstore';

export interface PromoteDeps {
  host: GateHost;
  /** keyVaultData: where the connection's cloud serves Key Vault (trusted Key Vault keys are read only there). */
  azure: { connection: AzureRmConnection; credential: TokenCredential; keyVaultData?: KeyVaultConnectionData };
  context: RunContext;
  now?: () => Date;
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
    // 1. The source version and the bundle (read first: it is local, and a missing one should not cost a 2 GB read).
    const wsBase = `${rgBase(sub, inputs.sourceResourceGroup)}/workspaces/${inputs.sourceWorkspace}`;
    const src = await resolveSource(reader, wsBase, inputs.sourceWorkspace, inputs.source);
    const { name, version, assetId, props: sp } = src;
    if (inputs.source.kind === 'job') host.info(`Job ${inputs.source.jobName} produced ${name}:${version}.`);
    const folder = await sourceFolder(reader, String(sp.modelUri ?? ''), wsBase);
    const bundleText = await readFile(inputs.evidenceBundle, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new BundleError(`the evidence bundle ${inputs.evidenceBundle} cannot be read: ${e.code ?? e.message}`);
    });
    let bundle: EvidenceBundle | undefined;
    try {
      bundle = parseBundle(bundleText);
    } catch (e) {
      if (!(e instanceof BundleError)) throw e;
    }

    // 2. The files: digested by streaming (nothing kept), or, when the user turned verifyFileDigests off, listed
    //    (names, sizes) and taken as the evidence signed them; then the bundle is verified against them.
    const fileDigests: FileDigests = inputs.verifyFileDigests ? 'verified' : 'not-read';
    const what = `files of ${name}:${version}`;
    let files: BlobFile[];
    let checked: SourceFiles;
    if (fileDigests === 'verified') {
      host.info(`Digesting the files of ${name}:${version} (${folderUrl(folder)}) by streaming.`);
      files = await blobs.digestFolder(folder, what);
      if (!files.length) return fail(`model version ${name}:${version} has no files under ${folderUrl(folder)}`);
      checked = { files, evidenceFiles: files, failures: [], compared: true };
    } else {
      host.warning(
        `verifyFileDigests is false: the files of ${name}:${version} are not read. The signed evidence, the required gates, the version's ${MODEL_DIGEST_TAG} tag ` +
          'and the file names are checked; file contents and sizes are not (the evidence holds no sizes). Use this only for storage that cannot change after the gates ran.',
      );
      const listed = await listFolder(blobs, folder, what);
      if (!listed.length) return fail(`model version ${name}:${version} has no files under ${folderUrl(folder)}`);
      for (const f of listed) host.info(`  ${f.name}: ${f.size} bytes (blob properties; contents not read)`);
      checked = notReadFiles(listed, claimedFiles(listed, stringMap(sp.tags), bundle, `${name}:${version} in workspace ${inputs.sourceWorkspace}`));
      files = checked.files;
    }
    const trusted = await trustedVerifiers(inputs, deps.azure);
    const verified = await verifyBundle(bundleText, {
      files: checked.evidenceFiles.map(({ name: n, sha256, size }) => ({ name: n, sha256, size })),
      trustedKeys: trusted,
      requiredGates: inputs.requiredGates,
      maxAgeDays: inputs.maxEvidenceAgeDays,
      now: (deps.now ?? (() => new Date()))(),
    });
    const verification = withFileChecks(verified, checked);
    const digest = checked.digest ?? (fileDigests === 'verified' ? modelDigest(files) : `unknown (no ${MODEL_DIGEST_TAG} tag)`);
    if (fileDigests === 'verified') host.info(`${files.length} file(s), model digest ${digest}.`);
    else if (!checked.failures.length) host.info(`${files.length} file(s), named as the evidence signed them; model digest ${digest}, as the version's ${MODEL_DIGEST_TAG} tag says (contents not read).`);

    // 3. The target: a registry, or a workspace and the datastore folder the copy goes to.
    const targetVersion = inputs.targetVersion ?? version;
    const toRegistry = inputs.targetType === 'registry';
    const ownerId = `${rgBase(sub, inputs.targetResourceGroup)}/${toRegistry ? 'registries' : 'workspaces'}/${inputs.targetName}`;
    const owner = await reader.get(ownerId, MODELS_API, `${inputs.targetType} ${inputs.targetName}`, true);
    if (!owner) return fail(`${inputs.targetType} ${inputs.targetName} was not found in resource group ${inputs.targetResourceGroup}`);
    const targetId = `${ownerId}/models/${name}/versions/${targetVersion}`;
    const existing = await reader.get(targetId, MODELS_API, `${inputs.targetType} model version ${name}:${targetVersion}`, true);
    const ep = (existing?.properties ?? {}) as Record<string, any>;
    const copyPath = `promoted/${name}/${targetVersion}/`;
    const copyTo = toRegistry || existing ? undefined : await datastoreFolder(reader, ownerId, TARGET_DATASTORE, copyPath);

    const source: SourceFacts = {
      subscriptionId: sub, resourceGroup: inputs.sourceResourceGroup, workspace: inputs.sourceWorkspace, name, version, assetId, digest,
      fileCount: files.length, ...(sp.jobName ? { jobName: String(sp.jobName) } : {}), tags: stringMap(sp.tags),
    };
    const target: TargetFacts = {
      kind: inputs.targetType, name: inputs.targetName, model: name, version: targetVersion,
      ...(existing ? { existing: { modelUri: ep.modelUri, tags: stringMap(ep.tags) } } : {}),
    };
    const plan = planPromotion({
      source, target, verification,
      bundleModel: bundle?.model ?? { name, version, assetId },
      ...(inputs.stageTag ? { stageTag: inputs.stageTag } : {}),
      promotion: { by: connection.clientId ?? connection.name ?? connection.id, at: new Date().toISOString(), ...(deps.context.runUrl ? { runUrl: deps.context.runUrl } : {}), fileDigests },
    });
    const dst = describeTarget(target);
    const notRead = fileDigests === 'not-read' ? '; file contents not re-read (verifyFileDigests: false)' : '';
    if (plan.kind === 'refuse') {
      for (const r of plan.reasons) host.info(`  refused: ${r}`);
      return { verdict: 'failed', plan, message: `Not promoted, nothing written: ${plan.reasons[0]}${plan.reasons.length > 1 ? ` (and ${plan.reasons.length - 1} more)` : ''}` };
    }
    if (plan.kind === 'noop') return { verdict: 'passed', plan, action: 'already-present', targetModelId: targetId, message: plan.message + notRead };
    host.info(`${inputs.dryRun ? 'Would change' : 'Changes'} in ${dst}:`);
    for (const c of plan.changes) host.info(`  ${c}`);
    if (inputs.dryRun) return { verdict: 'passed', plan, action: 'dry-run', targetModelId: targetId, message: `Dry run: ${dst} would be created (${plan.changes.length} changes listed); nothing written${notRead}` };

    // 4. Writes: the files (workspace target), the bundle next to the model, then the version.
    const bytes = Buffer.from(serializeBundle(bundle!));
    let modelUri = plan.modelUri;
    let bundleUrl: string;
    let copied = '';
    if (toRegistry) {
      const up = await pendingUpload(writer, `${ownerId}/models/${name}/versions/${targetVersion}`, `${targetId}\n${digest}`, dst);
      bundleUrl = await blobs.put(up, BUNDLE_FILE, bytes, bytes.length, `evidence bundle for ${dst}`);
    } else {
      const modelFolder = folderOf(copyTo!.containerUrl, `${copyPath}model/`, copyTo!.sas);
      if (fileDigests === 'not-read') host.info('Streamed copies are still hashed on the way and refused if they differ from the evidence; server-side copies do not pass through the agent.');
      const modes = await copyFiles(blobs, folder, files, modelFolder, dst, host);
      if (typeof modes === 'string') return { verdict: 'failed', plan, message: modes };
      copied = ` (${summarize(modes)})`;
      bundleUrl = await blobs.put(copyTo!, BUNDLE_FILE, bytes, bytes.length, `evidence bundle for ${dst}`);
      modelUri = `azureml://subscriptions/${sub}/resourcegroups/${inputs.targetResourceGroup}/workspaces/${inputs.targetName}/datastores/${TARGET_DATASTORE}/paths/${copyPath}model/`;
    }
    host.info(`Uploaded the evidence bundle to ${bundleUrl}.`);
    const body = {
      properties: {
        modelUri,
        ...(sp.modelType ? { modelType: sp.modelType } : {}),
        ...(sp.description ? { description: sp.description } : {}),
        ...(sp.flavors ? { flavors: sp.flavors } : {}),
        ...(sp.jobName ? { jobName: sp.jobName } : {}),
        ...(plan.stage ? { stage: plan.stage } : {}),
        tags: { ...plan.tags, [BUNDLE_TAG]: bundleUrl },
        properties: { ...stringMap(sp.properties), ...plan.properties, [EVIDENCE_BUNDLE]: bundleUrl },
      },
    };
    try {
      await writer.put(targetId, MODELS_API, body, `${inputs.targetType} model version ${dst}`);
    } catch (e) {
      const why = e instanceof CollectionError ? e.reason : (e as Error).message;
      const files_ = toRegistry ? '' : `the ${files.length} file(s) are copied to ${modelUri} and `;
      return { verdict: 'failed', plan, message: `Promotion incomplete: ${files_}the evidence bundle is uploaded at ${bundleUrl}, but ${dst} was not created (${why}); nothing else exists. Re-run to complete the promotion.` };
    }
    return { verdict: 'passed', plan, action: plan.action, targetModelId: targetId, message: `Promoted ${name}:${version} to ${dst} (${plan.action}${copied}), model digest ${digest}${notRead}` };
  } catch (e) {
    if (e instanceof CollectionError) return fail(`Not promoted: ${e.what}: ${e.reason}`);
    if (e instanceof BundleError) return fail(`Not promoted: ${e.message}`);
    throw e;
  }
}

/** The files a plan is made from, and what was found about them before the bundle was verified. */
interface SourceFiles {
  /** The files to promote (copy). */
  files: BlobFile[];
  /** What the verifier compares the evidence with: the files read, or every file as the evidence signed it. */
  evidenceFiles: FileDigest[];
  /** Refusals found without reading the files (tag, names). */
  failures: Array<Pick<VerifyFailure, 'code' | 'message'>>;
  /** false: no evidence matched the tag, so there was no file list to compare the evidence with. */
  compared: boolean;
  /** The digest the tag states, when the files were not read. */
  digest?: string;
}

function notReadFiles(listed: Array<ListedFile & { url: string }>, c: ClaimedFiles): SourceFiles {
  const urls = new Map(listed.map((f) => [f.name, f.url]));
  const files = (c.files ?? []).flatMap((f) => (urls.has(f.name) ? [{ ...f, url: urls.get(f.name)! }] : []));
  const digest = c.files ? modelDigest(c.files) : c.tagDigest;
  return { files, evidenceFiles: c.files ?? [], failures: c.failures, compared: c.files !== undefined, ...(digest ? { digest } : {}) };
}

const FILE_CODES = new Set(['missing-file', 'extra-file', 'digest-mismatch']);

/**
 * The bundle's verification plus the checks made without reading the files. With no file list to compare
 * (no evidence matched the tag), the verifier's file comparisons only repeat that failure and are left out.
 */
function withFileChecks(v: VerifyResult, s: SourceFiles): Verification {
  const fromVerifier = s.compared ? v.failures : v.failures.filter((f) => !FILE_CODES.has(f.code));
  const failures = [...s.failures, ...fromVerifier];
  return { ok: failures.length === 0, failures, gates: v.gates };
}

/** A registry's pending upload folder for the version (the same folder on a re-run). */
async function pendingUpload(writer: ArmWriter, versionId: string, seed: string, dst: string): Promise<BlobFolder> {
  const pending = (await writer.post(`${versionId}/startPendingUpload`, MODELS_API, { pendingUploadId: uuidOf(seed), pendingUploadType: 'TemporaryBlobReference' }, `upload folder for ${dst}`)) as any;
  const ref = pending?.blobReferenceForConsumption;
  const sas = String(ref?.credential?.sasUri ?? '');
  const blobUri = String(ref?.blobUri ?? '');
  if (!blobUri || !sas.includes('?')) throw new CollectionError(`upload folder for ${dst}`, versionId, 'the answer has no blobUri and SAS');
  return folderOf(blobUri.replace(/\/+$/, ''), '', sas.slice(sas.indexOf('?') + 1));
}

/**
 * Copies every file; on a failure, a message saying which files exist at the target (a re-run skips them).
 * Server-side copies stop being tried after the first refusal: the next files would be refused too.
 */
async function copyFiles(blobs: BlobTransfer, from: BlobFolder, files: BlobFile[], to: BlobFolder, dst: string, host: GateHost): Promise<CopyMode[] | string> {
  const modes: CopyMode[] = [];
  let serverSide = true;
  for (const f of files) {
    try {
      const r = await blobs.copy(from, f, to, `copy of ${f.name} for ${dst}`, serverSide);
      if (r.mode === 'streamed') serverSide = false;
      modes.push(r.mode);
      host.info(`  ${f.name}: ${r.mode} (${f.size} bytes)`);
    } catch (e) {
      const why = e instanceof CollectionError ? `${e.what}: ${e.reason}` : (e as Error).message;
      const done = modes.length ? `${modes.length} of ${files.length} file(s) are copied to ${folderUrl(to)}` : `no file is copied to ${folderUrl(to)}`;
      return `Promotion incomplete: ${done}; ${dst} was not created (${why}). Re-run to complete the promotion: copied files are kept and skipped.`;
    }
  }
  return modes;
}

function summarize(modes: CopyMode[]): string {
  const counts = new Map<CopyMode, number>();
  for (const m of modes) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts].map(([m, n]) => `${n} ${m}`).join(', ');
}

async function trustedVerifiers(inputs: PromoteInputs, azure: PromoteDeps['azure']): Promise<Verifier[]> {
  const out: Verifier[] = inputs.trustedPublicKeys.map((k) => ed25519Verifier(k));
  for (const keyId of inputs.trustedKeyVaultKeys) out.push(await trustedKeyVaultVerifier(keyId, azure, 'trustedKeyVaultKeys'));
  return out;
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
