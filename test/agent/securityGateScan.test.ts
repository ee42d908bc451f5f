/**
 * SecurityGate's repository scan as the agent runs it: a sources folder with a key in a config file, a secret
 * only in a notebook's output, a pickle that imports os.system, a private key and an insecure ARM template.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { adoLegacyPat, entraSecret, hisV1Key } from '../unit/scan/detectors/_generate';
import { sarifValidator, schemaProblems } from '../schemas/validators';
import { runTask, type TaskRun } from './runTask';
import { registerSecret } from './sweep';

const ENTRY = 'dist/tasks/SecurityGate/index.js';
const FIXTURES = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'templates');

/** A pickle (protocol 2) that calls os.system("ls") when loaded; built byte by byte, never loaded. */
function maliciousPickle(): Buffer {
  return Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from('cos\nsystem\n'), Buffer.from('X\x02\x00\x00\x00ls', 'latin1'), Buffer.from([0x85, 0x52, 0x2e])]);
}

function notebookWithSecretInOutput(secret: string): string {
  return JSON.stringify({
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# Explore the churn data\n'] },
      { cell_type: 'code', execution_count: 1, metadata: {}, source: ['import os\n', "print(os.environ['SP_SECRET'])\n"],
        outputs: [{ name: 'stdout', output_type: 'stream', text: [`${secret}\n`] }] },
    ],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    nbformat: 4,
    nbformat_minor: 5,
  }, null, 1);
}

interface Tree { temp: string; storageKey: string; spSecret: string; pat: string }

function sourcesTree(): Tree {
  const temp = mkdtempSync(join(tmpdir(), 'mlops-scan-agent-'));
  const s = join(temp, 's');
  for (const d of ['config', 'notebooks', 'models', 'infra', 'pipelines']) mkdirSync(join(s, d), { recursive: true });
  const storageKey = hisV1Key('+ASt', 64, 'Default0');
  const spSecret = entraSecret();
  const pat = adoLegacyPat();
  registerSecret(storageKey, spSecret, pat);
  writeFileSync(join(s, 'config', 'settings.py'), `STORAGE = "DefaultEndpointsProtocol=https;AccountName=stmlprod;AccountKey=${storageKey};EndpointSuffix=core.windows.net"\n`);
  writeFileSync(join(s, 'notebooks', 'explore.ipynb'), notebookWithSecretInOutput(spSecret));
  writeFileSync(join(s, 'pipelines', 'release.sh'), `#!/bin/sh\ncurl -u ":${pat}" https://dev.azure.com/contoso/_apis/projects\n`);
  writeFileSync(join(s, 'models', 'model.pkl'), maliciousPickle());
  copyFileSync(join(FIXTURES, 'workspace-insecure.json'), join(s, 'infra', 'workspace.json'));
  writeFileSync(join(s, 'README.md'), '# churn model\n');
  return { temp, storageKey, spSecret, pat };
}

function readJson(p: string): any {
  return JSON.parse(readFileSync(p, 'utf8'));
}

