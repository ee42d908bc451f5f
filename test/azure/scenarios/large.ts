/**
 * `large[:N]`: rg-ml-large / mlw-large with N child resources (default 1,000) for benchmarks and paging:
 * 40% computes, 25% datastores, 20% connections, the rest role assignments at the workspace scope.
 * Items vary deterministically by index so that a gate finds a realistic mix of passes and failures.
 */
import type { ArmResource } from '../../../shared/rules/types';
import { ROLE_IDS } from '../roles';
import {
  compute,
  connection,
  datastore,
  diagnosticSetting,
  resourceGroup,
  roleAssignment,
  runtimeSecret,
  stableGuid,
  systemAssigned,
  type Scenario,
  type ScenarioEnv,
} from './common';
import { applicationInsights, containerRegistry, keyVault, logAnalyticsWorkspace, storageAccount, workspace } from './linked';

export const LARGE_DEFAULT_SIZE = 1000;

/** How N children split into kinds (the role assignment share takes the rounding remainder). */
export function largeShares(n: number): { computes: number; datastores: number; connections: number; roleAssignments: number } {
  const computes = Math.floor(n * 0.4);
  const datastores = Math.floor(n * 0.25);
  const connections = Math.floor(n * 0.2);
  return { computes, datastores, connections, roleAssignments: n - computes - datastores - connections };
}

