/**
 * Just enough Blob Storage for model files: `/_blob/<account>/<container>/<blob path>` on the emulator's own
 * HTTPS origin. Put Blob (BlockBlob, single shot), Get Blob, Get Blob Properties (HEAD) and List Blobs
 * (`?restype=container&comp=list[&prefix=]`) — no block lists, leases, snapshots or paging.
 *
 * Access: a SAS the emulator issued (startPendingUpload hands them out; `sig` is random and remembered, not an
 * HMAC), or an Entra token for https://storage.azure.com. Errors are Storage's XML with `x-ms-error-code`.
 * Scenario model files are put here at start; this stands in until the project runs Azurite.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { registerSecret } from '../agent/sweep';
import { stsIssuer } from './accessTokens';
import type { EmulatorContext } from './context';
import { bearerToken, type EmuRequest, type Reply, type Route } from './http';

export const BLOB_PREFIX = '_blob';
export const STORAGE_AUDIENCE = 'https://storage.azure.com';
const SAS_VERSION = '2022-11-02';

/** A reply whose body is raw bytes (server.ts sends `bytes` as they are). */
export interface BytesReply extends Reply {
  bytes: Buffer;
}

export function replyBytes(reply: Reply): Buffer | undefined {
  const b = (reply as Partial<BytesReply>).bytes;
  return Buffer.isBuffer(b) ? b : undefined;
}

export interface BlobLocation {
  account: string;
  container: string;
  /** Blob name, or a folder prefix (no leading slash). */
  path: string;
}

interface StoredBlob {
  data: Buffer;
  contentType: string;
  etag: string;
  created: string;
  lastModified: string;
  md5: string;
}

interface SasGrant {
  account: string;
  container: string;
  permissions: string;
  expiresOnSec: number;
}

export class BlobStore {
  private readonly blobs = new Map<string, StoredBlob>();
  private readonly grants = new Map<string, SasGrant>();

  put(loc: BlobLocation, data: Buffer, contentType = 'application/octet-stream'): StoredBlob {
    const now = new Date().toUTCString();
    const key = blobKey(loc);
    const blob: StoredBlob = {
      data: Buffer.from(data),
      contentType,
      etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
      created: this.blobs.get(key)?.created ?? now,
      lastModified: now,
      md5: createHash('md5').update(data).digest('base64'),
    };
    this.blobs.set(key, blob);
    return blob;
  }

  get(loc: BlobLocation): StoredBlob | undefined {
    return this.blobs.get(blobKey(loc));
  }

