/**
 * ModelRegistryPromote on a 2 GB model (random bytes, generated and streamed into Azurite, never held whole):
 *  (a) to a registry by reference, twice: with the default verifyFileDigests (every file read once to check its
 *      sha256 against the evidence) and with verifyFileDigests false (the user trusts the storage: names and the
 *      model-digest tag checked, no content read); model bytes read and written from Azurite's access log;
 *  (b) to a workspace whose storage cannot read the source (Azurite does not forward a bearer-authorized copy
 *      source, so the copy falls back to streaming): peak RSS of the task process and wall time.
 * Azurite's data stays in .cache/bench/azurite-promote (removed at the start of a run).
 *
 * node build/bench/promote.js --out .cache/bench/promote.json [--mb 2048]
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addEnvelope, emptyBundle, serializeBundle } from '../shared/evidence/bundle';
import { sealEvidence } from '../shared/evidence/seal';
import { modelDigest } from '../shared/evidence/statement';
import { MODEL_DIGEST_TAG } from '../shared/evidence/tags';
import { startAzurite, type Azurite } from '../test/azure/azurite';
import { startLocalAzure, type LocalAzure } from '../test/azure/server';
import { secretConnection } from '../test/agent/connections';
import { runTask, type TaskRun } from '../test/agent/runTask';
import { armToken, secretCredential } from '../test/azure/testSupport';
import { ed25519Pair, record } from '../test/unit/evidence/fixtures';

export interface ByReferenceRun {
  wallMs: number;
  action: string;
  modelBytesWritten: number;
  putRequests: number;
  /** Bytes of model blob GET answers (listings and the bundle excluded). */
  bytesRead: number;
  peakRssMb: number;
  /** The promotion record's mlops-gates.file-digests. */
  fileDigests?: string;
}

export interface PromoteBenchResult {
  modelBytes: number;
  /** verifyFileDigests true (the default). */
  byReference: ByReferenceRun;
  /** verifyFileDigests false; absent in results from before the option existed. */
  byReferenceNotRead?: ByReferenceRun;
  streamed: { wallMs: number; action: string; modes: string; peakRssMb: number; bytesRead: number; goalRssMb: number };
  node: string;
}

