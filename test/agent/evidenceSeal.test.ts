/**
 * Signed evidence as the agent produces it: the bundled SecurityGate and EndpointHardeningCheck, run one after
 * the other in one job against the local Azure, each append their signed evidence about a model folder to one
 * bundle, which then verifies with the public key alone. Keys and model files are made here, at run time.
 */
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyClient } from '@azure/keyvault-keys';
import { parseBundle } from '../../shared/evidence/bundle';
import { digestModel } from '../../shared/evidence/digests';
import { envelopeBody } from '../../shared/evidence/dsse';
import { jwkVerifier } from '../../shared/evidence/keyVault';
import { parseStatement } from '../../shared/evidence/statement';
import { verifyBundle } from '../../shared/evidence/verify';
import type { LocalAzure } from '../azure/server';
import { secretCredential, useLocalAzure } from '../azure/testSupport';
import { evidenceValidator, schemaProblems } from '../schemas/validators';
import { ed25519Pair, makeModelDir } from '../unit/evidence/fixtures';
import { secretConnection } from './connections';
import { runTask, type TaskRun } from './runTask';
import { registerSecret } from './sweep';

const GATES = { security: 'dist/tasks/SecurityGate/index.js', endpoints: 'dist/tasks/EndpointHardeningCheck/index.js' };
const HARDENED = { resourceGroupName: 'rg-ml-hardened', workspaceName: 'mlw-hardened' };
const MODEL = { modelName: 'churn-model', modelVersion: '7' };
// What agentVariables() and the job below say about the run: the statement's lineage.
const COMMIT = '9c4b2f7e1d3a5b6c8e0f1a2b3c4d5e6f7a8b9c0d';
const COLLECTION = 'https://dev.azure.com/contoso/';
const RUN_URL = `${COLLECTION}ml/_build/results?buildId=4711`;

interface Conn { id: string; env: Record<string, string> }

const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

/** The run's output, minus the masking commands (they hand the value to the agent on purpose). */
function visible(run: TaskRun): string {
  return run.stdout.split('\n').filter((l) => !l.startsWith('##vso[task.setsecret]')).join('\n') + run.stderr;
}

function assertOneLineFailure(run: TaskRun): void {
  assert.equal(run.result, 'Failed', run.stdout);
  assert.ok(run.resultMessage && !run.resultMessage.includes('\n'), 'the reason must be one line');
  assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at .+\(.*:\d+:\d+\)/, 'no stack trace may reach the log');
}

