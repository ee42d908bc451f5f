/**
 * Who exists in the emulator's world: one tenant and subscription, the service principal the pipeline signs
 * in as (secret, certificate or federated credential), a managed identity, and the Azure DevOps organization
 * whose OIDC tokens that principal trusts. Ids are fixed so scenarios and tests can name them; every secret
 * (client secret, certificate key, job token, identity header) is random per start.
 */
import { randomBytes } from 'node:crypto';
import type { ClientCertificate } from './ca';
import type { Clock, SigningKey } from './tokens';

export const EMULATOR_IDS = {
  tenantId: '3b8c1f52-6e0d-4a7b-9c21-5d4e8f0a1b63',
  subscriptionId: '8f2d4c1a-57b3-4e9f-a0c6-2b7e9d13f458',
  subscriptionName: 'Contoso ML Production',
  servicePrincipal: {
    clientId: 'c5a1e9d2-3f47-4b80-9e16-7a2d5c8b0f39',
    objectId: '0e6b4d73-9a12-4c5f-8b37-f1d2a6e94c08',
    displayName: 'sp-mlops-gates-pipeline',
  },
  managedIdentity: {
    clientId: '6d0f2b8e-41c7-4e3a-b5d9-92a7c1e0f864',
    principalId: 'a4e7c2d9-0b58-4f16-8e3d-5c9b1a7f2e40',
    name: 'id-mlops-agent',
    resourceGroup: 'rg-mlops-agents',
  },
  devops: {
    orgName: 'demo-org',
    orgId: '5e1a9c47-2d8b-4f63-a0e5-7b3c9d2f1e86',
    projectName: 'mlops-gates',
    projectId: '9c4b2e71-6a3f-4d85-b1e0-3f7a8d5c2b19',
    serviceConnectionName: 'sc-azureml-wif',
    serviceConnectionId: 'e2d7a5c1-8f94-4b36-9a0d-1c6e3b8f5a72',
    planId: '1f8c3a6e-9d24-4b7f-8e51-a0c2d9b4e637',
    jobId: '7a2e5d9c-3b81-4f06-b4c7-e9d1a8f3c250',
    hubName: 'build',
  },
} as const;

export interface Directory {
  tenantId: string;
  subscriptionId: string;
  servicePrincipal: {
    clientId: string;
    objectId: string;
    displayName: string;
    clientSecret: string;
    certificate: ClientCertificate;
  };
  managedIdentity: {
    clientId: string;
    principalId: string;
    resourceId: string;
    /** The App Service style `X-IDENTITY-HEADER` value (IDENTITY_HEADER). */
    identityHeader: string;
  };
  devops: {
    orgName: string;
    orgId: string;
    projectName: string;
    projectId: string;
    serviceConnectionName: string;
    serviceConnectionId: string;
    planId: string;
    jobId: string;
    hubName: string;
    systemAccessToken: string;
    /** Issuer of the OIDC tokens: https://vstoken.dev.azure.com/<orgId>. */
    oidcIssuer: string;
    /** Subject the service principal's federated credential expects: sc://<org>/<project>/<connection>. */
    federationSubject: string;
  };
}

function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** `devopsKey` signs the job token, as Azure DevOps signs System.AccessToken; `certificate` is registered on the service principal. */
export function createDirectory(devopsKey: SigningKey, clock: Clock, certificate: ClientCertificate): Directory {
  const ids = EMULATOR_IDS;
  const now = clock.nowSec();
  const systemAccessToken = devopsKey.sign({
    nameid: '4c1d8e2a-7b95-4f3e-a6d0-2e9c5b7a1f83',
    scp: 'app_token',
    aui: secret(8),
    sid: secret(8),
    iss: 'app.vstoken.visualstudio.com',
    aud: `app.vstoken.visualstudio.com|vso:${ids.devops.orgId}`,
    nbf: now,
    exp: now + 6 * 3600,
  });
  return {
    tenantId: ids.tenantId,
    subscriptionId: ids.subscriptionId,
    servicePrincipal: {
      ...ids.servicePrincipal,
      // Shaped like an Entra secret (3 chars, "8Q~", 34 more) but random and never valid anywhere else.
      clientSecret: `emu8Q~${secret(26).slice(0, 34)}`,
      certificate,
    },
    managedIdentity: {
      clientId: ids.managedIdentity.clientId,
      principalId: ids.managedIdentity.principalId,
      resourceId:
        `/subscriptions/${ids.subscriptionId}/resourceGroups/${ids.managedIdentity.resourceGroup}` +
        `/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${ids.managedIdentity.name}`,
      identityHeader: secret(24),
    },
    devops: {
      ...ids.devops,
      systemAccessToken,
      oidcIssuer: `https://vstoken.dev.azure.com/${ids.devops.orgId}`,
      federationSubject: `sc://${ids.devops.orgName}/${ids.devops.projectName}/${ids.devops.serviceConnectionName}`,
    },
  };
}
