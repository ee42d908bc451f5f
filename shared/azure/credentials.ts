/**
 * An ARM TokenCredential for an AzureRM service connection, built on @azure/identity, that
 *  - masks every secret it obtains (access tokens, OIDC tokens) before handing it on,
 *  - caches tokens per scope, so that several SDK clients share one sign-in, and
 *  - turns identity's multi-line errors into one line that names the connection and the AADSTS code.
 */
import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import {
  AuthError,
  ConfigError,
  connectionLabel,
  isAdfsAuthority,
  signInLabel,
  isPublicAuthorityHost,
  type AzureRmConnection,
} from './cloud';
import { requestOidcTokenOffThread } from './oidcInWorker';

export interface ArmCredentialOptions {
  /** Registers a single-line secret with the log masker. Called once per distinct value. */
  mask(secret: string): void;
  /** Returns a fresh OIDC token for the connection; defaults to asking Azure DevOps (`requestOidcToken`). */
  fetchOidcToken?: () => Promise<string>;
  /** Clock, for tests of the cache. */
  now?: () => number;
  /** The credential for the `AzureCli` scheme; defaults to identity's AzureCliCredential (runs `az account get-access-token`). */
  azureCli?: () => TokenCredential;
}

/** The tenant segment identity should use: ADFS authorities take the literal `adfs`. */
export function identityTenant(conn: Pick<AzureRmConnection, 'tenantId' | 'authorityHost'>): string {
  return isAdfsAuthority(conn.authorityHost) ? 'adfs' : conn.tenantId;
}

export function createArmCredential(conn: AzureRmConnection, opts: ArmCredentialOptions): TokenCredential {
  const seen = new Set<string>();
  const mask = (s: string) => {
    if (s && !seen.has(s)) {
      seen.add(s);
      opts.mask(s);
    }
  };
  const label = connectionLabel(conn);
  const common = {
    authorityHost: conn.authorityHost,
    // Instance discovery asks the public cloud about the authority; Azure Stack / ADFS authorities are unknown there.
    disableInstanceDiscovery: !isPublicAuthorityHost(conn.authorityHost),
  };
  const tenant = identityTenant(conn);
  const needClientId = (): string => {
    if (!conn.clientId) throw new ConfigError(`The service connection ${label} has no service principal (client) id; edit the connection or recreate it.`);
    return conn.clientId;
  };

  const state: AssertionState = {};
  let inner: TokenCredential;
  switch (conn.scheme) {
    case 'ServicePrincipal': {
      const secret = conn.secret;
      if (!secret) throw new ConfigError(`The service connection ${label} has no key or certificate; edit the connection or recreate it.`);
      inner = secret.kind === 'key'
        ? new ClientSecretCredential(tenant, needClientId(), secret.value, common)
        // The PEM stays in memory: identity accepts its text, so no key file is written to the agent's disk.
        : new ClientCertificateCredential(tenant, needClientId(), { certificate: secret.pem }, common);
      break;
    }
    case 'WorkloadIdentityFederation': {
      const devops = conn.devops;
      const fetch = opts.fetchOidcToken
        ?? (devops ? () => requestOidcTokenOffThread(devops, conn.id, mask, { connectionLabel: label }) : undefined);
      if (!fetch) throw new ConfigError(`The service connection ${label} uses workload identity federation, but the job context (System.AccessToken, System.PlanId...) was not read; run the task in an Azure Pipelines agent job.`);
      // A new OIDC token per acquisition, so a run longer than the OIDC token's life (minutes) never sends an
      // expired assertion (AADSTS700024). MSAL asks twice per acquisition (request and client config); both
      // get the same token, which SharedTokenCredential.acquire forgets before the next acquisition.
      const assertion = (): Promise<string> => (state.assertion ??= fetch().then(
        (token) => { mask(token); return token; },
        (err: unknown) => { state.assertionError = err as Error; throw err; },
      ));
      inner = new OidcFirstCredential(() => new ClientAssertionCredential(tenant, needClientId(), assertion, common), assertion);
      break;
    }
    case 'ManagedServiceIdentity':
      inner = new ManagedIdentityCredential(conn.msiClientId ? { clientId: conn.msiClientId } : {});
      break;
    case 'AzureCli':
      // The developer's own login: the az command holds the refresh token, we only ask it for access tokens.
      inner = opts.azureCli?.() ?? new AzureCliCredential({ ...(conn.tenantId ? { tenantId: conn.tenantId } : {}), ...(conn.subscriptionId ? { subscription: conn.subscriptionId } : {}) });
      break;
    default:
      throw new ConfigError(`The service connection ${label} uses an unsupported scheme '${String((conn as { scheme: unknown }).scheme)}'.`);
  }
  return new SharedTokenCredential(inner, conn, mask, opts.now ?? Date.now, state);
}

