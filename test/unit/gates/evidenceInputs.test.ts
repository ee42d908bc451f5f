/** The evidence inputs of the gate tasks: when sealing is on, the key choice, masking, paths and lists. */
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputsOutsideModel, evidenceRecordInputs, maskSigningKey, parseEvidenceInputs, type EvidenceInputs } from '../../../shared/gates/evidenceInputs';
import { InputError } from '../../../shared/pipeline/inputs';
import { ed25519Pair, makeModelDir } from '../evidence/fixtures';
import { registerSecret } from '../../agent/sweep';

describe('Evidence inputs', () => {
  let model: Awaited<ReturnType<typeof makeModelDir>>;
  let pem: string;
  before(async () => {
    model = await makeModelDir();
    pem = ed25519Pair().privatePem;
  });
  after(() => model.cleanup());

  const paths = () => ({ baseDir: join(model.dir, '..'), outputDir: '/agent/_work/1/a', exists: existsSync });
  function parse(inputs: Record<string, string>, masked: string[] = []): EvidenceInputs | undefined {
    return parseEvidenceInputs((n) => inputs[n], paths(), { mask: (v) => masked.push(v) });
  }
  const base = () => ({ modelPath: model.dir, modelName: 'churn-model', modelVersion: '7', signingKey: pem });
  function rejects(inputs: Record<string, string>, input: string, message: RegExp): void {
    assert.throws(() => parse(inputs), (e: unknown) => e instanceof InputError && e.input === input && message.test(e.message) && !e.message.includes(pem.split('\n')[1]));
  }

  it('is off without a model path, also when the agent passes the sources directory for an empty filePath input', () => {
    assert.equal(parse({}), undefined);
    assert.equal(parse({ modelPath: paths().baseDir, evidenceBundle: '/x/evidence.bundle.json' }), undefined);
  });

  it('refuses evidence inputs without a model path rather than passing unsealed', () => {
    rejects({ signingKey: pem }, 'modelPath', /'modelPath' is empty, so no evidence would be sealed, yet 'signingKey' is set/);
    rejects({ modelName: 'm', keyVaultKeyId: 'https://kv.vault.azure.net/keys/k' }, 'modelPath', /'modelName', 'keyVaultKeyId' are set/);
  });

  it('resolves paths against the sources directory and puts the bundle in the staging directory by default', () => {
    const name = model.dir.split(/[\\/]/).pop()!;
    const r = parse({ ...base(), modelPath: name })!;
    assert.equal(r.modelPath, model.dir);
    assert.equal(r.bundlePath, join('/agent/_work/1/a', 'mlops-gates', 'evidence.bundle.json'));
    assert.equal(r.key.kind, 'ed25519');
    assert.equal(parse({ ...base(), evidenceBundle: 'out/b.json' })!.bundlePath, join(paths().baseDir, 'out', 'b.json'));
  });

  it('needs exactly one key, and a Key Vault key id in Key Vault\'s form', () => {
    rejects({ ...base(), keyVaultKeyId: 'https://kv.vault.azure.net/keys/k' }, 'keyVaultKeyId', /exactly one key/);
    rejects({ ...base(), signingKey: '' }, 'signingKey', /must be signed: set 'signingKey'.*or 'keyVaultKeyId'/);
    const kv = (keyVaultKeyId: string) => parse({ ...base(), signingKey: '', keyVaultKeyId })!.key;
    assert.deepEqual(kv('https://kv.vault.azure.net/keys/evidence/'), { kind: 'keyVault', keyId: 'https://kv.vault.azure.net/keys/evidence' });
    assert.deepEqual(kv('https://kv.vault.azure.net/keys/evidence/0123456789abcdef0123456789abcdef'), { kind: 'keyVault', keyId: 'https://kv.vault.azure.net/keys/evidence/0123456789abcdef0123456789abcdef' });
    for (const bad of ['http://kv.vault.azure.net/keys/k', 'https://kv.vault.azure.net/secrets/k', 'https://kv.vault.azure.net/keys/k/v/x', 'kv/keys/k']) {
      rejects({ ...base(), signingKey: '', keyVaultKeyId: bad }, 'keyVaultKeyId', /expected a Key Vault key identifier/);
    }
  });

  it('names the kind of a wrong key and an unexpanded variable, never the key text', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    registerSecret(...ec.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')));
    assert.throws(() => parse({ ...base(), signingKey: ec }), (e: Error) => /EC key on prime256v1, not an Ed25519 key/.test(e.message) && !ec.split('\n').slice(1, -2).some((l) => e.message.includes(l)));
    rejects({ ...base(), signingKey: '$(evidenceKey)' }, 'signingKey', /unexpanded text '\$\(evidenceKey\)': the pipeline has no variable 'evidenceKey'. Define it as a secret variable/);
    rejects({ ...base(), modelVersion: '$(Build.BuildId)' }, 'modelVersion', /no variable 'Build.BuildId'/);
  });

  it('reads data assets one per line or comma-separated, without comments or repeats', () => {
    const r = parse({ ...base(), dataAssets: 'azureml:train:3\n# holdout below\nazureml:holdout:1, azureml:train:3\n', trainingJobId: 'ivory_lamp_x3k2' })!;
    assert.deepEqual(r.dataAssets, ['azureml:train:3', 'azureml:holdout:1']);
    assert.equal(r.trainingJobId, 'ivory_lamp_x3k2');
    rejects({ ...base(), trainingJobId: 'two words' }, 'trainingJobId', /one Azure ML job name or id/);
  });

  it('keeps the bundle and the gate outputs out of the model folder (a sibling with the same prefix is fine)', () => {
    rejects({ ...base(), evidenceBundle: join(model.dir, 'b.json') }, 'evidenceBundle', /inside the model/);
    const r = parse(base())!;
    assert.throws(() => checkOutputsOutsideModel(r, [{ input: 'sarifOutput', path: join(model.dir, 'model', 'x.sarif') }]), /'sarifOutput' names .* inside the model/);
    checkOutputsOutsideModel(r, [{ input: 'sarifOutput', path: `${model.dir}-out/x.sarif` }]);
  });

  it('masks every form a key can take in a log line, and never lists it in the record', () => {
    const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
    const masked: string[] = [];
    parse(base(), masked);
    for (const line of body) assert.ok(masked.includes(line), 'each body line of a multi-line PEM');
    assert.ok(!masked.some((m) => m.includes('\n') || m.includes('-----')), 'task-lib refuses multi-line secrets; marker lines are public');
    const oneLine: string[] = [];
    maskSigningKey(pem.trim().replace(/\n/g, ' '), (v) => oneLine.push(v));
    assert.equal(oneLine[0], pem.trim().replace(/\n/g, ' '));
    for (const line of body) assert.ok(oneLine.includes(line));
    const literal: string[] = [];
    maskSigningKey(pem.trim().replace(/\n/g, '\\n'), (v) => literal.push(v));
    for (const line of body) assert.ok(literal.includes(line), 'PEM with literal \\n');
    const record = JSON.stringify(evidenceRecordInputs(parse(base())));
    assert.ok(!body.some((l) => record.includes(l)));
    assert.match(record, /"signingKeyId":"[0-9a-f]{32}"/);
  });
});
