import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicy, createDefaultHttpClient, createPipelineRequest, type HttpClient, type Pipeline, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { FileDigest } from '../evidence/digests';
import { CollectionError } from './errors';

export const STORAGE_SCOPE = 'https://storage.azure.com/.default';
/** Storage service version sent with every request (bearer tokens need 2017-11-09 or later). */
export const STORAGE_VERSION = '2023-11-03';
/** Streamed uploads go in blocks of this size: the most a copy holds in memory per file. */
export const BLOCK_BYTES = 8 * 1024 * 1024;
/** Server-side copies ask for ranges of this size per Put Block From URL. */
export const SERVER_BLOCK_BYTES = 256 * 1024 * 1024;

/** A blob folder: a container URL, a prefix ('' or ending with '/'), and a SAS (without '?') or none for Entra. */
export interface BlobFolder {
  /** https://<account endpoint>/<container>, no trailing slash. */
  containerUrl: string;
  prefix: string;
  sas?: string;
}

export function folderUrl(f: BlobFolder): string {
  return `${f.containerUrl}/${encodePath(f.prefix)}`;
}

/** A folder from a blob URL whose container is the last segment of `containerUrl`'s path (SAS stripped). */
export function folderOf(containerUrl: string, prefix: string, sas?: string): BlobFolder {
  const p = prefix.replace(/^\/+/, '');
  return { containerUrl: containerUrl.replace(/\/+$/, ''), prefix: p && !p.endsWith('/') ? `${p}/` : p, ...(sas ? { sas } : {}) };
}

export interface BlobFile extends FileDigest {
  /** Full blob URL without SAS. */
  url: string;
  /** ETag when digested: copies require the source to be unchanged since (If-Match). */
  etag?: string;
}

/** How one file reached the target. */
export type CopyMode = 'server-side' | 'streamed' | 'already-there';

/**
 * Blob transfers through a clone of the ML SDK client's pipeline (retries, user agent, TLS), minus its ARM
 * bearer policy (an ARM token must never reach a storage host) and its deserializer. SAS folders get no token at all; Entra
 * folders get a storage-scoped one. Bodies stream both ways: a file is never held whole.
 */
export class BlobTransfer {
  private readonly sasPipeline: Pipeline;
  private readonly entraPipeline: Pipeline;
  private readonly http: HttpClient = createDefaultHttpClient();

