/**
 * The scanner with the real plugins of shared/scan (detectors, model analyzers, ARM template handler), loaded
 * the way a task loads them: by default, and inside workers by position. What they find is tested next to
 * them; here, that they load, run on the calling thread and in workers alike, and report the same.
 */
import * as assert from 'node:assert/strict';
import { defaultPlugins } from '../../../../shared/scan/plugins';
import { scanTree } from '../../../../shared/scan/scanTree';
import { makeTree, removeTree } from './helpers';

describe('scan core: with the default plugins', () => {
  const p = defaultPlugins();
  let root: string;
  before(() => {
    root = makeTree({
      'src/train.py': 'import os\npassword = os.environ["DB_PASSWORD"]\nprint("hello")\n',
      'notebooks/a.ipynb': JSON.stringify({ cells: [{ cell_type: 'code', source: ['x = 1\n'], outputs: [], metadata: {} }], metadata: {}, nbformat: 4, nbformat_minor: 5 }),
      'infra/main.json': '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": []}\n',
      'models/m.pkl': Buffer.from([0x80, 0x04, 0x4e, 0x2e]), // pickle of None
    });
  });
  after(() => removeTree(root));

  it('finds the detectors, analyzers and text handlers of the sibling folders', () => {
    assert.ok(p.detectors.length > 0, 'no detectors');
    assert.ok(p.analyzers.length > 0, 'no model analyzers');
    assert.ok(p.textHandlers.length > 0, 'no text handlers');
  });

  it('scans the same on the calling thread and in workers, with every rule listed', async () => {
    const base = { root, ...p, gitMode: 'walk' as const };
    const one = await scanTree({ ...base, workers: 0 });
    const two = await scanTree({ ...base, workers: 2 });
    assert.equal(two.stats.workers, 2);
    assert.deepEqual(two.findings, one.findings);
    assert.deepEqual(two.warnings, one.warnings);
    assert.equal(one.stats.files, 4);
    const ids = new Set(one.rules.map((r) => r.id));
    for (const d of p.detectors) assert.ok(ids.has(d.meta.id), d.meta.id);
  });
});
