import { setMaxListeners } from 'node:events';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { createPipelineRequest, isRestError, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { ArmResource } from '../rules/types';
import { CollectionError, parseAuthorizationFailed, permissionHint } from './errors';

export interface ArmReaderOptions {
  /** Aborts every request when the gate's overall deadline passes. */
  signal: AbortSignal;
  /** A list that has not ended after this many pages is treated as broken (a nextLink that never stops). */
  maxPages: number;
  /** Seconds of the overall deadline, for messages. */
  deadlineSeconds: number;
}

/**
 * Raw ARM reads through the ML SDK's own pipeline (auth, retries that honour Retry-After, user agent),
 * for what the 2022-10-01 SDK lacks or flattens away. Every failure becomes a CollectionError naming
 * what was read.
 */
export class ArmReader {
  private readonly origin: string;
  readonly maxPages: number;

  constructor(
    private readonly client: AzureMachineLearningWorkspaces,
    managementUrl: string,
    private readonly opts: ArmReaderOptions,
  ) {
    this.origin = new URL(managementUrl).origin;
    this.maxPages = opts.maxPages;
    // Every read in flight listens on the one deadline signal; hundreds at once (endpoints, metrics) are expected.
    setMaxListeners(1000, opts.signal);
  }

  /** GET one resource. With `optional`, a 404 yields undefined instead of an error. */
  async get(id: string, apiVersion: string, what: string, optional = false): Promise<ArmResource | undefined> {
    const res = await this.send(this.url(id, apiVersion), what, id, optional);
    if (res.status === 404) return undefined;
    return this.parse(res, what, id) as ArmResource;
  }

  /**
   * GET a collection and follow nextLink to the end. `onPage` sees each page's items as they arrive, so a caller
   * can start work on them while the next page is read.
   */
  async list(path: string, apiVersion: string, what: string, query = '', onPage?: (items: ArmResource[]) => void): Promise<ArmResource[]> {
    const items: ArmResource[] = [];
    let url = this.url(path, apiVersion) + query;
    const seen = new Set<string>();
    let next: Promise<PipelineResponse> | undefined;
    for (let page = 1; ; page++) {
      const res = await (next ?? this.send(url, what, path));
      const body = this.parse(res, what, path) as { value?: ArmResource[]; nextLink?: string | null };
      if (!Array.isArray(body.value)) throw new CollectionError(what, path, 'the list response has no "value" array', res.status);
      items.push(...body.value);
      if (body.nextLink) {
        url = this.checkNextLink(body.nextLink, what, path);
        if (seen.has(url) || page >= this.opts.maxPages) {
          throw new CollectionError(what, path, `the list did not end after ${page} pages (the service kept returning a nextLink)`);
        }
        seen.add(url);
        // Asked for before this page is handed out: what the caller starts for it must not queue ahead of the chain.
        next = this.send(url, what, path);
        next.catch(() => undefined);
      }
      if (body.value.length) onPage?.(body.value);
      if (!body.nextLink) return items;
    }
  }

  /** Runs an SDK call and converts its errors, so typed operations fail the same way raw reads do. */
  async sdk<T>(what: string, target: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await call(this.opts.signal);
    } catch (err) {
      throw this.toCollectionError(err, what, target);
    }
  }

  checkNextLink(next: string, what: string, target: string): string {
    let u: URL;
    try {
      u = new URL(next, this.origin);
    } catch {
      throw new CollectionError(what, target, `the nextLink is not a URL`);
    }
    // The bearer token goes with every request: never follow a link off the management endpoint.
    if (u.origin !== this.origin) throw new CollectionError(what, target, `the nextLink points outside ${this.origin}; refusing to send credentials there`);
    return u.toString();
  }

  private url(path: string, apiVersion: string): string {
    const sep = path.includes('?') ? '&' : '?';
    return `${this.origin}${path.startsWith('/') ? '' : '/'}${path}${sep}api-version=${apiVersion}`;
  }

  private async send(url: string, what: string, target: string, allow404 = false): Promise<PipelineResponse> {
    // No per-request `timeout`: core-rest-pipeline leaves its timer running when a socket is reset, which keeps
    // the task process alive that long. The overall deadline (an unref'd AbortSignal) bounds every wait.
    const req = createPipelineRequest({ url, method: 'GET', abortSignal: this.opts.signal });
    let res: PipelineResponse;
    try {
      res = await this.client.sendRequest(req);
    } catch (err) {
      throw this.toCollectionError(err, what, target);
    }
    if (res.status >= 400 && !(allow404 && res.status === 404)) throw this.statusError(res, what, target);
    return res;
  }

  private parse(res: PipelineResponse, what: string, target: string): unknown {
    // The client's deserialization policy has already parsed a JSON body; parsing it twice cost ~0.3 ms per page.
    const parsed = (res as { parsedBody?: unknown }).parsedBody;
    if (parsed !== null && typeof parsed === 'object') return parsed;
    const text = res.bodyAsText ?? '';
    try {
      const body = JSON.parse(text);
      if (body === null || typeof body !== 'object') throw new Error('not an object');
      return body;
    } catch {
      throw new CollectionError(what, target, `the response body is not valid JSON (${text.length} bytes)`, res.status);
    }
  }

  private statusError(res: PipelineResponse, what: string, target: string): CollectionError {
    let code: string | undefined;
    let message = '';
    try {
      const body = JSON.parse(res.bodyAsText ?? '');
      code = body?.error?.code;
      message = String(body?.error?.message ?? '');
    } catch {
      /* not JSON: the status alone must do */
    }
    return new CollectionError(what, target, explainStatus(res.status, code, message, res.headers.get('retry-after')), res.status, code);
  }

  toCollectionError(err: unknown, what: string, target: string): CollectionError {
    if (err instanceof CollectionError) return err;
    if (this.opts.signal.aborted) {
      return new CollectionError(what, target, `the gate's deadline of ${this.opts.deadlineSeconds} s passed before the read completed`, undefined, 'DeadlineExceeded');
    }
    if (isRestError(err)) {
      if (err.statusCode && err.statusCode >= 400) {
        const body = err.response?.bodyAsText;
        let code = err.code;
        let message = err.message;
        try {
          const parsed = JSON.parse(body ?? '');
          code = parsed?.error?.code ?? code;
          message = parsed?.error?.message ?? message;
        } catch {
          /* keep what RestError said */
        }
        return new CollectionError(what, target, explainStatus(err.statusCode, code, message, err.response?.headers.get('retry-after')), err.statusCode, code);
      }
      if (err.code === 'PARSE_ERROR' || /parsing|JSON/i.test(err.message)) {
        return new CollectionError(what, target, 'the response body is not valid JSON', err.statusCode, 'PARSE_ERROR');
      }
      return new CollectionError(what, target, `the connection failed after retries: ${oneLine(err.message)}`, undefined, err.code);
    }
    return new CollectionError(what, target, oneLine((err as Error)?.message ?? String(err)));
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function explainStatus(status: number, code: string | undefined, message: string, retryAfter: string | null | undefined): string {
  switch (true) {
    case status === 401:
      return `the token was refused (${code ?? 'Unauthorized'}); check that the service connection's tenant and subscription are right and its credential is valid`;
    case status === 403: {
      const { action, scope } = parseAuthorizationFailed(message);
      return permissionHint(action, scope);
    }
    case status === 404:
      return `not found (${code ?? 'NotFound'}); check the resource group and workspace names and the connection's subscription`;
    case status === 429:
      return `throttled by Azure Resource Manager and still throttled after retries${retryAfter ? ` (Retry-After: ${retryAfter} s)` : ''}`;
    case status >= 500:
      return `Azure Resource Manager answered ${status}${code ? ` ${code}` : ''} after retries${message ? `: ${oneLine(message).slice(0, 160)}` : ''}`;
    default:
      return `unexpected answer ${status}${code ? ` ${code}` : ''}${message ? `: ${oneLine(message).slice(0, 160)}` : ''}`;
  }
}