/**
 * Workload identity federation's sign-in is a chain of round trips (Azure DevOps' API location, the OIDC token,
 * Entra's metadata, the token exchange), and loading identity with MSAL is a big synchronous step of the task's
 * start. This credential asks for the OIDC token (on its own thread, see oidcInWorker.ts) before it builds
 * identity's credential, so the load runs while Azure DevOps answers instead of before it asks.
 */
class OidcFirstCredential implements TokenCredential {
  private built?: TokenCredential;

  constructor(
    private readonly make: () => TokenCredential,
    private readonly assertion: () => Promise<string>,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    if (!this.built) {
      // Started here, handed to MSAL when it asks for the assertion; its failure surfaces there.
      this.assertion().catch(() => undefined);
      this.built = this.make();
    }
    return this.built.getToken(scopes, options);
  }
}

interface CacheEntry { token: AccessToken; refreshAt: number }

/** Shared with the WIF assertion callback: this acquisition's OIDC token, and its failure to rethrow as is. */
interface AssertionState { assertion?: Promise<string>; assertionError?: Error }

/** Longest head start on expiry; shorter-lived tokens are refreshed at half their life. */
const MAX_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Wraps the identity credential: one token per scope shared by every caller until it nears expiry, one
 * request in flight per scope, each new token masked, failures described in one line. Exported for tests.
 */
export class SharedTokenCredential implements TokenCredential {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Promise<AccessToken>>();

