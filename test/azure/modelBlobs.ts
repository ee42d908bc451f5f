/**
 * Model files live in Azurite (azurite.ts); this is the emulator's client for it: containers, Put Blob, List
 * Blobs, Get Blob and folder copies (for `publish`), and the service SAS that `startPendingUpload` hands out,
 * signed with the account's key the way Storage does (2020-12-06+ string-to-sign).
 *
 * The emulator authenticates to Azurite with a storage-audience token it signs itself: Azurite's `--oauth basic`
 * checks issuer, audience and lifetime, not the signature. URLs are path-style: `<azurite>/<account>/<container>/<path>`.
 */
import { createHmac } from 'node:crypto';
import { registerSecret } from '../agent/sweep';
import { stsIssuer } from './accessTokens';
import type { EmulatorContext } from './context';

export const STORAGE_AUDIENCE = 'https://storage.azure.com';
const SAS_VERSION = '2022-11-02';
const API_VERSION = '2023-11-03';

export interface BlobLocation {
  account: string;
  container: string;
  /** Blob name, or a folder prefix (no leading slash). */
  path: string;
}

/** Where Azurite is and the keys of its accounts. */
export interface BlobBackend {
  url: string;
  keys: ReadonlyMap<string, string>;
}

/** The path-style URL of a container, folder or blob at `base` (no trailing slash). */
export function blobUrl(base: string, loc: BlobLocation): string {
  const path = loc.path ? `/${loc.path.split('/').map(encodeURIComponent).join('/')}` : '';
  return `${base.replace(/\/+$/, '')}/${loc.account}/${loc.container}${path}`;
}

/** Pure: account, container and path of a path-style blob URL at `base` (query ignored); undefined for anything else. */
export function parseBlobUrl(url: string, base: string | undefined): BlobLocation | undefined {
  if (!base) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.host !== new URL(base).host) return undefined;
  const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length < 2) return undefined;
  return { account: parts[0], container: parts[1], path: parts.slice(2).join('/') + (u.pathname.endsWith('/') && parts.length > 2 ? '/' : '') };
}

/** Pure: a container SAS query string (no `?`) for `permissions`, valid until `expiresOnSec`, signed with `keyBase64`. */
export function containerSas(account: string, container: string, keyBase64: string, permissions: string, expiresOnSec: number): string {
  const se = new Date(expiresOnSec * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  // sp, st, se, canonical resource, si, sip, spr, sv, sr, snapshot time, encryption scope, rscc, rscd, rsce, rscl, rsct
  const toSign = [permissions, '', se, `/blob/${account}/${container}`, '', '', 'https', SAS_VERSION, 'c', '', '', '', '', '', '', ''].join('\n');
  const sig = createHmac('sha256', Buffer.from(keyBase64, 'base64')).update(toSign, 'utf8').digest('base64');
  registerSecret(sig);
  return new URLSearchParams({ sv: SAS_VERSION, spr: 'https', se, sr: 'c', sp: permissions, sig }).toString();
}

export class BlobClient {
  constructor(
    private readonly ctx: EmulatorContext,
    readonly backend: BlobBackend,
  ) {}

  url(loc: BlobLocation): string {
    return blobUrl(this.backend.url, loc);
  }

  parse(url: string): BlobLocation | undefined {
    return parseBlobUrl(url, this.backend.url);
  }

  grant(account: string, container: string, permissions: string, expiresOnSec: number): string {
    const key = this.backend.keys.get(account);
    if (!key) throw new Error(`Azurite has no account ${account}: add it to AZURITE_ACCOUNT_NAMES (test/azure/azurite.ts)`);
    return containerSas(account, container, key, permissions, expiresOnSec);
  }

  async ensureContainer(account: string, container: string): Promise<void> {
    const res = await this.send('PUT', `${this.url({ account, container, path: '' })}?restype=container`);
    if (res.status !== 201 && res.status !== 409) throw new Error(`Azurite: create container ${account}/${container}: ${res.status} ${await res.text()}`);
    if (res.status === 409) await res.arrayBuffer();
  }

  async put(loc: BlobLocation, data: Buffer): Promise<void> {
    await this.ensureContainer(loc.account, loc.container);
    const res = await this.send('PUT', this.url(loc), data, { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/octet-stream' });
    if (res.status !== 201) throw new Error(`Azurite: put ${loc.account}/${loc.container}/${loc.path}: ${res.status} ${await res.text()}`);
  }

  async get(loc: BlobLocation): Promise<Buffer | undefined> {
    const res = await this.send('GET', this.url(loc));
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`Azurite: get ${loc.path}: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  /** Names (full blob names) under `prefix` in the container; none when the container does not exist. */
  async list(account: string, container: string, prefix = ''): Promise<string[]> {
    const names: string[] = [];
    let marker = '';
    for (;;) {
      const q = new URLSearchParams({ restype: 'container', comp: 'list', prefix });
      if (marker) q.set('marker', marker);
      const res = await this.send('GET', `${this.url({ account, container, path: '' })}?${q}`);
      const xml = await res.text();
      if (res.status === 404) return [];
      if (res.status !== 200) throw new Error(`Azurite: list ${account}/${container}: ${res.status}`);
      for (const m of xml.matchAll(/<Name>([^<]*)<\/Name>/g)) names.push(unXml(m[1]));
      marker = unXml(/<NextMarker>([^<]*)<\/NextMarker>/.exec(xml)?.[1] ?? '');
      if (!marker) return names;
    }
  }

  /** Copies the blob at `from.path`, or every blob under that folder, into folder `to.path`; returns the count. */
  async copyFolder(from: BlobLocation, to: BlobLocation): Promise<number> {
    const dst = to.path.replace(/\/*$/, to.path ? '/' : '');
    const single = from.path && !from.path.endsWith('/') ? await this.get(from) : undefined;
    if (single) {
      await this.put({ ...to, path: dst + from.path.slice(from.path.lastIndexOf('/') + 1) }, single);
      return 1;
    }
    const src = from.path.replace(/\/*$/, from.path ? '/' : '');
    const names = await this.list(from.account, from.container, src);
    for (const name of names) {
      const data = await this.get({ ...from, path: name });
      if (data) await this.put({ account: to.account, container: to.container, path: dst + name.slice(src.length) }, data);
    }
    return names.length;
  }

  private send(method: string, url: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(url, { method, body: body ? new Uint8Array(body) : undefined, headers: { authorization: `Bearer ${this.token()}`, 'x-ms-version': API_VERSION, ...headers } });
  }

  /** A storage token for the emulator itself, on the wall clock (Azurite checks nbf/exp against its own). */
  private token(): string {
    const now = Math.floor(Date.now() / 1000);
    const tid = this.ctx.dir.tenantId;
    return this.ctx.entraKey.sign({ aud: STORAGE_AUDIENCE, iss: stsIssuer(tid), iat: now - 60, nbf: now - 60, exp: now + 3600, tid, appid: 'local-azure', oid: 'local-azure' }, { x5t: this.ctx.entraKey.kid });
  }
}

function unXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
