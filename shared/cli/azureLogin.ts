/**
 * Azure sign-in for the CLI, where there is no service connection: a service principal from the usual
 * AZURE_* environment variables (the same credential code as the tasks, `createArmCredential`), else the
 * developer's Azure CLI login (`az login`). Clouds other than the public one: `--management-url` /
 * AZURE_RESOURCE_MANAGER_URL and AZURE_AUTHORITY_HOST.
 */
import { readFileSync } from 'node:fs';
import { AzureCliCredential } from '@azure/identity';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { AuthError, ConfigError, scopeForResource, withTrailingSlash, type AzureRmConnection, type ConnectionSecret } from '../azure/cloud';
import { createArmCredential } from '../azure/credentials';
import type { KeyVaultConnectionData } from '../gates/evidenceKeyVault';

export const PUBLIC_MANAGEMENT_URL = 'https://management.azure.com/';
export const PUBLIC_AUTHORITY_HOST = 'https://login.microsoftonline.com/';

export interface CliAzureOptions {
  /** The subscription that holds the workspace (already validated by the task's input parser); '' when none is involved (verify). */
  subscriptionId: string;
  /** `--management-url`, when given. */
  managementUrl?: string;
  env: Record<string, string | undefined>;
  /** Registers a value that must never be printed (the client secret, the key lines, every token). */
  mask(secret: string): void;
  readFile?: (path: string) => string;
  /** Builds the Azure CLI credential; tests replace it. */
  azureCli?: (opts: { tenantId?: string; subscription?: string }) => TokenCredential;
}

export interface CliAzure {
  connection: AzureRmConnection;
  credential: TokenCredential;
  /** How the CLI signs in, in words, for the progress log (never a secret). */
  signIn: string;
  /**
   * Where the cloud's Key Vaults are, from AZURE_KEYVAULT_DNS_SUFFIX and AZURE_KEYVAULT_RESOURCE (what a service
   * connection's data says on an agent); needed only for a cloud other than the public ones.
   */
  keyVaultData: KeyVaultConnectionData;
}

/** The environment variables @azure/identity's EnvironmentCredential reads, as the CLI reads them. */
export function cliAzure(o: CliAzureOptions): CliAzure {
  const env = (n: string) => o.env[n]?.trim() || undefined;
  const managementUrl = httpsUrl(o.managementUrl?.trim() || env('AZURE_RESOURCE_MANAGER_URL') || PUBLIC_MANAGEMENT_URL, o.managementUrl ? '--management-url' : 'AZURE_RESOURCE_MANAGER_URL');
  const authorityHost = httpsUrl(env('AZURE_AUTHORITY_HOST') || PUBLIC_AUTHORITY_HOST, 'AZURE_AUTHORITY_HOST');
  const clientId = env('AZURE_CLIENT_ID');
  const tenantId = env('AZURE_TENANT_ID');
  const clientSecret = o.env.AZURE_CLIENT_SECRET;
  const certPath = env('AZURE_CLIENT_CERTIFICATE_PATH');
  if (clientSecret) o.mask(clientSecret);
  const cloud = { subscriptionId: o.subscriptionId, managementUrl, authorityHost, armScope: scopeForResource(managementUrl) };
  const keyVaultData: KeyVaultConnectionData = { dnsSuffix: env('AZURE_KEYVAULT_DNS_SUFFIX'), resourceId: env('AZURE_KEYVAULT_RESOURCE') };

  if (clientId && tenantId && (clientSecret?.trim() || certPath)) {
    const secret: ConnectionSecret = clientSecret?.trim() ? { kind: 'key', value: clientSecret.trim() } : { kind: 'certificate', pem: readCertificate(certPath!, o) };
    const connection: AzureRmConnection = { id: o.subscriptionId, name: `AZURE_CLIENT_ID ${clientId}`, scheme: 'ServicePrincipal', tenantId, clientId, secret, ...cloud };
    return {
      connection,
      credential: createArmCredential(connection, { mask: o.mask }),
      signIn: `service principal ${clientId} (${secret.kind === 'key' ? 'AZURE_CLIENT_SECRET' : 'AZURE_CLIENT_CERTIFICATE_PATH'}) in tenant ${tenantId}`,
      keyVaultData,
    };
  }

  const connection: AzureRmConnection = { id: o.subscriptionId, name: 'az login', scheme: 'AzureCli', tenantId: tenantId ?? '', ...cloud };
  const make = o.azureCli ?? ((opts) => new AzureCliCredential(opts));
  const credential = createArmCredential(connection, {
    mask: o.mask,
    azureCli: () => new AzureCliLogin(make({ tenantId, subscription: o.subscriptionId || undefined }), o.subscriptionId),
  });
  const partial = clientId ? ` (AZURE_CLIENT_ID is set, but not with AZURE_TENANT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH)` : '';
  return { connection, credential, signIn: `your Azure CLI login (az login)${partial}`, keyVaultData };
}

function httpsUrl(value: string, source: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(`${source} is '${value}', which is not a URL.`);
  }
  // Tokens go to these hosts: never over plain HTTP.
  if (u.protocol !== 'https:') throw new ConfigError(`${source} is '${value}'; credentials are only sent over https, so use an https URL.`);
  return withTrailingSlash(value);
}

function readCertificate(path: string, o: CliAzureOptions): string {
  if (o.env.AZURE_CLIENT_CERTIFICATE_PASSWORD) {
    throw new ConfigError('AZURE_CLIENT_CERTIFICATE_PASSWORD is set, but the CLI reads only unencrypted PEM files; point AZURE_CLIENT_CERTIFICATE_PATH at a PEM without a password (readable by you alone) or use AZURE_CLIENT_SECRET.');
  }
  let pem: string;
  try {
    pem = (o.readFile ?? ((p) => readFileSync(p, 'utf8')))(path);
  } catch (err) {
    throw new ConfigError(`AZURE_CLIENT_CERTIFICATE_PATH names '${path}', which cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  for (const line of pem.split(/\r?\n/)) if (line.trim().length >= 16 && !line.startsWith('-----')) o.mask(line.trim());
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) {
    throw new ConfigError(`AZURE_CLIENT_CERTIFICATE_PATH names '${path}', which holds no private key; it must be a PEM file with the certificate and its private key.`);
  }
  return pem;
}

/** The Azure CLI credential with its failures in one line that says what to run. */
export class AzureCliLogin implements TokenCredential {
  constructor(private readonly inner: TokenCredential, private readonly subscriptionId: string) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    try {
      return await this.inner.getToken(scopes, options);
    } catch (err) {
      throw new AuthError(
        `Sign-in with the Azure CLI failed: ${azureCliReason(err)}; run 'az login' with an account that can ${this.subscriptionId ? `read subscription ${this.subscriptionId}` : 'use the resource'}, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET for a service principal.`,
        undefined,
        undefined,
        { cause: err },
      );
    }
  }
}

/** identity's Azure CLI messages run to several sentences; the reader needs only what went wrong. */
export function azureCliReason(err: unknown): string {
  const text = String((err as Error)?.message ?? err);
  if (/could not be found|not found|not recognized/i.test(text) && /azure cli|'az'|az:/i.test(text)) return 'the az command is not installed or not on PATH';
  if (/az login/i.test(text) && !/az login --scope/i.test(text)) return 'not logged in';
  const first = text.split(/(?<=\.)\s|\r?\n/).map((l) => l.trim()).find(Boolean) ?? 'no details';
  return first.length > 160 ? `${first.slice(0, 157)}...` : first.replace(/\.$/, '');
}