  constructor(client: AzureMachineLearningWorkspaces, private readonly credential: TokenCredential, private readonly signal: AbortSignal) {
    this.sasPipeline = client.pipeline.clone();
    this.sasPipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
    // The SDK's JSON/XML deserializer has no place here: bodies are streamed or read as text.
    this.sasPipeline.removePolicy({ name: 'deserializationPolicy' });
    this.entraPipeline = this.sasPipeline.clone();
    this.entraPipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: STORAGE_SCOPE }));
  }

  /** Every blob under the folder, digested by streaming through SHA-256; names relative to the folder, sorted. */
  async digestFolder(folder: BlobFolder, what: string): Promise<BlobFile[]> {
    const names = await this.list(folder, what);
    const files: BlobFile[] = [];
    for (const name of names) {
      const url = folderUrl(folder) + encodePath(name);
      const { body, etag } = await this.open(folder, url, what);
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of body) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      files.push({ name, sha256: hash.digest('hex'), size, url, ...(etag ? { etag } : {}) });
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Relative names of the blobs under the folder (List Blobs, following NextMarker). */
  async list(folder: BlobFolder, what: string): Promise<string[]> {
    const { containerUrl, prefix } = folder;
    const names: string[] = [];
    let marker = '';
    for (let page = 0; page < 1000; page++) {
      const q = new URLSearchParams({ restype: 'container', comp: 'list', prefix });
      if (marker) q.set('marker', marker);
      const res = await this.send(folder, `${containerUrl}?${q}`, 'GET', what);
      const xml = res.bodyAsText ?? '';
      for (const m of xml.matchAll(/<Blob>\s*<Name>([^<]*)<\/Name>/g)) names.push(unXml(m[1]).slice(prefix.length));
      marker = unXml(/<NextMarker>([^<]*)<\/NextMarker>/.exec(xml)?.[1] ?? '');
      if (!marker) break;
    }
    return names.filter((n) => n && !n.endsWith('/'));
  }

  /** GET a blob as a stream; the caller consumes it. */
  async get(folder: BlobFolder, url: string, what: string, ifMatch?: string): Promise<Readable> {
    return (await this.open(folder, url, what, ifMatch)).body;
  }

  private async open(folder: BlobFolder, url: string, what: string, ifMatch?: string): Promise<{ body: Readable; etag?: string }> {
    const req = createPipelineRequest({ url: withSas(url, folder.sas), method: 'GET', abortSignal: this.signal });
    req.streamResponseStatusCodes = new Set([200]);
    if (ifMatch) req.headers.set('if-match', ifMatch);
    const res = await this.run(folder, req, what, url);
    const body = res.readableStreamBody;
    if (!body) throw new CollectionError(what, url, 'the blob answer has no body');
    return { body: body as Readable, etag: res.headers.get('etag') ?? undefined };
  }

  /** The blob's `x-ms-meta-sha256` and size, or undefined when it does not exist. */
  async head(folder: BlobFolder, name: string, what: string): Promise<{ sha256?: string; size: number } | undefined> {
    const url = folderUrl(folder) + encodePath(name);
    const req = createPipelineRequest({ url: withSas(url, folder.sas), method: 'HEAD', abortSignal: this.signal });
    try {
      const res = await this.run(folder, req, what, url);
      return { sha256: res.headers.get('x-ms-meta-sha256') ?? undefined, size: Number(res.headers.get('content-length') ?? -1) };
    } catch (e) {
      if (e instanceof CollectionError && e.status === 404) return undefined;
      throw e;
    }
  }

  /**
   * Uploads a stream of known size in blocks of BLOCK_BYTES (Put Block, then Put Block List): one block is
   * held at a time, never the file. `sha256` goes into the blob's metadata, so a re-run can tell a finished
   * copy from a partial one without reading it.
   */
  async putBlocks(folder: BlobFolder, name: string, body: AsyncIterable<Buffer>, size: number, what: string, sha256?: () => string): Promise<string> {
    const url = folderUrl(folder) + encodePath(name);
    const ids: string[] = [];
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let sent = 0;
    const flush = async () => {
      if (!pendingBytes) return;
      const block = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      const id = blockId(ids.length);
      await this.putBlock(folder, url, id, block, what);
      ids.push(id);
      sent += block.length;
    };
    for await (const chunk of body) {
      let c = chunk;
      while (c.length) {
        const take = Math.min(c.length, BLOCK_BYTES - pendingBytes);
        pending.push(take === c.length ? c : c.subarray(0, take));
        pendingBytes += take;
        c = c.subarray(take);
        if (pendingBytes === BLOCK_BYTES) await flush();
      }
    }
    await flush();
    if (sent !== size) throw new CollectionError(what, url, `the source gave ${sent} bytes, ${size} expected`);
    await this.commitBlocks(folder, url, ids, what, sha256?.());
    return url;
  }

  private async putBlock(folder: BlobFolder, url: string, id: string, block: Buffer, what: string): Promise<void> {
    const req = createPipelineRequest({ url: withSas(`${url}?comp=block&blockid=${encodeURIComponent(id)}`, folder.sas), method: 'PUT', abortSignal: this.signal, body: block });
    req.headers.set('content-length', String(block.length));
    await this.run(folder, req, what, url);
  }

  private async commitBlocks(folder: BlobFolder, url: string, ids: string[], what: string, sha256?: string): Promise<void> {
    const xml = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((i) => `<Latest>${i}</Latest>`).join('')}</BlockList>`;
    const req = createPipelineRequest({ url: withSas(`${url}?comp=blocklist`, folder.sas), method: 'PUT', abortSignal: this.signal, body: xml });
    req.headers.set('content-type', 'application/xml');
    req.headers.set('x-ms-blob-content-type', 'application/octet-stream');
    if (sha256) req.headers.set('x-ms-meta-sha256', sha256);
    await this.run(folder, req, what, url);
  }

  /**
   * Server-side copy: the target storage reads the source itself (Put Block From URL per range, then Put
   * Block List), authorized by a storage token for the source (or its SAS) and pinned to the ETag that was
   * digested. Nothing passes through this process. Throws CollectionError when the target cannot read the source.
   */
  async copyServerSide(from: BlobFolder, file: BlobFile, to: BlobFolder, what: string): Promise<string> {
    const url = folderUrl(to) + encodePath(file.name);
    const source = withSas(file.url, from.sas);
    const auth = from.sas ? undefined : (await this.credential.getToken(STORAGE_SCOPE, { abortSignal: this.signal }))?.token;
    const ids: string[] = [];
    for (let start = 0; start < file.size || ids.length === 0; start += SERVER_BLOCK_BYTES) {
      const id = blockId(ids.length);
      const req = createPipelineRequest({ url: withSas(`${url}?comp=block&blockid=${encodeURIComponent(id)}`, to.sas), method: 'PUT', abortSignal: this.signal });
      req.headers.set('content-length', '0');
      req.headers.set('x-ms-copy-source', source);
      if (auth) req.headers.set('x-ms-copy-source-authorization', `Bearer ${auth}`);
      if (file.size > 0) req.headers.set('x-ms-source-range', `bytes=${start}-${Math.min(file.size, start + SERVER_BLOCK_BYTES) - 1}`);
      if (file.etag) req.headers.set('x-ms-source-if-match', file.etag);
      await this.run(to, req, what, url);
      ids.push(id);
      if (file.size === 0) break;
    }
    await this.commitBlocks(to, url, ids, what, file.sha256);
    return url;
  }

  /** Put Blob (single shot) from a stream of known size. */
  async put(folder: BlobFolder, name: string, body: Readable | Buffer, size: number, what: string): Promise<string> {
    const url = folderUrl(folder) + encodePath(name);
    const req = createPipelineRequest({ url: withSas(url, folder.sas), method: 'PUT', abortSignal: this.signal, body: Buffer.isBuffer(body) ? body : () => body });
    req.headers.set('x-ms-blob-type', 'BlockBlob');
    req.headers.set('content-length', String(size));
    req.headers.set('content-type', 'application/octet-stream');
    await this.run(folder, req, what, url);
    return url;
  }

  /**
   * Copies one blob to another folder: skipped when the target already holds it (same sha256 metadata and
   * size: a re-run after a failure), server-side when the target storage can read the source, else streamed
   * GET → Put Block in BLOCK_BYTES blocks, hashing on the way; a streamed copy whose bytes differ from the
   * digest verified earlier is refused before its block list is committed.
   */
  async copy(from: BlobFolder, file: BlobFile, to: BlobFolder, what: string, allowServerSide = true): Promise<{ url: string; mode: CopyMode }> {
    const there = await this.head(to, file.name, what);
    if (there && there.sha256 === file.sha256 && there.size === file.size) return { url: folderUrl(to) + encodePath(file.name), mode: 'already-there' };
    if (allowServerSide) {
      try {
        return { url: await this.copyServerSide(from, file, to, what), mode: 'server-side' };
      } catch (e) {
        if (!(e instanceof CollectionError) || !cannotReadSource(e)) throw e;
      }
    }
    const src = await this.get(from, file.url, what, file.etag);
    const hash = createHash('sha256');
    async function* hashed(): AsyncIterable<Buffer> {
      for await (const c of src) {
        hash.update(c as Buffer);
        yield c as Buffer;
      }
    }
    const url = await this.putBlocks(to, file.name, hashed(), file.size, what, () => {
      const got = hash.digest('hex');
      if (got !== file.sha256) throw new CollectionError(what, file.url, `the source changed while copying: sha256 ${got}, verified ${file.sha256}`);
      return got;
    });
    return { url, mode: 'streamed' };
  }

  private async send(folder: BlobFolder, url: string, method: 'GET', what: string): Promise<PipelineResponse> {
    const req = createPipelineRequest({ url: withSas(url, folder.sas), method, abortSignal: this.signal });
    return this.run(folder, req, what, url);
  }

  private async run(folder: BlobFolder, req: ReturnType<typeof createPipelineRequest>, what: string, url: string): Promise<PipelineResponse> {
    const pipeline = folder.sas ? this.sasPipeline : this.entraPipeline;
    req.headers.set('x-ms-version', STORAGE_VERSION);
    let res: PipelineResponse;
    try {
      res = await pipeline.sendRequest(this.http, req);
    } catch (err) {
      // Messages may carry the URL with its SAS: name the blob without it.
      throw new CollectionError(what, url, `the blob request failed: ${String((err as Error)?.message ?? err).replace(/sig=[^&\s"]+/g, 'sig=***').slice(0, 200)}`);
    }
    if (res.status >= 400) {
      res.readableStreamBody?.resume();
      const code = res.headers.get('x-ms-error-code') ?? undefined;
      throw new CollectionError(what, url, `blob storage answered ${res.status}${code ? ` ${code}` : ''}`, res.status, code);
    }
    return res;
  }
}

/** Block ids: same length for every block of a blob, base64. */
function blockId(n: number): string {
  return Buffer.from(`block-${String(n).padStart(8, '0')}`).toString('base64');
}

/** Errors that mean "the target storage cannot read the source" (or does not do server-side copies): stream instead. */
function cannotReadSource(e: CollectionError): boolean {
  return e.code === 'CannotVerifyCopySource' || e.status === 501 || e.code === 'NotImplemented' || e.code === 'FeatureNotSupported';
}

function withSas(url: string, sas: string | undefined): string {
  return sas ? `${url}${url.includes('?') ? '&' : '?'}${sas}` : url;
}

function encodePath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

function unXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

