/**
 * ModelRegistryPromote as the agent runs it: hardened credit-risk v2 → registry contoso-models (by reference) or
 * workspace mlw-prod (files copied through Azurite), with evidence sealed here (Ed25519, at run time) over the
 * digests of the version's files as the local Azure lists them. Model files live in Azurite.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addEnvelope, emptyBundle, serializeBundle } from '../../shared/evidence/bundle';
import { sealEvidence } from '../../shared/evidence/seal';
import { modelDigest } from '../../shared/evidence/statement';
import { MODEL_DIGEST_TAG } from '../../shared/evidence/tags';
import { useLocalAzureWithBlobs, type Azurite } from '../azure/azurite';
import type { LocalAzure } from '../azure/server';
import { armToken, secretCredential } from '../azure/testSupport';
import { ed25519Pair, record } from '../unit/evidence/fixtures';
import { secretConnection } from './connections';
import { runTask, type TaskRun } from './runTask';
import { registerSecret } from './sweep';

const ENTRY = 'dist/tasks/ModelRegistryPromote/index.js';
const WRITES = new Set(['PUT', 'POST', 'PATCH', 'DELETE']);

describe('ModelRegistryPromote (agent-style runs of the bundle)', function () {
  this.timeout(180_000);
  const local = useLocalAzureWithBlobs({ scenarios: ['hardened', 'production'] });
  let azure: LocalAzure;
  let azurite: Azurite;
  let conn: { id: string; env: Record<string, string> };
  let dir: string;
  let publicPem: string;
  let bundlePath: string;
  let v2Id: string;

  before(async () => {
    ({ azure, azurite } = local());
    registerSecret(azure.clientSecret, azure.systemAccessToken);
    conn = secretConnection(azure);
    dir = mkdtempSync(join(tmpdir(), 'mlops-promote-'));
    const files = azure.modelFiles
      .filter((f) => /\/workspaces\/mlw-hardened\/models\/credit-risk\/versions\/2$/i.test(f.modelVersionId))
      .map((f) => ({ name: f.file, sha256: f.sha256, size: f.size }));
    assert.ok(files.length >= 2, 'the scenario lists the files of credit-risk v2');
    v2Id = azure.modelFiles.find((f) => /credit-risk\/versions\/2$/.test(f.modelVersionId))!.modelVersionId;
    const { signer } = ed25519Pair();
    publicPem = signer.publicKeyPem();
    const model = { name: 'credit-risk', version: '2', assetId: v2Id };
    const env = await sealEvidence({ files, evidence: record('SecurityGate', 'passed', new Date(Date.now() - 3600_000).toISOString()), model, signers: [signer] });
    bundlePath = join(dir, 'bundle.json');
    writeFileSync(bundlePath, serializeBundle(addEnvelope(emptyBundle(model), env)));
    (this as any).digest = modelDigest(files);
  });
  beforeEach(() => { azure.faults.clear(); azure.resetRequests(); });

  function origin(): string {
    return new URL(azure.armUrl).origin;
  }

  function run(inputs: Record<string, string>): Promise<TaskRun> {
    return runTask({
      entry: ENTRY,
      inputs: {
        azureSubscription: conn.id, sourceResourceGroup: 'rg-ml-hardened', sourceWorkspace: 'mlw-hardened', modelName: 'credit-risk', modelVersion: '2',
        targetType: 'registry', targetResourceGroup: 'rg-ml-hardened', targetName: 'contoso-models', evidenceBundle: bundlePath,
        trustedPublicKeys: publicPem, stageTag: 'stage=production', ...inputs,
      },
      env: conn.env,
      timeoutMs: 120_000,
    });
  }

  // Token requests are POSTs too: only ARM writes count here; blob writes are checked at Azurite.
  const writes = () => azure.requests().filter((r) => WRITES.has(r.method) && r.service === 'arm');

  async function modelVersion(owner: string, version: string, name = 'credit-risk'): Promise<any> {
    const token = await armToken(azure);
    const url = `${origin()}/subscriptions/${azure.subscriptionId}/resourceGroups/${owner}/models/${name}/versions/${version}?api-version=2023-04-01`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    return res.status === 200 ? res.json() : undefined;
  }
  const REGISTRY = 'rg-ml-hardened/providers/Microsoft.MachineLearningServices/registries/contoso-models';
  const PROD = 'rg-ml-prod/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod';
  const registryVersion = (v: string) => modelVersion(REGISTRY, v);
  const prodVersion = (v: string) => modelVersion(PROD, v);
  const toProd = { targetType: 'workspace', targetResourceGroup: 'rg-ml-prod', targetName: 'mlw-prod' };

  /** A blob at Azurite, read with a storage token from the local Entra. */
  async function blobBytes(url: string): Promise<Buffer> {
    const t = await secretCredential(azure).getToken('https://storage.azure.com/.default');
    const res = await fetch(url, { headers: { authorization: `Bearer ${t.token}`, 'x-ms-version': '2023-11-03' } });
    assert.equal(res.status, 200, url);
    return Buffer.from(await res.arrayBuffer());
  }
  const blobText = async (url: string) => ({ status: 200, text: (await blobBytes(url)).toString('utf8') });

  it('a tampered bundle is refused before any write', async () => {
    const bad = join(dir, 'tampered.json');
    const b = JSON.parse(readFileSync(bundlePath, 'utf8'));
    const sig: string = b.envelopes[0].signatures[0].sig;
    b.envelopes[0].signatures[0].sig = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    writeFileSync(bad, JSON.stringify(b));
    const r = await run({ evidenceBundle: bad, targetVersion: '9' });
    assert.equal(r.result, 'Failed', r.stdout);
    assert.match(r.resultMessage ?? '', /nothing written.*(bad-signature|bad-bundle)/);
    assert.deepEqual(writes(), []);
  });

  it('dryRun prints the plan and writes nothing', async () => {
    const r = await run({ dryRun: 'true', targetVersion: '3' });
    assert.equal(r.result, 'Succeeded', r.stdout);
    assert.equal(r.outputs.action, 'dry-run');
    assert.match(r.stdout, /tag stage = production/);
    assert.match(r.stdout, /tag mlops-gates\.security-gate = passed/);
    assert.deepEqual(writes(), []);
    assert.equal(await registryVersion('3'), undefined);
  });

  it('the same version with another digest at the target fails before writing', async () => {
    // contoso-models already holds credit-risk v1 (other files).
    const r = await run({ targetVersion: '1' });
    assert.equal(r.result, 'Failed', r.stdout);
    assert.match(r.resultMessage ?? '', /credit-risk:1 in registry contoso-models already exists/);
    assert.deepEqual(writes(), []);
  });

  it('promotes v2 by reference with tags and promotion record; a re-run is already-present', async () => {
    const r = await run({});
    assert.equal(r.result, 'Succeeded', r.stdout + r.stderr);
    assert.equal(r.outputs.action, 'promoted-by-reference');
    const v = await registryVersion('2');
    const p = v.properties;
    assert.match(p.modelUri, /workspaces\/mlw-hardened\/models\/credit-risk\/versions\/2$/);
    assert.equal(p.tags.stage, 'production');
    assert.equal(p.stage, 'production', 'the stage tag also sets the version\'s stage');
    assert.equal(p.tags['mlops-gates.security-gate'], 'passed');
    assert.match(p.tags[MODEL_DIGEST_TAG], /^[0-9a-f]{64}$/);
    assert.match(p.tags['mlops-gates.bundle'], /evidence\.bundle\.json$/);
    assert.doesNotMatch(p.tags['mlops-gates.bundle'], /sig=/);
    assert.equal(p.properties['mlops-gates.promoted-by'], azure.clientId);
    assert.match(p.properties['mlops-gates.promoted-from'], /mlw-hardened\/models\/credit-risk\/versions\/2$/);

    azure.resetRequests();
    const again = await run({});
    assert.equal(again.result, 'Succeeded', again.stdout);
    assert.equal(again.outputs.action, 'already-present');
    assert.match(again.resultMessage ?? '', /already holds model digest/);
    assert.deepEqual(writes(), []);
  });

  it('a 500 on the version PUT fails saying what exists; a re-run completes', async () => {
    azure.faults.add({ match: { method: 'PUT', path: '/registries/contoso-models/models/credit-risk/versions/5' }, kind: 'status', status: 500 });
    const r = await run({ targetVersion: '5' });
    assert.equal(r.result, 'Failed', r.stdout);
    assert.match(r.resultMessage ?? '', /evidence bundle is uploaded at .*evidence\.bundle\.json.*was not created.*Re-run/);
    assert.equal(await registryVersion('5'), undefined);
    azure.faults.clear();
    const again = await run({ targetVersion: '5' });
    assert.equal(again.result, 'Succeeded', again.stdout);
    assert.equal(again.outputs.action, 'promoted-by-reference');
    assert.ok(await registryVersion('5'));
  });

  it('promotes workspace to workspace: files copied (streamed: Azurite cannot read a bearer-authorized source), stage set, bundle beside them; a re-run is already-present', async () => {
    const r = await run({ ...toProd, stageTag: 'stage=production' });
    assert.equal(r.result, 'Succeeded', r.stdout + r.stderr);
    assert.equal(r.outputs.action, 'copied');
    assert.match(r.resultMessage ?? '', /copied \(2 streamed\)/);
    const v = await prodVersion('2');
    const p = v.properties;
    assert.match(p.modelUri, /^azureml:\/\/subscriptions\/.+\/workspaces\/mlw-prod\/datastores\/workspaceblobstore\/paths\/promoted\/credit-risk\/2\/model\/$/);
    assert.equal(p.stage, 'production');
    assert.equal(p.tags.stage, 'production');
    assert.equal(p.jobName, 'train-credit-risk-20250519');
    assert.match(p.tags[MODEL_DIGEST_TAG], /^[0-9a-f]{64}$/);
    assert.match(p.properties['mlops-gates.promoted-from'], /mlw-hardened\/models\/credit-risk\/versions\/2$/);
    // The copied files are the source's bytes, at Azurite under the target workspace's account.
    const bundleUrl: string = p.tags['mlops-gates.bundle'];
    assert.ok(bundleUrl.startsWith(`${azurite.url}/stmlwprod01/`), bundleUrl);
    for (const f of azure.modelFiles.filter((x) => x.modelVersionId === v2Id)) {
      const copy = await blobBytes(bundleUrl.replace(/evidence\.bundle\.json$/, `model/${f.file}`));
      assert.equal(createHash('sha256').update(copy).digest('hex'), f.sha256, f.file);
    }
    const bundle = await blobText(bundleUrl);
    assert.equal(bundle.status, 200);
    assert.equal(JSON.parse(bundle.text).model.version, '2');

    azure.resetRequests();
    const again = await run({ ...toProd });
    assert.equal(again.outputs.action, 'already-present', again.stdout);
    assert.deepEqual(writes(), []);
  });

  it('source by job: the version whose jobName is the job; both or neither of modelName and sourceJob is an input error', async () => {
    const r = await run({ modelName: '', modelVersion: '', sourceJob: 'train-credit-risk-20250519', dryRun: 'true', targetVersion: '12' });
    assert.equal(r.result, 'Succeeded', r.stdout + r.stderr);
    assert.match(r.stdout, /Job train-credit-risk-20250519 produced credit-risk:2/);
    assert.match(r.stdout, /stage = production/, 'the dry run shows the stage (alias) it would set');
    const both = await run({ sourceJob: 'train-credit-risk-20250519' });
    assert.equal(both.result, 'Failed');
    assert.match(both.resultMessage ?? '', /either 'modelName'.*or 'sourceJob', not both/);
    const neither = await run({ modelName: '' });
    assert.match(neither.resultMessage ?? '', /Give the source: 'modelName'.*or 'sourceJob'/);
    const none = await run({ modelName: '', modelVersion: '', sourceJob: 'no-such-job' });
    assert.equal(none.result, 'Failed');
    assert.match(none.resultMessage ?? '', /no model version in workspace mlw-hardened names job no-such-job/);
    assert.deepEqual(writes(), []);
  });

  it('workspace target: the version PUT failing after the copy says what exists; a re-run skips the copied files and completes', async () => {
    azure.faults.add({ match: { method: 'PUT', path: '/workspaces/mlw-prod/models/credit-risk/versions/7' }, kind: 'status', status: 500 });
    const r = await run({ ...toProd, targetVersion: '7' });
    assert.equal(r.result, 'Failed', r.stdout);
    assert.match(r.resultMessage ?? '', /Promotion incomplete: the 2 file\(s\) are copied to azureml:.*promoted\/credit-risk\/7\/model\/ and the evidence bundle is uploaded .*was not created.*Re-run/);
    assert.equal(await prodVersion('7'), undefined);
    azure.faults.clear();
    const again = await run({ ...toProd, targetVersion: '7' });
    assert.equal(again.result, 'Succeeded', again.stdout);
    assert.match(again.stdout, /model\.onnx: already-there/);
    assert.ok(await prodVersion('7'));
  });
});
