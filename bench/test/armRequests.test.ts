import * as assert from 'node:assert/strict';
import type { RequestRecord } from '../../test/azure/control';
import { countArm, expectedLarge, isCollectionPath, pagesFor, requestKind, timeline } from '../armRequests';

const WS = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws';

function rec(over: Partial<RequestRecord> & { path: string; t: number }): RequestRecord {
  const { t, ...rest } = over;
  return { method: 'GET', query: {}, status: 200, time: new Date(t).toISOString(), durationMs: 100, service: 'arm', ...rest };
}

describe('bench: ARM request accounting', () => {
  it('tells collections from single resources, across nested providers', () => {
    assert.equal(isCollectionPath(`${WS}/computes`), true);
    assert.equal(isCollectionPath(`${WS}/computes/ci-1`), false);
    assert.equal(isCollectionPath(WS), false);
    assert.equal(isCollectionPath(`${WS}/providers/Microsoft.Insights/diagnosticSettings`), true);
    assert.equal(isCollectionPath(`${WS}/providers/Microsoft.Authorization/roleAssignments/ra-1`), false);
    assert.equal(isCollectionPath('/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/acdd72a7'), false);
    assert.equal(isCollectionPath('/providers/Microsoft.Authorization/roleDefinitions'), true);
    assert.equal(requestKind(`${WS}/providers/Microsoft.Authorization/roleAssignments`), 'roleAssignments');
    assert.equal(requestKind(`${WS}/datastores/ds_0001`), 'datastores');
  });

  it('counts pages and GETs of ARM only, with first/last times relative to the origin', () => {
    const log = [
      rec({ path: '/tenant/oauth2/v2.0/token', method: 'POST', service: 'entra', t: 1000 }),
      rec({ path: WS, t: 1200 }),
      rec({ path: `${WS}/computes`, t: 1200 }),
      rec({ path: `${WS}/computes`, t: 1310, query: { $skiptoken: '50' } }),
      rec({ path: `${WS}/computes/x`, method: 'PUT', t: 1500 }),
    ];
    const c = countArm(log, 1000);
    assert.deepEqual([c.total, c.listPages, c.singleGets, c.other], [4, 2, 1, 1]);
    assert.deepEqual(c.lists.computes, { requests: 2, firstMs: 200, lastMs: 410 });
    assert.equal(c.gets.workspaces.requests, 1);
  });

  it('expects pages + 7 for the large scenario, an empty list costing one page', () => {
    assert.equal(pagesFor(0, 50), 1);
    assert.equal(pagesFor(50, 50), 1);
    assert.equal(pagesFor(51, 50), 2);
    const e = expectedLarge(1000, 50);
    // 400 computes (8) + 250 datastores (5) + 200 connections (4) + 150 role assignments (3) + PEC (1) + diagnostics (1)
    assert.equal(e.pages, 22);
    assert.equal(e.constant, 7);
    assert.equal(e.total, 29);
    assert.equal(expectedLarge(4000, 50).constant, 7);
    assert.equal(expectedLarge(4000, 50).pages, 32 + 20 + 16 + 12 + 2);
  });

  it('splits a run into start-up, sign-in, ARM and tail from the log', () => {
    const spawnAt = 10_000;
    const log = [
      rec({ path: '/demo-org/_apis/distributedtask', method: 'OPTIONS', service: 'devops', t: 10_500 }),
      rec({ path: '/t/oauth2/v2.0/token', method: 'POST', service: 'entra', t: 10_610 }),
      rec({ path: WS, t: 10_720 }),
      rec({ path: `${WS}/computes`, t: 10_720, durationMs: 100 }),
      rec({ path: `${WS}/computes`, t: 10_830, durationMs: 150 }),
    ];
    const t = timeline(log, spawnAt, 11_100, 100);
    assert.equal(t.startupMs, 500);
    assert.equal(t.signInMs, 220);
    assert.equal(t.armMs, 260);
    assert.equal(t.tailMs, 120);
    assert.equal(t.armRoundTrips, 3);
    assert.deepEqual(t.signInRequests, ['devops OPTIONS …/_apis/distributedtask', 'entra POST …/v2.0/token']);
  });
});
