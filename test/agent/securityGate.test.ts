/**
 * SecurityGate as the agent runs it: the bundled task in a child process (on the Node that runs this suite,
 * so the matrix covers both handlers), its service connection pointing at the local Azure, and its
 * ##vso commands read back.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalAzure } from '../azure/server';
import { useLocalAzure } from '../azure/testSupport';
import { certificateConnection, managedIdentityConnection, secretConnection, wifConnection } from './connections';
import { runTask, type TaskRun } from './runTask';
import { evidenceValidator, sarifValidator, schemaProblems } from '../schemas/validators';
import { registerSecret } from './sweep';

const ENTRY = 'dist/tasks/SecurityGate/index.js';
const INSECURE = { resourceGroupName: 'rg-ml-insecure', workspaceName: 'mlw-insecure' };
const HARDENED = { resourceGroupName: 'rg-ml-hardened', workspaceName: 'mlw-hardened' };

interface Conn { id: string; env: Record<string, string> }

async function gate(conn: Conn, inputs: Record<string, string>, opts: { env?: Record<string, string>; tempDir?: string } = {}): Promise<TaskRun> {
  return runTask({ entry: ENTRY, inputs: { azureSubscription: conn.id, failOnSeverity: 'high', ...inputs }, env: { ...conn.env, ...opts.env }, tempDir: opts.tempDir, timeoutMs: 90_000 });
}

function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The summary file the task uploaded. */
function summaryOf(run: TaskRun): string {
  const cmd = run.commands.find((c) => c.event === 'uploadsummary');
  assert.ok(cmd, 'no task.uploadsummary');
  return readFileSync(cmd.data, 'utf8');
}

function assertOneLineReason(run: TaskRun): void {
  assert.equal(run.result, 'Failed', run.stdout);
  assert.ok(run.resultMessage && !run.resultMessage.includes('\n'), 'the reason must be one line');
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at .+\(.*:\d+:\d+\)/, 'no stack trace may reach the log');
}

