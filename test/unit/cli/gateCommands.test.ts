/**
 * `mlops-gates security-gate` and `mlops-gates endpoint-check` as a developer runs them: a child process
 * against the local Azure (started in this process, so the child runs asynchronously), signed in through
 * the AZURE_* environment, its exit code, stdout/stderr and the files it writes.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LocalAzure } from '../../azure/server';
import { useLocalAzure } from '../../azure/testSupport';
import { recordOutput, registerSecret } from '../../agent/sweep';
import { evidenceValidator, sarifValidator, schemaProblems } from '../../schemas/validators';
import { digestModel } from '../../../shared/evidence/digests';
import { verifyBundle } from '../../../shared/evidence/verify';
import { ed25519Pair, makeModelDir } from '../evidence/fixtures';

const REPO = resolve(__dirname, '..', '..', '..', '..');
const BIN = join(REPO, 'bin', 'mlops-gates.js');
const BUILT = join(REPO, 'build', 'shared', 'cli', 'main.js');
const BUNDLED = join(REPO, 'dist', 'cli', 'main.js');
const INSECURE = ['--resource-group', 'rg-ml-insecure', '--workspace', 'mlw-insecure'];
const HARDENED = ['--resource-group', 'rg-ml-hardened', '--workspace', 'mlw-hardened'];

/**
 * The shipped entry (bin → dist bundle) when the bundle is at least as new as the compiled sources; else the
 * compiled sources (after tsc alone, the bundle may predate these commands).
 */
