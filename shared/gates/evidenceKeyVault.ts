/**
 * Which hosts may receive a Key Vault token, decided by the service connection's cloud rather than by the
 * vault's own 401 challenge.
 *
 * The Key Vault SDK learns the token audience from the challenge, so it checks that the request host lies
 * under the challenge's resource (`x.vault.azure.net` under `vault.azure.net`); otherwise a look-alike host
 * could ask for a Key Vault token and replay it against real vaults. Against real Azure that check always
 * passes. We do the same check one step earlier and stricter, from the connection: the key's host must lie
 * in the Key Vault domain of the connection's cloud (the `AzureKeyVaultDnsSuffix` the connection records, as
 * Microsoft's own tasks read it, or the known suffix of a public cloud), and the credential handed to the
 * SDK issues a token for that domain's audience only, whatever a challenge asks for. With that in place the
 * SDK's own check is redundant and turned off, so a connection whose cloud serves Key Vault at one named
 * host (Azure Stack Hub, a local Azure) works the same way as the public cloud.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { ConfigError, type AzureRmConnection } from '../azure/cloud';
import type { Signer } from '../evidence/keys';
import { keyVaultLocalVerifier, keyVaultSigner } from '../evidence/keyVault';
import type { Verifier } from '../evidence/keys';

export interface KeyVaultDomain {
  /** DNS suffix of the vaults (`vault.azure.net`): a key's host is this or a name under it. */
  suffix: string;
  /** The resource a Key Vault token is for (`https://vault.azure.net`). */
  audience: string;
}

/** Connection data Azure DevOps records for the cloud (Azure Stack Hub, custom environments). */
export interface KeyVaultConnectionData {
  /** Data `AzureKeyVaultDnsSuffix`. */
  dnsSuffix?: string;
  /** Data `AzureKeyVaultServiceEndpointResourceId`. */
  resourceId?: string;
}

const domain = (suffix: string): KeyVaultDomain => ({ suffix, audience: `https://${suffix}` });

/** Key Vault and Managed HSM domains of the clouds an AzureRM connection can name. */
const KNOWN_CLOUDS: Record<string, KeyVaultDomain[]> = {
  azurecloud: [domain('vault.azure.net'), domain('managedhsm.azure.net')],
  azurechinacloud: [domain('vault.azure.cn'), domain('managedhsm.azure.cn')],
  azureusgovernment: [domain('vault.usgovcloudapi.net'), domain('managedhsm.usgovcloudapi.net')],
};

/** The same clouds by their Resource Manager host, for a connection (or the CLI) that names no environment. */
const CLOUD_BY_MANAGEMENT_HOST: Record<string, string> = {
  'management.azure.com': 'azurecloud',
  'management.chinacloudapi.cn': 'azurechinacloud',
  'management.usgovcloudapi.net': 'azureusgovernment',
};

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

/**
 * The Key Vault domains of a connection's cloud: what the connection records, else the public cloud it
 * names, else (Azure Stack Hub) `vault.` + the Resource Manager host without its first label, as Microsoft's
 * tasks derive it. Empty when none of these applies.
 */
export function keyVaultDomains(connection: Pick<AzureRmConnection, 'environment' | 'managementUrl'>, data: KeyVaultConnectionData = {}): KeyVaultDomain[] {
  const suffix = data.dnsSuffix?.trim().toLowerCase().replace(/^\.+|\.+$/g, '');
  if (suffix) return [{ suffix, audience: data.resourceId?.trim() || `https://${suffix}` }];
  const env = connection.environment?.trim().toLowerCase();
  if (env && KNOWN_CLOUDS[env]) return KNOWN_CLOUDS[env];
  const mgmt = hostOf(connection.managementUrl) ?? '';
  const byHost = CLOUD_BY_MANAGEMENT_HOST[mgmt];
  if (byHost) return KNOWN_CLOUDS[byHost];
  const labels = mgmt.split('.');
  if (env === 'azurestack' && labels.length >= 3 && !/^\d+$/.test(labels[labels.length - 1])) {
    return [domain(`vault.${labels.slice(1).join('.')}`)];
  }
  return [];
}

