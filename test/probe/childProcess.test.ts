/**
 * Probes in a child process: it must exit on its own once probeEndpoints resolves (no socket or timer left
 * behind), and the Node 24 binary must detect a TLS 1.0/1.1 server just as this Node does.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ProbeReport } from '../../shared/probe';
import { PRB_LEGACY_TLS } from '../../shared/probe/rules';
import { issueLeaf } from './certs';
import { closedPort, startSilentServer, startTlsServer, type ProbeServer } from './servers';
import { scratchDir, trustedTestCa } from './testCa';

const ROOT = resolve(__dirname, '../../..');
const CHILD = join(ROOT, 'build/test/probe/child/probeChild.js');
const NODE24 = join(ROOT, '.cache/node24/node_modules/node/bin/node');

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: { reports: ProbeReport[]; leftover: string[]; node: string };
}

/** Runs the child; kills it (and the test then fails) if it has not exited `graceMs` after starting. */
function runChild(node: string, arg: unknown, graceMs: number): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, [CHILD, JSON.stringify(arg)], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const guard = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (!stdout.trim()) return reject(new Error(`child printed nothing (code ${code}, signal ${signal}): ${stderr}`));
      resolvePromise({ code, signal, out: JSON.parse(stdout.trim().split('\n').pop()!) });
    });
  });
}

describe('probe: in a process of its own', function () {
  this.timeout(60_000);
  const servers: ProbeServer[] = [];
  let scratch: { dir: string; remove: () => void };
  let good: ProbeServer;
  let legacy: ProbeServer;
  let silent: ProbeServer;
  let closed: number;

  before(async () => {
    const ca = trustedTestCa();
    scratch = scratchDir('probe-child-');
    const cert = issueLeaf(ca, scratch.dir, 'leaf', { san: 'IP:127.0.0.1', fromDays: -1, toDays: 400 });
    good = await startTlsServer({ cert });
    legacy = await startTlsServer({ cert, legacyTls: true });
    silent = await startSilentServer();
    closed = await closedPort();
    servers.push(good, legacy, silent);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    scratch?.remove();
  });

  it('exits by itself after probing, with no socket, lookup or timer left', async () => {
    const targets = [
      { endpointId: 'good', scoringUri: good.uri },
      { endpointId: 'silent', scoringUri: silent.uri },
      { endpointId: 'closed', scoringUri: `https://127.0.0.1:${closed}/score` },
      { endpointId: 'dns', scoringUri: 'https://does-not-exist.invalid/score' },
    ];
    const r = await runChild(process.execPath, { targets, options: { timeoutMs: 800 } }, 15_000);
    assert.deepEqual([r.code, r.signal], [0, null], 'the child exited on its own');
    assert.deepEqual(r.out.leftover, []);
    assert.equal(r.out.reports.length, 4);
    assert.ok(r.out.reports[3].checks.every((c) => c.status !== 'fail'), 'an unresolvable host is not judged');
  });

  it('detects the TLS 1.0/1.1 server on Node 24 too', async function () {
    if (!existsSync(NODE24)) this.skip();
    const targets = [{ endpointId: 'legacy', scoringUri: legacy.uri }, { endpointId: 'good', scoringUri: good.uri }];
    const r = await runChild(NODE24, { targets, options: { timeoutMs: 3000 } }, 20_000);
    assert.match(r.out.node, /^24\./);
    const legacyCheck = (id: string) => r.out.reports.find((x) => x.endpointId === id)!.checks.find((c) => c.ruleId === PRB_LEGACY_TLS)!;
    assert.equal(legacyCheck('legacy').status, 'fail', legacyCheck('legacy').message);
    assert.equal(legacyCheck('good').status, 'pass', legacyCheck('good').message);
    assert.deepEqual(r.out.leftover, []);
  });
});
