/** AzureRM service connections for the local Azure, as the agent would put them in a job's environment. */
import type { LocalAzure } from '../azure/server';
import { connectionEnv } from './runTask';

export const SP_CONNECTION = 'c0ffee00-5e1f-4c1a-8d2b-3a4b5c6d7e8f';
export const CERT_CONNECTION = 'ce27ce27-0a1b-4c2d-8e3f-4a5b6c7d8e9f';
export const MSI_CONNECTION = 'a1b2c3d4-0000-4e5f-8a9b-0c1d2e3f4a5b';

function cloudData(azure: LocalAzure): Record<string, string> {
  return {
    subscriptionId: azure.subscriptionId,
    subscriptionName: 'Local Azure',
    environment: 'AzureStack',
    activeDirectoryAuthority: azure.authorityHost,
    activeDirectoryServiceEndpointResourceId: azure.armUrl,
  };
}

/** Workload identity federation: the task asks Azure DevOps for an OIDC token with the job's access token. */
export function wifConnection(azure: LocalAzure): { id: string; env: Record<string, string> } {
  const id = azure.federatedConnectionId;
  return {
    id,
    env: {
      ...connectionEnv({ id, url: azure.armUrl, scheme: 'WorkloadIdentityFederation', params: { serviceprincipalid: azure.clientId, tenantid: azure.tenantId }, data: cloudData(azure) }),
      ...connectionEnv({ id: 'SYSTEMVSSCONNECTION', url: azure.collectionUri, scheme: 'OAuth', params: { AccessToken: azure.systemAccessToken }, data: {} }),
      SYSTEM_COLLECTIONURI: azure.collectionUri,
      SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: azure.collectionUri,
      SYSTEM_TEAMPROJECTID: azure.devops.projectId,
      SYSTEM_PLANID: azure.devops.planId,
      SYSTEM_JOBID: azure.devops.jobId,
      SYSTEM_OIDCREQUESTURI: azure.devops.oidcRequestUri,
    },
  };
}

export function secretConnection(azure: LocalAzure, secret = azure.clientSecret): { id: string; env: Record<string, string> } {
  return {
    id: SP_CONNECTION,
    env: connectionEnv({
      id: SP_CONNECTION, url: azure.armUrl, scheme: 'ServicePrincipal',
      params: { serviceprincipalid: azure.clientId, tenantid: azure.tenantId, authenticationType: 'spnKey', serviceprincipalkey: secret },
      data: cloudData(azure),
    }),
  };
}

export function certificateConnection(azure: LocalAzure): { id: string; env: Record<string, string> } {
  return {
    id: CERT_CONNECTION,
    env: connectionEnv({
      id: CERT_CONNECTION, url: azure.armUrl, scheme: 'ServicePrincipal',
      params: { serviceprincipalid: azure.clientId, tenantid: azure.tenantId, authenticationType: 'spnCertificate', servicePrincipalCertificate: azure.certificatePem },
      data: cloudData(azure),
    }),
  };
}

export function managedIdentityConnection(azure: LocalAzure): { id: string; env: Record<string, string> } {
  return {
    id: MSI_CONNECTION,
    env: {
      ...connectionEnv({
        id: MSI_CONNECTION, url: azure.armUrl, scheme: 'ManagedServiceIdentity',
        params: { tenantid: azure.tenantId }, data: { ...cloudData(azure), msiclientId: azure.managedIdentity.clientId },
      }),
      // What an App Service-hosted agent's environment carries; MSAL finds the identity endpoint there.
      IDENTITY_ENDPOINT: azure.managedIdentity.endpoint,
      IDENTITY_HEADER: azure.managedIdentity.header,
    },
  };
}