describe('SecurityGate repository scan (agent-style run of the bundle)', function () {
  this.timeout(120_000);
  let tree: Tree;
  let run: TaskRun;
  before(async () => {
    tree = sourcesTree();
    run = await runTask({ entry: ENTRY, inputs: { auditWorkspace: 'false', failOnSeverity: 'high' }, tempDir: tree.temp, timeoutMs: 90_000 });
  });

  it('fails without any Azure connection when only the scan is on', () => {
    assert.equal(run.result, 'Failed', run.stdout);
    assert.match(run.resultMessage!, /findings? at or above high/);
    assert.equal(run.outputs.verdict, 'failed');
  });

  it('finds the key, the notebook output secret, the PAT, the pickle and the template, each at its place', () => {
    const sarif = readJson(run.outputs.sarifPath);
    assert.deepEqual(schemaProblems(sarifValidator(), sarif), []);
    const results = sarif.runs[0].results as any[];
    const at = (file: string) => results.filter((r) => r.locations[0].physicalLocation?.artifactLocation.uri === file);
    const storage = at('config/settings.py');
    assert.ok(storage.some((r) => /^SEC-AZ-STORAGE/.test(r.ruleId) && r.locations[0].physicalLocation.region.startLine === 1), JSON.stringify(storage.map((r) => r.ruleId)));
    const nb = at('notebooks/explore.ipynb');
    assert.ok(nb.length >= 1, 'the notebook output secret was found');
    assert.match(nb[0].locations[0].logicalLocations[0].name, /^cell 2 output 1$/);
    const nbLine = readFileSync(join(tree.temp, 's', 'notebooks', 'explore.ipynb'), 'utf8').split('\n').findIndex((l) => l.includes(tree.spSecret)) + 1;
    assert.equal(nb[0].locations[0].physicalLocation.region.startLine, nbLine, 'points at the line of the .ipynb on disk');
    assert.ok(at('pipelines/release.sh').some((r) => /^SEC-AZ-DEVOPS|^SEC-ADO/.test(r.ruleId) || /PAT/i.test(r.message.text)), JSON.stringify(at('pipelines/release.sh').map((r) => r.ruleId)));
    assert.ok(at('models/model.pkl').some((r) => r.ruleId === 'AML-MODEL-PICKLE-001' && /os\.system/.test(r.message.text)));
    const template = at('infra/workspace.json').map((r) => r.ruleId);
    assert.ok(template.includes('AML-WS-001'), `template findings: ${template.join(', ')}`);
  });

  it('shows previews and fingerprints, never the values', () => {
    const sarif = readFileSync(run.outputs.sarifPath, 'utf8');
    const summary = readFileSync(run.commands.find((c) => c.event === 'uploadsummary')!.data, 'utf8');
    const evidence = readFileSync(run.outputs.evidencePath, 'utf8');
    for (const text of [sarif, summary, evidence, run.stdout, run.stderr]) {
      for (const s of [tree.storageKey, tree.spSecret, tree.pat]) assert.ok(!text.includes(s), `a secret starting ${s.slice(0, 4)} leaked`);
    }
    const results = JSON.parse(sarif).runs[0].results as any[];
    const secretResults = results.filter((r) => r.ruleId.startsWith('SEC-'));
    assert.ok(secretResults.length >= 3);
    for (const r of secretResults) {
      assert.match(r.properties.preview, /^.{0,4}…[0-9a-f]{8}$/u, r.properties.preview);
      assert.match(r.partialFingerprints['mlopsGates/v1'], /^[0-9a-f]{16,64}$/);
    }
    assert.match(summary, /explore\.ipynb:\d+ \(cell 2, output\)/);
  });

  it('the same tree with a baseline of today\'s findings passes; a new secret fails it again', async () => {
    const baseline = join(tree.temp, 's', '.mlops-gates.baseline.json');
    const all = (readJson(run.outputs.sarifPath).runs[0].results as any[]).map((r) => ({
      fingerprint: r.partialFingerprints['mlopsGates/v1'], ruleId: r.ruleId,
      file: r.locations[0].physicalLocation?.artifactLocation.uri ?? '',
    }));
    writeFileSync(baseline, JSON.stringify({ version: 1, fingerprints: all }, null, 2));
    const known = await runTask({ entry: ENTRY, inputs: { auditWorkspace: 'false', baselineFile: baseline }, tempDir: tree.temp, timeoutMs: 90_000 });
    assert.equal(known.result, 'Succeeded', known.resultMessage);
    const states = (readJson(known.outputs.sarifPath).runs[0].results as any[]).map((r) => r.baselineState);
    assert.ok(states.length > 0 && states.every((s) => s === 'unchanged'));

    const fresh = entraSecret();
    registerSecret(fresh);
    writeFileSync(join(tree.temp, 's', 'config', 'new.env'), `AZURE_CLIENT_SECRET=${fresh}\n`);
    const again = await runTask({ entry: ENTRY, inputs: { auditWorkspace: 'false', baselineFile: baseline }, tempDir: tree.temp, timeoutMs: 90_000 });
    assert.equal(again.result, 'Failed', again.resultMessage);
    const news = (readJson(again.outputs.sarifPath).runs[0].results as any[]).filter((r) => r.baselineState === 'new');
    assert.deepEqual([...new Set(news.map((r) => r.locations[0].physicalLocation.artifactLocation.uri))], ['config/new.env']);
  });

  it('both checks off is an input error naming both inputs', async () => {
    const r = await runTask({ entry: ENTRY, inputs: { auditWorkspace: 'false', scanRepository: 'false' }, tempDir: tree.temp });
    assert.equal(r.result, 'Failed');
    assert.match(r.resultMessage!, /auditWorkspace.*scanRepository.*both false/);
  });
});
