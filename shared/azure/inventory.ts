import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { ArmResource, WorkspaceInventory } from '../rules/types';
import { API } from './apiVersions';
import type { ArmReader } from './armReader';
import { mapLimit } from './concurrency';

export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
}

export function workspaceId(ref: WorkspaceRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ref.workspace}`;
}

/** Parallel reads of linked resources and role definitions: enough to hide latency, few enough not to be throttled. */
const CONCURRENCY = 8;

/**
 * Reads everything SecurityGate judges about one workspace. Lists are paged to the end; no resource is
 * fetched again one by one when its list already carries it. Independent reads run side by side, so the
 * wall time is about the longest chain of pages, not the sum. Never calls list-keys or list-secrets:
 * secrets are judged by the type of credential only.
 */
export async function collectWorkspaceInventory(
  reader: ArmReader,
  client: AzureMachineLearningWorkspaces,
  ref: WorkspaceRef,
): Promise<WorkspaceInventory> {
  const wsId = workspaceId(ref);
  const name = `workspace ${ref.workspace}`;

  const workspaceP = reader.get(wsId, API.mlLatest, name) as Promise<ArmResource>;
  const computesP = reader.list(`${wsId}/computes`, API.mlLatest, `computes of ${name}`);
  const connectionsP = reader.list(`${wsId}/connections`, API.mlLatest, `connections of ${name}`);
  const datastoresP = sdkPages(reader, `datastores of ${name}`, `${wsId}/datastores`, (signal, onResponse) =>
    client.datastores.list(ref.resourceGroup, ref.workspace, { abortSignal: signal, onResponse }).byPage());
  const pecP = sdkPages(reader, `private endpoint connections of ${name}`, `${wsId}/privateEndpointConnections`, (signal, onResponse) =>
    client.privateEndpointConnections.list(ref.resourceGroup, ref.workspace, { abortSignal: signal, onResponse }).byPage());
  const diagP = reader.list(`${wsId}/providers/Microsoft.Insights/diagnosticSettings`, API.diagnosticSettings, `diagnostic settings of ${name}`);
  const assignmentsP = reader.list(
    `${wsId}/providers/Microsoft.Authorization/roleAssignments`, API.authorization, `role assignments of ${name}`,
    `&$filter=${encodeURIComponent('atScope()')}`,
  );

  const linkedP = workspaceP.then(async (ws) => {
    const p = ws.properties ?? {};
    const read = (id: unknown, api: string, what: string) =>
      typeof id === 'string' && id ? (reader.get(id, api, `${what} linked to ${name}`) as Promise<ArmResource>) : Promise.resolve(undefined);
    const [storageAccount, keyVault, containerRegistry, applicationInsights] = await Promise.all([
      read(p.storageAccount, API.storage, 'storage account'),
      read(p.keyVault, API.keyVault, 'key vault'),
      read(p.containerRegistry, API.containerRegistry, 'container registry'),
      read(p.applicationInsights, API.appInsights, 'Application Insights component'),
    ]);
    return { storageAccount, keyVault, containerRegistry, applicationInsights };
  });

  // TLS of Kubernetes inference lives in the AzureML extension of the cluster, another provider.
  const extensionsP = computesP.then(async (computes) => {
    const clusters = uniqueCaseInsensitive(
      computes
        .filter((c) => String(c.properties?.computeType ?? '').toLowerCase() === 'kubernetes')
        .map((c) => c.properties?.resourceId)
        .filter((x): x is string => typeof x === 'string' && x.length > 0),
    );
    const lists = await mapLimit(clusters, CONCURRENCY, (id) =>
      reader.list(`${id}/providers/Microsoft.KubernetesConfiguration/extensions`, API.kubernetesConfiguration, `extensions of cluster ${id.split('/').pop()}`));
    return lists.flat();
  });

  const definitionsP = assignmentsP.then((assignments) => {
    const ids = uniqueCaseInsensitive(assignments.map((a) => a.properties?.roleDefinitionId).filter((x): x is string => typeof x === 'string'));
    return mapLimit(ids, CONCURRENCY, (id) => reader.get(id, API.authorization, `role definition ${id.split('/').pop()}`) as Promise<ArmResource>);
  });

  // allSettled first so that no rejection goes unobserved; then the first failure (in a stable order) wins.
  const settled = await Promise.allSettled([workspaceP, computesP, connectionsP, datastoresP, pecP, diagP, assignmentsP, linkedP, definitionsP, extensionsP]);
  const failed = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
  const [workspace, computes, connections, datastores, privateEndpointConnections, diagnosticSettings, roleAssignments, linked, roleDefinitions, kubernetesExtensions] =
    settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
      ArmResource, ArmResource[], ArmResource[], ArmResource[], ArmResource[], ArmResource[], ArmResource[],
      Pick<WorkspaceInventory, 'storageAccount' | 'keyVault' | 'containerRegistry' | 'applicationInsights'>, ArmResource[], ArmResource[],
    ];
  return { workspace, computes, connections, datastores, privateEndpointConnections, diagnosticSettings, roleAssignments, roleDefinitions, kubernetesExtensions, ...linked };
}

type OnResponse = (raw: { parsedBody?: unknown }) => void;

/**
 * Pages an SDK list operation while keeping the raw JSON of every item: the SDK's models rename and drop
 * fields, and the rules read the REST shape.
 */
async function sdkPages(
  reader: ArmReader,
  what: string,
  target: string,
  pages: (signal: AbortSignal, onResponse: OnResponse) => AsyncIterableIterator<unknown[]>,
): Promise<ArmResource[]> {
  return reader.sdk(what, target, async (signal) => {
    const items: ArmResource[] = [];
    let count = 0;
    let lastNext: string | undefined;
    const onResponse: OnResponse = (raw) => {
      const body = raw.parsedBody as { value?: ArmResource[]; nextLink?: string } | undefined;
      if (body?.nextLink) {
        reader.checkNextLink(body.nextLink, what, target);
        if (body.nextLink === lastNext) throw reader.toCollectionError(new Error('the service returned the same nextLink twice'), what, target);
        lastNext = body.nextLink;
      }
      if (body && Array.isArray(body.value)) items.push(...body.value);
    };
    for await (const _page of pages(signal, onResponse)) {
      if (++count >= reader.maxPages) {
        throw reader.toCollectionError(new Error(`the list did not end after ${count} pages (the service kept returning a nextLink)`), what, target);
      }
    }
    return items;
  });
}

function uniqueCaseInsensitive(xs: string[]): string[] {
  const seen = new Map<string, string>();
  for (const x of xs) if (!seen.has(x.toLowerCase())) seen.set(x.toLowerCase(), x);
  return [...seen.values()];
}
