import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicy, createDefaultHttpClient, createPipelineRequest, type HttpClient, type Pipeline, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { FileDigest } from '../evidence/digests';
import { CollectionError } from './errors';

export const STORAGE_SCOPE = 'https://storage.azure.com/.default';

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
}

/**
 * Blob transfers through a clone of the ML SDK client's pipeline (retries, user agent, TLS), minus its ARM
 * bearer policy (an ARM token must never reach a storage host) and its deserializer. SAS folders get no token at all; Entra
 * folders get a storage-scoped one. Bodies stream both ways: a file is never held whole.
 */
export class BlobTransfer {
  private readonly sasPipeline: Pipeline;
  private readonly entraPipeline: Pipeline;
  private readonly http: HttpClient = createDefaultHttpClient();

  constructor(client: AzureMachineLearningWorkspaces, credential: TokenCredential, private readonly signal: AbortSignal) {
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
      const res = await this.get(folder, url, what);
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of res) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      files.push({ name, sha256: hash.digest('hex'), size, url });
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
  async get(folder: BlobFolder, url: string, what: string): Promise<Readable> {
    const res = await this.send(folder, url, 'GET', what, true);
    const body = res.readableStreamBody;
    if (!body) throw new CollectionError(what, url, 'the blob answer has no body');
    return body as Readable;
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
   * Copies one blob to another folder, streaming, and hashes the bytes on the way: the caller compares the
   * digest with the one verified earlier (a source that changed in between is caught).
   */
  async copy(from: BlobFolder, file: BlobFile, to: BlobFolder, what: string): Promise<{ sha256: string; url: string }> {
    const src = await this.get(from, file.url, what);
    const hash = createHash('sha256');
    const pass = new PassThrough();
    src.on('data', (c: Buffer) => hash.update(c));
    src.on('error', (e) => pass.destroy(e));
    src.pipe(pass);
    const url = await this.put(to, file.name, pass, file.size, what);
    return { sha256: hash.digest('hex'), url };
  }

  private async send(folder: BlobFolder, url: string, method: 'GET', what: string, stream = false): Promise<PipelineResponse> {
    const req = createPipelineRequest({ url: withSas(url, folder.sas), method, abortSignal: this.signal });
    if (stream) req.streamResponseStatusCodes = new Set([200]);
    return this.run(folder, req, what, url);
  }

  private async run(folder: BlobFolder, req: ReturnType<typeof createPipelineRequest>, what: string, url: string): Promise<PipelineResponse> {
    const pipeline = folder.sas ? this.sasPipeline : this.entraPipeline;
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

function withSas(url: string, sas: string | undefined): string {
  return sas ? `${url}${url.includes('?') ? '&' : '?'}${sas}` : url;
}

function encodePath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

function unXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

