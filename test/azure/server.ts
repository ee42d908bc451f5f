/**
 * The local Azure: one HTTPS server on 127.0.0.1 answering as Entra ID (login.microsoftonline.com),
 * Azure DevOps (dev.azure.com), Azure Resource Manager (management.azure.com), the Key Vault keys data plane
 * (`/keys/…`), told apart by path. Model files are in Azurite (azurite.ts) when the emulator is given one.
 * Product code only ever gets these URLs instead of the real ones.
 * The control API (/_emulator/…) is in control.ts.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { armRoute, callerObjectId, isArmPath } from './arm';
import { linkWithSkipToken } from './armCommon';
import { ensureTestCa, issueServerCert, makeClientCertificate } from './ca';
import type { EmulatorContext, EmulatorSettings, EmulatorStats } from './context';
import { controlRoute, type RequestRecord } from './control';
import { devopsRoute } from './devops';
import { createDirectory, EMULATOR_IDS } from './directory';
import { entraRoute } from './entra';
import { Faults, statusFaultReply, type FaultController, type Service } from './faults';
import { armError, isPlainObject, json, type EmuRequest, type Reply, type Route } from './http';

export type { RequestRecord };
import { isVaultPath, keyVaultRoute, VaultKeys, type VaultKeySpec } from './keyVault';
import { managedIdentityRoute, MANAGED_IDENTITY_PATH } from './managedIdentity';
import { modelAssetsRoute } from './modelAssets';
import { BlobClient, type BlobBackend } from './modelBlobs';
import { monitorRoute } from './monitor';
import { listenTlsAndPlain } from './plainHttp';
import { baseResources, buildScenario } from './scenarios';
import type { ScenarioModelFile } from './scenarios/common';
import { SCORING_PREFIX, scoringRoute, servesPlainHttp } from './scoring';
import { ResourceStore } from './store';
import { Clock, SigningKey } from './tokens';

export interface LocalAzureOptions {
  /** Folder of the test CA (created if missing); the server certificate is issued there too. */
  caDir: string;
  /** 0 or omitted: any free port. */
  port?: number;
  /** Scenario specs: 'hardened', 'insecure', 'large' or 'large:<N>'. Default: hardened and insecure. */
  scenarios?: string[];
  /** Added to every response (control routes excepted). */
  latencyMs?: number;
  /** Items per page of ARM lists (default 50). */
  pageSize?: number;
  /** Lifetime of Entra access tokens (default 3600). MSAL renews tokens within 5 minutes of expiry. */
  tokenLifetimeSec?: number;
  /** Lifetime of Azure DevOps OIDC tokens (default 600). */
  oidcTokenLifetimeSec?: number;
  /** Azure region of scenario resources (default westeurope). */
  location?: string;
  /**
   * Azurite (test/azure/azurite.ts) for model files: scenario files are uploaded there, the datastores holding
   * them name its host, registries' pending uploads are containers there. Without it, no file is served.
   */
  azurite?: BlobBackend;
}

export interface ScenarioInfo {
  name: string;
  resourceGroup: string;
  workspaceName: string;
  workspaceId: string;
}