/** The domain a key id's host lies in; a ConfigError naming the input, host and allowed domains otherwise. */
export function keyVaultDomainOf(keyId: string, domains: readonly KeyVaultDomain[], input = 'keyVaultKeyId'): KeyVaultDomain {
  const host = hostOf(keyId);
  if (!domains.length) {
    throw new ConfigError(`Input '${input}': the service connection does not say where its cloud's Key Vault is (no AzureKeyVaultDnsSuffix in its data, and not a public Azure cloud), so no Key Vault token is sent to ${host ?? keyId}.`, input);
  }
  const hit = host ? domains.find((d) => host === d.suffix || host.endsWith(`.${d.suffix}`)) : undefined;
  if (!hit) {
    throw new ConfigError(`Input '${input}': ${host ?? keyId} is not a Key Vault of the service connection's cloud (hosts under ${domains.map((d) => d.suffix).join(' or ')}); a Key Vault token is sent to those hosts only.`, input);
  }
  return hit;
}

function scopeOf(audience: string): string {
  return `${audience.replace(/\/+$/, '')}/.default`.toLowerCase();
}

/** Hands out tokens for one audience only: a challenge that asks for any other resource gets nothing. */
export function audienceOnlyCredential(credential: TokenCredential, audience: string, host: string): TokenCredential {
  const allowed = scopeOf(audience);
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const asked = [scopes].flat();
      if (asked.length !== 1 || scopeOf(asked[0].replace(/\/\.default$/i, '')) !== allowed) {
        return Promise.reject(new ConfigError(`Key Vault at ${host} asked for a token for ${asked.join(' ')}; only ${allowed} is sent there.`));
      }
      return credential.getToken(scopes, options);
    },
  };
}

/**
 * A signer for a Key Vault key whose host lies in `d`, a Key Vault domain of the connection's cloud
 * (`keyVaultDomainOf`); the SDK's challenge check is replaced by that and by the audience-bound credential
 * (see the header).
 */
export async function evidenceKeyVaultSigner(keyId: string, credential: TokenCredential, d: KeyVaultDomain): Promise<Signer> {
  const host = new URL(keyId).host;
  const signer = await keyVaultSigner({
    keyId,
    credential: audienceOnlyCredential(credential, d.audience, host),
    clientOptions: { disableChallengeResourceVerification: true },
  });
  // The signing client talks to the host of the key id the vault returned: it must be the vault we checked.
  if (hostOf(signer.keyid) === undefined || new URL(signer.keyid).host.toLowerCase() !== host.toLowerCase()) {
    throw new ConfigError(`Key Vault at ${host} returned the key id ${signer.keyid}, on another host; refusing to sign there.`);
  }
  return signer;
}

/**
 * A verifier for a trusted Key Vault key: the public half read through the connection's sign-in, the token sent
 * only to the connection cloud's Key Vault domain (so the SDK's challenge check is off, as in signing), and the key
 * id the vault returns must stay on the host that was asked. `input` names the option in errors.
 */
export async function trustedKeyVaultVerifier(
  keyId: string,
  azure: { connection: AzureRmConnection; credential: TokenCredential; keyVaultData?: KeyVaultConnectionData },
  input: string,
): Promise<Verifier> {
  const d = keyVaultDomainOf(keyId, keyVaultDomains(azure.connection, azure.keyVaultData), input);
  const host = new URL(keyId).host;
  const verifier = await keyVaultLocalVerifier({
    keyId,
    credential: audienceOnlyCredential(azure.credential, d.audience, host),
    clientOptions: { disableChallengeResourceVerification: true },
  }).catch((e: unknown) => {
    if (e instanceof ConfigError || (e as Error)?.name === 'AuthError') throw e;
    const status = (e as { statusCode?: number }).statusCode;
    throw new ConfigError(`${input} ${keyId} cannot be read: ${String((e as Error)?.message ?? e).split(/\r?\n/)[0].slice(0, 300)}${status ? ` (HTTP ${status})` : ''}.`, input);
  });
  if (new URL(verifier.keyid).host.toLowerCase() !== host.toLowerCase()) {
    throw new ConfigError(`Key Vault at ${host} returned the key id ${verifier.keyid}, on another host; not trusted.`, input);
  }
  return verifier;
}
