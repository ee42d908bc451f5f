/**
 * Registers local files as Azure ML assets of a workspace at the local Azure, the way a training job or
 * `az ml model/data create` leaves them: the files uploaded into the workspace's `workspaceblobstore`
 * (Azurite), then a model version (`modelUri`: the folder) or a data version (`dataUri`: one file) PUT through
 * ARM. Used by agent tests and `npm run demo`; the caller's process must trust the test CA.
 */
import type { LocalAzure } from './server';
import { armToken, raw, secretCredential, type RawResponse } from './testSupport';

const ASSET_API = '2023-04-01';
const DATASTORE_API = '2022-10-01';
const STORAGE_VERSION = '2023-11-03';

export interface WorkspaceRef {
  resourceGroup: string;
  workspace: string;
}

export interface AssetFile {
  /** Name under the asset's folder, `/`-separated. */
  name: string;
  data: Buffer | Uint8Array;
}

function workspacePath(azure: LocalAzure, ws: WorkspaceRef): string {
  return `/subscriptions/${azure.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspace}`;
}

/** The long datastore URI of `path` in the workspace's `workspaceblobstore`. */
export function datastoreUri(azure: LocalAzure, ws: WorkspaceRef, path: string): string {
  return `azureml://subscriptions/${azure.subscriptionId}/resourcegroups/${ws.resourceGroup}/workspaces/${ws.workspace}/datastores/workspaceblobstore/paths/${path}`;
}

/** An ARM call with the test principal's token; any status from 300 up is an error naming the call. */
async function arm(azure: LocalAzure, method: string, path: string, body?: unknown): Promise<RawResponse> {
  const res = await raw(azure, method, path, { token: await armToken(azure), body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

/** Uploads the files under `folder` of the workspace's `workspaceblobstore` (which must be at Azurite). */
export async function uploadToWorkspaceStore(azure: LocalAzure, ws: WorkspaceRef, folder: string, files: readonly AssetFile[]): Promise<void> {
  const ds = (await arm(azure, 'GET', `${workspacePath(azure, ws)}/datastores/workspaceblobstore?api-version=${DATASTORE_API}`)).json;
  const p = ds.properties ?? {};
  if (!/^127\.0\.0\.1:\d+$/.test(String(p.endpoint ?? ''))) {
    throw new Error(`workspaceblobstore of ${ws.workspace} is not at Azurite (endpoint ${p.endpoint}): start the local Azure with azurite`);
  }
  const storage = (await secretCredential(azure).getToken('https://storage.azure.com/.default')).token;
  const base = `https://${p.endpoint}/${p.accountName}/${p.containerName}/${folder.replace(/^\/+|\/+$/g, '')}`;
  for (const f of files) {
    const url = `${base}/${f.name.split('/').map(encodeURIComponent).join('/')}`;
    const res = await fetch(url, {
      method: 'PUT',
      body: new Uint8Array(f.data),
      headers: { authorization: `Bearer ${storage}`, 'x-ms-version': STORAGE_VERSION, 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/octet-stream' },
    });
    if (res.status !== 201) throw new Error(`Put Blob ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
}

export interface ModelAsset extends WorkspaceRef {
  name: string;
  version: string;
  files: readonly AssetFile[];
  jobName?: string;
  description?: string;
  tags?: Record<string, string>;
}

/** Uploads the files to `models/<name>/<version>/` and registers the version; returns its ARM id. */
export async function registerModel(azure: LocalAzure, m: ModelAsset): Promise<string> {
  const folder = `models/${m.name}/${m.version}`;
  await uploadToWorkspaceStore(azure, m, folder, m.files);
  const id = `${workspacePath(azure, m)}/models/${m.name}/versions/${m.version}`;
  await arm(azure, 'PUT', `${id}?api-version=${ASSET_API}`, {
    properties: {
      modelUri: datastoreUri(azure, m, `${folder}/`),
      modelType: 'custom_model',
      ...(m.jobName ? { jobName: m.jobName } : {}),
      ...(m.description ? { description: m.description } : {}),
      tags: m.tags ?? {},
    },
  });
  return id;
}

export interface DataAsset extends WorkspaceRef {
  name: string;
  version: string;
  file: AssetFile;
  description?: string;
}

/** Uploads one file to `data/<name>/<version>/` and registers a `uri_file` data version; returns its ARM id. */
export async function registerDataFile(azure: LocalAzure, d: DataAsset): Promise<string> {
  const folder = `data/${d.name}/${d.version}`;
  await uploadToWorkspaceStore(azure, d, folder, [d.file]);
  const id = `${workspacePath(azure, d)}/data/${d.name}/versions/${d.version}`;
  await arm(azure, 'PUT', `${id}?api-version=${ASSET_API}`, {
    properties: { dataType: 'uri_file', dataUri: datastoreUri(azure, d, `${folder}/${d.file.name}`), ...(d.description ? { description: d.description } : {}) },
  });
  return id;
}