const ROOT = resolve(__dirname, '..', '..');
const ENTRY = 'dist/tasks/ModelRegistryPromote/index.js';
const BLOCK = 8 * 1024 * 1024;
const V = { 'x-ms-version': '2023-11-03' };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** Uploads `mb` MiB of random bytes as one blob in 8 MiB blocks; returns its sha256. */
async function uploadRandom(url: string, token: string, mb: number): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const ids: string[] = [];
  const blocks = Math.ceil((mb * 1024 * 1024) / BLOCK);
  for (let i = 0; i < blocks; i++) {
    const data = randomBytes(BLOCK);
    hash.update(data);
    const id = Buffer.from(`b-${String(i).padStart(8, '0')}`).toString('base64');
    const res = await fetch(`${url}?comp=block&blockid=${encodeURIComponent(id)}`, { method: 'PUT', body: new Uint8Array(data), headers: { ...V, authorization: `Bearer ${token}` } });
    if (res.status !== 201) throw new Error(`Put Block ${i}: ${res.status} ${await res.text()}`);
    ids.push(id);
  }
  const list = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((i) => `<Latest>${i}</Latest>`).join('')}</BlockList>`;
  const res = await fetch(`${url}?comp=blocklist`, { method: 'PUT', body: list, headers: { ...V, authorization: `Bearer ${token}` } });
  if (res.status !== 201) throw new Error(`Put Block List: ${res.status} ${await res.text()}`);
  return { sha256: hash.digest('hex'), size: blocks * BLOCK };
}

/** A preload that writes the process's peak RSS (VmHWM, KiB) to `rssFile` when it exits. */
function peakRssPreload(dir: string, rssFile: string): string {
  const file = join(dir, 'peak-rss.js');
  writeFileSync(file, `process.on('exit', () => { const fs = require('node:fs'); const m = /VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8')); fs.writeFileSync(${JSON.stringify(rssFile)}, m ? m[1] : '0'); });\n`);
  return file;
}

const MODEL_FOLDER = '/models/big-model/1/';

/** Bytes of model blob GET answers (not listings) and PUT requests in Azurite's access log lines. */
function logFigures(lines: string[]): { getBytes: number; puts: string[] } {
  let getBytes = 0;
  const puts: string[] = [];
  for (const l of lines) {
    const m = /"(GET|PUT) ([^ ]+) HTTP\/[\d.]+" (\d+) (\d+|-)/.exec(l);
    if (!m) continue;
    if (m[1] === 'GET' && m[2].includes(MODEL_FOLDER) && !m[2].includes('comp=list') && m[4] !== '-') getBytes += Number(m[4]);
    if (m[1] === 'PUT') puts.push(m[2]);
  }
  return { getBytes, puts };
}

async function main(): Promise<void> {
  const out = arg('--out', join(ROOT, '.cache', 'bench', 'promote.json'));
  const mb = Number(arg('--mb', '2048'));
  const caDir = resolve(ROOT, '.cache', 'test-ca');
  const location = resolve(ROOT, '.cache', 'bench', 'azurite-promote');
  rmSync(location, { recursive: true, force: true });
  const dir = mkdtempSync(join(tmpdir(), 'mlops-bench-promote-'));
  let azurite: Azurite | undefined;
  let azure: LocalAzure | undefined;
  try {
    azurite = await startAzurite({ caDir, location, accessLog: true, own: true });
    azure = await startLocalAzure({ caDir, scenarios: ['hardened', 'production'], azurite });
    const sub = azure.subscriptionId;
    const wsId = azure.scenarios.find((s) => s.name === 'hardened')!.workspaceId;
    const token = await armToken(azure);
    const ds = (await (await fetch(`${azure.armUrl}${wsId.slice(1)}/datastores/workspaceblobstore?api-version=2022-10-01`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    const container = ds.properties.containerName as string;
    const storage = (await secretCredential(azure).getToken('https://storage.azure.com/.default')).token;
    process.stdout.write(`generating ${mb} MiB of random bytes into Azurite…\n`);
    const file = await uploadRandom(`${azurite.url}/stmlwhardened01/${container}/models/big-model/1/model.bin`, storage, mb);
    const versionId = `${wsId}/models/big-model/versions/1`;
    const files = [{ name: 'model.bin', sha256: file.sha256, size: file.size }];
    // The model-digest tag the pipeline sets from the gates' modelDigest output: verifyFileDigests false needs it.
    const put = await fetch(`${azure.armUrl}${versionId.slice(1)}?api-version=2023-04-01`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        properties: {
          modelUri: `azureml://subscriptions/${sub}/resourcegroups/rg-ml-hardened/workspaces/mlw-hardened/datastores/workspaceblobstore/paths/models/big-model/1/`,
          jobName: 'train-big-model',
          tags: { [MODEL_DIGEST_TAG]: modelDigest(files) },
        },
      }),
    });
    if (put.status >= 300) throw new Error(`model version PUT: ${put.status}`);
    const { signer } = ed25519Pair();
    const model = { name: 'big-model', version: '1', assetId: versionId };
    const env = await sealEvidence({ files, evidence: record('SecurityGate', 'passed', new Date(Date.now() - 60_000).toISOString()), model, signers: [signer] });
    const bundlePath = join(dir, 'bundle.json');
    writeFileSync(bundlePath, serializeBundle(addEnvelope(emptyBundle(model), env)));
    const conn = secretConnection(azure);
    const rssFile = join(dir, 'rss.txt');
    const preload = peakRssPreload(dir, rssFile);
    const run = async (inputs: Record<string, string>): Promise<{ r: TaskRun; wallMs: number; rssMb: number; log: ReturnType<typeof logFigures> }> => {
      const before = azurite!.accessLog().length;
      const t0 = Date.now();
      const r = await runTask({
        entry: ENTRY,
        inputs: {
          azureSubscription: conn.id, sourceResourceGroup: 'rg-ml-hardened', sourceWorkspace: 'mlw-hardened', modelName: 'big-model', modelVersion: '1',
          evidenceBundle: bundlePath, trustedPublicKeys: signer.publicKeyPem(), deadlineSeconds: '3600', ...inputs,
        },
        env: { ...conn.env, NODE_OPTIONS: `--require ${preload}` },
        timeoutMs: 3_600_000,
      });
      const wallMs = Date.now() - t0;
      await new Promise((ok) => setTimeout(ok, 500));
      if (r.result !== 'Succeeded') throw new Error(`promotion failed: ${r.resultMessage}\n${r.stderr.slice(0, 2000)}`);
      return { r, wallMs, rssMb: Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024, log: logFigures(azurite!.accessLog().slice(before)) };
    };
    const byReference = async (label: string, inputs: Record<string, string>): Promise<ByReferenceRun> => {
      process.stdout.write(`(a) registry by reference, ${label}…\n`);
      const a = await run({ targetType: 'registry', targetResourceGroup: 'rg-ml-hardened', targetName: 'contoso-models', ...inputs });
      const modelPuts = a.log.puts.filter((p) => !/evidence\.bundle\.json|restype=container/.test(p));
      const target = `${azure!.armUrl}${wsId.split('/workspaces/')[0].slice(1)}/registries/contoso-models/models/big-model/versions/${inputs.targetVersion}?api-version=2023-04-01`;
      const promoted = (await (await fetch(target, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
      return {
        wallMs: a.wallMs, action: a.r.outputs.action, modelBytesWritten: modelPuts.length ? file.size : 0, putRequests: modelPuts.length, bytesRead: a.log.getBytes, peakRssMb: a.rssMb,
        fileDigests: String(promoted?.properties?.properties?.['mlops-gates.file-digests'] ?? '?'),
      };
    };
    const verified = await byReference('verifyFileDigests true (default)', { targetVersion: '1' });
    const notRead = await byReference('verifyFileDigests false', { targetVersion: '2', verifyFileDigests: 'false' });
    process.stdout.write('(b) workspace to workspace, streamed…\n');
    const b = await run({ targetType: 'workspace', targetResourceGroup: 'rg-ml-prod', targetName: 'mlw-prod' });
    const result: PromoteBenchResult = {
      modelBytes: file.size,
      byReference: verified,
      byReferenceNotRead: notRead,
      streamed: {
        wallMs: b.wallMs, action: b.r.outputs.action, modes: /\(copied \(([^)]*)\)/.exec(b.r.resultMessage ?? '')?.[1] ?? '?', peakRssMb: b.rssMb, bytesRead: b.log.getBytes, goalRssMb: 200,
      },
      node: process.version,
    };
    mkdirSync(resolve(out, '..'), { recursive: true });
    writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await azure?.close();
    await azurite?.close();
    rmSync(dir, { recursive: true, force: true });
    // The 2 GB of blobs are not kept between runs.
    rmSync(location, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`promote bench failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
