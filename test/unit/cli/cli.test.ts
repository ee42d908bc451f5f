/** `mlops-gates scan` as a pre-commit hook runs it: a child process, its exit code, stdout and the files it writes. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sarifValidator, schemaProblems } from '../../schemas/validators';
import { recordOutput, registerSecret } from '../../agent/sweep';

const BIN = resolve(__dirname, '..', '..', '..', '..', 'bin', 'mlops-gates.js');

function cli(args: string[], cwd: string, env?: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: env ? { ...process.env, ...env } : undefined });
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

  describe('--staged (a pre-commit hook)', () => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, stdio: 'pipe' });
    beforeEach(() => git('init', '-q'));

    it('scans the staged version of a file, not the work tree', () => {
      writeFileSync(join(dir, 'deploy.pem'), pem);
      git('add', 'deploy.pem');
      writeFileSync(join(dir, 'deploy.pem'), '# removed, but only from the work tree\n');
      const staged = cli(['scan', '.', '--staged', '--sarif', 'out.sarif'], dir);
      assert.equal(staged.code, 1, staged.out + staged.err);
      assert.match(staged.out, /^deploy\.pem:1:1: critical SEC-/m);
      assert.match(staged.err, /Scanning the staged files of /);
      const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8'));
      assert.deepEqual(sarif.runs[0].results.map((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.locations[0].physicalLocation.artifactLocation.uri), ['deploy.pem']);
      assert.equal(cli(['scan', '.'], dir).code, 0, 'the work tree itself is clean');

      // And the other way round: a key typed after `git add` is not part of the commit.
      git('add', 'deploy.pem');
      writeFileSync(join(dir, 'deploy.pem'), pem);
      const clean = cli(['scan', '.', '--staged'], dir);
      assert.equal(clean.code, 0, clean.out + clean.err);
      assert.match(clean.err, /1 staged file under /);
    });

    it('limits to the folder given, with paths relative to it, and scans neither deleted nor unstaged files', () => {
      mkdirSync(join(dir, 'app'));
      writeFileSync(join(dir, 'app', 'key.pem'), pem);
      writeFileSync(join(dir, 'outside.pem'), privateKeyPem());
      writeFileSync(join(dir, 'app', 'gone.py'), 'x = 1\n');
      git('add', '.');
      git('commit', '-q', '-m', 'c');
      git('rm', '-q', 'app/gone.py');
      writeFileSync(join(dir, 'app', 'key.pem'), `${pem}# edited\n`);
      writeFileSync(join(dir, 'app', 'untracked.pem'), privateKeyPem());
      git('add', 'app/key.pem');
      const r = cli(['scan', 'app', '--staged'], dir);
      assert.equal(r.code, 1, r.out + r.err);
      assert.deepEqual(r.out.split('\n').filter((l) => /: critical /.test(l)).map((l) => l.split(':')[0]), ['key.pem']);
      assert.match(r.err, /Scanned 1 files/);
    });

    it('honours a baseline written by a full scan, without calling the entries it does not meet stale', () => {
      writeFileSync(join(dir, 'deploy.pem'), pem);
      writeFileSync(join(dir, 'other.pem'), privateKeyPem());
      assert.equal(cli(['scan', '.', '--write-baseline', 'baseline.json'], dir).code, 0);
      git('add', 'deploy.pem');
      const r = cli(['scan', '.', '--staged', '--baseline', 'baseline.json'], dir);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /\b1 known from the baseline/);
      assert.doesNotMatch(r.err, /stale|match no finding/);
    });

    it('leaves no copy behind, and says what is wrong when it cannot run', () => {
      writeFileSync(join(dir, 'deploy.pem'), pem);
      git('add', 'deploy.pem');
      const tmp = mkdtempSync(join(tmpdir(), 'mlops-cli-tmp-'));
      try {
        assert.equal(cli(['scan', '.', '--staged'], dir, { TMPDIR: tmp }).code, 1);
        // Node >= 22.1 keeps its compile cache there too (node-compile-cache); the scan's own folders are named mlops-gates-*.
        assert.deepEqual(readdirSync(tmp).filter((n) => n.startsWith('mlops-gates-')), [], 'the staged copies (a key among them) are removed');
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
      const outside = mkdtempSync(join(tmpdir(), 'mlops-cli-nogit-'));
      for (const [args, cwd, says] of [
        [['scan', '.', '--staged'], outside, /--staged needs a git work tree, and .* is not in one/],
        [['scan', '.', '--staged', '--write-baseline', 'b.json'], dir, /cannot be combined with --staged/],
      ] as const) {
        const r = cli([...args], cwd);
        assert.equal(r.code, 2, r.out + r.err);
        assert.match(r.err, says);
        assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
      }
      assert.ok(!existsSync(join(dir, 'b.json')));
    });
  });

  it('--help lists the options and the exit codes', () => {
    const r = cli(['--help'], dir);
    assert.equal(r.code, 0);
    assert.match(r.out, /--sarif <file>/);
    assert.match(r.out, /Exit codes: 0/);
  });
});
