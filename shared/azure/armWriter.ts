import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import { createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { ArmReader } from './armReader';
import { CollectionError } from './errors';

/**
 * ARM writes (PUT, POST) through the ML SDK's own pipeline, next to ArmReader's reads. Failures become
 * CollectionErrors naming what was written. Registry writes answer as long-running operations: the
 * `Azure-AsyncOperation` status is followed (same origin only) until it ends.
 */
export class ArmWriter {
  private readonly origin: string;

  constructor(
    private readonly client: AzureMachineLearningWorkspaces,
    managementUrl: string,
    private readonly reader: ArmReader,
    private readonly signal: AbortSignal,
  ) {
    this.origin = new URL(managementUrl).origin;
  }

  async put(id: string, apiVersion: string, body: unknown, what: string): Promise<unknown> {
    return this.send('PUT', id, apiVersion, body, what);
  }

  async post(id: string, apiVersion: string, body: unknown, what: string): Promise<unknown> {
    return this.send('POST', id, apiVersion, body, what);
  }

  private async send(method: 'PUT' | 'POST', id: string, apiVersion: string, body: unknown, what: string): Promise<unknown> {
    const url = `${this.origin}${id}${id.includes('?') ? '&' : '?'}api-version=${apiVersion}`;
    const req = createPipelineRequest({ url, method, abortSignal: this.signal, body: JSON.stringify(body ?? {}) });
    req.headers.set('content-type', 'application/json');
    let res: PipelineResponse;
    try {
      res = await this.client.sendRequest(req);
    } catch (err) {
      throw this.reader.toCollectionError(err, what, id);
    }
    if (res.status >= 400) throw errorOf(res, what, id);
    const op = res.headers.get('azure-asyncoperation');
    if (op) await this.waitFor(op, what, id);
    const text = res.bodyAsText ?? '';
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new CollectionError(what, id, `the response body is not valid JSON (${text.length} bytes)`, res.status);
    }
  }

  private async waitFor(opUrl: string, what: string, id: string): Promise<void> {
    const url = this.reader.checkNextLink(opUrl, what, id);
    for (let i = 0; i < 60; i++) {
      const req = createPipelineRequest({ url, method: 'GET', abortSignal: this.signal });
      let res: PipelineResponse;
      try {
        res = await this.client.sendRequest(req);
      } catch (err) {
        throw this.reader.toCollectionError(err, what, id);
      }
      if (res.status >= 400) throw errorOf(res, what, id);
      const status = String(safeJson(res.bodyAsText)?.status ?? '');
      if (/^succeeded$/i.test(status)) return;
      if (/^(failed|canceled|cancelled)$/i.test(status)) throw new CollectionError(what, id, `the operation ended ${status}`);
      await new Promise((r) => setTimeout(r, Math.min(1000 * (i + 1), 5000)).unref());
    }
    throw new CollectionError(what, id, 'the operation did not finish');
  }
}

function safeJson(text: string | null | undefined): any {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

function errorOf(res: PipelineResponse, what: string, id: string): CollectionError {
  const body = safeJson(res.bodyAsText);
  const code: string | undefined = body?.error?.code;
  const message = String(body?.error?.message ?? '').replace(/\s+/g, ' ').slice(0, 200);
  return new CollectionError(what, id, `Azure answered ${res.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`, res.status, code);
}
