/**
 * `azureml:<name>:<version>` model and data assets: the version's datastore path through ARM, then the file
 * from the workspace's blob datastore, streamed to a local file, with the promote gate's datastore resolution
 * and blob client (shared/gates/promote/source.ts, shared/azure/blobTransfer.ts). A folder asset must hold exactly one file the explainer can read.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArmReader } from '../../azure/armReader';
import { folderUrl, type BlobFolder, type BlobTransfer } from '../../azure/blobTransfer';
import { CollectionError } from '../../azure/errors';
import { datastoreFolder } from '../promote/source';
import type { AssetRef } from './assets';

const ASSET_API = '2023-04-01';

const READABLE = { model: /\.onnx$/i, data: /\.(csv|parquet|pq)$/i } as const;

export interface AssetSource {
  reader: ArmReader;
  blobs: BlobTransfer;
  /** `/subscriptions/…/workspaces/<name>` */
  workspaceId: string;
}

type AzuremlRef = Extract<AssetRef, { kind: 'azureml' }>;

/** Downloads the asset into `dir`; returns the local file's path. */
export async function downloadAsset(ref: AzuremlRef, src: AssetSource, dir: string): Promise<string> {
  const collection = ref.asset === 'model' ? 'models' : 'data';
  const id = `${src.workspaceId}/${collection}/${ref.name}/versions/${ref.version}`;
  const version = await src.reader.get(id, ASSET_API, `${ref.asset} asset ${ref.label}`, true);
  if (!version) throw await missingAsset(ref, src, id);
  const p = (version.properties ?? {}) as Record<string, unknown>;
  const uri = String((ref.asset === 'model' ? p.modelUri : p.dataUri) ?? '');
  const { datastore, path } = datastorePath(uri, ref.label);
  const isFile = READABLE[ref.asset].test(path);
  // The promote gate's datastore resolution: account endpoint (IP-style for emulators), container, folder.
  const folder = await datastoreFolder(src.reader, src.workspaceId, datastore, isFile ? path.replace(/[^/]*$/, '') : path);
  let name: string;
  if (isFile) name = path.slice(path.lastIndexOf('/') + 1);
  else {
    const names = (await src.blobs.list(folder, `files of ${ref.label}`)).filter((n) => READABLE[ref.asset].test(n));
    if (names.length !== 1) {
      throw new CollectionError(`files of ${ref.label}`, folderUrl(folder), names.length
        ? `the asset holds ${names.length} readable files (${names.slice(0, 5).join(', ')}); register the one to explain as its own asset`
        : `the asset holds no ${ref.asset === 'model' ? '.onnx' : '.csv or .parquet'} file`);
    }
    name = names[0];
  }
  await mkdir(dir, { recursive: true });
  const local = join(dir, `${ref.asset}-${ref.name}-${ref.version}-${name.replace(/[^\w.-]/g, '_')}`);
  const body = await src.blobs.get(folder, folderUrl(folder) + name.split('/').map(encodeURIComponent).join('/'), `${ref.asset} asset ${ref.label}`);
  await pipeline(body, createWriteStream(local));
  return local;
}

/** A 404 for the asset says which is missing: the version (the usual typo) or the workspace itself. */
async function missingAsset(ref: AzuremlRef, src: AssetSource, id: string): Promise<CollectionError> {
  const ws = src.workspaceId.slice(src.workspaceId.lastIndexOf('/') + 1);
  const workspace = await src.reader.get(src.workspaceId, ASSET_API, `workspace ${ws}`, true);
  const reason = workspace
    ? `workspace ${ws} has no ${ref.asset} version ${ref.name}:${ref.version}; register it (az ml ${ref.asset} create) or correct the name and version in the input`
    : `workspace ${ws} was not found; check the resource group and workspace names and the connection's subscription`;
  return new CollectionError(`${ref.asset} asset ${ref.label}`, id, reason, 404);
}

/** `azureml://[subscriptions/…/workspaces/<w>/]datastores/<name>/paths/<path>` → datastore and path. */
export function datastorePath(uri: string, label: string): { datastore: string; path: string } {
  const m = /^azureml:\/\/(?:subscriptions\/[^/]+\/resourcegroups\/[^/]+\/(?:providers\/microsoft\.machinelearningservices\/)?workspaces\/[^/]+\/)?datastores\/([^/]+)\/paths\/(.+)$/i.exec(uri);
  if (!m) throw new CollectionError(`asset ${label}`, uri || '(none)', 'its URI is not a datastore path (azureml://datastores/<name>/paths/<path>); register the asset from a blob datastore');
  return { datastore: m[1], path: decodeURIComponent(m[2]) };
}

export type { BlobFolder };
