/**
 * ArmReader.list page by page, over a fake client: what a caller's onPage sees, and that the next page is asked
 * for before the current one is handed out (so work started for a page never queues ahead of the page chain).
 */
import * as assert from 'node:assert/strict';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { ArmReader } from '../../../shared/azure/armReader';
import { CollectionError } from '../../../shared/azure/errors';

const ORIGIN = 'https://management.example';

/** A client answering `pages` in turn, each linking to the next; records every request as it is sent. */
function fakeClient(pages: Array<Array<{ id: string }>>, opts: { loop?: boolean } = {}) {
  const sent: string[] = [];
  const client = {
    sendRequest(req: PipelineRequest): Promise<PipelineResponse> {
      sent.push(req.url);
      const n = Number(new URL(req.url).searchParams.get('page') ?? '0');
      const next = opts.loop ? `${ORIGIN}/items?page=1` : n + 1 < pages.length ? `${ORIGIN}/items?page=${n + 1}` : undefined;
      const body = { value: pages[n], ...(next ? { nextLink: next } : {}) };
      return Promise.resolve({ status: 200, headers: {} as PipelineResponse['headers'], request: req, parsedBody: body } as PipelineResponse);
    },
  };
  return { client: client as unknown as AzureMachineLearningWorkspaces, sent };
}

const reader = (client: AzureMachineLearningWorkspaces, maxPages = 50) =>
  new ArmReader(client, `${ORIGIN}/`, { signal: new AbortController().signal, maxPages, deadlineSeconds: 60 });

describe('ArmReader.list', () => {
  const pages = [[{ id: 'a' }, { id: 'b' }], [], [{ id: 'c' }], [{ id: 'd' }]];

  it('hands out each non-empty page in order, after asking for the next one', async () => {
    const { client, sent } = fakeClient(pages);
    const seen: Array<{ ids: string[]; requested: number }> = [];
    const all = await reader(client).list('/items', '2024-01-01', 'items', '', (items) => seen.push({ ids: items.map((x) => x.id), requested: sent.length }));
    assert.deepEqual(all.map((x) => x.id), ['a', 'b', 'c', 'd']);
    // Page 1 is handed out once page 2 was asked for; the empty page 2 is not handed out; the last has no next.
    assert.deepEqual(seen, [
      { ids: ['a', 'b'], requested: 2 },
      { ids: ['c'], requested: 4 },
      { ids: ['d'], requested: 4 },
    ]);
  });

  it('a list that never ends is refused without asking for more, and onPage errors reach the caller', async () => {
    const looping = fakeClient([[{ id: 'a' }], [{ id: 'b' }]], { loop: true });
    await assert.rejects(reader(looping.client).list('/items', '2024-01-01', 'items'), (e: unknown) => e instanceof CollectionError && /did not end after 2 pages/.test(e.message));
    assert.equal(looping.sent.length, 2);
    const { client } = fakeClient(pages);
    await assert.rejects(reader(client).list('/items', '2024-01-01', 'items', '', () => { throw new Error('caller broke'); }), /caller broke/);
  });
});
