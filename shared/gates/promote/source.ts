/**
 * Which workspace model version is the source, and where its files are: by name and version (or latest), or
 * the version a given job produced (its `jobName`). Reads only.
 */
import { accountBlobUrl } from '../../azure/blobEndpoint';
import { folderOf, folderUrl, type BlobFolder, type BlobTransfer } from '../../azure/blobTransfer';
import type { ArmReader } from '../../azure/armReader';
import { CollectionError } from '../../azure/errors';
import type { ArmResource } from '../../rules/types';
import type { ListedFile } from './claimed';
import type { PromoteInputs } from './inputs';

export const MODELS_API = '2023-04-01';
const DATASTORE_API = '2022-10-01';

export interface SourceVersion {
  name: string;
  version: string;
  assetId: string;
  props: Record<string, any>;
}

/** The source model version; a CollectionError (with a message naming the fix) when there is none. */
export async function resolveSource(reader: ArmReader, wsBase: string, workspace: string, source: PromoteInputs['source']): Promise<SourceVersion> {
  if (source.kind === 'job') return byJob(reader, wsBase, workspace, source.jobName);
  let version = source.modelVersion;
  if (version === 'latest') {
    const container = await reader.get(`${wsBase}/models/${source.modelName}`, MODELS_API, `model ${source.modelName}`);
    version = String((container?.properties as Record<string, unknown> | undefined)?.latestVersion ?? '');
    if (!version) throw new CollectionError(`model ${source.modelName}`, `${wsBase}/models/${source.modelName}`, `it has no versions in workspace ${workspace}`);
  }
  const assetId = `${wsBase}/models/${source.modelName}/versions/${version}`;
  const v = await reader.get(assetId, MODELS_API, `model version ${source.modelName}:${version}`);
  return { name: source.modelName, version, assetId, props: (v?.properties ?? {}) as Record<string, any> };
}

/**
 * The model version whose `jobName` is the job: every model's versions are listed (Azure ML has no filter
 * on jobName). Exactly one must match; several are refused with their names, so modelName can pick one.
 */
async function byJob(reader: ArmReader, wsBase: string, workspace: string, job: string): Promise<SourceVersion> {
  const containers = await reader.list(`${wsBase}/models`, MODELS_API, `models of workspace ${workspace}`);
  const hits: ArmResource[] = [];
  for (const c of containers) {
    const versions = await reader.list(`${wsBase}/models/${c.name}/versions`, MODELS_API, `versions of model ${c.name}`);
    hits.push(...versions.filter((v) => String((v.properties as Record<string, unknown> | undefined)?.jobName ?? '').toLowerCase() === job.toLowerCase()));
  }
  const label = (v: ArmResource) => `${String(v.id).split('/').slice(-3, -2)[0]}:${v.name}`;
  if (!hits.length) throw new CollectionError(`the model of job ${job}`, `${wsBase}/jobs/${job}`, `no model version in workspace ${workspace} names job ${job} as its jobName; check sourceJob, or give modelName and modelVersion`);
  if (hits.length > 1) throw new CollectionError(`the model of job ${job}`, `${wsBase}/jobs/${job}`, `job ${job} produced ${hits.length} model versions (${hits.map(label).join(', ')}); give modelName and modelVersion instead of sourceJob`);
  const v = hits[0];
  const name = String(v.id).split('/').slice(-3, -2)[0];
  return { name, version: String(v.name), assetId: `${wsBase}/models/${name}/versions/${v.name}`, props: (v.properties ?? {}) as Record<string, any> };
}

/** The blob folder of a datastore, and the datastore's blob base URL (IP-style for emulator hosts). */
export async function datastoreFolder(reader: ArmReader, wsBase: string, datastore: string, path: string): Promise<BlobFolder> {
  const ds = await reader.get(`${wsBase}/datastores/${datastore}`, DATASTORE_API, `datastore ${datastore}`);
  const p = (ds?.properties ?? {}) as Record<string, any>;
  if (p.datastoreType !== 'AzureBlob' || !p.accountName || !p.containerName) throw new CollectionError(`datastore ${datastore}`, String(ds?.id), 'only Azure Blob datastores are supported');
  let base: string;
  try {
    base = accountBlobUrl(String(p.accountName), p.endpoint === undefined ? undefined : String(p.endpoint));
  } catch (e) {
    throw new CollectionError(`datastore ${datastore}`, String(ds?.id), (e as Error).message);
  }
  return folderOf(`${base}/${p.containerName}`, path);
}

/** The blob folder a workspace model version's datastore path names (long or short azureml:// form). */
export async function sourceFolder(reader: ArmReader, modelUri: string, wsBase: string): Promise<BlobFolder> {
  const m = /^azureml:\/\/(?:subscriptions\/[^/]+\/resourcegroups\/[^/]+\/(?:providers\/microsoft\.machinelearningservices\/)?workspaces\/[^/]+\/)?datastores\/([^/]+)\/paths\/(.*)$/i.exec(modelUri);
  if (!m) throw new CollectionError('model files', modelUri || '(none)', "the version's modelUri is not a datastore path (azureml://…/datastores/<name>/paths/<folder>)");
  return datastoreFolder(reader, wsBase, m[1], decodeURIComponent(m[2]));
}

/**
 * The blobs under the folder with their sizes (List Blobs, then one HEAD each): names, sizes and URLs, no
 * content read. A blob gone between the list and its HEAD is left out. Sorted by name.
 */
export async function listFolder(blobs: BlobTransfer, folder: BlobFolder, what: string): Promise<Array<ListedFile & { url: string }>> {
  const out: Array<ListedFile & { url: string }> = [];
  for (const name of await blobs.list(folder, what)) {
    const props = await blobs.head(folder, name, what);
    if (props) out.push({ name, size: props.size, url: folderUrl(folder) + name.split('/').map(encodeURIComponent).join('/') });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
