/**
 * Concurrency, checked by structure rather than by the clock: servers that never answer hold every connection
 * the probes open until the probes' deadline, so the most they hold at once shows how many probes ran together.
 */
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchProbes, SOCKETS_PER_ENDPOINT } from '../../bench/probeConcurrency';
import { probeEndpoints, startProbeRunner } from '../../shared/probe';
import { ConnectionTracker, startSilentServer, type ProbeServer } from './servers';

async function silentServers(n: number, tracker: ConnectionTracker): Promise<ProbeServer[]> {
  return Promise.all(Array.from({ length: n }, () => startSilentServer(tracker)));
}

const targetsOf = (servers: ProbeServer[]) => servers.map((s, i) => ({ endpointId: `ep-${i}`, scoringUri: s.uri }));

describe('probe: concurrency', function () {
  this.timeout(30_000);
  let servers: ProbeServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });

  it('opens every probe of every endpoint at the same time', async () => {
    const tracker = new ConnectionTracker();
    servers = await silentServers(6, tracker);
    await probeEndpoints(targetsOf(servers), { timeoutMs: 1000 });
    assert.equal(tracker.total, 6 * SOCKETS_PER_ENDPOINT);
    assert.equal(tracker.maxOpen, tracker.total, 'all connections were open together');
  });

  it('keeps at most `concurrency` endpoints in flight', async () => {
    const tracker = new ConnectionTracker();
    servers = await silentServers(8, tracker);
    const reports = await probeEndpoints(targetsOf(servers), { timeoutMs: 400, concurrency: 2 });
    assert.equal(reports.length, 8);
    assert.equal(tracker.total, 8 * SOCKETS_PER_ENDPOINT);
    // A full pair is open together. The servers may see the previous pair's close after the next pair's
    // connect (the FIN is still in flight), so up to two pairs can overlap from their side, never more.
    assert.ok(tracker.maxOpen >= 2 * SOCKETS_PER_ENDPOINT && tracker.maxOpen <= 4 * SOCKETS_PER_ENDPOINT, `max open ${tracker.maxOpen}`);
  });

  it('destroys every socket on abort and rejects with the abort reason', async () => {
    const tracker = new ConnectionTracker();
    servers = await silentServers(5, tracker);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const ac = new AbortController();
      const run = probeEndpoints(targetsOf(servers), { timeoutMs: 60_000, signal: ac.signal });
      while (tracker.open < 5 * SOCKETS_PER_ENDPOINT) await sleep(10);
      ac.abort();
      await assert.rejects(run, { name: 'AbortError' });
      while (tracker.open > 0) await sleep(10); // the servers see every connection close; a leak would hang here until the mocha timeout
      await sleep(10);
    } finally {
      process.off('warning', onWarning);
    }
    // 20 sockets listen for the abort: the caller's signal must not collect them all.
    assert.deepEqual(warnings, []);
  });

  it('on the worker thread, an abort ends every socket and rejects with the abort reason', async () => {
    const tracker = new ConnectionTracker();
    servers = await silentServers(3, tracker);
    const ac = new AbortController();
    const run = startProbeRunner().probe(targetsOf(servers), { timeoutMs: 60_000, signal: ac.signal });
    while (tracker.open < 3 * SOCKETS_PER_ENDPOINT) await sleep(10);
    ac.abort();
    await assert.rejects(run, { name: 'AbortError' });
    while (tracker.open > 0) await sleep(10); // terminating the thread closes its sockets; a leak would hang until the mocha timeout
  });

  it('bench: with half the servers silent, every silent connection is open at once', async () => {
    const r = await benchProbes(8, 800);
    assert.equal(r.silentConnections, 4 * SOCKETS_PER_ENDPOINT);
    assert.equal(r.maxOpenSilent, r.silentConnections);
    // Answering servers pass all five checks; silent ones leave only plain HTTP passing (nothing served).
    assert.deepEqual(r.statuses, { pass: 4 * 5 + 4, fail: 0, unreachable: 4 * 4, 'not-applicable': 0 });
  });
});
