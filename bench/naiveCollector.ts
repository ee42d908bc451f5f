/**
 * The reference for the audit benchmark: what a straightforward script would do with the same SDK client
 * against the same emulator. One request at a time; after each list, a GET per item (as `az ml compute
 * show` per compute would). Written here as a baseline; it is not an external tool.
 */
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { ClientSecretCredential } from '@azure/identity';
import { API } from '../shared/azure/apiVersions';
import { createMlClient } from '../shared/azure/armClient';

export interface NaiveTarget {
  armUrl: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
}

export interface NaiveResult {
  /** Resources read (lists' items plus single resources), to check that it saw what the gate saw. */
  items: Record<string, number>;
}

type Json = { id?: string; name?: string; properties?: Record<string, unknown> };

export async function naiveAudit(t: NaiveTarget): Promise<NaiveResult> {
  const credential = new ClientSecretCredential(t.tenantId, t.clientId, t.clientSecret, {
    authorityHost: t.authorityHost,
    disableInstanceDiscovery: true,
  });
  const { client } = createMlClient(
    { managementUrl: t.armUrl, armScope: `${t.armUrl.replace(/\/+$/, '')}/.default`, subscriptionId: t.subscriptionId },
    credential,
    'mlops-gates-bench-naive',
  );
  const rg = t.resourceGroup;
  const ws = t.workspace;
  const items: Record<string, number> = {};
  const raw = rawReader(client, t.armUrl);

  const workspace = (await client.workspaces.get(rg, ws)) as { id?: string; storageAccount?: string; keyVault?: string; containerRegistry?: string; applicationInsights?: string };
  items.workspace = 1;
  const linked: [string | undefined, string][] = [
    [workspace.storageAccount, API.storage],
    [workspace.keyVault, API.keyVault],
    [workspace.containerRegistry, API.containerRegistry],
    [workspace.applicationInsights, API.appInsights],
  ];
  items.linked = 0;
  for (const [id, api] of linked) {
    if (!id) continue;
    await raw.get(id, api);
    items.linked++;
  }

  items.computes = 0;
  for await (const page of client.computeOperations.list(rg, ws).byPage()) {
    for (const c of page) {
      await client.computeOperations.get(rg, ws, c.name!);
      items.computes++;
    }
  }
  items.datastores = 0;
  for await (const page of client.datastores.list(rg, ws).byPage()) {
    for (const d of page) {
      await client.datastores.get(rg, ws, d.name!);
      items.datastores++;
    }
  }
  items.connections = 0;
  for await (const page of client.workspaceConnections.list(rg, ws).byPage()) {
    for (const c of page) {
      await client.workspaceConnections.get(rg, ws, c.name!);
      items.connections++;
    }
  }
  items.privateEndpointConnections = 0;
  for await (const page of client.privateEndpointConnections.list(rg, ws).byPage()) items.privateEndpointConnections += page.length;

  const wsId = workspace.id!;
  items.diagnosticSettings = (await raw.list(`${wsId}/providers/Microsoft.Insights/diagnosticSettings`, API.diagnosticSettings)).length;

  // `az role assignment list` then a show per assignment, and each role definition looked up once.
  const assignments = await raw.list(`${wsId}/providers/Microsoft.Authorization/roleAssignments`, API.authorization, `&$filter=${encodeURIComponent('atScope()')}`);
  const definitions = new Set<string>();
  for (const a of assignments) {
    await raw.get(a.id!, API.authorization);
    const def = String(a.properties?.roleDefinitionId ?? '');
    if (def && !definitions.has(def.toLowerCase())) {
      definitions.add(def.toLowerCase());
      await raw.get(def, API.authorization);
    }
  }
  items.roleAssignments = assignments.length;
  items.roleDefinitions = definitions.size;
  return { items };
}

/** GETs through the SDK client's pipeline for what the ML SDK has no operation for. */
function rawReader(client: AzureMachineLearningWorkspaces, armUrl: string) {
  const origin = new URL(armUrl).origin;
  const send = async (url: string): Promise<unknown> => {
    const res = await client.sendRequest(createPipelineRequest({ url, method: 'GET' }));
    if (res.status >= 400) throw new Error(`GET ${new URL(url).pathname}: ${res.status}`);
    return JSON.parse(res.bodyAsText ?? 'null');
  };
  return {
    get: (id: string, api: string) => send(`${origin}${id}?api-version=${api}`) as Promise<Json>,
    list: async (path: string, api: string, query = ''): Promise<Json[]> => {
      const out: Json[] = [];
      let url: string | undefined = `${origin}${path}?api-version=${api}${query}`;
      while (url) {
        const body = (await send(url)) as { value: Json[]; nextLink?: string };
        out.push(...body.value);
        url = body.nextLink ?? undefined;
      }
      return out;
    },
  };
}
