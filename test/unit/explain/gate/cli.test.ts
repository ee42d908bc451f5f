/** `mlops-gates explain`: the documented flags, the JSON it writes, its exit codes (real runtime, generated scenario). */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPLAIN_COMMAND } from '../../../../shared/cli/explainCommand';
import { gateHelp, runGateCommand } from '../../../../shared/cli/gateCommand';
import { main } from '../../../../shared/cli/main';
import { writeCreditScenario, type CreditScenario } from './scenario';

/** Runs the command with stdout/stderr captured. */
async function explain(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { out.push(String(s)); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err.push(String(s)); return true; }) as typeof process.stderr.write;
  try {
    const code = await runGateCommand(EXPLAIN_COMMAND, argv, { cwd, env: {} });
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe('mlops-gates explain', function () {
  this.timeout(60_000);
  let s: CreditScenario;
  before(() => { s = writeCreditScenario(mkdtempSync(join(tmpdir(), 'mlops-explain-cli-'))); });

  it('is a subcommand whose --help lists the documented flags', async () => {
    const help = gateHelp(EXPLAIN_COMMAND);
    for (const f of ['--model <', '--data <', '--target <', '--background <', '--output <', '--class <', '--explain-rows <', '--seed <', '--json <', '--html <', '--sensitive-features', '--metric-floors', '--champion-model', '--backend <']) {
      assert.ok(help.includes(f), `--help lacks ${f}`);
    }
    assert.match(help, /^Usage: mlops-gates explain --model <value> --data <value> --target <value> \[options\]/);
    assert.match(help, /Example: mlops-gates explain --model model\.onnx/);
    const { code, out } = await explain(['--help'], s.dir);
    assert.equal(code, 0);
    assert.match(out, /--explain-rows/);
  });

  it('writes the explanation JSON with the required fields and exits 0', async () => {
    const { code, err } = await explain(['--model', 'credit-good.onnx', '--data', 'credit-test.csv', '--target', 'default', '--explain-rows', '5', '--seed', '3', '--class', '1', '--json', 'out/e.json', '--html', 'out/e.html'], s.dir);
    assert.equal(code, 0, err);
    const j = JSON.parse(readFileSync(join(s.dir, 'out', 'e.json'), 'utf8'));
    assert.deepEqual(Object.keys(j.permutationImportance).filter((k) => ['featureNames', 'mean', 'std', 'metric'].includes(k)).sort(), ['featureNames', 'mean', 'metric', 'std']);
    for (const k of ['featureNames', 'baseValue', 'rowIndices', 'values']) assert.ok(k in j.shap, `shap.${k}`);
    assert.equal(j.shap.values.length, 5);
    const [feature, pd] = Object.entries(j.partialDependence)[0] as [string, { grid: number[]; average: number[] }];
    assert.ok(j.featureNames.includes(feature) && pd.grid.length === pd.average.length && pd.grid.length > 1);
    assert.ok(j.metrics.auc > 0.8 && j.metrics.rows === 400);
    assert.equal(j.seed, 3);
    assert.ok(existsSync(join(s.dir, 'out', 'e.html')) && existsSync(join(s.dir, 'out', 'e.model-card.json')));
    assert.match(err, /explanation: out\/e\.json; report: out\/e\.html/);
  });

  it('exits 1 when a threshold fails, 2 when the model cannot load or a flag is wrong', async () => {
    const failed = await explain(['--model', 'credit-good.onnx', '--data', 'credit-test.csv', '--target', 'default', '--metric-floors', 'auc=0.99', '--json', 'f.json', '-q'], s.dir);
    assert.equal(failed.code, 1);
    assert.match(failed.out, /AML-XPL-001 .*Threshold: auc >= 0\.99; value: 0\.88/);
    const broken = await explain(['--model', 'credit-broken.onnx', '--data', 'credit-test.csv', '--target', 'default', '--json', 'b.json'], s.dir);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /fails closed: credit-broken\.onnx cannot be read as an ONNX model/);
    const usage = await explain(['--model', 'credit-good.onnx', '--data', 'credit-test.csv', '--target', 'default', '--explain-rows', 'ten'], s.dir);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /Option --explain-rows has the value 'ten'; use a whole number from 1 to 1000/);
    assert.equal(await main(['explain', '--nope']).catch(() => -1), 2);
  });
});