export interface LocalAzure {
  /** ARM endpoint with trailing slash, like ENDPOINT_URL of an AzureRM service connection. */
  armUrl: string;
  /** Entra authority host; MSAL appends /<tenantId>. */
  authorityHost: string;
  /** Azure DevOps organization URL (System.CollectionUri), trailing slash. */
  collectionUri: string;
  tenantId: string;
  subscriptionId: string;
  /** The service principal's application id: accepted with clientSecret, certificatePem or a federated OIDC token. */
  clientId: string;
  clientSecret: string;
  /** PEM certificate followed by its private key, registered on the same service principal. */
  certificatePem: string;
  /** The job's System.AccessToken, accepted by the OIDC endpoint. */
  systemAccessToken: string;
  /** Id of the workload identity federation service connection the OIDC endpoint issues tokens for. */
  federatedConnectionId: string;
  caCertPath: string;
  /** Values for IDENTITY_ENDPOINT / IDENTITY_HEADER (App Service managed identity) and the identity's ids. */
  managedIdentity: { endpoint: string; header: string; clientId: string; principalId: string; resourceId: string };
  /** Azure DevOps ids for the agent's variables (System.TeamProjectId, System.PlanId, System.JobId, System.OidcRequestUri…). */
  devops: {
    orgName: string;
    orgId: string;
    projectId: string;
    projectName: string;
    serviceConnectionName: string;
    hubName: string;
    planId: string;
    jobId: string;
    oidcRequestUri: string;
    federationSubject: string;
    oidcIssuer: string;
  };
  scenarios: ScenarioInfo[];
  /**
   * Key Vault URL (the emulator's origin, trailing slash): keys of kv-mlw-hardened-01 (`evidence-signing` EC P-256,
   * `evidence-rsa` RSA 3072) when `hardened` is loaded. Clients need `disableChallengeResourceVerification: true`.
   */
  keyVaultUrl: string;
  /** Model files of the scenarios' model versions (in Azurite when the emulator runs with it), with their sha256. */
  modelFiles: ScenarioModelFile[];
  faults: FaultController;
  requests(): RequestRecord[];
  resetRequests(): void;
  /** Counters of issued tokens (a copy). */
  stats(): EmulatorStats;
  /** Live settings: change tokenLifetimeSec, oidcTokenLifetimeSec or pageSize while running. */
  settings: EmulatorSettings;
  /** Moves the emulator's clock (token issue and expiry checks) forward. */
  advanceClock(seconds: number): void;
  state: ResourceStore;
  close(): Promise<void>;
}

const MAX_LOG = 50_000;