export function buildLarge(env: ScenarioEnv, size = LARGE_DEFAULT_SIZE): Scenario {
  const rg = 'rg-ml-large';
  const name = 'mlw-large';
  const loc = env.location;
  const law = logAnalyticsWorkspace(env, rg, 'log-ml-large');
  const st = storageAccount(env, rg, 'stmlwlarge01', 'Standard_GRS', {
    allowBlobPublicAccess: false,
    supportsHttpsTrafficOnly: true,
    minimumTlsVersion: 'TLS1_2',
    publicNetworkAccess: 'Enabled',
    allowSharedKeyAccess: true,
    networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [{ value: '203.0.113.0/24', action: 'Allow' }], virtualNetworkRules: [] },
  });
  const kv = keyVault(env, rg, 'kv-mlw-large-01', { enablePurgeProtection: true, enableSoftDelete: true, enableRbacAuthorization: true, publicNetworkAccess: 'Enabled', networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] } });
  const acr = containerRegistry(env, rg, 'crmlwlarge01', 'Standard', { adminUserEnabled: false, anonymousPullEnabled: false, publicNetworkAccess: 'Enabled', policies: { quarantinePolicy: { status: 'disabled' } } });
  const appi = applicationInsights(env, rg, 'appi-mlw-large', { DisableLocalAuth: true, WorkspaceResourceId: law.id, IngestionMode: 'LogAnalytics' });
  const ws = workspace(env, rg, name, { storageAccount: st.id, keyVault: kv.id, containerRegistry: acr.id, applicationInsights: appi.id }, systemAssigned(env, `${rg}/${name}`), {
    publicNetworkAccess: 'Enabled',
    allowPublicAccessWhenBehindVnet: false,
    hbiWorkspace: false,
    managedNetwork: { isolationMode: 'AllowInternetOutbound', outboundRules: {}, status: { status: 'Active', sparkReady: false } },
    serverlessComputeSettings: { serverlessComputeCustomSubnet: null, serverlessComputeNoPublicIP: true },
    systemDatastoresAuthMode: 'Identity',
    networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '203.0.113.0/24' }] },
    ipAllowlist: ['203.0.113.0/24'],
  });
  const shares = largeShares(size);
  const children: ArmResource[] = [diagnosticSetting(ws.id, 'diag-mlw-large', { workspaceId: law.id, logs: [{ categoryGroup: 'allLogs', enabled: true }], metrics: [] })];
  const pad = (i: number) => String(i + 1).padStart(4, '0');
  for (let i = 0; i < shares.computes; i++) {
    const instance = i % 2 === 0;
    const open = i % 5 === 0;
    children.push(
      instance
        ? compute(ws.id, `ci-user-${pad(i)}`, loc, 'ComputeInstance', { disableLocalAuth: !open }, {
            vmSize: 'STANDARD_DS11_V2',
            subnet: open ? null : { id: `/subscriptions/${env.subscriptionId}/resourceGroups/rg-network-hub/providers/Microsoft.Network/virtualNetworks/vnet-ml-prod/subnets/snet-ml-compute` },
            enableNodePublicIp: open,
            applicationSharingPolicy: 'Personal',
            personalComputeInstanceSettings: { assignedUser: { objectId: stableGuid(`large/user/${i}`), tenantId: env.tenantId } },
            sshSettings: { sshPublicAccess: open ? 'Enabled' : 'Disabled', adminUserName: 'azureuser', sshPort: 50000 },
            osImageMetadata: { currentImageVersion: i % 3 === 0 ? '24.09.30' : '25.05.12', latestImageVersion: '25.05.12', isLatestOsImageVersion: i % 3 !== 0 },
            idleTimeBeforeShutdown: i % 4 === 0 ? null : 'PT60M',
            enableRootAccess: open,
            enableOSPatching: true,
            state: 'Stopped',
          }, systemAssigned(env, `large/compute/${i}`))
        : compute(ws.id, `cluster-${pad(i)}`, loc, 'AmlCompute', { disableLocalAuth: !open }, {
            vmSize: 'STANDARD_D4S_V3',
            vmPriority: i % 3 === 0 ? 'LowPriority' : 'Dedicated',
            osType: 'Linux',
            subnet: open ? null : { id: `/subscriptions/${env.subscriptionId}/resourceGroups/rg-network-hub/providers/Microsoft.Network/virtualNetworks/vnet-ml-prod/subnets/snet-ml-compute` },
            enableNodePublicIp: open,
            remoteLoginPortPublicAccess: open ? 'Enabled' : 'Disabled',
            scaleSettings: { minNodeCount: i % 7 === 0 ? 1 : 0, maxNodeCount: 4, nodeIdleTimeBeforeScaleDown: 'PT120S' },
            allocationState: 'Steady',
            currentNodeCount: 0,
            targetNodeCount: 0,
          }, { type: 'None' }),
    );
  }
  const credentialKinds = ['None', 'None', 'AccountKey', 'Sas'] as const;
  for (let i = 0; i < shares.datastores; i++) {
    const kind = credentialKinds[i % credentialKinds.length];
    const credentials =
      kind === 'None' ? { credentialsType: 'None' } : { credentialsType: kind, secrets: kind === 'AccountKey' ? { secretsType: 'AccountKey', key: runtimeSecret(64) } : { secretsType: 'Sas', sasToken: `sv=2022-11-02&sig=${encodeURIComponent(runtimeSecret(32))}` } };
    children.push(
      datastore(ws.id, `ds_${pad(i)}`, {
        datastoreType: 'AzureBlob',
        isDefault: false,
        credentials,
        accountName: `stteam${String(i % 40).padStart(2, '0')}data`,
        containerName: `container-${pad(i)}`,
        endpoint: 'core.windows.net',
        protocol: 'https',
        serviceDataAccessAuthIdentity: 'WorkspaceSystemAssignedIdentity',
      }),
    );
  }
  for (let i = 0; i < shares.connections; i++) {
    const pat = i % 3 === 0;
    children.push(
      connection(ws.id, `conn-${pad(i)}`, pat
        ? { category: 'Git', target: `https://dev.azure.com/contoso/ml/_git/repo-${pad(i)}`, authType: 'PAT', credentials: { pat: runtimeSecret(39) }, expiryTime: '2026-12-31T00:00:00Z', isSharedToAll: i % 2 === 0 }
        : { category: 'AzureOpenAI', target: `https://aoai-team-${pad(i)}.openai.azure.com/`, authType: 'AAD' }),
    );
  }
  const principalTypes = ['Group', 'ServicePrincipal', 'User'] as const;
  // The pipeline's own Reader assignment is one of the role assignments.
  if (shares.roleAssignments > 0) children.push(roleAssignment(env, ws.id, ROLE_IDS.reader, env.pipelinePrincipalId, 'ServicePrincipal'));
  for (let i = 1; i < shares.roleAssignments; i++) {
    const type = principalTypes[i % principalTypes.length];
    const role = type === 'User' ? ROLE_IDS.reader : ROLE_IDS.azureMlDataScientist;
    children.push(roleAssignment(env, ws.id, role, stableGuid(`large/principal/${type}/${i}`), type));
  }
  return {
    name: 'large',
    resourceGroup: rg,
    workspaceName: name,
    workspaceId: ws.id,
    resources: [resourceGroup(env, rg, { environment: 'bench' }), law, st, kv, acr, appi, ws, ...children],
  };
}