  /** Blobs of a container whose names start with `prefix`, sorted by name as Storage lists them. */
  list(account: string, container: string, prefix = ''): Array<{ name: string; blob: StoredBlob }> {
    const head = `${account.toLowerCase()}/${container.toLowerCase()}/`;
    return [...this.blobs.entries()]
      .filter(([k]) => k.startsWith(head + prefix))
      .map(([k, blob]) => ({ name: k.slice(head.length), blob }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Copies the blob at `from.path`, or every blob under it when it is a folder, into the folder `to.path`,
   * keeping names relative to the source folder. Returns how many blobs were copied.
   */
  copyFolder(from: BlobLocation, to: BlobLocation): number {
    const dst = to.path.replace(/\/*$/, to.path ? '/' : '');
    const single = from.path && !from.path.endsWith('/') ? this.get(from) : undefined;
    if (single) {
      this.put({ ...to, path: dst + from.path.slice(from.path.lastIndexOf('/') + 1) }, single.data, single.contentType);
      return 1;
    }
    const src = from.path.replace(/\/*$/, from.path ? '/' : '');
    const items = this.list(from.account, from.container, src);
    for (const { name, blob } of items) this.put({ account: to.account, container: to.container, path: dst + name.slice(src.length) }, blob.data, blob.contentType);
    return items.length;
  }

  /** Issues a container SAS (query string without `?`); its `sig` is registered with the test secret sweep. */
  grant(account: string, container: string, permissions: string, expiresOnSec: number): string {
    const sig = randomBytes(32).toString('base64');
    registerSecret(sig);
    this.grants.set(sig, { account: account.toLowerCase(), container: container.toLowerCase(), permissions, expiresOnSec });
    const q = new URLSearchParams({ sv: SAS_VERSION, sr: 'c', sp: permissions, se: new Date(expiresOnSec * 1000).toISOString().replace(/\.\d+Z$/, 'Z'), spr: 'https', sig });
    return q.toString();
  }

  /** Why `query` does not grant `permission` on the container, or undefined when it does. */
  sasProblem(query: URLSearchParams, account: string, container: string, permission: string, nowSec: number): { status: number; code: string } | undefined {
    const g = this.grants.get(query.get('sig') ?? '');
    if (!g || g.account !== account.toLowerCase() || g.container !== container.toLowerCase()) return { status: 403, code: 'AuthenticationFailed' };
    if (nowSec > g.expiresOnSec) return { status: 403, code: 'AuthenticationFailed' };
    if (!g.permissions.includes(permission)) return { status: 403, code: 'AuthorizationPermissionMismatch' };
    return undefined;
  }
}

function blobKey(loc: BlobLocation): string {
  return `${loc.account.toLowerCase()}/${loc.container.toLowerCase()}/${loc.path}`;
}

/** The emulator URL of a container, folder or blob (`origin` without trailing slash). */
export function blobUrl(origin: string, loc: BlobLocation): string {
  const path = loc.path ? `/${loc.path.split('/').map(encodeURIComponent).join('/')}` : '';
  return `${origin}/${BLOB_PREFIX}/${loc.account}/${loc.container}${path}`;
}

/** Pure: account, container and path of an emulator blob URL (query ignored); undefined for anything else. */
export function parseBlobUrl(url: string): BlobLocation | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== BLOB_PREFIX || parts.length < 3) return undefined;
  return { account: parts[1], container: parts[2], path: parts.slice(3).join('/') };
}

export function blobRoute(ctx: EmulatorContext, store: BlobStore): Route {
  return (req) => {
    if (req.segments[0] !== BLOB_PREFIX) return undefined;
    const [, account, container, ...rest] = req.segments;
    if (!account || !container) return storageError(400, 'InvalidUri', 'The requested URI does not represent any resource on the server.');
    const name = rest.join('/');
    const isList = req.method === 'GET' && !name && req.query.get('restype') === 'container' && req.query.get('comp') === 'list';
    const permission = req.method === 'PUT' ? 'w' : isList ? 'l' : 'r';
    const denied = accessProblem(ctx, store, req, account, container, permission);
    if (denied) return denied;
    if (isList) return listReply(req, store, account, container);
    if (!name) return storageError(400, 'InvalidUri', 'The local blob service serves blobs and container listings only.');
    const loc = { account, container, path: name };
    if (req.method === 'PUT') return putBlob(req, store, loc);
    if (req.method !== 'GET' && req.method !== 'HEAD') return storageError(405, 'UnsupportedHttpVerb', `The resource doesn't support ${req.method}.`);
    const blob = store.get(loc);
    if (!blob) return storageError(404, 'BlobNotFound', 'The specified blob does not exist.');
    const reply: BytesReply = {
      status: 200,
      bytes: blob.data,
      headers: { ...blobHeaders(blob), 'content-type': blob.contentType, 'x-ms-blob-type': 'BlockBlob', 'accept-ranges': 'bytes', 'x-ms-server-encrypted': 'true' },
    };
    return reply;
  };
}

function accessProblem(ctx: EmulatorContext, store: BlobStore, req: EmuRequest, account: string, container: string, permission: string): Reply | undefined {
  if (req.query.has('sig')) {
    const p = store.sasProblem(req.query, account, container, permission, ctx.clock.nowSec());
    if (!p) return undefined;
    return p.code === 'AuthenticationFailed'
      ? storageError(403, p.code, 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.')
      : storageError(403, p.code, 'This request is not authorized to perform this operation using this permission.');
  }
  const token = bearerToken(req);
  if (!token) {
    return storageError(401, 'NoAuthenticationInformation', 'Server failed to authenticate the request. Please refer to the information in the www-authenticate header.', {
      'www-authenticate': `Bearer authorization_uri=${req.origin}/${ctx.dir.tenantId}/oauth2/authorize resource_id=${STORAGE_AUDIENCE}`,
    });
  }
  const jwt = ctx.entraKey.verify(token);
  const c = jwt?.payload;
  const aud = typeof c?.aud === 'string' ? c.aud.replace(/\/+$/, '').toLowerCase() : '';
  if (!c || c.iss !== stsIssuer(ctx.dir.tenantId) || aud !== STORAGE_AUDIENCE || typeof c.exp !== 'number' || c.exp <= ctx.clock.nowSec()) {
    return storageError(401, 'InvalidAuthenticationInfo', `Server failed to authenticate the request. The token must be valid and issued for ${STORAGE_AUDIENCE}.`);
  }
  return undefined;
}

function putBlob(req: EmuRequest, store: BlobStore, loc: BlobLocation): Reply {
  if (req.query.has('comp')) return storageError(501, 'NotImplemented', 'The local blob service takes single-shot Put Blob only (no blocks).');
  const type = req.headers['x-ms-blob-type'];
  if (!type) return storageError(400, 'MissingRequiredHeader', 'An HTTP header that\'s mandatory for this request is not specified: x-ms-blob-type.');
  if (String(type) !== 'BlockBlob') return storageError(400, 'InvalidHeaderValue', 'The local blob service stores block blobs only.');
  const contentType = req.headers['x-ms-blob-content-type'] ?? req.headers['content-type'];
  const blob = store.put(loc, req.body, typeof contentType === 'string' ? contentType : undefined);
  return { status: 201, headers: { ...blobHeaders(blob), 'x-ms-request-server-encrypted': 'true' } };
}

function blobHeaders(blob: StoredBlob): Record<string, string> {
  return { etag: blob.etag, 'last-modified': blob.lastModified, 'content-md5': blob.md5, 'x-ms-version': SAS_VERSION, 'x-ms-request-id': randomUUID() };
}

function listReply(req: EmuRequest, store: BlobStore, account: string, container: string): Reply {
  const prefix = req.query.get('prefix') ?? '';
  const items = store
    .list(account, container, prefix)
    .map(
      ({ name, blob }) =>
        `<Blob><Name>${xml(name)}</Name><Properties><Creation-Time>${blob.created}</Creation-Time><Last-Modified>${blob.lastModified}</Last-Modified>` +
        `<Etag>${xml(blob.etag)}</Etag><Content-Length>${blob.data.length}</Content-Length><Content-Type>${xml(blob.contentType)}</Content-Type>` +
        `<Content-MD5>${blob.md5}</Content-MD5><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred>` +
        `<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties></Blob>`,
    )
    .join('');
  const text =
    `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${xml(`${req.origin}/${BLOB_PREFIX}/${account}/`)}" ContainerName="${xml(container)}">` +
    `${prefix ? `<Prefix>${xml(prefix)}</Prefix>` : ''}<Blobs>${items}</Blobs><NextMarker /></EnumerationResults>`;
  return { status: 200, text, headers: { 'content-type': 'application/xml', 'x-ms-version': SAS_VERSION, 'x-ms-request-id': randomUUID() } };
}

function storageError(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  const requestId = randomUUID();
  const text = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${xml(message)}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message></Error>`;
  return { status, text, headers: { 'content-type': 'application/xml', 'x-ms-error-code': code, 'x-ms-request-id': requestId, ...headers } };
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