describe('SecurityGate task (agent-style run of the bundle)', function () {
  this.timeout(120_000);
  const local = useLocalAzure({ scenarios: ['insecure', 'hardened'] });
  let azure: LocalAzure;
  before(() => {
    azure = local();
    // The local Azure's credentials are what a leak would expose: the sweep checks every output for them.
    registerSecret(azure.clientSecret, azure.systemAccessToken, ...azure.certificatePem.split('\n').filter((l) => l.length > 40 && !l.startsWith('-----')));
  });
  beforeEach(() => { azure.faults.clear(); azure.resetRequests(); });

  it('fails on the insecure workspace and writes SARIF, evidence, summary and outputs', async () => {
    const run = await gate(wifConnection(azure), INSECURE);
    assert.equal(run.result, 'Failed', run.stdout);
    assert.match(run.resultMessage ?? '', /^\d+ findings? at or above high in workspace mlw-insecure/);
    assert.equal(run.outputs.verdict, 'failed');
    assert.ok(Number(run.outputs.findingCount) >= 30, `findingCount ${run.outputs.findingCount}`);

    const sarif = readJson(run.outputs.sarifPath);
    assert.deepEqual(schemaProblems(sarifValidator(), sarif), []);
    const results = sarif.runs[0].results as any[];
    assert.equal(results.length, Number(run.outputs.findingCount));
    const ids = new Set(results.map((r) => r.ruleId));
    for (const id of ['AML-WS-001', 'AML-CMP-003', 'AML-DS-001', 'AML-CONN-001', 'AML-LNK-ST-001', 'AML-IAM-001', 'AML-IAM-002', 'AML-IAM-003']) {
      assert.ok(ids.has(id), `expected a ${id} finding`);
    }
    const evidence = readJson(run.outputs.evidencePath);
    assert.deepEqual(schemaProblems(evidenceValidator(), evidence), []);
    assert.equal(evidence.verdict, 'failed');
    assert.equal(evidence.gate, 'SecurityGate');
    assert.equal(evidence.source.commit, '9c4b2f7e1d3a5b6c8e0f1a2b3c4d5e6f7a8b9c0d');
    assert.ok(evidence.targets.some((t: string) => /workspaces\/mlw-insecure$/i.test(t)));
    assert.match(summaryOf(run), /❌ SecurityGate failed/);
    const attachments = run.commands.filter((c) => c.event === 'addattachment').map((c) => c.props.type);
    assert.deepEqual(attachments.sort(), ['mlops-gates.evidence', 'mlops-gates.sarif']);
  });

  it('passes on the hardened workspace', async () => {
    const run = await gate(wifConnection(azure), HARDENED);
    assert.equal(run.result, 'Succeeded', run.stdout);
    assert.equal(run.outputs.verdict, 'passed');
    assert.equal(run.outputs.findingCount, '0');
    assert.match(summaryOf(run), /✅ SecurityGate passed/);
  });

  it('prints its first line before loading the Azure SDKs', async () => {
    const run = await gate(wifConnection(azure), HARDENED);
    assert.match(run.stdout.split('\n')[0], /^MLOps Gates SecurityGate/);
  });

  describe('credentials of every AzureRM scheme', () => {
    it('workload identity federation asks Azure DevOps for an OIDC token and trades it at Entra ID', async () => {
      const before = azure.stats();
      const run = await gate(wifConnection(azure), HARDENED);
      assert.equal(run.result, 'Succeeded', run.stdout);
      const after = azure.stats();
      // One sign-in per run: the early token request and the SDK's share one cached token.
      assert.equal(after.oidcTokens - before.oidcTokens, 1, 'one OIDC token');
      assert.equal(after.entraTokens - before.entraTokens, 1, 'one Entra token');
    });
    it('service principal with a secret', async () => {
      const run = await gate(secretConnection(azure), HARDENED);
      assert.equal(run.result, 'Succeeded', run.stdout);
    });
    it('service principal with a certificate', async () => {
      const run = await gate(certificateConnection(azure), HARDENED);
      assert.equal(run.result, 'Succeeded', run.stdout);
    });
    it('managed identity', async () => {
      const run = await gate(managedIdentityConnection(azure), HARDENED);
      assert.equal(run.result, 'Succeeded', run.stdout);
    });
    it('a wrong secret fails with the Entra error code and no stack', async () => {
      const run = await gate(secretConnection(azure, 'not-the-secret-' + 'x'.repeat(20)), HARDENED);
      assertOneLineReason(run);
      assert.match(run.resultMessage!, /AADSTS7000215/);
    });
  });

  describe('never lets a secret out', () => {
    it('keeps every token, key and secret out of stdout, stderr and the files it writes', async () => {
      const runs = [await gate(wifConnection(azure), INSECURE), await gate(secretConnection(azure), INSECURE), await gate(certificateConnection(azure), HARDENED)];
      const keyLines = azure.certificatePem.split('\n').filter((l) => l.length > 40 && !l.startsWith('-----'));
      const privateKeyBody = azure.certificatePem.slice(azure.certificatePem.indexOf('PRIVATE KEY-----'));
      const secrets = [azure.clientSecret, azure.systemAccessToken, ...keyLines.filter((l) => privateKeyBody.includes(l))];
      for (const run of runs) {
        // The masking commands themselves carry the value to the agent; everything else must not.
        const visible = run.stdout.split('\n').filter((l) => !l.startsWith('##vso[task.setsecret]')).join('\n') + run.stderr;
        const files = [run.outputs.sarifPath, run.outputs.evidencePath, run.commands.find((c) => c.event === 'uploadsummary')!.data].map((p) => readFileSync(p, 'utf8'));
        for (const text of [visible, ...files]) {
          for (const s of secrets) assert.ok(!text.includes(s), `a secret (${s.slice(0, 4)}…) leaked`);
          assert.doesNotMatch(text, /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+/, 'a JWT leaked');
        }
        const masked = run.commands.filter((c) => c.event === 'setsecret').map((c) => c.data);
        assert.ok(masked.length >= 1, 'tokens are registered for masking');
      }
    });

    it('reads only: no list-keys, list-secrets or write request reaches ARM', async () => {
      await gate(wifConnection(azure), INSECURE);
      const arm = azure.requests().filter((r) => r.service === 'arm');
      assert.ok(arm.length > 10, `only ${arm.length} ARM requests seen`);
      for (const r of arm) {
        assert.equal(r.method, 'GET', `${r.method} ${r.path}`);
        assert.doesNotMatch(r.path, /list(keys|secrets)|getToken/i);
      }
    });
  });

  describe('bad input', () => {
    it('an unknown failOnSeverity names the input and the valid values', async () => {
      const run = await gate(wifConnection(azure), { ...HARDENED, failOnSeverity: 'severe' });
      assertOneLineReason(run);
      assert.match(run.resultMessage!, /failOnSeverity.*'severe'.*critical, high, medium, low, none/);
    });
    it('an invalid workspace name is rejected before any request', async () => {
      const run = await gate(wifConnection(azure), { ...HARDENED, workspaceName: 'ws/../../x' });
      assertOneLineReason(run);
      assert.match(run.resultMessage!, /Input 'workspaceName'/);
      assert.equal(azure.requests().filter((r) => r.service === 'arm').length, 0);
    });
    it('an unknown connection names the input and the fix', async () => {
      const run = await gate({ id: 'no-such-connection', env: {} }, HARDENED);
      assertOneLineReason(run);
      assert.match(run.resultMessage!, /azureSubscription.*no-such-connection/);
    });
    it('a workspace that does not exist fails with 404 and what to check', async () => {
      const run = await gate(wifConnection(azure), { ...HARDENED, workspaceName: 'mlw-missing' });
      assertOneLineReason(run);
      assert.match(run.resultMessage!, /workspace mlw-missing.*HTTP 404.*check the resource group and workspace names/);
    });
  });

  describe('policy file', () => {
    function sourcesWith(policy: string): string {
      const temp = mkdtempSync(join(tmpdir(), 'mlops-policy-'));
      mkdirSync(join(temp, 's'), { recursive: true });
      writeFileSync(join(temp, 's', '.mlops-gates.yml'), policy);
      return temp;
    }
    const highOnly = (ids: string[]) => ids.map((id) => `  ${id}: { severity: low }`).join('\n');

    it('is found at the root of the sources, and its waivers and severity overrides decide the verdict', async () => {
      const first = await gate(wifConnection(azure), INSECURE);
      const sarif = readJson(first.outputs.sarifPath);
      const highIds = [...new Set((sarif.runs[0].results as any[]).filter((r) => r.level === 'error').map((r: any) => r.ruleId as string))];
      const waived = highIds[0];
      const rest = highIds.slice(1);
      const expires = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
      const temp = sourcesWith(`version: 1
rules:
${highOnly(rest)}
waivers:
  - rule: ${waived}
    owner: ml-platform@contoso.com
    reason: Accepted while the private network is being built (ADO#4711)
    expires: ${expires}
`);
      const run = await gate(wifConnection(azure), INSECURE, { tempDir: temp });
      assert.equal(run.result, 'Succeeded', run.resultMessage);
      const out = readJson(run.outputs.sarifPath);
      const suppressed = (out.runs[0].results as any[]).filter((r) => r.suppressions?.length);
      assert.ok(suppressed.length >= 1 && suppressed.every((r) => r.ruleId === waived));
      assert.match(readJson(run.outputs.evidencePath).policy.sha256, /^[0-9a-f]{64}$/);
    });

    it('an expired waiver stops hiding its finding and says so', async () => {
      const temp = sourcesWith(`version: 1
waivers:
  - rule: AML-WS-001
    owner: ml-platform@contoso.com
    reason: Temporary exception
    expires: 2020-01-31
`);
      const run = await gate(wifConnection(azure), INSECURE, { tempDir: temp });
      assert.equal(run.result, 'Failed');
      assert.ok(run.warnings.some((w) => /expired/i.test(w) && /AML-WS-001/.test(w)), run.warnings.join('\n'));
      const results = readJson(run.outputs.sarifPath).runs[0].results as any[];
      assert.ok(results.some((r) => r.ruleId === 'AML-WS-001' && !r.suppressions?.length));
    });

    it('an invalid policy file fails with file, line and fix', async () => {
      const temp = sourcesWith('version: 1\nfailOnSeverity: severe\n');
      const run = await gate(wifConnection(azure), INSECURE, { tempDir: temp });
      assert.equal(run.result, 'Failed');
      assert.match(run.resultMessage!, /\.mlops-gates\.yml:2:\d+: failOnSeverity/);
    });
  });

  describe('fault matrix: every fault ends in a failed gate with a one-line reason, within the deadline', () => {
    const deadlineSeconds = 8;
    const cases: Array<{ name: string; spec: Record<string, unknown>; expect: RegExp }> = [
      { name: '500 on the computes list', spec: { match: { path: '/computes' }, kind: 'status', status: 500 }, expect: /computes of workspace mlw-insecure \(HTTP 500/ },
      { name: '503 on the workspace', spec: { match: { path: /workspaces\/mlw-insecure$/.source }, kind: 'status', status: 503 }, expect: /workspace mlw-insecure \(HTTP 503/ },
      { name: '429 that never ends (Retry-After 1 s)', spec: { match: { path: '/connections' }, kind: 'status', status: 429, retryAfterSec: 1 }, expect: /connections of workspace mlw-insecure \(HTTP 429.*throttled/ },
      { name: '429 asking to wait past the deadline', spec: { match: { path: '/datastores' }, kind: 'status', status: 429, retryAfterSec: 3600 }, expect: /datastores of workspace mlw-insecure.*deadline of 8 s/ },
      { name: '401 from ARM', spec: { match: { path: '/computes' }, kind: 'status', status: 401 }, expect: /computes of workspace mlw-insecure \(HTTP 401.*token was refused/ },
      { name: '403 on the role assignments', spec: { match: { path: '/roleAssignments' }, kind: 'status', status: 403 }, expect: /role assignments of workspace mlw-insecure \(HTTP 403.*Microsoft\.Authorization\/roleAssignments\/read.*Reader/ },
      { name: 'a slow answer past the deadline', spec: { match: { path: '/privateEndpointConnections' }, kind: 'slow', delayMs: 30_000 }, expect: /private endpoint connections of workspace mlw-insecure.*deadline of 8 s/ },
      { name: 'malformed JSON', spec: { match: { path: '/Microsoft.Storage/' }, kind: 'badJson' }, expect: /storage account linked to workspace mlw-insecure.*not valid JSON/ },
      { name: 'a truncated body', spec: { match: { path: '/diagnosticSettings' }, kind: 'truncated' }, expect: /diagnostic settings of workspace mlw-insecure.*(connection failed|not valid JSON|aborted)/i },
      { name: 'an endless nextLink (raw list)', spec: { match: { path: '/computes' }, kind: 'endlessNextLink' }, expect: /computes of workspace mlw-insecure.*did not end after \d+ pages/ },
      { name: 'an endless nextLink (SDK list)', spec: { match: { path: '/datastores' }, kind: 'endlessNextLink' }, expect: /datastores of workspace mlw-insecure.*(did not end|same nextLink)/ },
      { name: 'a reset connection', spec: { match: { path: '/Microsoft.KeyVault/' }, kind: 'reset' }, expect: /key vault linked to workspace mlw-insecure.*connection failed/ },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        azure.faults.add(c.spec as never);
        const run = await gate(wifConnection(azure), { ...INSECURE, deadlineSeconds: String(deadlineSeconds) });
        assertOneLineReason(run);
        assert.match(run.resultMessage!, /^The audit could not run, so the gate fails closed\./);
        assert.match(run.resultMessage!, c.expect);
        assert.ok(run.durationMs < deadlineSeconds * 1000 + 4000, `took ${Math.round(run.durationMs)} ms`);
        // Nothing is lost: the outputs still say what happened.
        assert.equal(run.outputs.verdict, 'failed');
        const sarif = readJson(run.outputs.sarifPath);
        assert.deepEqual(schemaProblems(sarifValidator(), sarif), [], 'the SARIF of a failed audit is valid too');
        assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
        assert.match(readJson(run.outputs.evidencePath).error, c.expect);
      });
    }

    it('absorbs one 429 with Retry-After and completes the audit', async () => {
      azure.faults.add({ match: { path: '/computes' }, kind: 'status', status: 429, retryAfterSec: 1, times: 1 } as never);
      const run = await gate(wifConnection(azure), HARDENED);
      assert.equal(run.result, 'Succeeded', run.resultMessage);
      const computes = azure.requests().filter((r) => /\/computes$/i.test(r.path));
      assert.deepEqual(computes.map((r) => r.status), [429, 200]);
      const gap = Date.parse(computes[1].time) - Date.parse(computes[0].time);
      assert.ok(gap >= 900, `retried after ${gap} ms, before Retry-After`);
    });
  });
});
