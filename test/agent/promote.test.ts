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
import type { FileDigest } from '../../shared/evidence/digests';
import { startAzurite, type Azurite } from '../azure/azurite';
import { startLocalAzure, type LocalAzure } from '../azure/server';
import { armToken, secretCredential, trustedCaDir } from '../azure/testSupport';
import { ed25519Pair, record } from '../unit/evidence/fixtures';
import { secretConnection } from './connections';
import { runTask, type TaskRun } from './runTask';
import { registerSecret } from './sweep';

const ENTRY = 'dist/tasks/ModelRegistryPromote/index.js';
const WRITES = new Set(['PUT', 'POST', 'PATCH', 'DELETE']);

describe('ModelRegistryPromote (agent-style runs of the bundle)', function () {
  this.timeout(180_000);
  let azure: LocalAzure;
  let azurite: Azurite;
  let conn: { id: string; env: Record<string, string> };
  let dir: string;
  let publicPem: string;
  let bundlePath: string;
  let v2Id: string;
  let v2Files: FileDigest[];
  let signer: ReturnType<typeof ed25519Pair>['signer'];

  before(async function () {
    this.timeout(60_000);
    // Its own Azurite, with an access log: some tests count the model bytes the task reads and writes there.
    azurite = await startAzurite({ caDir: trustedCaDir(), accessLog: true, own: true });
    azure = await startLocalAzure({ caDir: trustedCaDir(), scenarios: ['hardened', 'production'], azurite });
    registerSecret(azure.clientSecret, azure.systemAccessToken);
    conn = secretConnection(azure);
    dir = mkdtempSync(join(tmpdir(), 'mlops-promote-'));
    const files = azure.modelFiles
      .filter((f) => /\/workspaces\/mlw-hardened\/models\/credit-risk\/versions\/2$/i.test(f.modelVersionId))
      .map((f) => ({ name: f.file, sha256: f.sha256, size: f.size }));
    assert.ok(files.length >= 2, 'the scenario lists the files of credit-risk v2');
    v2Id = azure.modelFiles.find((f) => /credit-risk\/versions\/2$/.test(f.modelVersionId))!.modelVersionId;
    v2Files = files;
    ({ signer } = ed25519Pair());
    publicPem = signer.publicKeyPem();
    const model = { name: 'credit-risk', version: '2', assetId: v2Id };
    const env = await sealEvidence({ files, evidence: record('SecurityGate', 'passed', new Date(Date.now() - 3600_000).toISOString()), model, signers: [signer] });
    bundlePath = join(dir, 'bundle.json');
    writeFileSync(bundlePath, serializeBundle(addEnvelope(emptyBundle(model), env)));
    (this as any).digest = modelDigest(files);
  });
  after(async () => {
    await azure?.close();
    await azurite?.close();
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
  // verifyFileDigests: false. Source versions made here name v2's folder (or a copy of it) and carry a
  // model-digest tag; each gets its own bundle, so the shared v2 stays untouched.
  const WS = 'rg-ml-hardened/providers/Microsoft.MachineLearningServices/workspaces/mlw-hardened';
  const notRead = { verifyFileDigests: 'false' };

  /** credit-risk:<v> in mlw-hardened, its files in models/credit-risk/<folder>/, with the given tags. */
  async function sourceVersion(v: string, tags: Record<string, string>, folder = '2'): Promise<string> {
    const token = await armToken(azure);
    const id = `/subscriptions/${azure.subscriptionId}/resourceGroups/${WS}/models/credit-risk/versions/${v}`;
    const modelUri = `azureml://subscriptions/${azure.subscriptionId}/resourcegroups/rg-ml-hardened/workspaces/mlw-hardened/datastores/workspaceblobstore/paths/models/credit-risk/${folder}/`;
    const res = await fetch(`${origin()}${id}?api-version=2023-04-01`, {
      method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ properties: { modelUri, tags } }),
    });
    assert.ok(res.status < 300, `PUT ${id}: ${res.status}`);
    azure.resetRequests(); // this set-up write is not the task's
    return id;
  }

  /** A bundle for credit-risk:<v> whose passed SecurityGate evidence signs `files`. */
  async function bundleFor(v: string, assetId: string, files: FileDigest[]): Promise<string> {
    const model = { name: 'credit-risk', version: v, assetId };
    const env = await sealEvidence({ files, evidence: record('SecurityGate', 'passed', new Date(Date.now() - 3600_000).toISOString()), model, signers: [signer] });
    const path = join(dir, `bundle-${v}.json`);
    writeFileSync(path, serializeBundle(addEnvelope(emptyBundle(model), env)));
    return path;
  }

  /** Azurite's log since `from`: bytes of blob GET answers under models/credit-risk/<folder>/, and PUTs other than the bundle's. */
  async function blobTraffic(from: number, folder: string): Promise<{ read: number; gets: number; modelPuts: string[] }> {
    await new Promise((ok) => setTimeout(ok, 300)); // the log arrives on Azurite's stdout
    let read = 0;
    let gets = 0;
    const modelPuts: string[] = [];
    for (const l of azurite.accessLog().slice(from)) {
      const m = /"(GET|PUT) ([^ ]+) HTTP\/[\d.]+" (\d+) (\d+|-)/.exec(l);
      if (!m) continue;
      if (m[1] === 'GET' && m[2].includes(`/models/credit-risk/${folder}/`) && !m[2].includes('comp=list')) {
        gets++;
        if (m[4] !== '-') read += Number(m[4]);
      }
      if (m[1] === 'PUT' && !/evidence\.bundle\.json|restype=container/.test(m[2])) modelPuts.push(m[2]);
    }
    return { read, gets, modelPuts };
  }

  it('verifyFileDigests false: by reference, no model byte is read or written; the dry run and the record say not-read', async () => {
    const digest = modelDigest(v2Files);
    const id = await sourceVersion('20', { [MODEL_DIGEST_TAG]: digest });
    const evidenceBundle = await bundleFor('20', id, v2Files);
    const total = v2Files.reduce((n, f) => n + f.size, 0);

    // The default reads every byte once (the count below is not vacuous).
    let mark = azurite.accessLog().length;
    const dry = await run({ modelVersion: '20', evidenceBundle, dryRun: 'true' });
    assert.equal(dry.result, 'Succeeded', dry.stdout + dry.stderr);
    assert.equal((await blobTraffic(mark, '2')).read, total);
    assert.match(dry.stdout, /property mlops-gates\.file-digests = verified/);

    mark = azurite.accessLog().length;
    const dryNotRead = await run({ modelVersion: '20', evidenceBundle, dryRun: 'true', ...notRead });
    assert.equal(dryNotRead.result, 'Succeeded', dryNotRead.stdout + dryNotRead.stderr);
    assert.match(dryNotRead.stdout, /property mlops-gates\.file-digests = not-read/);
    assert.match(dryNotRead.stdout, /file contents not re-read \(verifyFileDigests: false\)/);
    assert.match(dryNotRead.resultMessage ?? '', /nothing written; file contents not re-read/);
    assert.deepEqual(await blobTraffic(mark, '2'), { read: 0, gets: 0, modelPuts: [] });

    mark = azurite.accessLog().length;
    const r = await run({ modelVersion: '20', evidenceBundle, ...notRead });
    assert.equal(r.result, 'Succeeded', r.stdout + r.stderr);
    assert.equal(r.outputs.action, 'promoted-by-reference');
    assert.match(r.stdout + r.stderr, /verifyFileDigests is false: the files of credit-risk:20 are not read/);
    assert.match(r.resultMessage ?? '', new RegExp(`model digest ${digest}; file contents not re-read \\(verifyFileDigests: false\\)`));
    assert.deepEqual(await blobTraffic(mark, '2'), { read: 0, gets: 0, modelPuts: [] });
    const p = (await registryVersion('20')).properties;
    assert.equal(p.properties['mlops-gates.file-digests'], 'not-read');
    assert.equal(p.tags[MODEL_DIGEST_TAG], digest);
    assert.equal(p.tags['mlops-gates.security-gate'], 'passed');
  });

  it('verifyFileDigests false to a workspace: the copy (streamed here) is still hashed against the evidence; the record says not-read', async () => {
    const id = await sourceVersion('25', { [MODEL_DIGEST_TAG]: modelDigest(v2Files) });
    const r = await run({ ...toProd, modelVersion: '25', evidenceBundle: await bundleFor('25', id, v2Files), ...notRead });
    assert.equal(r.result, 'Succeeded', r.stdout + r.stderr);
    assert.match(r.resultMessage ?? '', /copied \(2 streamed\).*file contents not re-read/);
    const p = (await prodVersion('25')).properties;
    assert.equal(p.properties['mlops-gates.file-digests'], 'not-read');
    const bundleUrl: string = p.tags['mlops-gates.bundle'];
    for (const f of v2Files) {
      const copy = await blobBytes(bundleUrl.replace(/evidence\.bundle\.json$/, `model/${f.name}`));
      assert.equal(createHash('sha256').update(copy).digest('hex'), f.sha256, f.name);
    }
  });

  it('verifyFileDigests false: a model-digest tag that disagrees with the evidence, or none, is refused before any write', async () => {
    const other = 'f'.repeat(64);
    const id = await sourceVersion('21', { [MODEL_DIGEST_TAG]: other });
    const evidenceBundle = await bundleFor('21', id, v2Files);
    const r = await run({ modelVersion: '21', evidenceBundle, ...notRead });
    assert.equal(r.result, 'Failed', r.stdout);
    assert.match(r.resultMessage ?? '', new RegExp(`nothing written: .*tag-mismatch.*tag mlops-gates\\.model-digest of credit-risk:21 in workspace mlw-hardened is ${other}; the evidence judged model digest ${modelDigest(v2Files)}`));
    assert.deepEqual(writes(), []);

    const untagged = await sourceVersion('24', {});
    const none = await run({ modelVersion: '24', evidenceBundle: await bundleFor('24', untagged, v2Files), ...notRead });
    assert.equal(none.result, 'Failed', none.stdout);
    assert.match(none.resultMessage ?? '', /has no mlops-gates\.model-digest tag.*set verifyFileDigests: true/);
    assert.deepEqual(writes(), []);
  });

  it('verifyFileDigests false: a file the evidence names but the source lacks is refused', async () => {
    const signed = [...v2Files, { name: 'weights.bin', sha256: 'e'.repeat(64), size: 1 }];
    const id = await sourceVersion('22', { [MODEL_DIGEST_TAG]: modelDigest(signed) });
    const r = await run({ modelVersion: '22', evidenceBundle: await bundleFor('22', id, signed), ...notRead });
    assert.equal(r.result, 'Failed', r.stdout);
    assert.match(r.resultMessage ?? '', /nothing written: evidence does not verify \(missing-file\): weights\.bin: signed in the evidence .*not among the source files/);
    assert.deepEqual(writes(), []);
    assert.equal(await registryVersion('22'), undefined);
  });

  it('a byte changed after the gates ran: refused by default; verifyFileDigests false trusts the storage and promotes (the documented trade-off)', async () => {
    // models/credit-risk/23/: v2's files with one byte of model.onnx flipped; the evidence signs the originals.
    const t = await secretCredential(azure).getToken('https://storage.azure.com/.default');
    for (const f of azure.modelFiles.filter((x) => x.modelVersionId === v2Id)) {
      const bytes = await blobBytes(f.url);
      if (f.file === 'model.onnx') bytes[10] ^= 0xff;
      const res = await fetch(f.url.replace('/models/credit-risk/2/', '/models/credit-risk/23/'), {
        method: 'PUT', body: new Uint8Array(bytes), headers: { authorization: `Bearer ${t.token}`, 'x-ms-version': '2023-11-03', 'x-ms-blob-type': 'BlockBlob' },
      });
      assert.equal(res.status, 201);
    }
    const id = await sourceVersion('23', { [MODEL_DIGEST_TAG]: modelDigest(v2Files) }, '23');
    const evidenceBundle = await bundleFor('23', id, v2Files);
    const r = await run({ modelVersion: '23', evidenceBundle });
    assert.equal(r.result, 'Failed', r.stdout);
    assert.match(r.resultMessage ?? '', /nothing written: evidence does not verify \(digest-mismatch\): model\.onnx/);
    assert.deepEqual(writes(), []);
    const trusted = await run({ modelVersion: '23', evidenceBundle, ...notRead, dryRun: 'true' });
    assert.equal(trusted.result, 'Succeeded', trusted.stdout);
    assert.match(trusted.stdout, /property mlops-gates\.file-digests = not-read/);
  });
});
