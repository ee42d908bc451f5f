/**
 * CLI parity: every `mlops-gates` subcommand as a developer runs it — a child process of bin/mlops-gates.js
 * (the dist/cli bundle when it is current) against the local Azure with Azurite — asserting its exit code and
 * the files it writes. One chain, like a pipeline on a laptop: the model files of hardened credit-risk v2 are
 * downloaded, `security-gate` and `endpoint-check` seal evidence about them, `verify` checks the bundle,
 * `promote` promotes the version with it (also signed in through a stand-in `az` command: the AzureCli scheme).
 * `--help` of each task command lists every input of its task.json (read here, so a new input cannot be missed).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { addEnvelope, emptyBundle, serializeBundle } from '../../shared/evidence/bundle';
import { digestModel } from '../../shared/evidence/digests';
import { keyVaultSigner } from '../../shared/evidence/keyVault';
import { sealEvidence } from '../../shared/evidence/seal';
import { TASK_COMMANDS } from '../../shared/cli/main';
import { useLocalAzureWithBlobs } from '../azure/azurite';
import type { LocalAzure } from '../azure/server';
import { armToken, jwtClaims, secretCredential } from '../azure/testSupport';
import { evidenceValidator, sarifValidator, schemaProblems } from '../schemas/validators';
import { ed25519Pair, record } from '../unit/evidence/fixtures';
import { writeCreditScenario } from '../unit/explain/gate/scenario';
import { recordOutput, registerSecret } from './sweep';

const REPO = resolve(__dirname, '..', '..', '..');
const BIN = join(REPO, 'bin', 'mlops-gates.js');
const BUILT = join(REPO, 'build', 'shared', 'cli', 'main.js');
const BUNDLED = join(REPO, 'dist', 'cli', 'main.js');
const HARDENED = ['--resource-group', 'rg-ml-hardened', '--workspace', 'mlw-hardened'];
const MODEL = ['--model-name', 'credit-risk', '--model-version', '2'];

/** bin → dist bundle when the bundle is at least as new as the compiled sources (else, after tsc alone, the sources). */
function entryArgs(): string[] {
  const fresh = existsSync(BUNDLED) && statSync(BUNDLED).mtimeMs >= statSync(BUILT).mtimeMs;
  return fresh ? [BIN] : ['-e', `require(${JSON.stringify(BUILT)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, '--'];
}

interface Run { code: number | null; out: string; err: string }

/** The CLI in `cwd`, with no AZURE_* of the machine: only what the test gives. */
function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AZURE_')));
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...entryArgs(), ...args], { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill(), 120_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      recordOutput(`mlops-gates ${args.join(' ')}`, out + err);
      done({ code, out, err });
    });
  });
}

const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));
const noStack = (r: Run) => assert.doesNotMatch(r.out + r.err, /\n\s+at .+:\d+:\d+/, 'no stack trace');

/**
 * A stand-in for the Azure CLI: `az account get-access-token --resource R` answers as az does, with a token the
 * local Entra issues for R (client credentials from FAKE_AZ_*), so the AzureCli scheme runs end to end.
 */
function fakeAz(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'az.js'), `
const a = process.argv.slice(2);
const resource = a[a.indexOf('--resource') + 1];
if (a[0] !== 'account' || a[1] !== 'get-access-token' || !resource) { process.stderr.write('ERROR: not supported by the stand-in'); process.exit(2); }
const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: process.env.FAKE_AZ_CLIENT_ID, client_secret: process.env.FAKE_AZ_CLIENT_SECRET, resource });
fetch(process.env.FAKE_AZ_TOKEN_URL, { method: 'POST', body }).then(async (res) => {
  const t = await res.json();
  if (!t.access_token) { process.stderr.write('ERROR: ' + (t.error_description || res.status)); process.exit(1); }
  const exp = Math.floor(Date.now() / 1000) + Number(t.expires_in || 3600);
  process.stdout.write(JSON.stringify({ accessToken: t.access_token, expiresOn: new Date(exp * 1000).toISOString().replace('T', ' ').replace('Z', ''), expires_on: exp, tokenType: 'Bearer' }));
}, (e) => { process.stderr.write('ERROR: ' + e.message); process.exit(1); });
`);
  writeFileSync(join(bin, 'az'), `#!/bin/sh\nexec "${process.execPath}" "${join(bin, 'az.js')}" "$@"\n`);
  chmodSync(join(bin, 'az'), 0o755);
  return bin;
}