export async function startLocalAzure(opts: LocalAzureOptions): Promise<LocalAzure> {
  const ca = ensureTestCa(opts.caDir);
  const cert = issueServerCert(ca, opts.caDir);
  const clock = new Clock();
  // RSA key generation dominates start-up time, so the three keys are made side by side.
  const [entraKey, devopsKey, clientCert] = await Promise.all([
    SigningKey.generate(),
    SigningKey.generate(),
    makeClientCertificate(EMULATOR_IDS.servicePrincipal.displayName),
  ]);
  const dir = createDirectory(devopsKey, clock, clientCert);
  const store = new ResourceStore();
  const ctx: EmulatorContext = {
    dir,
    clock,
    entraKey,
    devopsKey,
    store,
    settings: { tokenLifetimeSec: opts.tokenLifetimeSec ?? 3600, oidcTokenLifetimeSec: opts.oidcTokenLifetimeSec ?? 600, pageSize: opts.pageSize ?? 50 },
    stats: { entraTokens: 0, oidcTokens: 0, managedIdentityTokens: 0 },
  };
  const faults = new Faults();
  const log: RequestRecord[] = [];
  const control = controlRoute({ faults, log, ctx });
  const blobs = opts.azurite ? new BlobClient(ctx, opts.azurite) : undefined;
  const vault = new VaultKeys(clock);
  const arm = armRoute(ctx);
  const routes: Route[] = [
    devopsRoute(ctx),
    managedIdentityRoute(ctx),
    monitorRoute(ctx),
    modelAssetsRoute(ctx, blobs, arm),
    arm,
    scoringRoute(ctx),
    keyVaultRoute(ctx, vault, opts.location ?? 'westeurope'),
    entraRoute(ctx),
  ];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  let endless = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const origin = `https://${req.headers.host ?? `127.0.0.1:${port}`}`;
    const url = new URL(req.url ?? '/', origin);
    const segments = url.pathname.split('/').filter(Boolean).map(safeDecode);
    const emu: EmuRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      url,
      path: `/${segments.join('/')}`,
      segments,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
      origin,
    };
    if (segments[0] === '_emulator') return send(res, control(emu));

    const service = classify(segments);
    const fault = faults.take(emu.method, emu.path);
    const record: RequestRecord = {
      method: emu.method,
      path: emu.path,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      time: new Date(started).toISOString(),
      durationMs: 0,
      service,
      ...(fault ? { fault: fault.kind } : {}),
    };
    const finish = (status: number) => {
      record.status = status;
      record.durationMs = Date.now() - started;
      log.push(record);
      if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
    };

    if (opts.latencyMs) await sleep(opts.latencyMs);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return finish(0);
    }
    if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 2000);
    if (fault?.kind === 'endlessNextLink' && /^endless-/.test(emu.query.get('$skiptoken') ?? '')) emu.query.delete('$skiptoken');

    let reply: Reply;
    if (fault?.kind === 'status') {
      reply = statusFaultReply(fault, emu, service, service === 'arm' ? callerObjectId(ctx, emu) : undefined);
    } else {
      reply = (await firstReply(routes, emu)) ?? (service === 'arm' ? armError(404, 'NotFound', `No route for ${emu.path}.`) : json(404, { error: { code: 'NotFound', message: `No route for ${emu.path}.` } }));
    }
    if (fault?.kind === 'badJson') reply = { status: 200, text: '{"value": [{"id": "/subscriptions/', headers: reply.headers };
    if (fault?.kind === 'endlessNextLink' && reply.status < 300) {
      const body = isPlainObject(reply.body) && Array.isArray(reply.body.value) ? reply.body : { value: [] };
      reply = { ...reply, body: { ...body, nextLink: linkWithSkipToken(emu, `endless-${++endless}`) } };
    }
    if (fault?.kind === 'truncated') {
      const payload = Buffer.from(bodyText(reply));
      res.writeHead(reply.status, { ...reply.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(payload.length + 512) });
      res.write(payload.subarray(0, Math.floor(payload.length / 2)));
      // Give the partial body a moment to leave before the connection is cut.
      await sleep(20);
      req.socket.destroy();
      return finish(reply.status);
    }
    send(res, reply);
    finish(reply.status);
  }

  const server: Server = createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, json(500, { error: { code: 'EmulatorError', message: (e as Error).message } }));
      else res.destroy();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // TLS and plain HTTP share the port: scoring hosts of exposed endpoints answer both (plainHttp.ts).
  const listener = await listenTlsAndPlain(server, { port: opts.port ?? 0, host: '127.0.0.1', allow: servesPlainHttp(ctx) });
  const port = listener.port;
  const base = `https://127.0.0.1:${port}/`;
  const collectionUri = `${base}${dir.devops.orgName}/`;

  // Scenarios are built once the port is known: their scoring URIs point back at this server.
  const env = {
    subscriptionId: dir.subscriptionId,
    tenantId: dir.tenantId,
    location: opts.location ?? 'westeurope',
    pipelinePrincipalId: dir.servicePrincipal.objectId,
    emulatorUrl: base,
    emulatorPlainUrl: `http://127.0.0.1:${port}/`,
    ...(opts.azurite ? { blobUrl: opts.azurite.url } : {}),
  };
  const scenarios: ScenarioInfo[] = [];
  const modelFiles: ScenarioModelFile[] = [];
  const vaultKeys: VaultKeySpec[] = [];
  try {
    store.putAll(baseResources(env, EMULATOR_IDS.subscriptionName, { ...EMULATOR_IDS.managedIdentity }));
    for (const spec of opts.scenarios ?? ['hardened', 'insecure']) {
      const s = buildScenario(spec, env);
      store.putAll(s.resources);
      if (blobs) for (const b of s.blobs ?? []) await blobs.put({ account: b.account, container: b.container, path: b.path }, b.data);
      modelFiles.push(...(s.modelFiles ?? []));
      vaultKeys.push(...(s.vaultKeys ?? []));
      scenarios.push({ name: s.name, resourceGroup: s.resourceGroup, workspaceName: s.workspaceName, workspaceId: s.workspaceId });
    }
  } catch (e) {
    await listener.close();
    throw e;
  }
  vault.seed(vaultKeys);
  // Datastores at Azurite have their containers, as a workspace's storage does from its creation.
  if (blobs) {
    const host = new URL(blobs.backend.url).host;
    for (const ds of store.ofType('microsoft.machinelearningservices/workspaces/datastores')) {
      const p = ds.properties ?? {};
      if (p.endpoint === host && typeof p.accountName === 'string' && typeof p.containerName === 'string') await blobs.ensureContainer(p.accountName, p.containerName);
    }
  }

  return {
    armUrl: base,
    authorityHost: base,
    collectionUri,
    tenantId: dir.tenantId,
    subscriptionId: dir.subscriptionId,
    clientId: dir.servicePrincipal.clientId,
    clientSecret: dir.servicePrincipal.clientSecret,
    certificatePem: dir.servicePrincipal.certificate.pem,
    systemAccessToken: dir.devops.systemAccessToken,
    federatedConnectionId: dir.devops.serviceConnectionId,
    caCertPath: ca.caCertPath,
    managedIdentity: {
      endpoint: `https://127.0.0.1:${port}${MANAGED_IDENTITY_PATH}`,
      header: dir.managedIdentity.identityHeader,
      clientId: dir.managedIdentity.clientId,
      principalId: dir.managedIdentity.principalId,
      resourceId: dir.managedIdentity.resourceId,
    },
    devops: {
      orgName: dir.devops.orgName,
      orgId: dir.devops.orgId,
      projectId: dir.devops.projectId,
      projectName: dir.devops.projectName,
      serviceConnectionName: dir.devops.serviceConnectionName,
      hubName: dir.devops.hubName,
      planId: dir.devops.planId,
      jobId: dir.devops.jobId,
      oidcRequestUri: `${collectionUri}${dir.devops.projectId}/_apis/distributedtask/hubs/${dir.devops.hubName}/plans/${dir.devops.planId}/jobs/${dir.devops.jobId}/oidctoken`,
      federationSubject: dir.devops.federationSubject,
      oidcIssuer: dir.devops.oidcIssuer,
    },
    scenarios,
    keyVaultUrl: base,
    modelFiles,
    faults,
    requests: () => log.slice(),
    resetRequests: () => {
      log.length = 0;
    },
    stats: () => ({ ...ctx.stats }),
    settings: ctx.settings,
    advanceClock: (seconds: number) => {
      clock.offsetSec += seconds;
    },
    state: store,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        listener.close().then(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function classify(segments: string[]): Service {
  const first = segments[0]?.toLowerCase();
  if (first === EMULATOR_IDS.devops.orgName) return 'devops';
  if (isArmPath(segments)) return 'arm';
  if (first === SCORING_PREFIX || isVaultPath(segments)) return 'other';
  if (`/${segments.join('/')}`.toLowerCase() === MANAGED_IDENTITY_PATH) return 'entra';
  return segments.length ? 'entra' : 'other';
}

async function firstReply(routes: Route[], req: EmuRequest): Promise<Reply | undefined> {
  for (const route of routes) {
    const r = await route(req);
    if (r) return r;
  }
  return undefined;
}

function bodyText(reply: Reply): string {
  if (reply.text !== undefined) return reply.text;
  return reply.body === undefined ? '' : JSON.stringify(reply.body);
}

function send(res: ServerResponse, reply: Reply): void {
  const text = bodyText(reply);
  const headers: Record<string, string> = { ...reply.headers };
  if (text) {
    headers['content-type'] ??= 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(text));
  } else if (reply.status !== 204) {
    headers['content-length'] = '0';
  }
  res.writeHead(reply.status, headers);
  res.end(text);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