function entryArgs(): string[] {
  const fresh = existsSync(BUNDLED) && statSync(BUNDLED).mtimeMs >= statSync(BUILT).mtimeMs;
  return fresh ? [BIN] : ['-e', `require(${JSON.stringify(BUILT)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, '--'];
}

interface Run { code: number | null; out: string; err: string; cwd: string }

/** Runs the CLI; the environment carries no AZURE_* of the machine, only what the test gives. */
function cli(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  const cwd = opts.cwd ?? mkdtempSync(join(tmpdir(), 'mlops-cli-gate-'));
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AZURE_')));
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...entryArgs(), ...args], { cwd, env: { ...base, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill(), 90_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      recordOutput(`mlops-gates ${args.join(' ')}`, out + err);
      const dir = join(cwd, 'mlops-gates');
      if (existsSync(dir)) for (const f of readdirSync(dir)) recordOutput(`CLI output ${f}`, readFileSync(join(dir, f), 'utf8'));
      done({ code, out, err, cwd });
    });
  });
}

const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

describe('mlops-gates security-gate / endpoint-check (CLI against the local Azure)', function () {
  this.timeout(120_000);
  const local = useLocalAzure({ scenarios: ['insecure', 'hardened'] });
  let azure: LocalAzure;
  let env: Record<string, string>;
  before(() => {
    azure = local();
    registerSecret(azure.clientSecret);
    env = {
      AZURE_CLIENT_ID: azure.clientId,
      AZURE_TENANT_ID: azure.tenantId,
      AZURE_CLIENT_SECRET: azure.clientSecret,
      AZURE_AUTHORITY_HOST: azure.authorityHost,
      AZURE_SUBSCRIPTION_ID: azure.subscriptionId,
      AZURE_RESOURCE_MANAGER_URL: azure.armUrl,
    };
  });

  it('endpoint-check passes the hardened endpoints (exit 0) and writes SARIF, evidence per endpoint and the summary under ./mlops-gates', async () => {
    const r = await cli(['endpoint-check', ...HARDENED, '--probe-timeout-seconds', '3'], { env });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^0 findings, 0 at or above high\.$/m);
    assert.match(r.err, /No finding at or above high in 3 endpoints/);
    const dir = join(r.cwd, 'mlops-gates');
    const sarif = readJson(join(dir, 'endpoint-check.sarif'));
    assert.deepEqual(schemaProblems(sarifValidator(), sarif), []);
    const evidence = readJson(join(dir, 'endpoint-check.evidence.json'));
    assert.deepEqual(schemaProblems(evidenceValidator(), evidence), []);
    assert.equal(evidence.gate, 'EndpointHardeningCheck');
    assert.equal(evidence.verdict, 'passed');
    for (const ep of ['ep-credit-scoring', 'ep-credit-scoring-aks', 'be-credit-batch']) assert.ok(existsSync(join(dir, `endpoint-check.${ep}.evidence.json`)), ep);
    assert.match(readFileSync(join(dir, 'endpoint-check.summary.md'), 'utf8'), /✅ EndpointHardeningCheck passed/);
    assert.doesNotMatch(r.out + r.err, /##vso\[/, 'a terminal, not an agent');
  });

  it('endpoint-check fails the insecure endpoints (exit 1), one line per finding, and never prints a secret', async () => {
    const sarifPath = join('out', 'ep.sarif');
    const r = await cli(['endpoint-check', '--subscription', azure.subscriptionId, ...INSECURE, '--probe-timeout-seconds', '3', '--sarif', sarifPath], { env: { ...env, AZURE_SUBSCRIPTION_ID: '' } });
    assert.equal(r.code, 1, r.err);
    for (const id of ['AML-OE-001', 'AML-OE-002', 'AML-OD-003', 'AML-PRB-001', 'AML-MON-005']) {
      assert.match(r.out, new RegExp(`/onlineEndpoints/ep-churn-public\\S*: (critical|high|medium|low) ${id} `), id);
    }
    assert.match(r.out, /^\d+ findings, \d+ at or above high\.$/m);
    const sarif = readJson(join(r.cwd, sarifPath));
    recordOutput('CLI endpoint-check SARIF', JSON.stringify(sarif));
    assert.equal(sarif.runs[0].results.length, Number(/^(\d+) findings/m.exec(r.out)![1]));
    assert.ok(existsSync(join(r.cwd, 'out', 'ep.evidence.json')) && existsSync(join(r.cwd, 'out', 'ep.summary.md')));
    assert.ok(!(r.out + r.err).includes(azure.clientSecret), 'the client secret was printed');
    // AML-OD-003 judges a generated storage key in an environment variable: the finding names it, never shows it.
    assert.doesNotMatch(r.out, /AccountKey=[A-Za-z0-9+/]{20}/);
  });

  it('security-gate --no-scan audits the insecure workspace and exits 1', async () => {
    const r = await cli(['security-gate', '--no-scan', ...INSECURE, '-q'], { env });
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /mlw-insecure: high AML-WS-001 /);
    assert.equal(r.err, '', '-q prints no progress');
    const evidence = readJson(join(r.cwd, 'mlops-gates', 'security-gate.evidence.json'));
    assert.equal(evidence.gate, 'SecurityGate');
    assert.equal(evidence.inputs.scanRepository, false);
  });

  it('seals its evidence with the key from MLOPS_GATES_SIGNING_KEY (no flag takes it), and no sign-in is needed for it', async () => {
    const model = await makeModelDir();
    const { signer, privatePem } = ed25519Pair();
    try {
      // Scan only: the subscription, resource group and workspace name the model version; nothing of Azure is read.
      const args = ['security-gate', '--no-audit', '--scan-path', '.', '--subscription', azure.subscriptionId, ...HARDENED, '--model-path', model.dir, '--model-name', 'churn-model', '--model-version', '7'];
      const r = await cli(args, { env: { MLOPS_GATES_SIGNING_KEY: privatePem } });
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /Signed evidence: envelope 1 of mlops-gates\/evidence\.bundle\.json \(model digest [0-9a-f]{64}, key [0-9a-f]{32}\)/);
      assert.doesNotMatch(r.err, /Signing in/);
      const text = readFileSync(join(r.cwd, 'mlops-gates', 'evidence.bundle.json'), 'utf8');
      const result = await verifyBundle(text, { files: await digestModel(model.dir), trustedKeys: [signer.verifier()], requiredGates: ['security-gate'], maxAgeDays: 1, now: new Date() });
      assert.deepEqual(result.failures, []);
      for (const line of privatePem.split('\n').filter((l) => l && !l.startsWith('-----'))) assert.ok(!(r.out + r.err).includes(line), 'the key was printed');

      const flag = await cli([...args, '--signing-key', 'x']);
      assert.equal(flag.code, 2);
      assert.match(flag.err, /Unknown option '--signing-key'/);
      const missing = await cli(args);
      assert.equal(missing.code, 2);
      assert.match(missing.err, /--model-path is set, so the evidence must be signed: set MLOPS_GATES_SIGNING_KEY .* or --key-vault-key-id/);
    } finally {
      await model.cleanup();
    }
  });

  it('exits 2 naming the flag for a bad flag, a bad value, a contradiction or a missing input', async () => {
    const cases: Array<[string[], RegExp, Record<string, string>?]> = [
      [['endpoint-check', ...HARDENED, '--bogus'], /Unknown option '--bogus'/],
      [['endpoint-check', ...HARDENED, '--probe-timeout-seconds', '99'], /--probe-timeout-seconds has the value '99'; use a whole number from 1 to 60/],
      [['endpoint-check', ...HARDENED, '--probe', '--no-probe'], /--probe and --no-probe contradict each other/],
      [['endpoint-check', '--resource-group', 'rg-ml-hardened'], /Option --workspace is required/],
      [['endpoint-check', ...HARDENED], /Option --subscription is required: .*AZURE_SUBSCRIPTION_ID/, { AZURE_SUBSCRIPTION_ID: '' }],
      [['security-gate', '--no-audit', '--no-scan'], /Options --audit and --scan are both false/],
      [['security-gate', '--no-audit', '--scan-path', 'nowhere'], /--scan-path names '.*nowhere', which does not exist/],
      [['endpoint-check', ...HARDENED, '--management-url', 'http://127.0.0.1:9/'], /--management-url is 'http:\/\/127\.0\.0\.1:9\/'; credentials are only sent over https/],
    ];
    for (const [args, says, extra] of cases) {
      const r = await cli(args, { env: { ...env, ...extra } });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err, says, args.join(' '));
      assert.doesNotMatch(r.err, /\b(resourceGroupName|workspaceName|azureSubscription|probeTimeoutSeconds|auditWorkspace|scanRepository|scanPath)\b/, 'a task input name instead of the flag');
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    }
  });

  it('fails closed with exit 2 when the sign-in is refused, and never prints the wrong secret', async () => {
    const wrong = randomBytes(30).toString('base64url');
    registerSecret(wrong);
    const r = await cli(['endpoint-check', ...HARDENED], { env: { ...env, AZURE_CLIENT_SECRET: wrong } });
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /fails closed.*AADSTS7000215/);
    assert.doesNotMatch(r.out, /findings,/, 'no tally when nothing was judged');
    assert.ok(!(r.out + r.err).includes(wrong));
    assert.equal(readJson(join(r.cwd, 'mlops-gates', 'endpoint-check.evidence.json')).verdict, 'failed');
  });

  it('signs in with a certificate from AZURE_CLIENT_CERTIFICATE_PATH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlops-cli-cert-'));
    writeFileSync(join(dir, 'sp.pem'), azure.certificatePem, { mode: 0o600 });
    const keyLines = azure.certificatePem.split('-----BEGIN')[2]?.split('\n').slice(1).filter((l) => l.length >= 16 && !l.startsWith('-----')) ?? [];
    assert.ok(keyLines.length > 0, 'the emulator PEM holds a private key');
    registerSecret(...keyLines);
    const { AZURE_CLIENT_SECRET: _, ...noSecret } = env;
    const r = await cli(['endpoint-check', ...HARDENED, '--no-probe', '--monitoring-days', '0'], { env: { ...noSecret, AZURE_CLIENT_CERTIFICATE_PATH: join(dir, 'sp.pem') } });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /service principal .* \(AZURE_CLIENT_CERTIFICATE_PATH\)/);
  });

  it('without a service principal in the environment, uses the Azure CLI login and says what to do when there is none', async () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'mlops-cli-nopath-'));
    const r = await cli(['endpoint-check', ...HARDENED], { env: { AZURE_SUBSCRIPTION_ID: azure.subscriptionId, AZURE_RESOURCE_MANAGER_URL: azure.armUrl, PATH: emptyPath } });
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /Signing in as your Azure CLI login/);
    assert.match(r.err, /Sign-in with the Azure CLI failed: the az command is not installed or not on PATH; run 'az login'/);
  });

  it('--help lists every input of the task.json as a flag, with its label and default, and the exit codes', async () => {
    for (const [command, task] of [['endpoint-check', 'EndpointHardeningCheck'], ['security-gate', 'SecurityGate']] as const) {
      const r = await cli([command, '--help']);
      assert.equal(r.code, 0, r.err);
      const inputs = readJson(join(REPO, 'tasks', task, 'task.json')).inputs as Array<{ name: string; label: string; defaultValue?: string; type: string }>;
      const entries = r.out.split('\n').filter((l) => /^ {2}--/.test(l));
      for (const input of inputs) {
        if (input.name === 'signingKey') {
          // A secret: listed under the environment, never as a flag.
          assert.match(r.out, /^Environment \(secret inputs[^\n]*\n {2}MLOPS_GATES_SIGNING_KEY +Ed25519 signing key/m);
          assert.doesNotMatch(r.out, /--signing-key/);
          continue;
        }
        const line = entries.find((l) => l.replace(/^ {2}\S+( <[^>]+>)?( \(repeatable\))?\s+/, '').startsWith(input.label));
        assert.ok(line, `${command} --help has no flag for input ${input.name} (${input.label})`);
        assert.match(line, /^ {2}--(\[no-\])?[a-z][a-z0-9-]*[ \n]/, 'a kebab-case flag');
        if (input.defaultValue && !input.type.startsWith('connectedService')) assert.match(line, /default: /, `${input.name}: its default`);
      }
      assert.match(r.out, /Exit codes: 0 no finding at or above the threshold, 1 findings at or above it, 2 usage error/);
      assert.match(r.out, /AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET/);
      assert.doesNotMatch(r.out, /\$\(Build\./);
    }
    const top = await cli(['--help']);
    assert.match(top.out, /^ {2}security-gate +audit/m);
    assert.match(top.out, /^ {2}endpoint-check +audit and probe/m);
  });
});