describe('mlops-gates: every subcommand against the local Azure (CLI parity)', function () {
  this.timeout(180_000);
  const local = useLocalAzureWithBlobs({ scenarios: ['hardened', 'insecure', 'production'] });
  let azure: LocalAzure;
  let env: Record<string, string>;
  let work: string;
  let publicPem: string;
  let privatePem: string;
  const bundle = () => join(work, 'mlops-gates', 'evidence.bundle.json');

  before(async () => {
    ({ azure } = local());
    registerSecret(azure.clientSecret);
    env = {
      AZURE_CLIENT_ID: azure.clientId,
      AZURE_TENANT_ID: azure.tenantId,
      AZURE_CLIENT_SECRET: azure.clientSecret,
      AZURE_AUTHORITY_HOST: azure.authorityHost,
      AZURE_SUBSCRIPTION_ID: azure.subscriptionId,
      AZURE_RESOURCE_MANAGER_URL: azure.armUrl,
    };
    // The developer's checkout: credit-risk v2's files as the registry holds them, and the signing key pair.
    work = mkdtempSync(join(tmpdir(), 'mlops-cli-parity-'));
    const storage = await secretCredential(azure).getToken('https://storage.azure.com/.default');
    const files = azure.modelFiles.filter((f) => /\/workspaces\/mlw-hardened\/models\/credit-risk\/versions\/2$/i.test(f.modelVersionId));
    assert.ok(files.length >= 2, 'the scenario lists the files of credit-risk v2');
    for (const f of files) {
      const res = await fetch(f.url, { headers: { authorization: `Bearer ${storage.token}`, 'x-ms-version': '2023-11-03' } });
      assert.equal(res.status, 200, f.url);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(createHash('sha256').update(bytes).digest('hex'), f.sha256);
      mkdirSync(dirname(join(work, 'model', f.file)), { recursive: true });
      writeFileSync(join(work, 'model', f.file), bytes);
    }
    const pair = ed25519Pair();
    privatePem = pair.privatePem;
    publicPem = pair.signer.publicKeyPem();
    writeFileSync(join(work, 'trusted.pem'), publicPem);
  });

  it('--help: the top level lists every command and the exit codes; each task command lists every input of its task.json as a flag', async () => {
    const top = await cli(['--help'], work);
    assert.equal(top.code, 0, top.err);
    for (const name of ['scan', 'security-gate', 'endpoint-check', 'promote', 'verify']) assert.match(top.out, new RegExp(`^ {2}${name}\\b`, 'm'), name);
    assert.match(top.out, /^Exit codes \(every command\):\n {2}0 +clean.*\n {2}1 +findings.*\n {2}2 +usage error, or the command could not run/m);

    // Every task the agent runs (a task folder with an index.ts) has a subcommand, except those still being built.
    const agentTasks = readdirSync(join(REPO, 'tasks')).filter((t) => existsSync(join(REPO, 'tasks', t, 'index.ts')));
    const byTask = new Map(TASK_COMMANDS.map((c) => [c.task.name, c.name]));
    for (const t of agentTasks) {
      if (t === 'ExplainabilityReport' && !byTask.has(t)) continue; // `explain` is added by its own change
      assert.ok(byTask.has(t), `task ${t} has no CLI subcommand`);
    }
    for (const [task, command] of byTask) {
      const r = await cli([command, '--help'], work);
      assert.equal(r.code, 0, r.err);
      const inputs = readJson(join(REPO, 'tasks', task, 'task.json')).inputs as Array<{ name: string; label: string; defaultValue?: string; type: string }>;
      const entries = r.out.split('\n').filter((l) => /^ {2}--/.test(l));
      for (const input of inputs) {
        if (input.name === 'signingKey') {
          assert.match(r.out, /^ {2}MLOPS_GATES_SIGNING_KEY /m, `${command}: the signing key comes from the environment`);
          continue;
        }
        const line = entries.find((l) => l.replace(/^ {2}\S+( <[^>]+>)?( \(repeatable\))?\s+/, '').startsWith(input.label));
        assert.ok(line, `${command} --help has no flag for input ${input.name} (${input.label})`);
        if (input.defaultValue && !input.type.startsWith('connectedService')) assert.match(line, /default: /, `${command} ${input.name}: its default`);
      }
      assert.match(r.out, /^Exit codes: 0 /m, `${command}: exit codes`);
    }
    const verify = await cli(['verify', '--help'], work);
    assert.equal(verify.code, 0);
    for (const flag of ['--bundle <file>', '--model <dir|file>', '--trusted-public-key <pem|file>', '--trusted-key-vault-key <url>', '--require <gate>', '--max-age-days <n>', '--json <path>']) assert.ok(verify.out.includes(flag), flag);
    assert.match(verify.out, /Exit codes: 0 verified, 1 refused .* 2 usage error/s);
  });

  it('scan: the model folder is clean (exit 0, SARIF written); a planted key fails it (exit 1)', async () => {
    const clean = await cli(['scan', 'model', '--sarif', 'scan.sarif'], work);
    assert.equal(clean.code, 0, clean.out + clean.err);
    assert.deepEqual(schemaProblems(sarifValidator(), readJson(join(work, 'scan.sarif'))), []);
    const dirty = mkdtempSync(join(tmpdir(), 'mlops-cli-scan-'));
    const line = createHash('sha512').update(String(Math.random())).digest('base64');
    registerSecret(line);
    writeFileSync(join(dirty, 'id.pem'), `-----BEGIN RSA PRIVATE KEY-----\n${line}\n${line}\n-----END RSA PRIVATE KEY-----\n`);
    const r = await cli(['scan', '.'], dirty);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^id\.pem:1:1: critical /m);
  });

  it('security-gate: audits the insecure workspace (exit 1, SARIF + evidence); seals passing scan evidence about the model (exit 0)', async () => {
    const audit = await cli(['security-gate', '--no-scan', '--resource-group', 'rg-ml-insecure', '--workspace', 'mlw-insecure', '-q', '--sarif', 'audit/sg.sarif'], work, env);
    assert.equal(audit.code, 1, audit.err);
    assert.match(audit.out, /mlw-insecure: high AML-WS-001 /);
    assert.deepEqual(schemaProblems(evidenceValidator(), readJson(join(work, 'audit', 'sg.evidence.json'))), []);

    const seal = await cli(['security-gate', '--no-audit', '--scan-path', 'model', ...HARDENED, '--model-path', 'model', ...MODEL], work, { ...env, MLOPS_GATES_SIGNING_KEY: privatePem });
    assert.equal(seal.code, 0, seal.err);
    assert.match(seal.err, /Signed evidence: envelope 1 of mlops-gates\/evidence\.bundle\.json/);
    assert.equal(readJson(bundle()).envelopes.length, 1);
  });

  it('endpoint-check: passes the hardened endpoints (exit 0) and appends its evidence to the same bundle', async () => {
    const r = await cli(['endpoint-check', ...HARDENED, '--probe-timeout-seconds', '3', '--model-path', 'model', ...MODEL], work, { ...env, MLOPS_GATES_SIGNING_KEY: privatePem });
    assert.equal(r.code, 0, r.out + r.err);
    assert.ok(existsSync(join(work, 'mlops-gates', 'endpoint-check.sarif')));
    assert.equal(readJson(bundle()).envelopes.length, 2);
  });

  it('verify: the bundle verifies offline (exit 0, each check printed, JSON written); a changed file, an untrusted key or a missing gate is refused (exit 1)', async () => {
    const ok = await cli(['verify', '--bundle', bundle(), '--model', 'model', '--trusted-public-key', 'trusted.pem', '--require', 'security-gate', '--require', 'EndpointHardeningCheck', '--json', 'out/verify.json'], work);
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, /^ok {3}signature: envelope 1 \(SecurityGate, passed\) signed by trusted key [0-9a-f]{32}$/m);
    assert.match(ok.out, /^ok {3}required gate EndpointHardeningCheck: passed/m);
    assert.match(ok.out, /^ok {3}files: all \d+ match the signed digests$/m);
    assert.match(ok.out, /^Verified: credit-risk/m);
    const report = readJson(join(work, 'out', 'verify.json'));
    assert.equal(report.verdict, 'verified');
    assert.deepEqual(Object.keys(report.gates).sort(), ['EndpointHardeningCheck', 'SecurityGate']);
    assert.deepEqual(report.failures, []);

    // One file changed: the digest no longer matches what both gates signed.
    const changed = join(work, 'changed');
    mkdirSync(changed);
    for (const f of readdirSync(join(work, 'model'))) copyFileSync(join(work, 'model', f), join(changed, f));
    const first = readdirSync(changed).sort()[0];
    writeFileSync(join(changed, first), Buffer.concat([readFileSync(join(changed, first)), Buffer.from([0])]));
    const tampered = await cli(['verify', '--bundle', bundle(), '--model', 'changed', `--trusted-public-key=${publicPem}`, '--json', 'out/refused.json'], work);
    assert.equal(tampered.code, 1, tampered.out + tampered.err);
    assert.match(tampered.out, new RegExp(`^FAIL digest-mismatch: ${first.replace('.', '\\.')}: sha256 is [0-9a-f]{64} on disk`, 'm'));
    assert.match(tampered.out, /^Refused: 1 failure \(digest-mismatch\)\.$/m);
    assert.equal(readJson(join(work, 'out', 'refused.json')).failures[0].code, 'digest-mismatch');

    const other = ed25519Pair().signer.publicKeyPem();
    const untrusted = await cli(['verify', '--bundle', bundle(), '--model', 'model', `--trusted-public-key=${other}`], work);
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.out, /^FAIL unknown-key: envelope 1 \(SecurityGate\): signed only by untrusted key/m);

    const missing = await cli(['verify', '--bundle', bundle(), '--model', 'model', '--trusted-public-key', 'trusted.pem', '--require', 'explainability-report'], work);
    assert.equal(missing.code, 1);
    assert.match(missing.out, /^FAIL gate-missing: required gate explainability-report has no evidence/m);
  });

  it('verify: exits 2 naming the flag for usage errors and when it cannot run', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['verify', '--model', 'model', '--trusted-public-key', 'trusted.pem'], /--bundle is required/],
      [['verify', '--bundle', bundle(), '--model', 'model'], /give at least one trusted key/],
      [['verify', '--bundle', bundle(), '--model', 'model', '--trusted-public-key', 'trusted.pem', '--max-age-days', '0'], /--max-age-days has the value '0'/],
      [['verify', '--bundle', bundle(), '--model', 'model', '--trusted-public-key', 'keys/none.pem'], /--trusted-public-key: 'keys\/none\.pem' is not an existing file/],
      [['verify', '--bundle', 'nowhere.json', '--model', 'model', '--trusted-public-key', 'trusted.pem'], /--bundle names '.*nowhere\.json', which cannot be read \(ENOENT\)/],
      [['verify', '--bundle', bundle(), '--model', 'no-model', '--trusted-public-key', 'trusted.pem'], /model path not found: .*no-model; not verified \(fails closed\)/],
      [['verify', '--bundle', bundle(), '--model', 'model', '--trusted-public-key', 'trusted.pem', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, says] of cases) {
      const r = await cli(args, work);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err, says, args.join(' '));
      noStack(r);
    }
  });

  it('verify: a Key Vault key of the local Azure, read with the sign-in; refused to send a token outside the cloud\'s Key Vault domain', async () => {
    // Evidence signed here with the vault's EC key (the private key never leaves the local Key Vault).
    const signer = await keyVaultSigner({ keyId: `${azure.keyVaultUrl}keys/evidence-signing`, credential: secretCredential(azure), clientOptions: { disableChallengeResourceVerification: true } });
    const files = await digestModel(join(work, 'model'));
    const model = readJson(bundle()).model;
    const envelope = await sealEvidence({ files, evidence: record('SecurityGate', 'passed', new Date(Date.now() - 60_000).toISOString()), model, signers: [signer] });
    writeFileSync(join(work, 'kv.bundle.json'), serializeBundle(addEnvelope(emptyBundle(model), envelope)));
    const vault = { AZURE_KEYVAULT_DNS_SUFFIX: '127.0.0.1', AZURE_KEYVAULT_RESOURCE: 'https://vault.azure.net' };
    const ok = await cli(['verify', '--bundle', 'kv.bundle.json', '--model', 'model', '--trusted-key-vault-key', signer.keyid], work, { ...env, ...vault });
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, new RegExp(`signed by trusted key ${signer.keyid.replace(/[.:/]/g, '\\$&')}`));
    assert.match(ok.err, /Signing in as service principal/);

    const outside = await cli(['verify', '--bundle', 'kv.bundle.json', '--model', 'model', '--trusted-key-vault-key', signer.keyid], work, env);
    assert.equal(outside.code, 2, outside.out + outside.err);
    assert.match(outside.err, /no Key Vault token is sent to 127\.0\.0\.1.*AZURE_KEYVAULT_DNS_SUFFIX/);
    noStack(outside);
  });

  it('promote: trusts a Key Vault key only inside the cloud\'s Key Vault domain (dry run)', async () => {
    // kv.bundle.json: written by the verify test above, signed by the local Key Vault's evidence-signing key.
    const keyId = readJson(join(work, 'kv.bundle.json')).envelopes?.[0]?.signatures?.[0]?.keyid;
    assert.ok(typeof keyId === 'string' && keyId.startsWith('https://'), `key id in the bundle: ${keyId}`);
    const args = [
      'promote', '--source-resource-group', 'rg-ml-hardened', '--source-workspace', 'mlw-hardened', ...MODEL,
      '--target-resource-group', 'rg-ml-hardened', '--target-name', 'contoso-models', '--target-version', '31', '--evidence-bundle', 'kv.bundle.json',
      '--trusted-key-vault-keys', keyId, '--required-gates', 'security-gate', '--dry-run',
    ];
    const vault = { AZURE_KEYVAULT_DNS_SUFFIX: '127.0.0.1', AZURE_KEYVAULT_RESOURCE: 'https://vault.azure.net' };
    const ok = await cli(args, work, { ...env, ...vault });
    assert.equal(ok.code, 0, ok.out + ok.err);
    assert.match(ok.out, /^action=dry-run$/m);
    const outside = await cli(args, work, env);
    assert.equal(outside.code, 2, outside.out + outside.err);
    assert.match(outside.err, /--trusted-key-vault-keys.*no Key Vault token is sent to 127\.0\.0\.1/);
    noStack(outside);
  });

  const promoteArgs = (...more: string[]) => [
    'promote', '--source-resource-group', 'rg-ml-hardened', '--source-workspace', 'mlw-hardened', ...MODEL,
    '--target-resource-group', 'rg-ml-hardened', '--target-name', 'contoso-models', '--evidence-bundle', bundle(),
    '--trusted-public-keys', 'trusted.pem', '--required-gates', 'security-gate', '--required-gates', 'endpoint-hardening-check', '--stage-tag', 'stage=production', ...more,
  ];
  async function registryVersion(version: string): Promise<any> {
    const url = `${new URL(azure.armUrl).origin}/subscriptions/${azure.subscriptionId}/resourceGroups/rg-ml-hardened/providers/Microsoft.MachineLearningServices/registries/contoso-models/models/credit-risk/versions/${version}?api-version=2023-04-01`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${await armToken(azure)}` } });
    return res.status === 200 ? res.json() : undefined;
  }

  it('promote: a dry run writes nothing (exit 0); the promotion prints the task outputs, writes --json and the registry version (exit 0)', async () => {
    const dry = await cli(promoteArgs('--target-version', '21', '--dry-run'), work, env);
    assert.equal(dry.code, 0, dry.out + dry.err);
    assert.match(dry.out, /^verdict=passed\naction=dry-run\ntargetModelId=\/subscriptions\/.+\/registries\/contoso-models\/models\/credit-risk\/versions\/21\n$/);
    assert.match(dry.err, /tag stage = production/);
    assert.equal(await registryVersion('21'), undefined);

    const r = await cli(promoteArgs('--target-version', '22', '--json', 'out/promote.json'), work, env);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^action=promoted-by-reference$/m);
    const json = readJson(join(work, 'out', 'promote.json'));
    assert.equal(json.verdict, 'passed');
    assert.equal(json.action, 'promoted-by-reference');
    assert.ok(json.changes.length > 0);
    const v = await registryVersion('22');
    assert.equal(v.properties.tags['mlops-gates.security-gate'], 'passed');
    assert.equal(v.properties.tags['mlops-gates.endpoint-hardening-check'], 'passed');
    assert.equal(v.properties.stage, 'production');
    assert.equal(v.properties.properties['mlops-gates.promoted-by'], azure.clientId);
  });

  it('promote: an untrusted key is refused with nothing written (exit 1); bad flags exit 2 naming the flag', async () => {
    writeFileSync(join(work, 'other.pem'), ed25519Pair().signer.publicKeyPem());
    const r = await cli(promoteArgs('--target-version', '23', '--json', 'out/refused.json').map((a) => (a === 'trusted.pem' ? 'other.pem' : a)), work, env);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^verdict=failed$/m);
    assert.match(r.err, /^mlops-gates promote: Not promoted, nothing written: .*untrusted key/m);
    assert.ok(readJson(join(work, 'out', 'refused.json')).refused.length > 0);
    assert.equal(await registryVersion('23'), undefined);

    const cases: Array<[string[], RegExp]> = [
      [promoteArgs('--target-type', 'bucket'), /--target-type .*registry, workspace/],
      [promoteArgs('--source-job', 'train-1'), /Give either --model-name .* or --source-job, not both/],
      [promoteArgs('--dry-run', '--no-dry-run'), /--dry-run and --no-dry-run contradict each other/],
      [promoteArgs('--stage-tag', 'production'), /--stage-tag has the value 'production'; use key=value/],
      [promoteArgs('--signing-key', 'x'), /Unknown option '--signing-key'/],
    ];
    for (const [args, says] of cases) {
      const bad = await cli(args, work, env);
      assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.out}${bad.err}`);
      assert.match(bad.err, says, args.join(' '));
      assert.doesNotMatch(bad.err, /\b(targetType|sourceJob|modelName|dryRun|stageTag)\b/, 'a task input name instead of the flag');
      noStack(bad);
    }
  });

  it('promote with `az login` (AzureCli scheme): the Azure CLI\'s token signs in, and the promotion record names the signed-in account', async () => {
    const bin = fakeAz(work);
    const azEnv = {
      PATH: `${bin}:${process.env.PATH}`,
      AZURE_SUBSCRIPTION_ID: azure.subscriptionId,
      AZURE_RESOURCE_MANAGER_URL: azure.armUrl,
      FAKE_AZ_CLIENT_ID: azure.clientId,
      FAKE_AZ_CLIENT_SECRET: azure.clientSecret,
      FAKE_AZ_TOKEN_URL: `${azure.authorityHost.replace(/\/?$/, '/')}${azure.tenantId}/oauth2/token`,
    };
    const r = await cli(promoteArgs('--target-version', '24'), work, azEnv);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.err, /Signing in as your Azure CLI login \(az login\)/);
    const oid = jwtClaims(await armToken(azure)).oid as string;
    const v = await registryVersion('24');
    assert.equal(v.properties.properties['mlops-gates.promoted-by'], `${oid} (az login)`);
    assert.ok(!(r.out + r.err).includes(azure.clientSecret));
  });

  it('explain: runs the ExplainabilityReport task on a local model and data (exit 0), writing the explanation, report and SARIF', async function () {
    if (!TASK_COMMANDS.some((c) => c.name === 'explain')) this.skip(); // added by the ExplainabilityReport change
    const dir = mkdtempSync(join(tmpdir(), 'mlops-cli-explain-'));
    const scenario = writeCreditScenario(dir);
    copyFileSync(scenario.good, join(dir, 'model.onnx'));
    copyFileSync(scenario.data, join(dir, 'test.csv'));
    const r = await cli(['explain', '--model', 'model.onnx', '--data', 'test.csv', '--target', 'default', '--explain-rows', '8', '--json', 'explanation.json', '--html', 'report.html'], dir);
    assert.equal(r.code, 0, r.out + r.err);
    assert.ok(readJson(join(dir, 'explanation.json')));
    assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /<html/i);
    assert.ok(existsSync(join(dir, 'mlops-gates')) || /SARIF: /.test(r.err), 'the SARIF log is written');
  });
});
