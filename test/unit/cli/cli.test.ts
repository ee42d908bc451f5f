/** `mlops-gates scan` as a pre-commit hook runs it: a child process, its exit code, stdout and the files it writes. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sarifValidator, schemaProblems } from '../../schemas/validators';
import { recordOutput, registerSecret } from '../../agent/sweep';

const BIN = resolve(__dirname, '..', '..', '..', '..', 'bin', 'mlops-gates.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  recordOutput(`mlops-gates ${args.join(' ')}`, r.stdout + r.stderr);
  const sarif = args.indexOf('--sarif');
  if (sarif >= 0 && existsSync(resolve(cwd, args[sarif + 1]))) recordOutput('CLI SARIF', readFileSync(resolve(cwd, args[sarif + 1]), 'utf8'));
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A PEM private key made now, so no key-shaped text is committed. */
function privateKeyPem(): string {
  const lines = randomBytes(900).toString('base64').match(/.{1,64}/g)!;
  registerSecret(...lines);
  const body = lines.join('\n');
  return `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\n`;
}

describe('mlops-gates scan (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  let pem: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mlops-cli-'));
    pem = privateKeyPem();
    writeFileSync(join(dir, 'README.md'), '# a clean file\n');
  });

  it('exits 0 on a clean tree and writes a valid SARIF log', () => {
    const r = cli(['scan', '.', '--sarif', 'out.sarif'], dir);
    assert.equal(r.code, 0, r.err);
    const log = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8'));
    assert.deepEqual(schemaProblems(sarifValidator(), log), []);
    assert.equal(log.runs[0].results.length, 0);
    assert.doesNotMatch(r.out + r.err, /##vso\[/, 'the CLI speaks to a terminal, not to an agent');
  });

  it('exits 1 on a finding at or above the threshold, names file:line, and never prints the secret', () => {
    writeFileSync(join(dir, 'deploy.pem'), pem);
    const r = cli(['scan', dir, '--sarif', join(dir, 'out.sarif')], tmpdir());
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^deploy\.pem:1:1: critical SEC-/m);
    const sarif = readFileSync(join(dir, 'out.sarif'), 'utf8');
    for (const line of pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) {
      assert.ok(!(r.out + r.err + sarif).includes(line), 'a key line leaked');
    }
  });

  it('--fail-on none reports without failing', () => {
    writeFileSync(join(dir, 'deploy.pem'), pem);
    const r = cli(['scan', '.', '--fail-on', 'none'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /deploy\.pem/);
  });

  it('a baseline written now makes the same findings known, and a new one still fails', () => {
    writeFileSync(join(dir, 'deploy.pem'), pem);
    assert.equal(cli(['scan', '.', '--write-baseline', 'baseline.json'], dir).code, 0);
    assert.ok(existsSync(join(dir, 'baseline.json')));
    const known = cli(['scan', '.', '--baseline', 'baseline.json'], dir);
    assert.equal(known.code, 0, known.out + known.err);
    assert.match(known.out, /known from the baseline/);
    writeFileSync(join(dir, 'other.pem'), privateKeyPem());
    const fresh = cli(['scan', '.', '--baseline', 'baseline.json'], dir);
    assert.equal(fresh.code, 1);
    assert.match(fresh.out, /^other\.pem:1:1/m);
    assert.doesNotMatch(fresh.out, /^deploy\.pem/m);
  });

  it('exits 2 with a clear message on bad usage', () => {
    for (const [args, says] of [
      [['scan'], /say what to scan/],
      [['lint', '.'], /unknown command 'lint'/],
      [['scan', 'nowhere'], /nowhere.*does not exist/],
      [['scan', '.', '--fail-on', 'severe'], /--fail-on.*critical, high, medium, low, none/],
      [['scan', '.', '--bogus'], /Unknown option '--bogus'/],
      [['scan', '.', '--exclude', '../up'], /--exclude.*may not leave it/],
    ] as const) {
      const r = cli([...args], dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err, says);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    }
  });

  it('--help lists the options and the exit codes', () => {
    const r = cli(['--help'], dir);
    assert.equal(r.code, 0);
    assert.match(r.out, /--sarif <file>/);
    assert.match(r.out, /Exit codes: 0/);
  });
});