  constructor(
    private readonly inner: TokenCredential,
    private readonly conn: AzureRmConnection,
    private readonly mask: (s: string) => void,
    private readonly now: () => number = Date.now,
    private readonly state: AssertionState = {},
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    // A claims challenge (CAE) must reach Entra; never answer it from the cache.
    if (options?.claims) return this.acquire(scopes, options);
    const key = JSON.stringify([[scopes].flat().sort(), options?.tenantId ?? '', options?.enableCae ?? false]);
    const hit = this.cache.get(key);
    if (hit && this.now() < hit.refreshAt) return hit.token;
    let p = this.pending.get(key);
    if (!p) {
      const started = this.now();
      p = this.acquire(scopes, options).then((token) => {
        const life = token.expiresOnTimestamp - started;
        const refreshAt = token.refreshAfterTimestamp ?? token.expiresOnTimestamp - Math.min(MAX_REFRESH_MARGIN_MS, life / 2);
        this.cache.set(key, { token, refreshAt });
        return token;
      }).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  private async acquire(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    this.state.assertion = undefined;
    this.state.assertionError = undefined;
    let token: AccessToken | null;
    try {
      token = await this.inner.getToken(scopes, options);
    } catch (err) {
      const oidc = this.state.assertionError as Error | undefined; // set by the callback meanwhile
      // identity re-wraps errors thrown by the assertion callback; hand back the original one-liner.
      if (oidc && (err as Error)?.message?.includes(oidc.message)) throw oidc;
      throw new AuthError(describeAuthError(err, this.conn), aadstsCode(err), statusOf(err), { cause: err });
    }
    if (!token?.token) {
      throw new AuthError(`Sign-in for ${signInLabel(this.conn)} returned no access token.`);
    }
    this.mask(token.token);
    return token;
  }
}

/** What to do about the Entra errors a service connection typically meets. */
const AADSTS_HINTS: Record<string, (c: AzureRmConnection) => string> = {
  '7000215': () => 'the service principal key is wrong; copy the current client secret into the connection',
  '7000222': () => 'the service principal key has expired; renew it in the connection, or convert the connection to workload identity federation',
  '700016': (c) => `no application with client id ${c.clientId ?? '?'} exists in tenant ${c.tenantId}; check the connection's client and tenant ids`,
  '90002': (c) => `the tenant ${c.tenantId} was not found at ${c.authorityHost}; check the connection's tenant id and cloud`,
  '900023': (c) => `'${c.tenantId}' is not a valid tenant id; check the connection's tenant id`,
  '700024': () => 'the OIDC token from Azure DevOps was expired or not yet valid; check the agent clock, then rerun',
  '700211': () => "the app's federated credential names a different issuer; it must be the one shown on the service connection",
  '700212': () => "the app's federated credential names a different audience; it must be api://AzureADTokenExchange",
  '700213': () => "no federated credential on the app matches this connection; its subject must be the one shown on the service connection (sc://<organization>/<project>/<connection name>)",
  '70021': () => "no federated credential on the app matches this connection; its subject must be the one shown on the service connection (sc://<organization>/<project>/<connection name>)",
  '700027': () => "the certificate is not registered on the app, or its signature did not verify; upload the certificate's public part to the app registration",
  '7000112': () => 'the application is disabled in the tenant; enable it or use another connection',
  '7000229': () => 'the application has no service principal in the tenant; create one (consent) or use another connection',
};

function statusOf(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

function aadstsCode(err: unknown): string | undefined {
  const m = /AADSTS(\d+)/.exec(errorText(err));
  return m ? `AADSTS${m[1]}` : undefined;
}

function errorText(err: unknown): string {
  const e = err as { message?: unknown; errorResponse?: { error?: unknown; errorDescription?: unknown } };
  return [e?.errorResponse?.errorDescription, e?.message].filter((x) => typeof x === 'string').join('\n');
}

/** The Entra description without its code prefix, trace/correlation ids and timestamp: one short line. */
function entraSentence(err: unknown): string {
  const e = err as { message?: unknown; errorResponse?: { errorDescription?: unknown } };
  const raw = typeof e?.errorResponse?.errorDescription === 'string' ? e.errorResponse.errorDescription : String(e?.message ?? '');
  const line = raw
    .replace(/\s*(Trace ID|Correlation ID|Timestamp):[\s\S]*$/i, '')
    .replace(/AADSTS\d+:\s*/g, '')
    .replace(/\s+/g, ' ')
    .replace(/,$/, '')
    .trim();
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
}

/**
 * One line for a failed sign-in: the connection, the Entra code and what to do. No stack, no secrets
 * (identity's messages carry neither the key nor the token).
 */
export function describeAuthError(err: unknown, conn: AzureRmConnection): string {
  if (err instanceof ConfigError || err instanceof AuthError) return err.message;
  const code = aadstsCode(err);
  const head = `Sign-in to Microsoft Entra ID failed for ${signInLabel(conn)}`;
  if (code) {
    const hint = AADSTS_HINTS[code.slice('AADSTS'.length)];
    return endSentence(`${head} (${code}): ${hint ? hint(conn) : entraSentence(err)}`);
  }
  const name = (err as { name?: unknown })?.name;
  const text = errorText(err);
  if (conn.scheme === 'ManagedServiceIdentity' && name === 'CredentialUnavailableError') {
    return `${head}: no managed identity is available on this agent; the ManagedServiceIdentity scheme only works on a self-hosted agent running in Azure with that identity assigned.`;
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|network|certificate|self[- ]signed/i.test(text)) {
    return `${head}: could not reach ${conn.authorityHost} (${entraSentence(err)}).`;
  }
  const error = (err as { errorResponse?: { error?: unknown } })?.errorResponse?.error;
  const tag = typeof error === 'string' && error !== 'unknown' && error !== 'unknown_error' ? ` (${error})` : '';
  return endSentence(`${head}${tag}: ${entraSentence(err) || 'no details'}`);
}

function endSentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
