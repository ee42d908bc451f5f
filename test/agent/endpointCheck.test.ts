/**
 * EndpointHardeningCheck as the agent runs it: the bundled task in a child process against the local Azure, whose
 * scenarios hold hardened and exposed endpoints of each kind and which also plays their scoring hosts (so the live
 * probes run for real) and Azure Monitor (metrics, activity log).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { LocalAzure } from '../azure/server';
import { useLocalAzure } from '../azure/testSupport';
import { secretConnection, wifConnection } from './connections';
import { runTask, type TaskRun } from './runTask';
import { evidenceValidator, sarifValidator, schemaProblems } from '../schemas/validators';
import { registerSecret } from './sweep';

const ENTRY = 'dist/tasks/EndpointHardeningCheck/index.js';
const INSECURE = { resourceGroupName: 'rg-ml-insecure', workspaceName: 'mlw-insecure' };
const HARDENED = { resourceGroupName: 'rg-ml-hardened', workspaceName: 'mlw-hardened' };

interface Conn { id: string; env: Record<string, string> }

function check(conn: Conn, inputs: Record<string, string>): Promise<TaskRun> {
  return runTask({ entry: ENTRY, inputs: { azureSubscription: conn.id, failOnSeverity: 'high', probeTimeoutSeconds: '3', ...inputs }, env: conn.env, timeoutMs: 90_000 });
}

const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

function summaryOf(run: TaskRun): string {
  const cmd = run.commands.find((c) => c.event === 'uploadsummary');
  assert.ok(cmd, 'no task.uploadsummary');
  return readFileSync(cmd.data, 'utf8');
}

function assertClosedFailure(run: TaskRun): void {
  assert.equal(run.result, 'Failed', run.stdout);
  assert.ok(run.resultMessage && !run.resultMessage.includes('\n'), 'the reason must be one line');
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at .+\(.*:\d+:\d+\)/, 'no stack trace may reach the log');
}

describe('EndpointHardeningCheck task (agent-style run of the bundle)', function () {
  this.timeout(120_000);
  const local = useLocalAzure({ scenarios: ['insecure', 'hardened'] });
  let azure: LocalAzure;
  before(() => {
    azure = local();
    registerSecret(azure.clientSecret, azure.systemAccessToken);
  });
  beforeEach(() => { azure.faults.clear(); azure.resetRequests(); });

  it('fails on the exposed endpoints: rules, probes and monitoring, with SARIF, evidence per endpoint and a summary', async () => {
    const run = await check(wifConnection(azure), INSECURE);
    assert.equal(run.result, 'Failed', run.stdout);
    assert.match(run.resultMessage ?? '', /^\d+ findings? at or above high in 3 endpoints/);
    assert.equal(run.outputs.verdict, 'failed');
    assert.equal(run.outputs.endpointCount, '3');

    const sarif = readJson(run.outputs.sarifPath);
    assert.deepEqual(schemaProblems(sarifValidator(), sarif), []);
    const results = sarif.runs[0].results as any[];
    assert.equal(results.length, Number(run.outputs.findingCount));
    const ids = new Set(results.map((r) => r.ruleId));
    const expected = [
      'AML-OE-001', 'AML-OE-002', 'AML-OE-003', 'AML-OE-004', 'AML-OE-006', 'AML-OE-007', // endpoint
      'AML-OD-001', 'AML-OD-002', 'AML-OD-003', 'AML-OD-004', 'AML-OD-005', 'AML-OD-006', 'AML-OD-007', 'AML-OD-010', // deployments
      'AML-BE-002', 'AML-BE-003', 'AML-BD-003', // batch
      'AML-CMP-012', 'AML-CMP-014', // the Kubernetes compute hosting an endpoint
      'AML-PRB-001', 'AML-PRB-002', 'AML-PRB-005', // live probes against the emulator's exposed scoring hosts
      'AML-MON-001', 'AML-MON-005', 'AML-MON-006', 'AML-MON-007', // metrics surge and out-of-pipeline changes
    ];
    for (const id of expected) assert.ok(ids.has(id), `expected a ${id} finding; got ${[...ids].sort().join(' ')}`);

    const evidence = readJson(run.outputs.evidencePath);
    assert.deepEqual(schemaProblems(evidenceValidator(), evidence), []);
    assert.equal(evidence.gate, 'EndpointHardeningCheck');
    assert.equal(evidence.verdict, 'failed');
    for (const name of ['ep-churn-public', 'ep-churn-aks', 'be-churn-batch']) {
      const path = run.outputs.evidencePath.replace(/\.evidence\.json$/, `.${name}.evidence.json`);
      assert.ok(existsSync(path), `no evidence record for ${name}`);
      const one = readJson(path);
      assert.deepEqual(schemaProblems(evidenceValidator(), one), []);
      assert.ok(one.targets.length > 0 && one.targets.every((t: string) => t.toLowerCase().includes(`/${name}`)), `${name}: ${one.targets}`);
      assert.ok(one.findings.every((f: any) => f.resourceId.toLowerCase().includes(`/${name}`)));
    }

    const summary = summaryOf(run);
    assert.match(summary, /❌ EndpointHardeningCheck failed/);
    for (const section of ['### Endpoints (3)', '### Live probes', '### Monitoring evidence', '### Who may invoke']) assert.ok(summary.includes(section), section);
    // No request that could change anything, and none for keys or tokens.
    const arm = azure.requests().filter((r) => r.service === 'arm');
    assert.deepEqual(arm.filter((r) => r.method !== 'GET'), []);
    assert.deepEqual(arm.filter((r) => /listkeys|token|secrets/i.test(r.path)), []);
  });

  it('passes on the hardened endpoints', async () => {
    const run = await check(wifConnection(azure), HARDENED);
    assert.equal(run.result, 'Succeeded', run.stdout);
    assert.equal(run.outputs.verdict, 'passed');
    assert.equal(run.outputs.endpointCount, '3');
    const summary = summaryOf(run);
    assert.match(summary, /✅ EndpointHardeningCheck passed/);
    assert.match(summary, /### Live probes/);
  });

  it('checks one endpoint when endpointName is set, and fails clearly on one that does not exist', async () => {
    const one = await check(secretConnection(azure), { ...INSECURE, endpointName: 'be-churn-batch' });
    assert.equal(one.outputs.endpointCount, '1');
    const where = (readJson(one.outputs.sarifPath).runs[0].results as any[]).map((r) => String(r.locations[0].logicalLocations?.[0]?.fullyQualifiedName));
    assert.ok(where.some((w) => /batchEndpoints\/be-churn-batch/i.test(w)), where.join(' '));
    assert.deepEqual(where.filter((w) => /onlineEndpoints\//i.test(w)), [], 'findings of other endpoints');
    const missing = await check(secretConnection(azure), { ...INSECURE, endpointName: 'ep-not-there' });
    assertClosedFailure(missing);
    assert.match(missing.resultMessage!, /ep-not-there/);
  });

  it('fails closed, naming the read, when a deployment list or the metrics cannot be read', async () => {
    azure.faults.add({ match: { method: 'GET', path: '/deployments' }, kind: 'status', status: 500 });
    const broken = await check(secretConnection(azure), HARDENED);
    assertClosedFailure(broken);
    assert.match(broken.resultMessage!, /fails closed/);
    assert.match(broken.resultMessage!, /500/);
    assert.equal(broken.outputs.verdict, 'failed');

    azure.faults.clear();
    azure.faults.add({ match: { method: 'GET', path: '/providers/Microsoft.Insights/metrics' }, kind: 'status', status: 403 });
    const denied = await check(secretConnection(azure), HARDENED);
    assertClosedFailure(denied);
    assert.match(denied.resultMessage!, /Microsoft\.Insights\/metrics\/read/);
  });

  it('reads no metrics with monitoringDays 0 and probes nothing with probe false', async () => {
    const run = await check(secretConnection(azure), { ...HARDENED, monitoringDays: '0', probe: 'false' });
    assert.equal(run.result, 'Succeeded', run.stdout);
    const paths = azure.requests().map((r) => r.path.toLowerCase());
    assert.deepEqual(paths.filter((p) => p.includes('/microsoft.insights/metrics') || p.includes('/eventtypes/')), []);
    assert.deepEqual(paths.filter((p) => p.startsWith('/_scoring')), []);
    assert.doesNotMatch(summaryOf(run), /### Live probes|### Monitoring evidence/);
  });

  it('rejects a malformed endpoint name with the input and the fix', async () => {
    const run = await check(secretConnection(azure), { ...HARDENED, endpointName: '9-bad_name' });
    assertClosedFailure(run);
    assert.match(run.resultMessage!, /Input 'endpointName'.*leave it empty/);
  });
});