describe('Signed evidence from the gate tasks (agent-style runs of the bundles)', function () {
  this.timeout(180_000);
  const local = useLocalAzure({ scenarios: ['hardened'] });
  let azure: LocalAzure;
  let conn: Conn;
  before(() => {
    azure = local();
    registerSecret(azure.clientSecret, azure.systemAccessToken);
    conn = secretConnection(azure);
  });
  beforeEach(() => { azure.faults.clear(); azure.resetRequests(); });

  function run(entry: string, inputs: Record<string, string>, opts: { conn?: Conn; tempDir?: string } = {}): Promise<TaskRun> {
    const c = opts.conn ?? conn;
    return runTask({
      entry,
      inputs: { azureSubscription: c.id, failOnSeverity: 'high', probeTimeoutSeconds: '3', ...HARDENED, ...inputs },
      env: { ...c.env, SYSTEM_COLLECTIONURI: COLLECTION },
      tempDir: opts.tempDir,
      timeoutMs: 120_000,
    });
  }

  it('SecurityGate then EndpointHardeningCheck append to one bundle that verifies with both gates required', async () => {
    const model = await makeModelDir();
    const { signer, privatePem } = ed25519Pair();
    const job = mkdtempSync(join(tmpdir(), 'mlops-seal-job-'));
    try {
      const evidence = { ...MODEL, modelPath: model.dir, signingKey: privatePem, trainingJobId: 'ivory_lamp_x3k2', dataAssets: 'azureml:churn-train:3\nazureml:churn-holdout:1' };
      const first = await run(GATES.security, evidence, { tempDir: job });
      assert.equal(first.result, 'Succeeded', first.stdout);
      const second = await run(GATES.endpoints, evidence, { tempDir: job });
      assert.equal(second.result, 'Succeeded', second.stdout);

      // Both appended to the default bundle in the job's staging directory, about the same files.
      const bundlePath = join(job, 'a', 'mlops-gates', 'evidence.bundle.json');
      assert.equal(first.outputs.evidenceBundlePath, bundlePath);
      assert.equal(second.outputs.evidenceBundlePath, bundlePath);
      assert.equal(first.outputs.modelDigest, second.outputs.modelDigest);
      assert.match(first.outputs.envelopeDigest, /^[0-9a-f]{64}$/);
      assert.notEqual(first.outputs.envelopeDigest, second.outputs.envelopeDigest);
      const text = readFileSync(bundlePath, 'utf8');
      const bundle = parseBundle(text);
      assert.equal(bundle.envelopes.length, 2);
      const assetId = `/subscriptions/${azure.subscriptionId}/resourceGroups/rg-ml-hardened/providers/Microsoft.MachineLearningServices/workspaces/mlw-hardened/models/churn-model/versions/7`;
      assert.deepEqual(bundle.model, { name: 'churn-model', version: '7', assetId });

      const files = await digestModel(model.dir);
      const result = await verifyBundle(text, { files, trustedKeys: [signer.verifier()], requiredGates: ['SecurityGate', 'EndpointHardeningCheck'], maxAgeDays: 1, now: new Date() });
      assert.deepEqual(result.failures, []);
      assert.equal(result.ok, true);
      assert.equal(result.gates.SecurityGate.verdict, 'passed');
      assert.equal(result.gates.SecurityGate.envelopeDigest, first.outputs.envelopeDigest);
      assert.equal(result.gates.EndpointHardeningCheck.envelopeDigest, second.outputs.envelopeDigest);
      assert.equal(result.gates.EndpointHardeningCheck.modelDigest, first.outputs.modelDigest);
      assert.equal(result.gates.SecurityGate.keyid, signer.keyid);

      // The signed statement carries the gate's own evidence record, byte for byte as the task wrote it, and the lineage.
      const statements = bundle.envelopes.map((e) => parseStatement(envelopeBody(e)));
      assert.deepEqual(statements.map((s) => s.predicate.evidence.gate), ['SecurityGate', 'EndpointHardeningCheck']);
      assert.deepEqual(statements[0].predicate.evidence, readJson(first.outputs.evidencePath));
      assert.deepEqual(schemaProblems(evidenceValidator(), readJson(second.outputs.evidencePath)), []);
      assert.deepEqual(statements[1].predicate.lineage, {
        commit: COMMIT,
        repository: 'https://dev.azure.com/contoso/ml/_git/churn-model',
        pipelineRunUrl: RUN_URL,
        trainingJobId: 'ivory_lamp_x3k2',
        dataAssets: ['azureml:churn-holdout:1', 'azureml:churn-train:3'],
      });
      assert.deepEqual(statements[0].subject.map((s) => s.name), ['MLmodel', 'conda.yaml', 'model/weights.onnx']);
      const record = readJson(first.outputs.evidencePath);
      assert.equal(record.inputs.modelVersion, '7');
      assert.equal(record.inputs.signingKeyId, signer.keyid);
      assert.equal(record.inputs.signingKey, undefined);
      const summary = readFileSync(second.commands.find((c) => c.event === 'uploadsummary')!.data, 'utf8');
      assert.match(summary, /### Signed evidence/);
      assert.match(summary, new RegExp(`Envelope 2 of the bundle .*${signer.keyid}`));

      // One changed byte in a model file and the same bundle no longer vouches for the files.
      const weights = join(model.dir, 'model', 'weights.onnx');
      const bytes = readFileSync(weights);
      bytes[1000] ^= 0x01;
      writeFileSync(weights, bytes);
      const tampered = await verifyBundle(text, { files: await digestModel(model.dir), trustedKeys: [signer.verifier()], requiredGates: ['SecurityGate', 'EndpointHardeningCheck'], maxAgeDays: 1, now: new Date() });
      assert.equal(tampered.ok, false);
      assert.deepEqual(tampered.failures.map((f) => [f.code, f.file]), [['digest-mismatch', 'model/weights.onnx']]);
      assert.match(tampered.failures[0].message, /in the evidence of SecurityGate, EndpointHardeningCheck/);

      // The key: masked line by line the moment it was read, and nowhere in the output or the files written.
      const body = privatePem.split('\n').filter((l) => l && !l.startsWith('-----'));
      for (const r of [first, second]) {
        const masked = r.commands.filter((c) => c.event === 'setsecret').map((c) => c.data);
        for (const line of body) assert.ok(masked.includes(line), 'every line of the key is registered for masking');
        const written = [r.outputs.sarifPath, r.outputs.evidencePath, bundlePath, r.commands.find((c) => c.event === 'uploadsummary')!.data].map((p) => readFileSync(p, 'utf8'));
        for (const out of [visible(r), JSON.stringify(r.outputs), ...written]) {
          for (const line of body) assert.ok(!out.includes(line), 'the signing key leaked');
        }
      }
    } finally {
      await model.cleanup();
    }
  });

  it('signs with a Key Vault key through the connection, for the Key Vault domain its cloud records', async () => {
    const model = await makeModelDir();
    try {
      const keyId = `${azure.keyVaultUrl}keys/evidence-signing`;
      const host = new URL(azure.keyVaultUrl).hostname;
      // What an AzureRM connection to this cloud records (Azure Stack Hub connections carry the same two).
      const vaultConn = { id: conn.id, env: { ...conn.env, [`ENDPOINT_DATA_${conn.id}_AZUREKEYVAULTDNSSUFFIX`]: host, [`ENDPOINT_DATA_${conn.id}_AZUREKEYVAULTSERVICEENDPOINTRESOURCEID`]: 'https://vault.azure.net' } };
      const r = await run(GATES.endpoints, { ...MODEL, modelPath: model.dir, keyVaultKeyId: keyId }, { conn: vaultConn });
      assert.equal(r.result, 'Succeeded', r.stdout);
      // The first request of a Key Vault client is sent without a token, to learn the challenge (401).
      const signs = azure.requests().filter((q) => q.method === 'POST' && /^\/keys\/evidence-signing\/[0-9a-f]+\/sign$/.test(q.path));
      assert.deepEqual(signs.map((q) => q.status).filter((s) => s !== 401), [200], 'one signature by the vault');

      const text = readFileSync(r.outputs.evidenceBundlePath, 'utf8');
      const [envelope] = parseBundle(text).envelopes;
      const keyid = envelope.signatures[0].keyid;
      assert.match(keyid, new RegExp(`^${azure.keyVaultUrl}keys/evidence-signing/[0-9a-f]{32}$`), 'the key id is pinned to its version');
      // The verifier needs only the public key: read here with a client of our own.
      const key = await new KeyClient(azure.keyVaultUrl, secretCredential(azure), { disableChallengeResourceVerification: true }).getKey('evidence-signing');
      const result = await verifyBundle(text, { files: await digestModel(model.dir), trustedKeys: [jwkVerifier(key.key!, key.id!)], requiredGates: ['EndpointHardeningCheck'], maxAgeDays: 1, now: new Date() });
      assert.deepEqual(result.failures, []);
      assert.equal(result.gates.EndpointHardeningCheck.keyid, keyid);
    } finally {
      await model.cleanup();
    }
  });

  it('refuses a Key Vault host outside the connection\'s cloud before the gate runs, sending it nothing', async () => {
    const model = await makeModelDir();
    try {
      // The connection records no Key Vault domain: it is "AzureStack" at an IP address, so none can be derived.
      const r = await run(GATES.security, { ...MODEL, modelPath: model.dir, keyVaultKeyId: `${azure.keyVaultUrl}keys/evidence-signing` });
      assertOneLineFailure(r);
      assert.match(r.resultMessage!, /keyVaultKeyId.*does not say where its cloud's Key Vault is/);
      assert.deepEqual(azure.requests().filter((q) => q.path.startsWith('/keys/')), []);
      assert.deepEqual(azure.requests().filter((q) => q.service === 'arm'), [], 'refused before the audit');
    } finally {
      await model.cleanup();
    }
  });

  it('fails closed when the evidence cannot be sealed, and says why in the result and the record', async () => {
    const model = await makeModelDir();
    const { privatePem } = ed25519Pair();
    const job = mkdtempSync(join(tmpdir(), 'mlops-seal-job-'));
    try {
      const inputs = { ...MODEL, modelPath: model.dir, signingKey: privatePem, evidenceBundle: join(job, 'churn.bundle.json') };
      const sealed = await run(GATES.security, inputs, { tempDir: job });
      assert.equal(sealed.result, 'Succeeded', sealed.stdout);
      const before = readFileSync(inputs.evidenceBundle, 'utf8');

      // The same bundle for another version of the model: refused, and the gate that otherwise passed fails.
      const other = await run(GATES.security, { ...inputs, modelVersion: '8' }, { tempDir: job });
      assertOneLineFailure(other);
      assert.match(other.resultMessage!, /^The evidence could not be sealed, so the gate fails closed: the bundle at .* is about churn-model:7 .*, this run about churn-model:8 .*No finding at or above high/);
      assert.equal(other.outputs.verdict, 'failed');
      assert.equal(other.outputs.evidenceBundlePath, undefined);
      const record = readJson(other.outputs.evidencePath);
      assert.equal(record.verdict, 'failed');
      assert.match(record.error, /could not be sealed/);
      assert.equal(readFileSync(inputs.evidenceBundle, 'utf8'), before, 'the bundle is left as it was');
    } finally {
      await model.cleanup();
    }
  });

  it('rejects evidence inputs that cannot work, naming the input and never the key', async () => {
    const model = await makeModelDir();
    const { privatePem } = ed25519Pair();
    const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyLines = [privatePem, ecPem].flatMap((pem) => pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')));
    registerSecret(...keyLines);
    try {
      const cases: Array<{ inputs: Record<string, string>; expect: RegExp }> = [
        { inputs: { ...MODEL, modelPath: model.dir, signingKey: privatePem, keyVaultKeyId: `${azure.keyVaultUrl}keys/evidence-signing` }, expect: /signingKey.*keyVaultKeyId.*exactly one key/ },
        { inputs: { ...MODEL, modelPath: model.dir }, expect: /'modelPath' is set, so the evidence must be signed/ },
        { inputs: { ...MODEL, signingKey: privatePem }, expect: /'modelPath' is empty.*'modelName', 'modelVersion', 'signingKey'/ },
        { inputs: { ...MODEL, modelPath: model.dir, signingKey: '$(evidenceSigningKey)' }, expect: /'signingKey' is the unexpanded text '\$\(evidenceSigningKey\)'.*secret variable/ },
        // A key of the wrong kind: its kind is named, its text never repeated.
        { inputs: { ...MODEL, modelPath: model.dir, signingKey: ecPem }, expect: /'signingKey' is not a usable key: the secret is an EC key on prime256v1, not an Ed25519 key/ },
        { inputs: { ...MODEL, modelPath: join(model.dir, 'missing'), signingKey: privatePem }, expect: /'modelPath' names .*missing', which does not exist/ },
        { inputs: { modelName: 'churn model', modelVersion: '7', modelPath: model.dir, signingKey: privatePem }, expect: /'modelName' has the value 'churn model'/ },
        { inputs: { ...MODEL, modelPath: model.dir, signingKey: privatePem, evidenceBundle: join(model.dir, 'evidence.bundle.json') }, expect: /'evidenceBundle' names .* inside the model/ },
      ];
      for (const c of cases) {
        const r = await run(GATES.security, c.inputs);
        assertOneLineFailure(r);
        assert.match(r.resultMessage!, c.expect);
        assert.deepEqual(azure.requests().filter((q) => q.service === 'arm'), [], `${c.expect}: rejected before any request`);
        for (const line of keyLines) assert.ok(!visible(r).includes(line), 'a key leaked');
      }
    } finally {
      await model.cleanup();
    }
  });
});
