/**
 * Model assets for the scenarios: workspace model containers and versions, an Azure ML registry with its
 * models, and the model files behind them. Files are small ONNX-like byte strings derived from a seed, so
 * their sha256 is stable from run to run; the emulator uploads them to Azurite at start when it runs with one.
 */
import { createHash } from 'node:crypto';
import type { ArmResource } from '../../../shared/rules/types';
import { blobUrl } from '../modelBlobs';
import { ML, resourceId, stableGuid, systemData, type ScenarioBlob, type ScenarioEnv, type ScenarioModelFile } from './common';

/** The emulator origin scenario URLs use (no trailing slash). */
export function emulatorOrigin(env: ScenarioEnv): string {
  return (env.emulatorUrl ?? 'https://127.0.0.1:443/').replace(/\/+$/, '');
}

/** The `endpoint` of a datastore holding model files: Azurite's host when there is one, else the public cloud's suffix. */
export function datastoreEndpoint(env: ScenarioEnv): string {
  return env.blobUrl ? new URL(env.blobUrl).host : 'core.windows.net';
}

/** Where an account's blobs are: path-style at Azurite, else the account's public endpoint (not served). */
export function blobBase(env: ScenarioEnv, account: string): string {
  return env.blobUrl ? env.blobUrl.replace(/\/+$/, '') : `https://${account}.blob.core.windows.net`;
}

/** A blob URL of a scenario file or folder. */
export function scenarioBlobUrl(env: ScenarioEnv, loc: { account: string; container: string; path: string }): string {
  return env.blobUrl ? blobUrl(env.blobUrl, loc) : blobUrl(blobBase(env, loc.account), loc).replace(`/${loc.account}/`, '/');
}

/**
 * Protobuf-shaped bytes like a small ONNX file: ir_version, producer_name, then a graph field whose payload is
 * derived from `seed` (SHA-256 in counter mode). No pickle, nothing executable.
 */
export function onnxLikeBytes(seed: string, size: number): Buffer {
  const producer = Buffer.from('mlops-gates-local-azure');
  const head = Buffer.concat([Buffer.from([0x08, 0x08, 0x12, producer.length]), producer]);
  const payloadLength = size - head.length - 3;
  if (payloadLength < 128 || payloadLength > 16383) throw new Error('onnxLikeBytes: size must leave a payload of 128..16383 bytes');
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < payloadLength; i++) blocks.push(createHash('sha256').update(`${seed}#${i}`).digest());
  const payload = Buffer.concat(blocks).subarray(0, payloadLength);
  return Buffer.concat([head, Buffer.from([0x3a, (payloadLength & 0x7f) | 0x80, payloadLength >> 7]), payload]);
}

export function modelContainer(parentId: string, name: string, props: Record<string, unknown>, versions: string[]): ArmResource {
  const ints = versions.filter((v) => /^\d+$/.test(v)).map(Number);
  return {
    id: `${parentId}/models/${name}`,
    properties: {
      description: null,
      tags: {},
      properties: {},
      isArchived: false,
      latestVersion: versions[versions.length - 1] ?? null,
      nextVersion: ints.length ? String(Math.max(...ints) + 1) : '1',
      provisioningState: 'Succeeded',
      ...props,
    },
    systemData: systemData(),
  };
}

export function modelVersion(parentId: string, name: string, version: string, createdAt: string, props: Record<string, unknown>): ArmResource {
  const sd = systemData();
  return {
    id: `${parentId}/models/${name}/versions/${version}`,
    properties: { description: null, tags: {}, properties: {}, isAnonymous: false, isArchived: false, flavors: {}, modelType: 'custom_model', provisioningState: 'Succeeded', ...props },
    systemData: { ...sd, createdAt, lastModifiedAt: createdAt },
  };
}

/** A file of a model version, put in the blob store at start and described for the tests. */
export function modelFile(
  env: ScenarioEnv,
  versionId: string,
  loc: { account: string; container: string; folder: string },
  file: string,
  data: Buffer,
): { blob: ScenarioBlob; info: ScenarioModelFile } {
  const path = [loc.folder.replace(/\/+$/, ''), file].filter(Boolean).join('/');
  return {
    blob: { account: loc.account, container: loc.container, path, data },
    info: {
      modelVersionId: versionId,
      file,
      url: scenarioBlobUrl(env, { account: loc.account, container: loc.container, path }),
      sha256: createHash('sha256').update(data).digest('hex'),
      size: data.length,
    },
  };
}

export interface RegistryParts {
  registry: ArmResource;
  /** Name of the registry's system-created storage account (where its model files live). */
  storageAccount: string;
}

/** Name of the system-created storage account of registry `name` in resource group `rg` (stable). */
export function registryStorageAccount(rg: string, name: string): string {
  const guid = stableGuid(`${rg}/${name}/registry`);
  return `${name.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 12)}${guid.replace(/-/g, '').slice(0, 10)}`;
}

/** An Azure ML registry in one region, private, with its system-created storage account and container registry. */
export function mlRegistry(env: ScenarioEnv, rg: string, name: string, props: Record<string, unknown>): RegistryParts {
  const guid = stableGuid(`${rg}/${name}/registry`);
  const managedRg = `/subscriptions/${env.subscriptionId}/resourceGroups/azureml-rg-${name}_${guid}`;
  const storageAccount = registryStorageAccount(rg, name);
  const id = resourceId(env, rg, `${ML}/registries`, name);
  const registry: ArmResource = {
    id,
    location: env.location,
    identity: { type: 'SystemAssigned', principalId: stableGuid(`${id}/system-identity`), tenantId: env.tenantId },
    tags: { costCenter: 'ml-platform', environment: 'prod' },
    properties: {
      discoveryUrl: `https://${env.location}.api.azureml.ms/registrymanagement/v1.0/registries/${name}/discovery`,
      intellectualPropertyPublisher: 'Contoso',
      managedResourceGroup: { resourceId: managedRg },
      mlFlowRegistryUri: `azureml://${env.location}.api.azureml.ms/mlflow/v1.0${id}`,
      publicNetworkAccess: 'Disabled',
      regionDetails: [
        {
          location: env.location,
          storageAccountDetails: [
            {
              systemCreatedStorageAccount: {
                storageAccountName: storageAccount,
                storageAccountType: 'Standard_LRS',
                storageAccountHnsEnabled: false,
                allowBlobPublicAccess: false,
                armResourceId: { resourceId: `${managedRg}/providers/Microsoft.Storage/storageAccounts/${storageAccount}` },
              },
            },
          ],
          acrDetails: [
            {
              systemCreatedAcrAccount: {
                acrAccountName: storageAccount,
                acrAccountSku: 'Premium',
                armResourceId: { resourceId: `${managedRg}/providers/Microsoft.ContainerRegistry/registries/${storageAccount}` },
              },
            },
          ],
        },
      ],
      registryPrivateEndpointConnections: [],
      ...props,
    },
    systemData: systemData(),
  };
  return { registry, storageAccount };
}
